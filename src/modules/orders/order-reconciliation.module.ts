import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { provideSchedules } from 'src/common/jobs/job-schedules';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditModule } from 'src/modules/audit';
import { FlowsModule } from 'src/modules/flows';
import { ReconcileOrders } from 'src/modules/orders/application/reconcile-orders.use-case';
import { OrderReconciliationRepository } from 'src/modules/orders/persistence/order-reconciliation.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { orderSchedules } from 'src/modules/orders/schedules';
import { ORDER_EVENT_PUBLISHER, RabbitOrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { ReconcileOrdersProcessor } from 'src/modules/orders/transport/reconcile-orders.processor';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/**
 * Missed-webhook order reconciliation (scheduler role): reads orders through the Shopify Admin API and feeds the
 * ones never received into the order pipeline. Part of the orders module because it decides with the order sync
 * state and produces order events; it needs no ERP connector.
 */
@Module({
  imports: [
    AuditModule,
    FlowsModule,
    ShopifyAdminModule,
    ShopsModule,
    BullModule.registerQueue({ name: QueueName.OrderReconciliation }),
  ],
  providers: [
    AdvisoryLocks,
    OrderSyncStateRepository,
    OrderReconciliationRepository,
    { provide: ORDER_EVENT_PUBLISHER, useClass: RabbitOrderEventPublisher },
    ReconcileOrders,
    ReconcileOrdersProcessor,
    provideSchedules('orders', orderSchedules),
  ],
  exports: [ReconcileOrders],
})
export class OrderReconciliationModule {}
