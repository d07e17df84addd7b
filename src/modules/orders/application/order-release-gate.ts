import { Injectable } from '@nestjs/common';
import type { MessageContext } from 'src/modules/erp';
import { ORDER_RISK } from 'src/modules/orders/application/order-risk.shopify-graphql';
import { decideFirstWrite, orderReleaseFactsOf, type OrderHoldStatus } from 'src/modules/orders/domain/order-release';
import { orderGid } from 'src/modules/orders/domain/order-replay';
import { decideRiskHold, RISK_PENDING_MAX_ATTEMPTS } from 'src/modules/orders/domain/order-risk';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { OrderHoldRepository } from 'src/modules/orders/persistence/order-hold.repository';
import { ShopifyAdminClients } from 'src/modules/shopify';
import { ShopDirectory } from 'src/modules/shops';

/** @description Why an order event was not written before the order's first ERP write. */
export type OrderNotReleasedReason = 'waiting' | 'held' | 'hold-cancelled' | 'cancelled-unwritten';

/**
 * @description Whether the first ERP write of an order goes ahead: `release` (with an audit note when the risk was
 * still pending), or not, with the inbox outcome and the audit's words.
 */
export type OrderReleaseOutcome =
  { release: true; note?: string } | { release: false; reason: OrderNotReleasedReason; detail: string };

/**
 * Decides, before an order's first ERP write, whether it is written now: the shop's trigger (created, paid,
 * fulfilled) and, for shops that hold high-risk orders, Shopify's risk assessment (read through the Admin API). A
 * high-risk order is held (order_hold, with the event's payload); later events of a held order only bring the kept
 * payload up to date, until an operator releases or cancels it (docs/orders.md, "When an order goes to the ERP").
 */
@Injectable()
export class OrderReleaseGate {
  constructor(
    private readonly shops: ShopDirectory,
    private readonly clients: ShopifyAdminClients,
    private readonly holds: OrderHoldRepository,
  ) {}

  async check(input: {
    context: MessageContext;
    payload: unknown;
    body: Buffer;
    hold: OrderHoldStatus | null;
    orderName: string;
    sourceUpdatedAt: string;
  }): Promise<OrderReleaseOutcome> {
    const { context } = input;
    const shop = this.shops.get(context.shop) ?? (await this.shops.find(context.shop));
    if (shop === undefined) {
      throw new OrderError(OrderErrorCode.UnknownShop, `shop ${context.shop} is not in the shops table`);
    }
    const decision = decideFirstWrite({
      trigger: shop.orderTrigger,
      holdHighRiskOrders: shop.holdHighRiskOrders,
      hold: input.hold,
      facts: orderReleaseFactsOf(input.payload),
    });
    const key = { shop: context.shop, orderId: context.resourceId };
    switch (decision.action) {
      case 'write':
        return { release: true };
      case 'wait':
        return { release: false, reason: 'waiting', detail: decision.reason };
      case 'skip-cancelled':
        return { release: false, reason: 'cancelled-unwritten', detail: decision.reason };
      case 'hold-cancelled':
        return { release: false, reason: 'hold-cancelled', detail: 'hold cancelled by an operator: not written' };
      case 'keep-held': {
        const kept = await this.holds.keepLatest(key, {
          topic: context.topic,
          payload: input.body.toString('utf8'),
          sourceUpdatedAt: input.sourceUpdatedAt,
        });
        return {
          release: false,
          reason: 'held',
          detail: kept ? 'held: the latest payload is kept for the release' : 'held: an older event, not kept',
        };
      }
      case 'check-risk':
        return this.checkRisk(input, shop);
    }
  }

  private async checkRisk(
    input: { context: MessageContext; body: Buffer; orderName: string; sourceUpdatedAt: string },
    shop: Parameters<ShopifyAdminClients['forShop']>[0],
  ): Promise<OrderReleaseOutcome> {
    const { context } = input;
    const { data } = await this.clients.forShop(shop).request(ORDER_RISK, { id: orderGid(context.resourceId) });
    if (data.order === null) {
      // Deleted in Shopify since the event: nothing to assess; the event is written as it came (as without a hold).
      return { release: true, note: 'risk not read: the order is no longer in Shopify' };
    }
    const risk = decideRiskHold({
      recommendation: data.order.risk.recommendation,
      levels: data.order.risk.assessments.map((a) => a.riskLevel),
    });
    switch (risk.decision) {
      case 'pass':
        return { release: true };
      case 'pending':
        if (context.attempt < RISK_PENDING_MAX_ATTEMPTS) {
          throw new OrderError(OrderErrorCode.RiskPending, `order ${context.resourceId}: risk assessment pending`);
        }
        return {
          release: true,
          note: `risk assessment still pending after ${RISK_PENDING_MAX_ATTEMPTS} retries: written`,
        };
      case 'hold': {
        await this.holds.hold({
          shop: context.shop,
          orderId: context.resourceId,
          reason: risk.reason,
          riskLevel: risk.riskLevel,
          riskRecommendation: risk.recommendation,
          orderName: input.orderName,
          topic: context.topic,
          payload: input.body.toString('utf8'),
          sourceUpdatedAt: input.sourceUpdatedAt,
        });
        return { release: false, reason: 'held', detail: `held: ${risk.reason}` };
      }
    }
  }
}
