import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/** Payouts are read every hour at :23 (Shopify pays out at most daily; a late PAID status is caught next hour). */
export const DEPOSIT_PAYOUTS_CRON = '23 * * * *';

/** The payouts module's schedule: none while payouts are off (no PAYOUTS_ERP_BANK_ACCOUNT). */
export function payoutSchedules(config: AppConfig): ModuleSchedules {
  return config.payouts === undefined
    ? { jobs: [] }
    : { jobs: [repeatable(JobName.DepositPayouts, { cron: DEPOSIT_PAYOUTS_CRON }, {})] };
}
