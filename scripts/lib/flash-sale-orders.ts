import type { FlashSaleOptions } from 'scripts/lib/flash-sale.types';
import { DEMO_SHOP } from 'scripts/lib/services';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import type { GeneratedEvent } from 'test/support/ledger';
import { buildWebhookRequest, type WebhookRequest } from 'test/support/webhook-signer';

/** A SKU outside the sandbox catalog (SKU-0001…SKU-0500): the ERP rejects it, so the order must be dead-lettered. */
export const UNKNOWN_SKU = 'SKU-9999';

/** Builds every delivery up front, so that generating orders costs nothing while the clock runs. */
export function buildFlashSale(
  options: Pick<FlashSaleOptions, 'orders' | 'secret' | 'seedBase' | 'badSkuPercent' | 'lineCount' | 'buildOrder'>,
): { events: GeneratedEvent[]; requests: WebhookRequest[] } {
  const events: GeneratedEvent[] = [];
  const requests: WebhookRequest[] = [];
  const badEvery = options.badSkuPercent && options.badSkuPercent > 0 ? 100 / options.badSkuPercent : 0;
  let nextBad = badEvery > 0 ? badEvery / 2 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < options.orders; i++) {
    const bad = i + 1 >= nextBad;
    if (bad) {
      nextBad += badEvery;
    }
    const seed = (options.seedBase ?? 1) + i;
    const order =
      !bad && options.buildOrder !== undefined
        ? options.buildOrder(i, seed)
        : buildShopifyOrder(bad ? { line_items: [{ sku: UNKNOWN_SKU }] } : {}, {
            seed,
            lineCount: bad ? undefined : options.lineCount,
          });
    const req = buildWebhookRequest({
      topic: 'orders/create',
      order: serialiseOrder(order),
      secret: options.secret,
      shop: DEMO_SHOP,
    });
    requests.push(req);
    events.push({
      orderId: String(order.id),
      eventId: req.eventId,
      webhookId: req.webhookId,
      topic: 'orders/create',
      updatedAt: order.updated_at,
      expectedStatus: order.cancelled_at ? 'cancelled' : 'open',
      validSkus: !bad,
    });
  }
  return { events, requests };
}
