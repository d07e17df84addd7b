import { JobName, QueueName, type RepeatableJob } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/**
 * Product pushes re-derived from PostgreSQL (erp_item_xref rows changed since they were last synced) on the ERP
 * poll interval; an items read that changed rows also enqueues one at once.
 */
export function productSyncSchedule(intervalMs: number): RepeatableJob<JobName.SyncProducts> {
  return {
    id: JobName.SyncProducts,
    queue: QueueName.ShopifyProducts,
    name: JobName.SyncProducts,
    repeat: { every: intervalMs },
    data: {},
  };
}

/** The products module's schedules: the product sync (re-created after a Redis wipe at the next boot). */
export function productSchedules(config: AppConfig): ModuleSchedules {
  return { jobs: [productSyncSchedule(config.erp.pollIntervalSeconds * 1_000)] };
}
