import { Module } from '@nestjs/common';
import { PruneWebhookInbox } from 'src/modules/orders/application/prune-webhook-inbox.use-case';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/**
 * Retention of the orders module's history (the webhook inbox), for the maintenance job (scheduler role). Its own
 * module so that the scheduler does not take in the order consumer and the ERP connector.
 */
@Module({ providers: [OrderSyncStateRepository, PruneWebhookInbox], exports: [PruneWebhookInbox] })
export class OrderHistoryModule {}
