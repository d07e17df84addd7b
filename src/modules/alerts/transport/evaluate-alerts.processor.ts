import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { EvaluateAlerts, type EvaluateAlertsResult } from 'src/modules/alerts/application/evaluate-alerts.use-case';

/** Bull transport of the alert rules' evaluation (scheduler role). */
@Processor(QueueName.Alerts)
export class EvaluateAlertsProcessor {
  constructor(private readonly evaluate: EvaluateAlerts) {}

  @Process(JobName.EvaluateAlerts)
  run(): Promise<EvaluateAlertsResult> {
    return this.evaluate.execute();
  }
}
