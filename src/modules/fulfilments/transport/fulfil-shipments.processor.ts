import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import {
  FulfilErpShipments,
  type FulfilErpShipmentsResult,
} from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';

const RUN_LIMIT = 100;

/** Bull transport of the fulfilment writer (scheduler role). */
@Processor(QueueName.ShopifyFulfilments)
export class FulfilShipmentsProcessor {
  constructor(
    private readonly fulfil: FulfilErpShipments,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.ShopifyFulfilments) private readonly queue: Queue,
  ) {}

  @Process(JobName.FulfilShipments)
  async run(): Promise<FulfilErpShipmentsResult> {
    const result = await this.fulfil.execute({ connector: this.config.erp.connector, limit: RUN_LIMIT });
    if (result.considered === RUN_LIMIT) {
      // A full page: more are waiting; carry on now rather than at the next interval.
      await this.queue.add(JobName.FulfilShipments, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
    return result;
  }
}
