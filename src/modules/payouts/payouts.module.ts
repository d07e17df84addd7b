import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditModule } from 'src/modules/audit';
import { ErpModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { OrderHistoryModule } from 'src/modules/orders';
import { DepositShopifyPayouts } from 'src/modules/payouts/application/deposit-shopify-payouts.use-case';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { StartPayoutsDeposit } from 'src/modules/payouts/application/start-payouts-deposit.use-case';
import { ShopifyPayoutRepository } from 'src/modules/payouts/persistence/shopify-payout.repository';
import { payoutSchedules } from 'src/modules/payouts/schedules';
import { DepositPayoutsProcessor } from 'src/modules/payouts/transport/deposit-payouts.processor';
import { PayoutsController } from 'src/modules/payouts/transport/payouts.controller';
import { PayoutsResolver } from 'src/modules/payouts/transport/payouts.resolver';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/**
 * Shopify Payments payouts → ERP bank deposits (scheduler role): reads PAID payouts and their balance transactions
 * through the Admin API, writes each as one deposit through the shop's ERP port, and keeps what it did (and the
 * variance report against the orders the order writer synced, read through the orders module) in `shopify_payout`.
 */
@Module({
  imports: [
    AuditModule,
    ErpModule.forRoot(),
    FlowsModule,
    OrderHistoryModule,
    ShopifyAdminModule,
    ShopsModule,
    BullModule.registerQueue({ name: QueueName.ShopifyPayouts }),
  ],
  providers: [
    AdvisoryLocks,
    ShopifyPayoutRepository,
    DepositShopifyPayouts,
    DepositPayoutsProcessor,
    provideSchedules('payouts', payoutSchedules),
  ],
  exports: [DepositShopifyPayouts],
})
export class PayoutsModule {}

/**
 * The payouts and their variance reports for operators (api role): GraphQL `payouts`, REST `GET …/payouts`; and an
 * operator's run now (`depositPayoutsNow`, `POST …/payouts/run`), a one-off job the scheduler's processor runs.
 */
@Module({
  imports: [ShopsModule, FlowsModule, BullModule.registerQueue({ name: QueueName.ShopifyPayouts })],
  providers: [ShopifyPayoutRepository, ReadPayouts, StartPayoutsDeposit, PayoutsResolver],
  controllers: [PayoutsController],
})
export class PayoutsAdminModule {}
