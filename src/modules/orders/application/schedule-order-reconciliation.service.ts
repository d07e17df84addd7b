import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName, RECONCILE_ORDERS_SCHEDULE } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';

/** Registers the repeatable reconciliation at boot of the scheduler role. */
@Injectable()
export class ScheduleOrderReconciliation implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleOrderReconciliation.name);

  constructor(@InjectQueue(QueueName.OrderReconciliation) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerRepeatableJobs(this.queue, [RECONCILE_ORDERS_SCHEDULE], this.logger);
  }
}
