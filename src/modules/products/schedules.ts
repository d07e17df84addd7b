import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/**
 * The products module's schedules: product pushes re-derived from PostgreSQL (erp_item_xref rows changed since they
 * were last synced) on the ERP poll interval; an items read that changed rows also enqueues one at once.
 */
export function productSchedules(config: AppConfig): ModuleSchedules {
  return { jobs: [repeatable(JobName.SyncProducts, { every: config.erp.pollIntervalSeconds * 1_000 }, {})] };
}
