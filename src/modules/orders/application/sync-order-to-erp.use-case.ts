import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  ERP_WRITE_GATE,
  withFreshCustomer,
  type ErpCustomerDraft,
  type ErpPort,
  type ErpRecordRef,
  type ErpSalesOrderDraft,
  type ErpWriteGate,
  type ErpWriteOptions,
  type MessageContext,
} from 'src/modules/erp';
import { applyOrderMapping, MappingReader } from 'src/modules/mapping';
import { OrderReleaseGate, type OrderNotReleasedReason } from 'src/modules/orders/application/order-release-gate';
import { OrderTenderReader } from 'src/modules/orders/application/order-tender-reader';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { customerDraftHash } from 'src/modules/orders/domain/customer-draft-hash';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { decideOrderFreshness } from 'src/modules/orders/domain/order-staleness';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';

export type SyncOrderResult =
  { outcome: 'succeeded'; erpId: string; mappingVersion: number } | { outcome: 'skipped'; reason: OrderSkipReason };

/**
 * Why an order event was not written: older than what was applied, seen before, or the ERP owns the order now; or,
 * before its first write, waiting for the shop's trigger, held (high risk), its hold cancelled, or cancelled before
 * the trigger (OrderReleaseGate).
 */
export type OrderSkipReason = 'stale' | 'duplicate' | 'erp-owned' | OrderNotReleasedReason;

/**
 * Applies one Shopify order event to the ERP: dedupe → staleness check → map (and read the tenders to record) →
 * customer upsert → sales-order upsert or cancel → the tenders as payments (all idempotent on their external ids) →
 * record what was applied. Errors propagate as typed AppErrors; the ERP machinery decides retry or dead-letter.
 */
@Injectable()
export class SyncOrderToErp {
  constructor(
    private readonly shopErp: ShopErp,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    private readonly state: OrderSyncStateRepository,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
    private readonly mappings: MappingReader,
    private readonly tenders: OrderTenderReader,
    // Optional only for specs that build the writer by hand: the orders module always provides it.
    @Optional() private readonly release?: OrderReleaseGate,
  ) {}

  async execute(context: MessageContext, body: Buffer): Promise<SyncOrderResult> {
    const payload = parseJson(body);
    const order = decodeOrderPayload(payload);
    const key: InboxKey = {
      shop: context.shop,
      topic: context.topic,
      webhookId: context.webhookId,
      eventId: context.eventId,
      resourceId: context.resourceId,
    };
    const audit = { eventId: context.eventId, entity: 'order' as const, topic: context.topic, shop: context.shop };

    const { processedOutcome, applied, hold } = await this.state.findDelivery(key);
    if (processedOutcome !== null) {
      return this.skipped(audit, context, 'duplicate');
    }
    const { customer, salesOrder: unmapped } = mapShopifyOrderToErp(order);
    const freshness = decideOrderFreshness(
      { updatedAt: unmapped.sourceUpdatedAt, status: unmapped.status },
      applied && { updatedAt: applied.lastAppliedUpdatedAt.toISOString(), status: applied.status },
      // An operator's forced re-sync rewrites the applied version (one upsert by external id: the same document).
      { force: context.forced === true },
    );
    if (!freshness.apply) {
      await this.state.recordSkipped(key, freshness.reason);
      return this.skipped(audit, context, freshness.reason);
    }
    let releaseNote: string | undefined;
    if (applied === null && this.release !== undefined) {
      // Before its first write: the shop's trigger, an operator's decision on a hold, Shopify's risk.
      const release = await this.release.check({
        context,
        payload,
        body,
        hold,
        orderName: unmapped.reference,
        sourceUpdatedAt: unmapped.sourceUpdatedAt,
      });
      if (!release.release) {
        await this.state.recordSkipped(key, release.reason);
        return this.skipped(audit, context, release.reason, release.detail);
      }
      releaseNote = release.note;
    }
    // The shop's active mapping version and source-of-truth policy, read per order: a change applies to the next one.
    const { mapping, orderOwner } = await this.mappings.forOrders(context.shop);
    if (orderOwner === 'erp' && applied !== null) {
      // "Shopify at creation, then ERP": once the ERP has the order, Shopify's changes are not written.
      await this.state.recordSkipped(key, 'erp-owned');
      return this.skipped(audit, context, 'erp-owned');
    }
    const erp = await this.shopErp.for(context.shop);
    const { salesOrder } = applyOrderMapping(payload, unmapped, mapping, erp.orderMapping);
    // Read before any ERP write, so that a Shopify failure retries the message before the ERP was touched.
    const payments = await this.tenders.paymentsOf(context.shop, order, salesOrder);

    const started = Date.now();
    this.audit.record({
      ...audit,
      shopifyId: context.resourceId,
      status: AuditStatus.SentToErp,
      attempt: context.attempt,
      ...(releaseNote === undefined ? {} : { reason: releaseNote }),
    });
    const cachedCustomer = await this.ensureCustomer(erp, context.shop, customer);
    const options: ErpWriteOptions = { mayExist: await this.orderMayExist(key, applied !== null, context.attempt) };
    // A customer the ERP merged or deleted since we cached it is resolved once more and the write re-run once.
    const { customer: customerRef, result: orderRef } = await withFreshCustomer(
      cachedCustomer,
      () => this.ensureCustomer(erp, context.shop, customer, true),
      (ref) =>
        salesOrder.status === 'cancelled'
          ? this.gate.call('cancelSalesOrder', () => erp.cancelSalesOrder(salesOrder, ref, options))
          : this.gate.call('upsertSalesOrder', () => erp.upsertSalesOrder(salesOrder, ref, options)),
    );
    if (payments.length > 0) {
      // Before the order is recorded as applied: a failure here retries the message, and the sales order's upsert and
      // the payments (idempotent per Shopify transaction id) are sent again without duplicating either.
      await this.gate.call('recordPayments', () => erp.recordPayments(payments, orderRef, customerRef));
    }
    await this.state.recordApplied(key, {
      updatedAt: salesOrder.sourceUpdatedAt,
      status: salesOrder.status,
      erpId: orderRef.erpId,
      customerErpId: customerRef.erpId,
      orderName: salesOrder.reference,
      customerExternalId: customer.externalId,
      mappingVersion: mapping.version,
      sourcePayload: body.toString('utf8'),
      // Owed to the Shopify order once (a tag and a metafield); its own job writes it (docs/erp-to-shopify.md).
      ...(orderRef.documentNumber === undefined ? {} : { erpDocumentNumber: orderRef.documentNumber }),
    });
    const receivedAt = context.receivedAt ? Date.parse(context.receivedAt) : NaN;
    this.audit.record({
      ...audit,
      shopifyId: context.resourceId,
      erpId: orderRef.erpId,
      status: AuditStatus.Succeeded,
      // The rounding policy's flag: written as Shopify priced it, but its lines miss Shopify's total.
      ...(reconciliationFlag(salesOrder) === undefined ? {} : { reason: reconciliationFlag(salesOrder) }),
      attempt: context.attempt,
      // End to end when known (webhook received → ERP confirmed), else the ERP part alone.
      latencyMs: Number.isFinite(receivedAt) ? Date.now() - receivedAt : Date.now() - started,
    });
    this.metrics.messagesProcessed.inc({ entity: 'order', outcome: 'succeeded' });
    return { outcome: 'succeeded', erpId: orderRef.erpId, mappingVersion: mapping.version };
  }

