import { Module } from '@nestjs/common';
import { OrderShops } from 'src/modules/orders/application/order-shops.query';
import { PruneWebhookInbox } from 'src/modules/orders/application/prune-webhook-inbox.use-case';
import { SyncedOrderTotals } from 'src/modules/orders/application/synced-order-totals.query';
import { OrderPayloadRepository } from 'src/modules/orders/persistence/order-payload.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/**
 * Retention of the orders module's history (the webhook inbox), for the maintenance job, and which shop each order
 * came from, for the fulfilment writer (scheduler role), and the order totals applied, for the payouts' variance report. Its own module so that the scheduler does not take in the
 * order consumer and the ERP connector.
 */
@Module({
  providers: [OrderSyncStateRepository, OrderPayloadRepository, PruneWebhookInbox, OrderShops, SyncedOrderTotals],
  exports: [PruneWebhookInbox, OrderShops, SyncedOrderTotals],
})
export class OrderHistoryModule {}
