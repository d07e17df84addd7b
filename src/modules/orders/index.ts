export {
  CountReconciliationGaps,
  type ReconciliationGaps,
} from 'src/modules/orders/application/count-reconciliation-gaps.query';
export { OrderShops } from 'src/modules/orders/application/order-shops.query';
export { PruneWebhookInbox } from 'src/modules/orders/application/prune-webhook-inbox.use-case';
export { ReadOrderTrail, type OrderTrail } from 'src/modules/orders/application/read-order-trail.query';
export { ReconcileOrders, type ReconcileOrdersResult } from 'src/modules/orders/application/reconcile-orders.use-case';
export {
  ReplayOrders,
  type ReplayOrdersInput,
  type ReplayOrdersResult,
  type ReplayedOrder,
} from 'src/modules/orders/application/replay-orders.use-case';
export {
  StartOrderReplay,
  type StartOrderReplayInput,
  type StartOrderReplayResult,
} from 'src/modules/orders/application/start-order-replay.use-case';
export { SyncedOrderTotals } from 'src/modules/orders/application/synced-order-totals.query';
export { decodeOrderMessage } from 'src/modules/orders/domain/decode-order-message';
export { isDecimalString, normaliseMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
export { OrderEditConflictsModule } from 'src/modules/orders/order-edit-conflicts.module';
export { OrderGapReportModule } from 'src/modules/orders/order-gap-report.module';
export { OrderHistoryModule } from 'src/modules/orders/order-history.module';
export { OrderHoldAdminModule } from 'src/modules/orders/order-hold.module';
export { OrderMappingPreviewModule } from 'src/modules/orders/order-mapping-preview.module';
export { OrderReconciliationGapsModule } from 'src/modules/orders/order-reconciliation-gaps.module';
export { OrderReconciliationModule } from 'src/modules/orders/order-reconciliation.module';
export { OrderReplayAdminModule, OrderReplayModule } from 'src/modules/orders/order-replay.module';
export { OrderTrailModule } from 'src/modules/orders/order-trail.module';
export { OrderWriteBackModule } from 'src/modules/orders/order-write-back.module';
export { OrdersModule } from 'src/modules/orders/orders.module';
export type { SyncedOrderTotalRow } from 'src/modules/orders/persistence/order-payload.repository';
export type { OrderErpDocument, ProcessedDelivery } from 'src/modules/orders/persistence/order-sync-state.repository';
