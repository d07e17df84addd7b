import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { Flow, FlowPauses } from 'src/modules/flows';
import {
  RECONCILE_ORDERS_PAGE,
  type OrdersPageData,
} from 'src/modules/orders/application/order-reconciliation.shopify-graphql';
import { readOrderInFull } from 'src/modules/orders/application/read-order-in-full';
import {
  mapGraphqlOrderToWebhook,
  mapGraphqlRefundToWebhook,
} from 'src/modules/orders/domain/map-graphql-order-to-webhook';
import {
  OrderReconciliationRepository,
  feedKey,
  type FeedEntry,
} from 'src/modules/orders/persistence/order-reconciliation.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import {
  ORDER_EVENT_PUBLISHER,
  type OrderEventPublisher,
  type SyntheticOrderEvent,
} from 'src/modules/orders/transport/order-event.publisher';
import { ShopifyAdminClients, paginate, type ShopifyAdminPort } from 'src/modules/shopify';
import { ShopDirectory, forEachShop, type Shop } from 'src/modules/shops';

export interface ReconcileOrdersInput {
  /** The run's clock (tests move it forward). */
  now?: Date;
  /** The shop to reconcile (its myshopify domain); absent: the environment's shop. */
  shop?: string;
}

export interface ReconcileOrdersResult {
  shop: string;
  ran: boolean;
  from?: string;
  to?: string;
  /** Orders Shopify listed as updated in the window. */
  listed: number;
  /** Order versions the middleware had never applied nor fed, now published. */
  ordersPublished: number;
  refundsPublished: number;
}

const STREAM = 'orders';
const PAGE_SIZE = 100;
/** Re-read this much before the watermark: Shopify's search index and our clock may disagree a little. */
export const RECONCILE_OVERLAP_MS = 5 * 60_000;
/** Leave the most recent updates to their webhooks (normally seconds away); the next run picks up the rest. */
export const RECONCILE_GRACE_MS = 2 * 60_000;
/** The first run looks back this far. */
export const RECONCILE_INITIAL_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Missed webhooks: lists the orders Shopify updated since the watermark (`orders(query: "updated_at:>=…", sortKey:
 * UPDATED_AT)`, paged), and for each version the middleware never applied (order_sync_state) nor fed before, reads
 * the order in full and publishes the REST-shaped body the orders webhooks carry onto the order's partition, with a
 * synthetic event id — the same pipeline, so its idempotency (inbox, `updated_at` staleness, ERP upserts by external
 * id) makes a late real webhook a duplicate. Refunds the inbox has never seen are fed the same way after their order.
 * The watermark moves only after a complete read. Per shop: its own watermark, lock, feed records and Admin API
 * client; the scheduled run (`executeForEnabledShops`) reconciles every enabled shop in turn.
 */
@Injectable()
export class ReconcileOrders {
  private readonly logger = new Logger(ReconcileOrders.name);

  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    @Inject(ORDER_EVENT_PUBLISHER) private readonly publisher: OrderEventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly orders: OrderSyncStateRepository,
    private readonly repository: OrderReconciliationRepository,
    private readonly audit: AuditWriter,
    private readonly locks: AdvisoryLocks,
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  /**
   * Every enabled shop, one after the other; a shop that fails does not stop the others, and the first failure is
   * thrown at the end (Bull retries the run; the shops that completed moved their watermarks).
   */
  async executeForEnabledShops(input: Omit<ReconcileOrdersInput, 'shop'> = {}): Promise<ReconcileOrdersResult[]> {
    return forEachShop(await this.shops.enabled(), (shop) => this.reconcile(shop, input.now ?? new Date()));
  }

  async execute(input: ReconcileOrdersInput = {}): Promise<ReconcileOrdersResult> {
    const domain = input.shop ?? this.shops.bootstrapDomain;
    const shop = await this.shops.find(domain);
    if (shop === undefined) {
      throw new Error(`order reconciliation: no shop ${domain} in this deployment`);
    }
    return this.reconcile(shop, input.now ?? new Date());
  }

  private async reconcile(shop: Shop, now: Date): Promise<ReconcileOrdersResult> {
    if ((await this.flows?.isPaused(shop.domain, Flow.OrderReconciliation)) === true) {
      // Skipped, the watermark unmoved: the first run after the resume reads the paused time too.
      return { shop: shop.domain, ran: false, listed: 0, ordersPublished: 0, refundsPublished: 0 };
    }
    // One reconciliation per shop at a time, across processes.
    const result = await this.locks.tryExclusive(`order-reconciliation:${shop.domain}`, () =>
      this.run(this.clients.forShop(shop), shop.domain, now),
    );
    return result ?? { shop: shop.domain, ran: false, listed: 0, ordersPublished: 0, refundsPublished: 0 };
  }

