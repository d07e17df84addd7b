import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { ALERT_CHANNELS } from 'src/modules/alerts/application/alert-channel.port';
import { EvaluateAlerts } from 'src/modules/alerts/application/evaluate-alerts.use-case';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { alertSchedules } from 'src/modules/alerts/schedules';
import { SmtpAlertEmail } from 'src/modules/alerts/transport/alert-email.sender';
import { HttpAlertWebhook } from 'src/modules/alerts/transport/alert-webhook.sender';
import { EvaluateAlertsProcessor } from 'src/modules/alerts/transport/evaluate-alerts.processor';
import { AuditModule } from 'src/modules/audit';
import { DeadLettersModule } from 'src/modules/dead-letters';
import { ErpModule, ErpPersistenceModule } from 'src/modules/erp';
import { OrderReconciliationGapsModule } from 'src/modules/orders';

/** Scheduler role: the alert rules, evaluated on Bull, delivered to the signed outbound webhook and by e-mail. */
@Module({
  imports: [
    AuditModule,
    DeadLettersModule,
    ErpModule.forRoot(),
    ErpPersistenceModule,
    OrderReconciliationGapsModule,
    BullModule.registerQueue({ name: QueueName.Alerts }),
  ],
  providers: [
    AdvisoryLocks,
    AlertEpisodeRepository,
    HttpAlertWebhook,
    SmtpAlertEmail,
    {
      provide: ALERT_CHANNELS,
      useFactory: (webhook: HttpAlertWebhook, email: SmtpAlertEmail) => [webhook, email],
      inject: [HttpAlertWebhook, SmtpAlertEmail],
    },
    EvaluateAlerts,
    EvaluateAlertsProcessor,
    provideSchedules('alerts', alertSchedules),
  ],
})
export class AlertsModule {}
