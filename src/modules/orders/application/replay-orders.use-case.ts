import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { readOrderInFull } from 'src/modules/orders/application/read-order-in-full';
import { mapGraphqlOrderToWebhook } from 'src/modules/orders/domain/map-graphql-order-to-webhook';
import { ORDER_ID_PATTERN, orderGid, replayEventId } from 'src/modules/orders/domain/order-replay';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { ORDER_EVENT_PUBLISHER, type OrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClients, type ShopifyAdminPort } from 'src/modules/shopify';
import { normalizeShopDomain, ShopDirectory } from 'src/modules/shops';

export interface ReplayOrdersInput {
  /** The shop's myshopify domain. */
  shop: string;
  /** Shopify order ids: legacy ids (`5123456789`) or GIDs (`gid://shopify/Order/5123456789`). */
  orderIds: readonly string[];
  /**
   * Apply even the version the ERP already holds (after a mapping change, say): one more upsert of the same ERP
   * document. Without it, an order the ERP has at its current version is left as it is, and only missing or older
   * ones are written.
   */
  force?: boolean;
  /** Who asked (the audit trail says so). */
  actor: string;
  /** The replay this belongs to (a background replay's id); makes forced event ids unique per replay. */
  replayId?: string;
  /** Awaited before each order is read (the background replay's bounded rate). */
  pace?: () => Promise<void>;
  /** Orders read and published at once (default 1); results keep the order of `orderIds`. */
  concurrency?: number;
  /** Called after each order is published (the background replay records it). */
  onPublished?: (order: ReplayedOrder) => Promise<void>;
}

/** @description One order of a replay: published into the order pipeline, or no longer in Shopify. */
export type ReplayedOrder =
  | {
      orderId: string;
      outcome: 'published';
      topic: 'orders/create' | 'orders/updated';
      /** The synthetic event's id: the order writer's inbox records it once processed. */
      eventId: string;
      /** Shopify's `updated_at` of the version published. */
      sourceUpdatedAt: string;
    }
  | { orderId: string; outcome: 'not_found' };

export type ReplayOrdersResult =
  { outcome: 'replayed'; shop: string; orders: ReplayedOrder[] } | { outcome: 'unknown_shop' };

/**
 * Replays Shopify orders by id through the order pipeline: each is read in full from the Admin API (what its webhook
 * would carry, at its current version) and published onto its order's partition with the webhook's headers, as the
 * missed-webhook reconciliation does. The pipeline keeps the ERP exactly once: the inbox drops a replay of an event
 * already processed, the per-order `updated_at` guard skips a version the ERP already holds (a duplicate) or an
 * older one, and the ERP write is an upsert by external id. `force` lets the guard apply the held version once more
 * (never an older one): the same ERP document is updated, not a second created. Used by the operator's re-sync, the
 * background replay (date range or id list) and the gap report.
 */
@Injectable()
export class ReplayOrders {
  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    @Inject(ORDER_EVENT_PUBLISHER) private readonly publisher: OrderEventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orders: OrderSyncStateRepository,
    private readonly audit: AuditWriter,
  ) {}

  async execute(input: ReplayOrdersInput): Promise<ReplayOrdersResult> {
    const domain = normalizeShopDomain(input.shop);
    const shop = domain === undefined ? undefined : await this.shops.find(domain);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    const shopify = this.clients.forShop(shop);
    const forceId = input.force === true ? (input.replayId ?? randomUUID()) : undefined;
    const results: ReplayedOrder[] = new Array<ReplayedOrder>(input.orderIds.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (next < input.orderIds.length && !failed) {
        const index = next++;
        const id = input.orderIds[index] ?? '';
        try {
          await input.pace?.();
          const result = ORDER_ID_PATTERN.test(id)
            ? await this.replayOne(shopify, shop.domain, orderGid(id), input.actor, forceId, input.replayId)
            : ({ orderId: id, outcome: 'not_found' } as const);
          await input.onPublished?.(result);
          results[index] = result;
        } catch (error: unknown) {
          failed = true; // the other workers stop after their current order: nothing runs on once this rejects
          throw error;
        }
      }
    };
    const workers = Math.max(1, Math.min(input.concurrency ?? 1, input.orderIds.length));
    const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure !== undefined) {
      throw failure.reason;
    }
    return { outcome: 'replayed', shop: shop.domain, orders: results };
  }

  private async replayOne(
    shopify: ShopifyAdminPort,
    shop: string,
    gid: string,
    actor: string,
    forceId: string | undefined,
    replayId: string | undefined,
  ): Promise<ReplayedOrder> {
    const order = await readOrderInFull(shopify, gid);
    const orderId = gid.slice(gid.lastIndexOf('/') + 1);
    if (order === null) {
      return { orderId, outcome: 'not_found' };
    }
    const applied = await this.orders.appliedVersions(shop, [order.legacyResourceId]);
    const topic = applied.has(order.legacyResourceId) ? 'orders/updated' : 'orders/create';
    const eventId = replayEventId(order.legacyResourceId, order.updatedAt, forceId);
    await this.publisher.publish({
      shop,
      topic,
      orderId: order.legacyResourceId,
      resourceId: order.legacyResourceId,
      eventId,
      apiVersion: this.config.shopify.apiVersion,
      body: Buffer.from(JSON.stringify(mapGraphqlOrderToWebhook(order))),
      force: forceId !== undefined,
    });
    const common = {
      eventId,
      entity: 'order' as const,
      topic,
      shop,
      shopifyId: order.legacyResourceId,
      reason:
        `${forceId === undefined ? 'replayed' : 'force re-synced'} by ${actor}` +
        (replayId === undefined ? '' : ` (replay ${replayId})`),
    };
    this.audit.record({ ...common, status: AuditStatus.Received });
    this.audit.record({ ...common, status: AuditStatus.Queued });
    return { orderId: order.legacyResourceId, outcome: 'published', topic, eventId, sourceUpdatedAt: order.updatedAt };
  }
}
