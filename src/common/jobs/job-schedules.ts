import type { FactoryProvider } from '@nestjs/common';
import type { RepeatableJob } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/**
 * @description The repeatable jobs of one module, as its `schedules.ts` declares them from the configuration.
 * `JobScheduleRegistrar` registers every module's at boot of the scheduler role.
 */
export interface ModuleSchedules {
  /** Registered at boot under their fixed ids; a stale schedule of the same id is replaced. */
  jobs: readonly RepeatableJob[];
  /** Also enqueued once at boot, e.g. ERP push subscriptions that may have lapsed while the service was down. */
  runAtBoot?: readonly RepeatableJob[];
  /**
   * Redis keeps nothing we cannot rebuild: checked this often, the jobs are registered again when Redis lost any of
   * them (a wipe), and `runOnRestore` is enqueued at once rather than one interval later.
   */
  recheck?: { everyMs: number; runOnRestore?: readonly RepeatableJob[] };
}

/** A module's schedules as a provider instance, so that the registrar finds every module's through Nest discovery. */
export class ScheduleSet {
  constructor(
    /** The module that declared them, for logs and errors. */
    readonly owner: string,
    readonly schedules: ModuleSchedules,
  ) {}
}

/**
 * The provider a module lists to have its schedules registered, e.g.
 * `providers: [provideSchedules('inventory', inventorySchedules)]`.
 */
export function provideSchedules(owner: string, declare: (config: AppConfig) => ModuleSchedules): FactoryProvider {
  return {
    provide: `${ScheduleSet.name}:${owner}`,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig): ScheduleSet => new ScheduleSet(owner, declare(config)),
  };
}
