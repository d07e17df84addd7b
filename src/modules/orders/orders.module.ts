import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { ErpModule } from 'src/modules/erp';
import { FlowsModule } from 'src/modules/flows';
import { MappingModule } from 'src/modules/mapping';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { OrderEventsConsumer } from 'src/modules/orders/transport/order-events.consumer';
import { ShopsModule } from 'src/modules/shops';

/** Order and refund rules and the consumer of order events (worker role). Never imports connector code. */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), MappingModule, ShopsModule, FlowsModule],
  providers: [
    ShopErp,
    SyncOrderToErp,
    SyncRefundToErp,
    OrderSyncStateRepository,
    OrderEditConflictRepository,
    OrderEventsConsumer,
  ],
})
export class OrdersModule {}
