import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { productSyncSchedule, QueueName } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/** Scheduler role, at boot: the repeatable product sync (re-created after a Redis wipe; its work is in PostgreSQL). */
@Injectable()
export class ScheduleProductSync implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleProductSync.name);

  constructor(
    @InjectQueue(QueueName.ShopifyProducts) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerRepeatableJobs(
      this.queue,
      [productSyncSchedule(this.config.erp.pollIntervalSeconds * 1_000)],
      this.logger,
    );
  }
}
