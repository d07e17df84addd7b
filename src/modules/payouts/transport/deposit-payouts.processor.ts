import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobName, QueueName, type JobPayloads } from 'src/common/jobs/job-catalogue';
import {
  DepositShopifyPayouts,
  type DepositShopifyPayoutsResult,
} from 'src/modules/payouts/application/deposit-shopify-payouts.use-case';

/** Bull transport of the payouts → ERP deposits job (scheduler role). */
@Processor(QueueName.ShopifyPayouts)
export class DepositPayoutsProcessor {
  constructor(private readonly deposit: DepositShopifyPayouts) {}

  /** The hourly schedule (every enabled shop), or an operator's run of one shop (`depositPayoutsNow`). */
  @Process(JobName.DepositPayouts)
  run(job?: Pick<Job<JobPayloads[JobName.DepositPayouts]>, 'data'>): Promise<DepositShopifyPayoutsResult> {
    const data = job?.data ?? {};
    return this.deposit.execute({ shop: data.shop, requestedBy: data.requestedBy });
  }
}
