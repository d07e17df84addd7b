import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';

/**
 * Missed-webhook reconciliation every 10 min. Shopify retries a failed delivery 8 times over 4 h, so a lost webhook
 * is found within one interval of Shopify giving up, or sooner when the webhook was never sent.
 */
export const RECONCILE_ORDERS_CRON = '*/10 * * * *';

export const RECONCILE_ORDERS_SCHEDULE = repeatable(JobName.ReconcileOrders, { cron: RECONCILE_ORDERS_CRON }, {});

/** The orders module's schedules: the missed-webhook reconciliation. */
export function orderSchedules(): ModuleSchedules {
  return { jobs: [RECONCILE_ORDERS_SCHEDULE] };
}
