import { Module } from '@nestjs/common';
import { ErpModule } from 'src/modules/erp';
import { ReplayMissingOrders } from 'src/modules/orders/application/replay-missing-orders.use-case';
import { ReportOrderGaps } from 'src/modules/orders/application/report-order-gaps.use-case';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { OrderReplayAdminModule } from 'src/modules/orders/order-replay.module';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { OrderGapReportController } from 'src/modules/orders/transport/order-gap-report.controller';
import { OrderGapReportResolver } from 'src/modules/orders/transport/order-gap-report.resolver';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/**
 * The gap report (api role): Shopify's orders of a window against the ERP's documents for them, read through the
 * shop's ERP port, and the replay of the missing ones into the order pipeline, over GraphQL and REST.
 */
@Module({
  imports: [ErpModule.forRoot(), OrderReplayAdminModule, ShopifyAdminModule, ShopsModule],
  providers: [ShopErp, OrderSyncStateRepository, ReportOrderGaps, ReplayMissingOrders, OrderGapReportResolver],
  controllers: [OrderGapReportController],
})
export class OrderGapReportModule {}
