import { Inject, Injectable } from '@nestjs/common';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { ERP_WRITE_GATE, type ErpWriteGate, type MessageContext } from 'src/modules/erp';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { decodeRefundPayload } from 'src/modules/orders/domain/decode-refund-payload';
import { mapShopifyRefundToErp } from 'src/modules/orders/domain/map-shopify-refund-to-erp';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';

export type SyncRefundResult = { outcome: 'succeeded'; erpId: string } | { outcome: 'skipped'; reason: 'duplicate' };

/**
 * Records one Shopify refund (`refunds/create`) in the ERP as a credit memo of its sales order: dedupe → the order
 * must already be in the ERP (refunds travel on their order's partition, after its events; if its create is still
 * being retried, the refund waits) → map → create, idempotent on the refund id → mark processed.
 */
@Injectable()
export class SyncRefundToErp {
  constructor(
    private readonly shopErp: ShopErp,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    private readonly state: OrderSyncStateRepository,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
  ) {}

  async execute(context: MessageContext, body: Buffer): Promise<SyncRefundResult> {
    const text = body.toString('utf8');
    const refund = decodeRefundPayload(parseJson(text), text);
    const key: InboxKey = {
      shop: context.shop,
      topic: context.topic,
      webhookId: context.webhookId,
      eventId: context.eventId,
      resourceId: refund.id,
      orderId: refund.order_id,
    };
    const audit = { eventId: context.eventId, entity: 'refund' as const, topic: context.topic, shop: context.shop };
    if ((await this.state.processedOutcome(key)) !== null) {
      this.audit.record({ ...audit, shopifyId: refund.id, status: AuditStatus.Duplicate, reason: 'duplicate' });
      this.metrics.messagesProcessed.inc({ entity: 'refund', outcome: 'duplicate' });
      return { outcome: 'skipped', reason: 'duplicate' };
    }
    const order = await this.state.find(context.shop, refund.order_id);
    if (order === null || order.erpId === null) {
      throw new OrderError(
        OrderErrorCode.OrderNotInErp,
        `order ${refund.order_id} of refund ${refund.id} is not in the ERP yet`,
      );
    }
    const draft = mapShopifyRefundToErp(refund, {
      reference: order.orderName ?? refund.order_id,
      customerExternalId: order.customerExternalId ?? '',
    });
    const started = Date.now();
    this.audit.record({ ...audit, shopifyId: refund.id, status: AuditStatus.SentToErp, attempt: context.attempt });
    const erpOrder = { erpId: order.erpId, externalId: refund.order_id };
    const erp = await this.shopErp.for(context.shop);
    const ref = await this.gate.call('createRefund', () => erp.createRefund(draft, erpOrder));
    await this.state.recordProcessed(key, 'applied');
    this.audit.record({
      ...audit,
      shopifyId: refund.id,
      erpId: ref.erpId,
      status: AuditStatus.Succeeded,
      attempt: context.attempt,
      latencyMs: Date.now() - started,
    });
    this.metrics.messagesProcessed.inc({ entity: 'refund', outcome: 'succeeded' });
    return { outcome: 'succeeded', erpId: ref.erpId };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new OrderError(OrderErrorCode.InvalidPayload, 'message body is not valid JSON');
  }
}
