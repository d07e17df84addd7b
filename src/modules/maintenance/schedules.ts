import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';

/** Daily, off-peak. */
export const PRUNE_HISTORY_CRON = '17 3 * * *';

/** Inbox keys outlive Shopify's retry window (8 retries over 4 h) and late deliveries (~1 day). */
export const PRUNE_HISTORY_SCHEDULE = repeatable(
  JobName.PruneHistory,
  { cron: PRUNE_HISTORY_CRON },
  { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 },
);

/** The maintenance module's schedules: retention of the history tables. */
export function maintenanceSchedules(): ModuleSchedules {
  return { jobs: [PRUNE_HISTORY_SCHEDULE] };
}
