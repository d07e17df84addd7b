import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/**
 * The fulfilments module's schedules: ERP shipments fulfilled on the ERP poll interval (a shipments read that
 * changed rows also enqueues a run at once).
 */
export function fulfilmentSchedules(config: AppConfig): ModuleSchedules {
  return { jobs: [repeatable(JobName.FulfilShipments, { every: config.erp.pollIntervalSeconds * 1_000 }, {})] };
}
