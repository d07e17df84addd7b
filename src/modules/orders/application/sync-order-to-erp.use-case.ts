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
  type ErpSalesOrderEditOutcome,
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
import { diffOrderEdit, isEmptyOrderEdit, type OrderEditDiff } from 'src/modules/orders/domain/diff-order-edit';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { decideOrderFreshness } from 'src/modules/orders/domain/order-staleness';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';

/**
 * What one order event did: written; skipped (an expected outcome); or, an edit of an order the ERP has shipped or
 * invoiced, not applied and kept as an edit conflict for an operator (docs/orders.md, "Order edits after import").
 */
export type SyncOrderResult =
  | { outcome: 'succeeded'; erpId: string; mappingVersion: number }
  | { outcome: 'skipped'; reason: OrderSkipReason }
  | { outcome: 'conflict'; conflictId: string; erpState: string; diff: OrderEditDiff };

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
    private readonly conflicts: OrderEditConflictRepository,
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

    const { processedOutcome, applied, hold, appliedPayload } = await this.state.findDelivery(key);
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
    // An edit (lines or shipping changed) of an open order the ERP holds is applied only while the ERP may still change
    // its document; the state read it costs is paid by edits only, never by a first write (issue #15).
    const edit =
      applied !== null && applied.status === 'open' && salesOrder.status === 'open'
        ? editOf(appliedPayload, unmapped)
        : undefined;
    // A customer the ERP merged or deleted since we cached it is resolved once more and the write re-run once.
    const { customer: customerRef, result: written } = await withFreshCustomer(
      cachedCustomer,
      () => this.ensureCustomer(erp, context.shop, customer, true),
      (ref): Promise<ErpRecordRef | ErpSalesOrderEditOutcome> =>
        salesOrder.status === 'cancelled'
          ? this.gate.call('cancelSalesOrder', () => erp.cancelSalesOrder(salesOrder, ref, options))
          : edit !== undefined
            ? this.gate.call('editSalesOrder', () => erp.editSalesOrder(salesOrder, ref))
            : this.gate.call('upsertSalesOrder', () => erp.upsertSalesOrder(salesOrder, ref, options)),
    );
    if ('outcome' in written && written.outcome === 'locked') {
      return this.conflict(key, audit, context, {
        orderName: salesOrder.reference,
        erpId: written.erpId,
        erpState: written.erpState,
        diff: edit ?? { lines: [], shipping: null },
        sourceUpdatedAt: salesOrder.sourceUpdatedAt,
      });
    }
    const orderRef = 'outcome' in written ? written.ref : written;
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

  /**
   * The ERP has shipped or invoiced the order: the edit is kept as a conflict for an operator (never lost, never a dead
   * letter) and the delivery marked processed. The version applied stays the one the ERP holds, so a later edit is
   * compared with it too and joins the same open conflict.
   */
  private async conflict(
    key: InboxKey,
    audit: { eventId: string; entity: 'order'; topic: string; shop: string },
    context: MessageContext,
    found: { orderName: string; erpId: string; erpState: string; diff: OrderEditDiff; sourceUpdatedAt: string },
  ): Promise<SyncOrderResult> {
    const conflict = await this.conflicts.record({
      shop: context.shop,
      shopifyOrderId: context.resourceId,
      eventId: context.eventId,
      ...found,
    });
    await this.state.recordSkipped(key, 'edit-conflict');
    this.audit.record({
      ...audit,
      shopifyId: context.resourceId,
      erpId: found.erpId,
      status: AuditStatus.Skipped,
      reason:
        `edit-conflict: the ERP has shipped or invoiced the order (${found.erpState}); the edit ` +
        `(${describeEdit(found.diff)}) was not applied; edit conflict ${conflict.id} awaits an operator`,
      attempt: context.attempt,
    });
    this.metrics.messagesProcessed.inc({ entity: 'order', outcome: 'conflict' });
    return { outcome: 'conflict', conflictId: conflict.id, erpState: found.erpState, diff: found.diff };
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

/**
 * What the incoming version changes in the lines or shipping of the version applied; undefined when it changes
 * neither (a header-only update is written as before, without the state read). A version applied without its payload
 * kept, or one that no longer maps, counts as an edit whose changes are unknown.
 */
function editOf(appliedPayload: unknown, incoming: ErpSalesOrderDraft): OrderEditDiff | undefined {
  let previous: ErpSalesOrderDraft;
  try {
    previous = mapShopifyOrderToErp(decodeOrderPayload(appliedPayload)).salesOrder;
  } catch {
    return { lines: [], shipping: null };
  }
  const diff = diffOrderEdit(previous, incoming);
  return isEmptyOrderEdit(diff) ? undefined : diff;
}

/** The audit's short account of an edit: `SKU-1 2→3, SKU-9 added (1), shipping 5.00→9.00`. */
function describeEdit(diff: OrderEditDiff): string {
  const parts = diff.lines.map((line) =>
    line.from === null
      ? `${line.sku} added (${line.to})`
      : line.to === 0
        ? `${line.sku} removed (was ${line.from})`
        : `${line.sku} ${line.from}→${line.to}`,
  );
  if (diff.shipping !== null) {
    parts.push(`shipping ${diff.shipping.from}→${diff.shipping.to}`);
  }
  return parts.length === 0 ? 'changes unknown: the version applied was not kept' : parts.join(', ');
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'message body is not valid JSON');
  }
}
