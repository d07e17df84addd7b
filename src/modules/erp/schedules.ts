import { JobName, repeatable, type RepeatableJob } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/** Business Central subscriptions expire after 3 days; renewing every 12 h keeps a margin for outages. */
export const RENEW_PUSH_SUBSCRIPTIONS_EVERY_MS = 12 * 3_600_000;

const ERP_CHANGE_STREAMS = ['items', 'inventory', 'shipments'] as const;

/** Delta polls per ERP change stream, every `intervalMs` (ERP_POLL_INTERVAL_SECONDS). Pushes only add runs. */
export function erpChangeSchedules(intervalMs: number): RepeatableJob<JobName.ReadErpChanges>[] {
  return ERP_CHANGE_STREAMS.map((stream) =>
    repeatable(JobName.ReadErpChanges, { every: intervalMs }, { stream }, `${JobName.ReadErpChanges}:${stream}`),
  );
}

export const RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE = repeatable(
  JobName.RenewErpPushSubscriptions,
  { every: RENEW_PUSH_SUBSCRIPTIONS_EVERY_MS },
  {},
);

/**
 * The erp module's schedules: the delta polls and the push-subscription renewal. With pushes configured, the
 * renewal also runs at boot: subscriptions may have lapsed while we were down, so they are ensured now, not in 12 h.
 */
export function erpSchedules(config: AppConfig): ModuleSchedules {
  return {
    jobs: [...erpChangeSchedules(config.erp.pollIntervalSeconds * 1_000), RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE],
    runAtBoot: config.erp.push.notificationUrl === undefined ? [] : [RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE],
  };
}
