import { Injectable } from '@nestjs/common';
import type { Money } from 'src/modules/erp';
import {
  GAP_REPORT_ORDERS_PAGE,
  type GapOrderNode,
} from 'src/modules/orders/application/order-gap-report.shopify-graphql';
import { ShopErp } from 'src/modules/orders/application/shop-erp';
import { DEFAULT_ROUNDING_TOLERANCE } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { findOrderGaps, type GapShopifyOrder, type OrderGaps } from 'src/modules/orders/domain/order-gaps';
import { ShopifyAdminClients, paginate } from 'src/modules/shopify';
import { ShopDirectory, type Shop } from 'src/modules/shops';

/** The longest window one report reads (it runs while the caller waits). */
export const MAX_GAP_WINDOW_DAYS = 31;
/** Most Shopify orders one report compares; a busier window is refused, to be split. */
export const MAX_GAP_REPORT_ORDERS = 10_000;
/** Each order costs 4 points (the order, its MoneyBag and two MoneyV2): 100 a page is about 400 of the 1,000 allowed. */
const PAGE_SIZE = 100;

/** @description The window of a gap report: the shop, and Shopify orders created in `[from, to)`. */
export interface OrderGapWindow {
  shop: string;
  from: Date;
  to: Date;
}

/** @description A gap report: Shopify's orders of the window against the ERP's sales order documents for them. */
export interface OrderGapReport extends OrderGaps {
  shop: string;
  from: string;
  to: string;
  /** The connector the documents were read through. */
  erp: string;
  /** The rounding policy's tolerance the totals were compared within. */
  tolerance: Money;
}

export type ReportOrderGapsResult =
  | { outcome: 'reported'; report: OrderGapReport }
  | { outcome: 'unknown_shop' }
  | { outcome: 'invalid_window'; reason: string };

/**
 * The gap report (docs/operations.md, "Gap report"): lists the shop's orders created in the window through the
 * Shopify Admin API (`orders(query: "created_at:>=… AND created_at:<…", sortKey: CREATED_AT)`, paged), reads the
 * ERP's sales order documents for them from the ERP itself (`ErpPort.listSalesOrders`, the shop's ERP scope), and
 * compares: missing, duplicated, totals beyond the rounding tolerance. Reads only; duplicates are never deleted.
 */
@Injectable()
export class ReportOrderGaps {
  constructor(
    private readonly clients: ShopifyAdminClients,
    private readonly shops: ShopDirectory,
    private readonly shopErp: ShopErp,
  ) {}

  async execute(input: OrderGapWindow): Promise<ReportOrderGapsResult> {
    const invalid = windowProblem(input);
    if (invalid !== undefined) {
      return { outcome: 'invalid_window', reason: invalid };
    }
    const shop = await this.shops.find(input.shop);
    if (shop === undefined) {
      return { outcome: 'unknown_shop' };
    }
    return this.report(shop, input.from.toISOString(), input.to.toISOString());
  }

  private async report(shop: Shop, from: string, to: string): Promise<ReportOrderGapsResult> {
    const shopify = this.clients.forShop(shop);
    const nodes: GapOrderNode[] = [];
    for await (const node of paginate(
      shopify,
      GAP_REPORT_ORDERS_PAGE,
      { query: `created_at:>='${from}' AND created_at:<'${to}'`, first: PAGE_SIZE },
      (data) => data.orders,
    )) {
      nodes.push(node);
      if (nodes.length > MAX_GAP_REPORT_ORDERS) {
        return {
          outcome: 'invalid_window',
          reason: `more than ${MAX_GAP_REPORT_ORDERS} orders were created in the window: split it`,
        };
      }
    }
    const orders = nodes.map(toGapOrder);
    const erp = await this.shopErp.for(shop.domain);
    const documents =
      orders.length === 0
        ? []
        : await erp.listSalesOrders({
            orders: orders.map((order) => ({ externalId: order.id, reference: order.name })),
            from,
            to,
          });
    const tolerance = DEFAULT_ROUNDING_TOLERANCE;
    return {
      outcome: 'reported',
      report: { shop: shop.domain, from, to, erp: erp.name, tolerance, ...findOrderGaps(orders, documents, tolerance) },
    };
  }
}

function windowProblem(input: OrderGapWindow): string | undefined {
  const from = input.from.getTime();
  const to = input.to.getTime();
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return 'from and to must be timestamps';
  }
  if (to <= from) {
    return 'to must be after from';
  }
  if (to - from > MAX_GAP_WINDOW_DAYS * 86_400_000) {
    return `the window may span at most ${MAX_GAP_WINDOW_DAYS} days`;
  }
  return undefined;
}

function toGapOrder(node: GapOrderNode): GapShopifyOrder {
  const { shopMoney, presentmentMoney } = node.currentTotalPriceSet;
  return {
    id: node.legacyResourceId,
    name: node.name,
    createdAt: node.createdAt,
    shopTotal: { amount: shopMoney.amount, currency: shopMoney.currencyCode },
    ...(presentmentMoney === null
      ? {}
      : { presentmentTotal: { amount: presentmentMoney.amount, currency: presentmentMoney.currencyCode } }),
  };
}
