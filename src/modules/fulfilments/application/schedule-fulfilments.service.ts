import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName, fulfilShipmentsSchedule } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/** Registers the repeatable fulfilment run at boot of the scheduler role. */
@Injectable()
export class ScheduleFulfilments implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleFulfilments.name);

  constructor(
    @InjectQueue(QueueName.ShopifyFulfilments) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerRepeatableJobs(
      this.queue,
      [fulfilShipmentsSchedule(this.config.erp.pollIntervalSeconds * 1_000)],
      this.logger,
    );
  }
}
