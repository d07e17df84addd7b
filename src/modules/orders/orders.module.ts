import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { ErpModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { MappingModule } from 'src/modules/mapping';
import { OrderReleaseGate } from 'src/modules/orders/application/order-release-gate';
import { OrderTenderReader } from 'src/modules/orders/application/order-tender-reader';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import { SyncReturnToErp } from 'src/modules/orders/application/sync-return-to-erp.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderHoldRepository } from 'src/modules/orders/persistence/order-hold.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { OrderEventsConsumer } from 'src/modules/orders/transport/order-events.consumer';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/** Order, refund and return rules and the consumer of order events (worker role). Never imports connector code. */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), MappingModule, ShopsModule, FlowsModule, ShopifyAdminModule],
  providers: [
    ShopErp,
    OrderTenderReader,
    SyncOrderToErp,
    SyncRefundToErp,
    SyncReturnToErp,
    OrderReleaseGate,
    OrderHoldRepository,
    OrderSyncStateRepository,
    OrderEditConflictRepository,
    OrderEventsConsumer,
  ],
})
export class OrdersModule {}
