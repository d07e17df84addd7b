import { JobName, repeatable } from 'src/common/jobs/job-catalogue';
import type { ModuleSchedules } from 'src/common/jobs/job-schedules';
import type { AppConfig } from 'src/config/app-config';

/** The alerts module's schedule: the rules evaluated every ALERT_CHECK_INTERVAL_SECONDS. */
export function alertSchedules(config: AppConfig): ModuleSchedules {
  return { jobs: [repeatable(JobName.EvaluateAlerts, { every: config.alerts.checkIntervalMs }, {})] };
}
