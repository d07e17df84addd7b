import type { OrderWritePreview } from 'src/modules/orders/application/order-preview.builder';
import type { ChangedOrder } from 'src/modules/orders/application/preview-mapping-change.use-case';
import type {
  ChangedOrderModel,
  OrderMappingPreviewModel,
} from 'src/modules/orders/transport/models/order-mapping-preview.model';

export function toPreviewModel(preview: OrderWritePreview): OrderMappingPreviewModel {
  return {
    ...preview,
    requests: preview.requests.map((request) => ({
      operation: request.operation,
      method: request.method,
      path: request.path,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      condition: request.condition ?? null,
    })),
  };
}

export function toChangedModel(order: ChangedOrder): ChangedOrderModel {
  return {
    orderId: order.orderId,
    orderName: order.orderName,
    differences: order.differences.map((d) => ({
      request: d.request,
      field: d.field,
      active: d.active ?? null,
      draft: d.draft ?? null,
    })),
  };
}
