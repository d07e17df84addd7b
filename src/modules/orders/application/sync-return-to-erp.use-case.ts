import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { ERP_WRITE_GATE, type ErpWriteGate, type MessageContext } from 'src/modules/erp';
import { RETURN_FOR_ERP } from 'src/modules/orders/application/order-returns.shopify-graphql';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { decodeReturnWebhook } from 'src/modules/orders/domain/decode-return-webhook';
import { mapShopifyReturnToErp } from 'src/modules/orders/domain/map-shopify-return-to-erp';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';
import { ShopifyAdminClients } from 'src/modules/shopify';

export type SyncReturnResult =
  | { outcome: 'succeeded'; erpId: string; exchangeOrderErpId?: string }
  | { outcome: 'skipped'; reason: 'duplicate' | 'not-approved' | 'not-in-shopify' | 'already-recorded' };

/** The `returns/*` topics routed here (the ingest's RETURN_TOPICS): any of them may find the return recorded. */
const RETURN_TOPICS = [
  'returns/request',
  'returns/approve',
  'returns/decline',
  'returns/cancel',
  'returns/close',
  'returns/reopen',
] as const;

/**
 * Records one Shopify return (`returns/*` webhooks) in the ERP as its return document: dedupe → the order must
 * already be in the ERP (returns travel on their order's partition, like refunds) → read the Return through the
 * Admin API (the webhook carries ids only, and the return's state now is what counts, whichever topic woke us) →
 * an approved return is mapped and created, idempotent on the return id, with its exchange order; a return not
 * approved (requested, declined, cancelled) writes nothing; a return already recorded (by another of its topics) is
 * not written again → mark processed.
 */
@Injectable()
export class SyncReturnToErp {
  constructor(
    private readonly shopErp: ShopErp,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    private readonly state: OrderSyncStateRepository,
    private readonly shopify: ShopifyAdminClients,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
  ) {}

  async execute(context: MessageContext, body: Buffer): Promise<SyncReturnResult> {
    const webhook = decodeReturnWebhook(body.toString('utf8'));
    const key: InboxKey = {
      shop: context.shop,
      topic: context.topic,
      webhookId: context.webhookId,
      eventId: context.eventId,
      resourceId: webhook.returnId,
      orderId: webhook.orderId,
    };
    const audit = {
      eventId: context.eventId,
      entity: 'return' as const,
      topic: context.topic,
      shop: context.shop,
      shopifyId: webhook.returnId,
    };
    if ((await this.state.processedOutcome(key)) !== null) {
      this.audit.record({ ...audit, status: AuditStatus.Duplicate, reason: 'duplicate' });
      this.metrics.messagesProcessed.inc({ entity: 'return', outcome: 'duplicate' });
      return { outcome: 'skipped', reason: 'duplicate' };
    }
    const order = await this.state.find(context.shop, webhook.orderId);
    if (order === null || order.erpId === null) {
      throw new OrderError(
        OrderErrorCode.OrderNotInErp,
        `order ${webhook.orderId} of return ${webhook.returnId} is not in the ERP yet`,
      );
    }
    if (await this.state.appliedUnder(context.shop, RETURN_TOPICS, webhook.returnId)) {
      // Another topic of this return (its approval, or a redelivery under a new id) already wrote its document.
      return this.skip(key, audit, 'already-recorded', `return ${webhook.returnId} is already in the ERP`);
    }
    const admin = await this.shopify.forDomain(context.shop);
    const { data } = await admin.request(RETURN_FOR_ERP, { id: `gid://shopify/Return/${webhook.returnId}` });
    if (data.return === null) {
      return this.skip(key, audit, 'not-in-shopify', `return ${webhook.returnId} is not in Shopify (deleted)`);
    }
    const mapped = mapShopifyReturnToErp(data.return, {
      orderId: webhook.orderId,
      reference: order.orderName ?? data.return.order.name,
      customerExternalId: order.customerExternalId ?? '',
    });
    if (mapped.outcome === 'not-approved') {
      return this.skip(key, audit, 'not-approved', `return is ${mapped.status.toLowerCase()}, not approved`);
    }
    const started = Date.now();
    this.audit.record({ ...audit, status: AuditStatus.SentToErp, attempt: context.attempt });
    const erp = await this.shopErp.for(context.shop);
    const erpOrder = { erpId: order.erpId, externalId: webhook.orderId };
    const ref = await this.gate.call('createReturn', () => erp.createReturn(mapped.draft, erpOrder));
    await this.state.recordProcessed(key, 'applied');
    this.audit.record({
      ...audit,
      erpId: ref.erpId,
      status: AuditStatus.Succeeded,
      attempt: context.attempt,
      latencyMs: Date.now() - started,
    });
    this.metrics.messagesProcessed.inc({ entity: 'return', outcome: 'succeeded' });
    return {
      outcome: 'succeeded',
      erpId: ref.erpId,
      ...(ref.exchangeOrder === undefined ? {} : { exchangeOrderErpId: ref.exchangeOrder.erpId }),
    };
  }

  private async skip(
    key: InboxKey,
    audit: { eventId: string; entity: 'return'; topic: string; shop: string; shopifyId: string },
    reason: 'not-approved' | 'not-in-shopify' | 'already-recorded',
    detail: string,
  ): Promise<SyncReturnResult> {
    await this.state.recordProcessed(key, 'skipped');
    this.audit.record({ ...audit, status: AuditStatus.Skipped, reason: `${reason}: ${detail}` });
    this.metrics.messagesProcessed.inc({ entity: 'return', outcome: 'skipped' });
    return { outcome: 'skipped', reason };
  }
}
