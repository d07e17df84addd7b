import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/** Every 15 min the reconciliation checks whether the off-hours window is open; outside it (or once done) it does nothing. */
export const INVENTORY_RECONCILE_CRON = '*/15 * * * *';

export const INVENTORY_RECONCILE_SCHEDULE = repeatable(
  JobName.InventoryReconcile,
  { cron: INVENTORY_RECONCILE_CRON },
  { trigger: 'schedule' },
);

/**
 * The inventory module's schedules. Pushes are re-derived from PostgreSQL on the ERP poll interval (an inventory
 * read that changed rows also enqueues one at once), so a Redis wipe that loses queued jobs delays a push by one
 * interval at most. Redis keeps nothing we cannot rebuild (S8): once per push interval the schedules are checked and
 * registered again if a wipe lost them, and the push runs at once, since the pending work is in PostgreSQL.
 */
export function inventorySchedules(config: AppConfig): ModuleSchedules {
  const intervalMs = config.erp.pollIntervalSeconds * 1_000;
  const push = repeatable(JobName.InventoryPushDelta, { every: intervalMs }, {});
  return {
    jobs: [push, INVENTORY_RECONCILE_SCHEDULE],
    recheck: { everyMs: intervalMs, runOnRestore: [push] },
  };
}
