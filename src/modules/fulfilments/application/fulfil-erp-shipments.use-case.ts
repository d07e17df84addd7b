import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AppError, ErrorKind, errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { Flow, FlowPauses } from 'src/modules/flows';
import {
  FULFILLMENT_CREATE,
  FULFILLMENT_TRACKING_INFO_UPDATE,
  ORDER_FULFILLMENTS,
  ORDER_FULFILLMENT_ORDERS,
} from 'src/modules/fulfilments/application/fulfilments.shopify-graphql';
import { FulfilmentError, FulfilmentErrorCode } from 'src/modules/fulfilments/domain/fulfilment.errors';
import type {
  ExistingFulfilment,
  FulfillmentOrderView,
  FulfilmentPlan,
  FulfilmentTrackingInput,
  ShipmentToFulfil,
} from 'src/modules/fulfilments/domain/fulfilment.types';
import {
  findOurFulfilment,
  planFulfilment,
  sameTracking,
  trackingInputOf,
} from 'src/modules/fulfilments/domain/plan-fulfilment';
import {
  ShipmentFulfilmentRepository,
  type DueShipment,
} from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
import { OwnershipPolicyService } from 'src/modules/mapping';
import { OrderShops } from 'src/modules/orders';
import { ShopifyAdminClients, assertNoUserErrors, type ShopifyAdminPort } from 'src/modules/shopify';
import { ShopDirectory, type Shop } from 'src/modules/shops';

export interface FulfilErpShipmentsInput {
  connector: string;
  /** Shipments per run (the rest wait for the next run, which the job enqueues at once when this one was full). */
  limit?: number;
}

export interface FulfilErpShipmentsResult {
  /** False when another process holds the run lock (nothing was done). */
  ran: boolean;
  considered: number;
  fulfilled: number;
  /** Fulfilments created by this run (a shipment across two locations makes two). */
  created: number;
  /** Fulfilments found on the order after an unknown outcome, recorded instead of created again. */
  recovered: number;
  /** Fulfilments whose tracking was replaced (`fulfillmentTrackingInfoUpdate`) after the ERP changed it. */
  trackingUpdated: number;
  retried: number;
  /** Shipments of orders whose shop is disabled or keeps fulfilments (source-of-truth policy): retried later. */
  held: number;
  failed: number;
}

const DEFAULT_LIMIT = 100;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;

/**
 * ERP shipments → Shopify fulfilments. Per shipment: plan once against the order's fulfilment orders (frozen in PG),
 * then per location group: pending marker → `fulfillmentCreate` (tracking, `notifyCustomer: true`) → record the
 * fulfilment GID. A group left pending by a crash or a lost response is first looked for among the order's
 * fulfilments (by tracking number and location) and only created if it is not there, so one shipment never makes two
 * fulfilments. Permanent failures are kept with their reason; transient ones are retried with backoff.
 *
 * Each shipment goes to the shop its order came from (the order writer's record; else the shop an earlier attempt used;
 * else the environment's shop, as for an order the middleware never applied), through that shop's own Admin API
 * client. A shipment whose shop has its fulfilments flow paused is held and looked at again every 30 s; one whose shop
 * is disabled or keeps fulfilments itself (source-of-truth policy) is held and looked at again with backoff; when no
 * enabled shop takes fulfilments now, the run does nothing.
 */
