import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import {
  DepositShopifyPayouts,
  type DepositShopifyPayoutsResult,
} from 'src/modules/payouts/application/deposit-shopify-payouts.use-case';

/** Bull transport of the payouts → ERP deposits job (scheduler role). */
@Processor(QueueName.ShopifyPayouts)
export class DepositPayoutsProcessor {
  constructor(private readonly deposit: DepositShopifyPayouts) {}

  @Process(JobName.DepositPayouts)
  run(): Promise<DepositShopifyPayoutsResult> {
    return this.deposit.execute();
  }
}
