import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { ErpModule } from 'src/modules/erp';
import { MappingModule } from 'src/modules/mapping';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { SyncRefundToErp } from 'src/modules/orders/application/sync-refund-to-erp.use-case';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { OrderEventsConsumer } from 'src/modules/orders/transport/order-events.consumer';

/** Order and refund rules and the consumer of order events (worker role). Never imports connector code. */
@Module({
  imports: [AuditModule, ErpModule.forRoot(), MappingModule],
  providers: [SyncOrderToErp, SyncRefundToErp, OrderSyncStateRepository, OrderEventsConsumer],
})
export class OrdersModule {}
