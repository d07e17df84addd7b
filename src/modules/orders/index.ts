export { ReconcileOrders, type ReconcileOrdersResult } from 'src/modules/orders/application/reconcile-orders.use-case';
export { OrderReconciliationModule } from 'src/modules/orders/order-reconciliation.module';
export { OrdersModule } from 'src/modules/orders/orders.module';