  /**
   * Whether the ERP may already hold this order, decided before its write is sent. An order with nothing applied, no
   * failed attempt and no write recorded as started cannot be in the ERP: the marker is recorded now (durably, before
   * the first request) and the connector creates the order without looking it up. Every later attempt (a redelivery
   * after a crash past this point, a retry after a lost answer) finds the marker and looks the order up.
   */
  private async orderMayExist(key: InboxKey, applied: boolean, attempt: number): Promise<boolean> {
    if (applied || attempt > 0) {
      return true;
    }
    return !(await this.state.recordWriteStarted(key.shop, key.resourceId));
  }

  /**
   * Upserts the customer unless the ERP already has exactly this version of it (or, `refresh`, whatever we hold:
   * the ERP said the customer we hold is gone).
   */
  private async ensureCustomer(
    erp: ErpPort,
    shop: string,
    draft: ErpCustomerDraft,
    refresh = false,
  ): Promise<ErpRecordRef> {
    const hash = customerDraftHash(draft);
    const known = refresh ? null : await this.state.findCustomer(shop, draft.externalId);
    if (known !== null && known.draftHash === hash) {
      return { erpId: known.erpId, externalId: draft.externalId };
    }
    const ref = await this.gate.call('upsertCustomer', () => erp.upsertCustomer(draft));
    await this.state.saveCustomer(shop, draft.externalId, ref.erpId, hash);
    return ref;
  }

  private skipped(
    audit: { eventId: string; entity: 'order'; topic: string; shop: string },
    context: MessageContext,
    reason: OrderSkipReason,
    detail?: string,
  ): SyncOrderResult {
    this.audit.record({
      ...audit,
      shopifyId: context.resourceId,
      status: reason === 'duplicate' ? AuditStatus.Duplicate : AuditStatus.Skipped,
      reason: detail ?? reason,
    });
    this.metrics.messagesProcessed.inc({ entity: 'order', outcome: reason === 'duplicate' ? 'duplicate' : 'skipped' });
    return { outcome: 'skipped', reason };
  }
}

/** The audit reason of an order its rounding policy flagged (docs/orders.md, "Money"); undefined otherwise. */
function reconciliationFlag(salesOrder: ErpSalesOrderDraft): string | undefined {
  const r = salesOrder.reconciliation;
  return r?.outcome === 'flagged'
    ? `total-mismatch: Shopify ${r.shopifyTotal} ${salesOrder.currency}, ERP lines ${r.documentTotal} ` +
        `(difference ${r.difference} beyond the tolerance ${r.tolerance})`
    : undefined;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'message body is not valid JSON');
  }
}
