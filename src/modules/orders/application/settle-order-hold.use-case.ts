import { Injectable } from '@nestjs/common';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { ReplayOrders, type ReplayedOrder } from 'src/modules/orders/application/replay-orders.use-case';
import { legacyOrderId } from 'src/modules/orders/domain/order-hold-id';
import { OrderHoldRepository, type OrderHold } from 'src/modules/orders/persistence/order-hold.repository';
import { normalizeShopDomain } from 'src/modules/shops';

export interface SettleOrderHoldInput {
  shop: string;
  /** Shopify order id: legacy id or GID. */
  orderId: string;
  /** `release`: write it to the ERP now; `cancel`: it stays out of the ERP. */
  action: 'release' | 'cancel';
  /** Who decided (the hold and the audit record it). */
  actor: string;
  /** Why (kept in the audit). */
  note?: string;
}

/**
 * @description What an operator's decision did: the hold as settled (and, on release, the order as published into
 * the order pipeline), or why nothing changed: no such hold, or it was settled already (the first decision stands).
 */
export type SettleOrderHoldResult =
  | { outcome: 'released'; hold: OrderHold; published: ReplayedOrder }
  | { outcome: 'cancelled'; hold: OrderHold }
  | { outcome: 'not_found' }
  | { outcome: 'already_settled'; hold: OrderHold };

/**
 * Releases or cancels an order held before its first ERP write. Release: the hold is marked released first (the
 * order writer then writes the order as if its trigger had just fired), then the order is read in full from Shopify
 * and published into the order pipeline by ReplayOrders (forced: a new event id, so the inbox cannot drop it as a
 * duplicate of an event recorded as held). If that publish fails, the order is held again and the error propagates:
 * nothing is half done. Cancel: the order stays out of the ERP; later webhooks of it are skipped too.
 */
@Injectable()
export class SettleOrderHold {
  constructor(
    private readonly holds: OrderHoldRepository,
    private readonly replay: ReplayOrders,
    private readonly audit: AuditWriter,
  ) {}

  async execute(input: SettleOrderHoldInput): Promise<SettleOrderHoldResult> {
    const shop = normalizeShopDomain(input.shop);
    const orderId = legacyOrderId(input.orderId);
    if (shop === undefined || orderId === undefined) {
      return { outcome: 'not_found' };
    }
    const key = { shop, orderId };
    const settled = await this.holds.settle(key, input.action === 'release' ? 'released' : 'cancelled', input.actor);
    if (settled === null) {
      const existing = await this.holds.find(shop, orderId);
      return existing === null ? { outcome: 'not_found' } : { outcome: 'already_settled', hold: existing };
    }
    const note = input.note === undefined || input.note === '' ? '' : `: ${input.note}`;
    const common = { eventId: `hold:${shop}:${orderId}`, entity: 'order' as const, shop, shopifyId: orderId };
    if (input.action === 'cancel') {
      this.audit.record({
        ...common,
        status: AuditStatus.Skipped,
        reason: `hold cancelled by ${input.actor}${note}: not written to the ERP`,
      });
      return { outcome: 'cancelled', hold: settled };
    }
    let published: ReplayedOrder;
    try {
      const result = await this.replay.execute({ shop, orderIds: [orderId], force: true, actor: input.actor });
      published =
        result.outcome === 'replayed'
          ? (result.orders[0] ?? { orderId, outcome: 'not_found' })
          : { orderId, outcome: 'not_found' };
    } catch (error: unknown) {
      await this.holds.unsettle(key);
      throw error;
    }
    this.audit.record({
      ...common,
      status: AuditStatus.Replayed,
      reason: `hold released by ${input.actor}${note}: ${published.outcome === 'published' ? 'sent to the order pipeline' : 'no longer in Shopify'}`,
    });
    return { outcome: 'released', hold: settled, published };
  }
}
