import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName, RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE, erpChangeSchedules } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/** Registers the delta polls (and the push-subscription renewal) at boot of the scheduler role. */
@Injectable()
export class ScheduleErpChangeReads implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleErpChangeReads.name);

  constructor(
    @InjectQueue(QueueName.ErpChanges) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerRepeatableJobs(
      this.queue,
      [...erpChangeSchedules(this.config.erp.pollIntervalSeconds * 1_000), RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE],
      this.logger,
    );
    if (this.config.erp.push.notificationUrl !== undefined) {
      // Subscriptions may have lapsed while we were down: ensure them now, not in 12 h.
      await this.queue.add(RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE.name, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
  }
}
