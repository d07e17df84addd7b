import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { PRUNE_HISTORY_SCHEDULE, QueueName } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';

/** Registers the retention job at boot (re-created from code after a Redis restart). */
@Injectable()
export class ScheduleRepeatableJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleRepeatableJobs.name);

  constructor(@InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerRepeatableJobs(this.maintenance, [PRUNE_HISTORY_SCHEDULE], this.logger);
  }
}
