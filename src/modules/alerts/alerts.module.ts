import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { ALERT_WEBHOOK } from 'src/modules/alerts/application/alert-webhook.port';
import { EvaluateAlerts } from 'src/modules/alerts/application/evaluate-alerts.use-case';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { alertSchedules } from 'src/modules/alerts/schedules';
import { HttpAlertWebhook } from 'src/modules/alerts/transport/alert-webhook.sender';
import { EvaluateAlertsProcessor } from 'src/modules/alerts/transport/evaluate-alerts.processor';
import { DeadLettersModule } from 'src/modules/dead-letters';
import { ErpModule } from 'src/modules/erp';

/** Scheduler role: the alert rules, evaluated on Bull, delivered to the signed outbound webhook. */
@Module({
  imports: [DeadLettersModule, ErpModule.forRoot(), BullModule.registerQueue({ name: QueueName.Alerts })],
  providers: [
    AdvisoryLocks,
    AlertEpisodeRepository,
    { provide: ALERT_WEBHOOK, useClass: HttpAlertWebhook },
    EvaluateAlerts,
    EvaluateAlertsProcessor,
    provideSchedules('alerts', alertSchedules),
  ],
})
export class AlertsModule {}
