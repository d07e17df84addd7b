import { getQueueToken } from '@nestjs/bull';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, Reflector } from '@nestjs/core';
import type { Queue } from 'bull';
import type { RepeatableJob } from 'src/common/jobs/job-catalogue';
import { checkJobHandlers, discoverJobHandlers, requiredJobs } from 'src/common/jobs/job-handlers.check';
import { ScheduleSet } from 'src/common/jobs/job-schedules';
import { registerRepeatableJobs, restoreRepeatableJobs, runOnce } from 'src/common/jobs/register-repeatable-jobs';

/**
 * The one place repeatable jobs are registered. Modules declare theirs in `schedules.ts` and list
 * `provideSchedules(...)` among their providers; only the scheduler role imports those modules, so only it registers.
 *
 * Before anything else runs it checks the job handlers (`checkJobHandlers`): a job that a schedule uses, or that the
 * catalogue lists for a queue this process processes, with no `@Process` handler or with two, stops the start-up.
 */
@Injectable()
export class JobScheduleRegistrar implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobScheduleRegistrar.name);
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** At module init, when every provider exists and before any bootstrap hook (consumers, schedules) runs. */
  onModuleInit(): void {
    const handlers = discoverJobHandlers(this.discovery, this.scanner, this.reflector);
    const schedules = this.scheduleSets().flatMap((set) => set.schedules.jobs);
    checkJobHandlers(handlers, requiredJobs(handlers, schedules));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const { owner, schedules } of this.scheduleSets()) {
      for (const [queue, jobs] of this.byQueue(schedules.jobs)) {
        await registerRepeatableJobs(queue, jobs, this.logger);
      }
      for (const [queue, jobs] of this.byQueue(schedules.runAtBoot ?? [])) {
        await runOnce(queue, jobs);
      }
      const { recheck } = schedules;
      if (recheck !== undefined) {
        const timer = setInterval(() => {
          this.restore(schedules.jobs, recheck.runOnRestore ?? []).catch((error: unknown) =>
            this.logger.warn(`${owner} schedules not checked: ${String(error)}`),
          );
        }, recheck.everyMs);
        timer.unref();
        this.timers.push(timer);
      }
    }
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) {
      clearInterval(timer);
    }
  }

  /** Registers a module's jobs again on each queue where Redis lost them, and runs that queue's `runOnRestore`. */
  private async restore(jobs: readonly RepeatableJob[], runOnRestore: readonly RepeatableJob[]): Promise<void> {
    for (const [queue, queueJobs] of this.byQueue(jobs)) {
      const restoreNow = runOnRestore.filter((job) => (job.queue as string) === queue.name);
      await restoreRepeatableJobs(queue, queueJobs, restoreNow, this.logger);
    }
  }

  private scheduleSets(): ScheduleSet[] {
    return this.discovery
      .getProviders()
      .map((wrapper): unknown => wrapper.instance)
      .filter((instance): instance is ScheduleSet => instance instanceof ScheduleSet);
  }

  /** The Bull queue of each job (registered by the module that declares the schedule), with its jobs. */
  private byQueue(jobs: readonly RepeatableJob[]): Map<Queue, RepeatableJob[]> {
    const grouped = new Map<Queue, RepeatableJob[]>();
    for (const job of jobs) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(job.queue), { strict: false });
      grouped.set(queue, [...(grouped.get(queue) ?? []), job]);
    }
    return grouped;
  }
}
