import { Module } from '@nestjs/common';
import { OrderShops } from 'src/modules/orders/application/order-shops.query';
import { PruneWebhookInbox } from 'src/modules/orders/application/prune-webhook-inbox.use-case';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/**
 * Retention of the orders module's history (the webhook inbox), for the maintenance job, and which shop each order
 * came from, for the fulfilment writer (scheduler role). Its own module so that the scheduler does not take in the
 * order consumer and the ERP connector.
 */
@Module({
  providers: [OrderSyncStateRepository, PruneWebhookInbox, OrderShops],
  exports: [PruneWebhookInbox, OrderShops],
})
export class OrderHistoryModule {}
