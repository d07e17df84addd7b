import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ReadErpChanges, type ErpChangeRun } from 'src/modules/erp/application/read-erp-changes.use-case';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';

/** Bull transport of the ERP change reads and of the push-subscription renewal (scheduler role). */
@Processor(QueueName.ErpChanges)
export class ErpChangesProcessor {
  private readonly logger = new Logger(ErpChangesProcessor.name);

  constructor(
    private readonly readChanges: ReadErpChanges,
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QueueName.ShopifyFulfilments) private readonly fulfilments: Queue,
    @InjectQueue(QueueName.ShopifyInventory) private readonly inventory: Queue,
    @InjectQueue(QueueName.ShopifyProducts) private readonly products: Queue,
  ) {}

  @Process(JobName.ReadErpChanges)
  async read(job: Job<JobPayloads[JobName.ReadErpChanges]>): Promise<ErpChangeRun | { skipped: string }> {
    if (!this.readChanges.streams.includes(job.data.stream)) {
      return { skipped: `${this.erp.name} has no ${job.data.stream} stream` };
    }
    const run = await this.readChanges.execute(job.data.stream, { full: job.data.full });
    if (run.stream === 'shipments' && run.changed > 0) {
      await this.fulfilments.add(JobName.FulfilShipments, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
    if (run.stream === 'items' && run.changed > 0) {
      await this.products.add(JobName.SyncProducts, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
    if (run.stream === 'inventory' && run.changed > 0) {
      await this.inventory.add(JobName.InventoryPushDelta, {}, { removeOnComplete: 50, removeOnFail: 50 });
    }
    return run;
  }

  @Process(JobName.RenewErpPushSubscriptions)
  async renew(): Promise<{ renewed: boolean }> {
    const { notificationUrl, secret } = this.config.erp.push;
    if (notificationUrl === undefined || secret === undefined) {
      return { renewed: false };
    }
    await this.erp.ensurePushSubscriptions(notificationUrl, secret);
    this.logger.log({ connector: this.erp.name }, 'ERP push subscriptions ensured');
    return { renewed: true };
  }
}
