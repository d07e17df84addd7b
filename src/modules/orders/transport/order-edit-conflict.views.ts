import type { OrderEditConflictRecord } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import type { OrderEditConflictModel } from 'src/modules/orders/transport/models/order-edit-conflict.model';

export function toOrderEditConflictModel(record: OrderEditConflictRecord): OrderEditConflictModel {
  return {
    id: record.id,
    shop: record.shop,
    orderId: record.shopifyOrderId,
    orderName: record.orderName,
    erpId: record.erpId,
    erpState: record.erpState,
    lines: record.diff.lines,
    shipping: record.diff.shipping,
    sourceUpdatedAt: record.sourceUpdatedAt,
    detectedAt: record.detectedAt,
    edits: record.edits,
    resolvedBy: record.resolvedBy,
    resolvedAt: record.resolvedAt,
    resolutionNote: record.resolutionNote,
  };
}