@Injectable()
export class FulfilErpShipments {
  private readonly logger = new Logger(FulfilErpShipments.name);

  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    private readonly orderShops: OrderShops,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShipmentFulfilmentRepository,
    private readonly audit: AuditWriter,
    private readonly locks: AdvisoryLocks,
    @Optional() private readonly ownership?: OwnershipPolicyService,
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  async execute(input: FulfilErpShipmentsInput): Promise<FulfilErpShipmentsResult> {
    const result: FulfilErpShipmentsResult = {
      ran: false,
      considered: 0,
      fulfilled: 0,
      created: 0,
      recovered: 0,
      trackingUpdated: 0,
      retried: 0,
      failed: 0,
      held: 0,
    };
    const writable = new Map<string, Shop>();
    const paused = new Set<string>();
    for (const shop of await this.shops.enabled()) {
      if ((await this.flows?.isPaused(shop.domain, Flow.Fulfilments)) === true) {
        // The flow is paused for the shop: its shipments wait, and a run after the resume takes them.
        paused.add(shop.domain);
      } else if ((await this.ownership?.owner(shop.domain, 'fulfillment', 'tracking')) !== 'shopify') {
        writable.set(shop.domain, shop);
      }
    }
    if (writable.size === 0) {
      // Fulfilments are Shopify's (source-of-truth policy): ERP shipments wait, and are written if that changes.
      return result;
    }
    // One fulfilment writer per connector at a time, across processes.
    await this.locks.tryExclusive(`fulfilments:${input.connector}`, async () => {
      result.ran = true;
      const due = await this.repository.due(input.connector, input.limit ?? DEFAULT_LIMIT);
      result.considered = due.length;
      const owners = await this.orderShops.owners(due.map((d) => d.shipment.orderExternalId));
      // One at a time: shipments of one order must see each other's fulfilments.
      for (const entry of due) {
        const domain = owners.get(entry.shipment.orderExternalId) ?? entry.shop ?? this.shops.bootstrapDomain;
        const shop = writable.get(domain);
        if (shop === undefined) {
          await this.hold(entry, domain, paused.has(domain), result);
          continue;
        }
        await this.fulfil(entry, shop.domain, this.clients.forShop(shop), result);
      }
    });
    return result;
  }

