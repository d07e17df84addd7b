import { Injectable } from '@nestjs/common';
import { ReadAuditTrail } from 'src/modules/audit';
import { ReadDeadLetterTrail } from 'src/modules/dead-letters';
import { ReadOrderFulfilments } from 'src/modules/fulfilments';
import { ReadOrderTrail } from 'src/modules/orders';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';
import {
  buildOrderTrace,
  isRefundDelivery,
  isReturnDelivery,
  type OrderTrace,
} from 'src/modules/trace/domain/order-trace';
import { normalizeShopifyOrderId, shopifyOrderGid } from 'src/modules/trace/domain/shopify-order-id';

/** @description Which order to trace: its Shopify id (numeric or GID), or the id of a webhook about it. */
export type TraceOrderInput = { shop: string } & ({ orderId: string } | { webhookId: string });

export type TraceOrderOutcome =
  | { outcome: 'traced'; trace: OrderTrace }
  | { outcome: 'unknown_shop' }
  /** The order id is neither a numeric Shopify id nor an order GID. */
  | { outcome: 'invalid_order_id' }
  /** No module recorded anything of the order, or no order webhook has this webhook id. */
  | { outcome: 'not_found' };

/**
 * Follows one order from its webhooks to its queue messages, dead letters, ERP document, refunds (credit memos) and
 * the Shopify fulfilments made from its ERP shipments. Each part is read through its owning module's query (orders, audit, dead letters,
 * fulfilments), then joined here by the order's id in the form each keeps.
 */
@Injectable()
export class TraceOrder {
  constructor(
    private readonly shops: ShopDirectory,
    private readonly orders: ReadOrderTrail,
    private readonly audit: ReadAuditTrail,
    private readonly deadLetters: ReadDeadLetterTrail,
    private readonly fulfilments: ReadOrderFulfilments,
  ) {}

  async execute(input: TraceOrderInput): Promise<TraceOrderOutcome> {
    const shop = normalizeShopDomain(input.shop);
    if (shop === undefined || (await this.shops.find(shop)) === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const orderId =
      'orderId' in input ? normalizeShopifyOrderId(input.orderId) : await this.orderOf(shop, input.webhookId);
    if (orderId === undefined) {
      return 'orderId' in input ? { outcome: 'invalid_order_id' } : { outcome: 'not_found' };
    }
    const orderGid = shopifyOrderGid(orderId);
    const [order, fulfilments] = await Promise.all([
      this.orders.execute(shop, orderId),
      this.fulfilments.execute(shop, orderId),
    ]);
    // Refunds and returns are keyed by their own ids in the audit and the dead letters.
    const refundIds = order.deliveries
      .filter((d) => isRefundDelivery(d) || isReturnDelivery(d))
      .map((d) => d.resourceId);
    const fulfilmentGids = fulfilments.flatMap((s) =>
      s.fulfilments.flatMap((f) => (f.fulfillmentGid === null ? [] : [f.fulfillmentGid])),
    );
    const [deadLetters, audit] = await Promise.all([
      this.deadLetters.execute(shop, [orderId, ...refundIds]),
      this.audit.execute(shop, [orderId, orderGid, ...refundIds, ...fulfilmentGids]),
    ]);
    const trace = buildOrderTrace({ shop, orderId, orderGid, order, audit, deadLetters, fulfilments });
    return trace === undefined ? { outcome: 'not_found' } : { outcome: 'traced', trace };
  }

  /** The order of a webhook: the order writer's inbox, else a dead letter of it (never processed). */
  private async orderOf(shop: string, webhookId: string): Promise<string | undefined> {
    const fromInbox = await this.orders.orderOfWebhook(shop, webhookId);
    if (fromInbox !== undefined) {
      return fromInbox;
    }
    const fromDeadLetter = await this.deadLetters.orderOfWebhook(shop, webhookId);
    return fromDeadLetter === undefined ? undefined : normalizeShopifyOrderId(fromDeadLetter);
  }
}
