import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

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

/** ERP document numbers owed to Shopify orders, written on the ERP poll interval (docs/erp-to-shopify.md). */
export function orderWriteBackSchedules(config: AppConfig): ModuleSchedules {
  return {
    jobs: [repeatable(JobName.WriteBackDocumentNumbers, { every: config.erp.pollIntervalSeconds * 1_000 }, {})],
  };
}
