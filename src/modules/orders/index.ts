export { OrderShops } from 'src/modules/orders/application/order-shops.query';
export { PruneWebhookInbox } from 'src/modules/orders/application/prune-webhook-inbox.use-case';
export { ReconcileOrders, type ReconcileOrdersResult } from 'src/modules/orders/application/reconcile-orders.use-case';
export { OrderHistoryModule } from 'src/modules/orders/order-history.module';
export { OrderMappingPreviewModule } from 'src/modules/orders/order-mapping-preview.module';
export { OrderReconciliationModule } from 'src/modules/orders/order-reconciliation.module';
export { OrdersModule } from 'src/modules/orders/orders.module';
