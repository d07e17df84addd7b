import type { OrderReplayView } from 'src/modules/orders/application/read-order-replay.query';
import type { ReplayedOrder } from 'src/modules/orders/application/replay-orders.use-case';
import {
  OrderReplayStatusValue,
  OrderResyncOutcomeValue,
  type OrderReplayModel,
  type OrderResyncModel,
} from 'src/modules/orders/transport/models/order-replay.model';

const STATUS: Record<OrderReplayView['status'], OrderReplayStatusValue> = {
  queued: OrderReplayStatusValue.QUEUED,
  running: OrderReplayStatusValue.RUNNING,
  published: OrderReplayStatusValue.PUBLISHED,
  done: OrderReplayStatusValue.DONE,
  failed: OrderReplayStatusValue.FAILED,
};

export function toOrderReplayModel(view: OrderReplayView): OrderReplayModel {
  return {
    id: view.id,
    shop: view.shop,
    status: STATUS[view.status],
    createdFrom: view.createdFrom,
    createdTo: view.createdTo,
    orderIdCount: view.orderIds?.length ?? null,
    force: view.force,
    ratePerSecond: view.ratePerSecond,
    listed: view.listed,
    published: view.published,
    processed: view.processed,
    applied: view.applied,
    notFound: view.notFound,
    error: view.error,
    requestedBy: view.requestedBy,
    createdAt: view.createdAt,
    finishedAt: view.finishedAt,
  };
}

export function toOrderResyncModel(shop: string, order: ReplayedOrder, force: boolean): OrderResyncModel {
  return order.outcome === 'published'
    ? {
        shop,
        orderId: order.orderId,
        outcome: OrderResyncOutcomeValue.PUBLISHED,
        eventId: order.eventId,
        sourceUpdatedAt: order.sourceUpdatedAt,
        force,
      }
    : {
        shop,
        orderId: order.orderId,
        outcome: OrderResyncOutcomeValue.NOT_FOUND,
        eventId: null,
        sourceUpdatedAt: null,
        force,
      };
}