  private async run(shopify: ShopifyAdminPort, shop: string, now: Date): Promise<ReconcileOrdersResult> {
    const watermark = await this.repository.watermark(shop, STREAM);
    const from = new Date(
      (watermark?.getTime() ?? now.getTime() - RECONCILE_INITIAL_LOOKBACK_MS) - RECONCILE_OVERLAP_MS,
    );
    const to = new Date(now.getTime() - RECONCILE_GRACE_MS);
    const result: ReconcileOrdersResult = {
      shop,
      ran: true,
      from: from.toISOString(),
      to: to.toISOString(),
      listed: 0,
      ordersPublished: 0,
      refundsPublished: 0,
    };
    if (to <= from) {
      return result;
    }
    try {
      const query = `updated_at:>='${from.toISOString()}' AND updated_at:<='${to.toISOString()}'`;
      let batch: OrdersPageData['orders']['nodes'] = [];
      for await (const node of paginate(
        shopify,
        RECONCILE_ORDERS_PAGE,
        { query, first: PAGE_SIZE },
        (data) => data.orders,
      )) {
        batch.push(node);
        if (batch.length === PAGE_SIZE) {
          await this.reconcileBatch(shopify, shop, batch, result);
          batch = [];
        }
      }
      await this.reconcileBatch(shopify, shop, batch, result);
    } catch (error: unknown) {
      // The watermark stays: the next run reads the same window again (publishing is idempotent).
      await this.repository.saveRun(shop, STREAM, { error: errorMessage(error) });
      throw error;
    }
    await this.repository.saveRun(shop, STREAM, { watermark: to, error: null });
    if (result.ordersPublished + result.refundsPublished > 0) {
      this.logger.warn(result, 'reconciliation fed orders whose webhooks never arrived');
    }
    return result;
  }

  private async reconcileBatch(
    shopify: ShopifyAdminPort,
    shop: string,
    nodes: OrdersPageData['orders']['nodes'],
    result: ReconcileOrdersResult,
  ): Promise<void> {
    if (nodes.length === 0) {
      return;
    }
    result.listed += nodes.length;
    const ids = nodes.map((node) => node.legacyResourceId);
    const refundIds = nodes.flatMap((node) => node.refunds.map((refund) => refund.legacyResourceId));
    const [applied, refundsSeen, fed] = await Promise.all([
      this.orders.appliedVersions(shop, ids),
      this.orders.processedResources(shop, 'refunds/create', refundIds),
      this.repository.published(shop, [
        ...nodes.map((node) => orderEntry(node.legacyResourceId, node.updatedAt)),
        ...refundIds.map((id) => refundEntry(id)),
      ]),
    ]);
    for (const node of nodes) {
      const appliedAt = applied.get(node.legacyResourceId);
      const orderMissing =
        (appliedAt === undefined || appliedAt.getTime() < Date.parse(node.updatedAt)) &&
        !fed.has(feedKey(orderEntry(node.legacyResourceId, node.updatedAt)));
      const refundsMissing = node.refunds
        .map((refund) => refund.legacyResourceId)
        .filter((id) => !refundsSeen.has(id) && !fed.has(feedKey(refundEntry(id))));
      if (!orderMissing && refundsMissing.length === 0) {
        continue;
      }
      await this.feed(
        shopify,
        shop,
        node.id,
        { order: orderMissing, isNew: appliedAt === undefined, refunds: refundsMissing },
        result,
      );
    }
  }

  private async feed(
    shopify: ShopifyAdminPort,
    shop: string,
    orderGid: string,
    missing: { order: boolean; isNew: boolean; refunds: string[] },
    result: ReconcileOrdersResult,
  ): Promise<void> {
    const order = await readOrderInFull(shopify, orderGid);
    if (order === null) {
      return; // deleted since it was listed: nothing to feed
    }
    if (missing.order) {
      // The version read now may be newer than the one listed; it is the one fed (and recorded).
      const entry = orderEntry(order.legacyResourceId, order.updatedAt);
      const topic = missing.isNew ? 'orders/create' : 'orders/updated';
      await this.publish(shop, entry, {
        shop,
        topic,
        orderId: order.legacyResourceId,
        resourceId: order.legacyResourceId,
        eventId: entry.eventId,
        apiVersion: this.config.shopify.apiVersion,
        body: Buffer.from(JSON.stringify(mapGraphqlOrderToWebhook(order))),
      });
      result.ordersPublished++;
    }
    for (const refund of order.refunds.filter((r) => missing.refunds.includes(r.legacyResourceId))) {
      const entry = refundEntry(refund.legacyResourceId);
      await this.publish(shop, entry, {
        shop,
        topic: 'refunds/create',
        orderId: order.legacyResourceId,
        resourceId: refund.legacyResourceId,
        eventId: entry.eventId,
        apiVersion: this.config.shopify.apiVersion,
        body: Buffer.from(JSON.stringify(mapGraphqlRefundToWebhook(order, refund))),
      });
      result.refundsPublished++;
    }
  }

  private async publish(shop: string, entry: FeedEntry, event: SyntheticOrderEvent): Promise<void> {
    await this.publisher.publish(event);
    await this.repository.recordPublished(shop, entry);
    const common = {
      eventId: entry.eventId,
      entity: entry.kind,
      topic: event.topic,
      shop,
      shopifyId: event.resourceId,
      reason: 'webhook never received; fed by the reconciliation',
    };
    this.audit.record({ ...common, status: AuditStatus.Received });
    this.audit.record({ ...common, status: AuditStatus.Queued });
  }
}

function orderEntry(orderId: string, updatedAt: string): FeedEntry {
  const version = String(Date.parse(updatedAt));
  return { kind: 'order', shopifyId: orderId, version, eventId: `reconcile:order:${orderId}:${version}` };
}

function refundEntry(refundId: string): FeedEntry {
  return { kind: 'refund', shopifyId: refundId, version: 'refund', eventId: `reconcile:refund:${refundId}` };
}