  /**
   * A shipment of a shop whose fulfilments flow is paused (looked at again every RETRY_BASE_MS), or that is disabled
   * (or unknown) or keeps fulfilments itself (looked at again with backoff). Held rather than left due, so that held
   * shipments never fill a run and hold back the other shops'.
   */
  private async hold(due: DueShipment, shop: string, paused: boolean, result: FulfilErpShipmentsResult): Promise<void> {
    const { shipment } = due;
    const reason = paused
      ? `the fulfilments flow of shop ${shop} is paused: held`
      : `shop ${shop} is disabled, unknown here or keeps fulfilments (source-of-truth policy): held`;
    const delay = paused ? RETRY_BASE_MS : Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(10, due.attempts));
    await this.repository.markRetry(
      shop,
      `gid://shopify/Order/${shipment.orderExternalId}`,
      shipment,
      reason,
      new Date(Date.now() + delay),
    );
    result.held++;
    this.audit.record({
      eventId: `shipment:${shipment.connector}:${shipment.erpShipmentId}`,
      entity: 'fulfillment',
      topic: 'fulfillments/create',
      shop,
      erpId: shipment.erpShipmentId,
      status: AuditStatus.Skipped,
      reason,
    });
  }

  private async fulfil(
    due: DueShipment,
    shop: string,
    shopify: ShopifyAdminPort,
    result: FulfilErpShipmentsResult,
  ): Promise<void> {
    const { shipment } = due;
    const orderGid = `gid://shopify/Order/${shipment.orderExternalId}`;
    const audit = {
      eventId: `shipment:${shipment.connector}:${shipment.erpShipmentId}`,
      entity: 'fulfillment' as const,
      topic: 'fulfillments/create',
      shop,
      erpId: shipment.erpShipmentId,
    };
    try {
      if (!/^\d+$/.test(shipment.orderExternalId)) {
        throw new FulfilmentError(
          FulfilmentErrorCode.InvalidShipment,
          `shipment ${shipment.erpShipmentId}: order id ${JSON.stringify(shipment.orderExternalId)} is not a Shopify order id`,
        );
      }
      if (due.status === 'failed' && [...due.records.values()].some((r) => r.fulfillmentGid !== null)) {
        throw new FulfilmentError(
          FulfilmentErrorCode.OutcomeUnknown,
          `shipment ${shipment.erpShipmentId} is partly fulfilled and was changed in the ERP; fulfil the rest in Shopify`,
        );
      }
      const plan = due.plan ?? (await this.plan(shopify, shop, orderGid, shipment));
      if (due.plan === null) {
        this.audit.record({ ...audit, shopifyId: orderGid, status: AuditStatus.Received, reason: describePlan(plan) });
      }
      const tracking = trackingInputOf(shipment, this.config.shopify.trackingCompanyMap);
      const madeEarlier: Array<{ locationKey: string; fulfillmentGid: string; sent: FulfilmentTrackingInput | null }> =
        [];
      for (const group of plan.groups) {
        const record = due.records.get(group.locationKey);
        if (record?.fulfillmentGid) {
          madeEarlier.push({
            locationKey: group.locationKey,
            fulfillmentGid: record.fulfillmentGid,
            sent: record.tracking,
          });
          continue;
        }
        if (record?.pendingAt) {
          const found = await this.findExisting(shopify, orderGid, shipment, group, record.pendingAt);
          if (found !== undefined) {
            await this.repository.recordFulfilment(shipment, group.locationKey, found.id, tracking);
            result.recovered++;
            this.audit.record({
              ...audit,
              shopifyId: found.id,
              status: AuditStatus.Duplicate,
              reason: 'fulfilment found on the order after an unknown outcome; not created again',
            });
            continue;
          }
        }
        await this.repository.markPending(shipment, group.locationKey);
        const started = Date.now();
        const { data } = await shopify.request(FULFILLMENT_CREATE, {
          fulfillment: {
            lineItemsByFulfillmentOrder: group.lineItemsByFulfillmentOrder,
            notifyCustomer: true,
            trackingInfo: tracking,
          },
        });
        const payload = assertNoUserErrors(data.fulfillmentCreate, 'fulfillmentCreate');
        const fulfillmentId = payload.fulfillment?.id;
        if (fulfillmentId === undefined) {
          throw new FulfilmentError(
            FulfilmentErrorCode.OutcomeUnknown,
            `shipment ${shipment.erpShipmentId}: fulfillmentCreate answered without a fulfilment or an error`,
          );
        }
        await this.repository.recordFulfilment(shipment, group.locationKey, fulfillmentId, tracking);
        result.created++;
        this.audit.record({
          ...audit,
          shopifyId: fulfillmentId,
          status: AuditStatus.Succeeded,
          latencyMs: Date.now() - started,
        });
      }
      for (const made of madeEarlier) {
        await this.updateTracking(shopify, shipment, made, tracking, audit, result);
      }
      await this.repository.markFulfilled(shipment);
      if (due.status !== 'fulfilled') {
        result.fulfilled++;
      }
    } catch (error: unknown) {
      const message = errorMessage(error);
      const kind = error instanceof AppError ? error.kind : ErrorKind.Transient;
      if (kind === ErrorKind.Permanent) {
        await this.repository.markFailed(shop, orderGid, shipment, message);
        result.failed++;
        this.audit.record({
          ...audit,
          shopifyId: orderGid,
          status: AuditStatus.DeadLettered,
          reason: 'permanent',
          error: message,
        });
        this.logger.warn({ shipment: shipment.erpShipmentId, err: message }, 'shipment not fulfilled (permanent)');
        return;
      }
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(10, due.attempts));
      await this.repository.markRetry(shop, orderGid, shipment, message, new Date(Date.now() + delay));
      result.retried++;
      this.audit.record({
        ...audit,
        shopifyId: orderGid,
        status: AuditStatus.RetryScheduled,
        reason: kind,
        error: message,
        attempt: due.attempts,
      });
    }
  }

  /**
   * A fulfilment made by an earlier run whose shipment the ERP changed since: when the tracking it carries (company,
   * numbers, URL as we sent them) differs from the shipment's now, `fulfillmentTrackingInfoUpdate` replaces it (a
   * second fulfilment is never made). One recorded before tracking was kept is taken as sent: no update, no e-mail.
   * A shipment that now has no tracking at all leaves the fulfilment's as it is.
   */
  private async updateTracking(
    shopify: ShopifyAdminPort,
    shipment: ShipmentToFulfil,
    made: { locationKey: string; fulfillmentGid: string; sent: FulfilmentTrackingInput | null },
    tracking: FulfilmentTrackingInput,
    audit: { eventId: string; entity: 'fulfillment'; shop: string; erpId: string },
    result: FulfilErpShipmentsResult,
  ): Promise<void> {
    const empty = Object.keys(tracking).length === 0;
    if (made.sent === null || empty) {
      if (made.sent === null) {
        await this.repository.recordTracking(shipment, made.locationKey, tracking);
      }
      return;
    }
    if (sameTracking(made.sent, tracking)) {
      return;
    }
    const started = Date.now();
    const { data } = await shopify.request(FULFILLMENT_TRACKING_INFO_UPDATE, {
      fulfillmentId: made.fulfillmentGid,
      trackingInfoInput: tracking,
      notifyCustomer: this.config.shopify.trackingUpdateNotifyCustomer,
    });
    assertNoUserErrors(data.fulfillmentTrackingInfoUpdate, 'fulfillmentTrackingInfoUpdate');
    await this.repository.recordTracking(shipment, made.locationKey, tracking);
    result.trackingUpdated++;
    this.audit.record({
      ...audit,
      topic: 'fulfillments/update',
      shopifyId: made.fulfillmentGid,
      status: AuditStatus.Succeeded,
      reason: 'tracking changed in the ERP: fulfillmentTrackingInfoUpdate',
      latencyMs: Date.now() - started,
    });
  }

  private async plan(
    shopify: ShopifyAdminPort,
    shop: string,
    orderGid: string,
    shipment: ShipmentToFulfil,
  ): Promise<FulfilmentPlan> {
    const { data } = await shopify.request(ORDER_FULFILLMENT_ORDERS, { id: orderGid });
    if (data.order === null) {
      throw new FulfilmentError(
        FulfilmentErrorCode.OrderNotFound,
        `shipment ${shipment.erpShipmentId}: Shopify has no order ${shipment.orderExternalId}`,
      );
    }
    const fos = data.order.fulfillmentOrders;
    if (fos.pageInfo?.hasNextPage === true || fos.nodes.some((fo) => fo.lineItems.pageInfo?.hasNextPage === true)) {
      // TODO(#4): page through very large orders; until then they are fulfilled in Shopify by hand.
      throw new FulfilmentError(
        FulfilmentErrorCode.InvalidShipment,
        `shipment ${shipment.erpShipmentId}: order ${shipment.orderExternalId} has more than 10 fulfilment orders or 30 lines on one; fulfil it in Shopify`,
      );
    }
    const orders: FulfillmentOrderView[] = data.order.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status,
      locationId: fo.assignedLocation.location?.id ?? null,
      locationName: fo.assignedLocation.name,
      lineItems: fo.lineItems.nodes.map((line) => ({
        id: line.id,
        remainingQuantity: line.remainingQuantity,
        lineItemId: line.lineItem.id,
        sku: line.lineItem.sku,
      })),
    }));
    const plan = planFulfilment(shipment, orders);
    await this.repository.savePlan(shop, orderGid, shipment, plan);
    return plan;
  }

  private async findExisting(
    shopify: ShopifyAdminPort,
    orderGid: string,
    shipment: ShipmentToFulfil,
    group: FulfilmentPlan['groups'][number],
    pendingAt: Date,
  ): Promise<ExistingFulfilment | undefined> {
    const { data } = await shopify.request(ORDER_FULFILLMENTS, { id: orderGid });
    const existing: ExistingFulfilment[] = (data.order?.fulfillments ?? []).map((f) => ({
      id: f.id,
      status: f.status,
      createdAt: f.createdAt,
      locationId: f.location?.id ?? null,
      trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => typeof n === 'string'),
      lineItems: f.fulfillmentLineItems.nodes.map((l) => ({ lineItemId: l.lineItem.id, quantity: l.quantity ?? 0 })),
    }));
    const claimed = await this.repository.claimedFulfilments(orderGid, shipment);
    return findOurFulfilment(shipment, group, existing, { pendingAt, claimed });
  }
}

function describePlan(plan: FulfilmentPlan): string {
  return `planned ${plan.groups.length} fulfilment(s): ${plan.groups
    .map((g) => `${g.locationKey} (${g.lineItems.map((l) => `${l.sku}×${l.quantity}`).join(', ')})`)
    .join('; ')}`;
}
