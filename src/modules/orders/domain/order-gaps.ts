import type { ErpSalesOrderDocument, Money } from 'src/modules/erp';
import { absMoney, compareMoney, normaliseMoney, subtractMoney } from 'src/modules/orders/domain/money';

/** @description A Shopify order of the report's window, with its current total in both currencies. */
export interface GapShopifyOrder {
  /** The Shopify order id (numeric, as the ERP's external id). */
  id: string;
  name: string;
  createdAt: string;
  /** Shopify's current total (after edits and refunds) in the shop currency. */
  shopTotal: { amount: Money; currency: string };
  /** The same in the presentment currency (what the customer paid in); the document currency of a Markets order. */
  presentmentTotal?: { amount: Money; currency: string };
}

/** @description An order the ERP has no sales order for. */
export interface MissingOrder {
  orderId: string;
  name: string;
  createdAt: string;
}

/** @description An order the ERP holds two or more sales orders for. Reported only: nothing is deleted. */
export interface DuplicatedOrder {
  orderId: string;
  name: string;
  documents: ErpSalesOrderDocument[];
}

/** @description An order whose one sales order's total differs from Shopify's by more than the rounding tolerance. */
export interface TotalMismatch {
  orderId: string;
  name: string;
  erpId: string;
  documentNumber?: string;
  /** The currency compared in: the document's (or, when the ERP leaves it implicit, the presentment currency). */
  currency: string;
  shopifyTotal: Money;
  erpTotal: Money;
  /** shopifyTotal − erpTotal; absent when the document's currency is neither of the order's. */
  difference?: Money;
}

/** @description What {@link findOrderGaps} found. */
export interface OrderGaps {
  /** Orders compared (Shopify's, in the window). */
  orders: number;
  /** Documents the ERP listed for them. */
  documents: number;
  missing: MissingOrder[];
  duplicated: DuplicatedOrder[];
  totalMismatches: TotalMismatch[];
  /** Orders whose total differs by a non-zero amount within the tolerance (the rounding policy allows it). */
  withinTolerance: number;
}

/**
 * @description Compares Shopify's orders with the ERP's sales order documents for them: an order with no document is
 * missing, one with two or more is duplicated (and its totals are not compared), one with exactly one whose total
 * misses Shopify's current total by more than `tolerance` (the rounding policy's, docs/orders.md) is a mismatch.
 * Totals are compared as exact decimals in the document's currency: the presentment total when the document is in
 * the presentment currency or says no currency (documents are written in it), the shop total when in the shop
 * currency; a document in neither currency is a mismatch without a difference. Pure; results follow the orders'
 * order.
 */
export function findOrderGaps(
  orders: readonly GapShopifyOrder[],
  documents: readonly ErpSalesOrderDocument[],
  tolerance: Money,
): OrderGaps {
  const byOrder = new Map<string, ErpSalesOrderDocument[]>();
  for (const document of documents) {
    byOrder.set(document.externalId, [...(byOrder.get(document.externalId) ?? []), document]);
  }
  const gaps: OrderGaps = {
    orders: orders.length,
    documents: 0,
    missing: [],
    duplicated: [],
    totalMismatches: [],
    withinTolerance: 0,
  };
  for (const order of orders) {
    const held = byOrder.get(order.id) ?? [];
    gaps.documents += held.length;
    const [only] = held;
    if (only === undefined) {
      gaps.missing.push({ orderId: order.id, name: order.name, createdAt: order.createdAt });
    } else if (held.length > 1) {
      gaps.duplicated.push({ orderId: order.id, name: order.name, documents: held });
    } else {
      const compared = compareTotal(order, only, tolerance);
      if (compared === 'within') {
        gaps.withinTolerance++;
      } else if (compared !== 'equal') {
        gaps.totalMismatches.push(compared);
      }
    }
  }
  return gaps;
}

function compareTotal(
  order: GapShopifyOrder,
  document: ErpSalesOrderDocument,
  tolerance: Money,
): 'equal' | 'within' | TotalMismatch {
  const presentment = order.presentmentTotal ?? order.shopTotal;
  const currency = document.currency ?? presentment.currency;
  const shopify =
    currency === presentment.currency
      ? presentment.amount
      : currency === order.shopTotal.currency
        ? order.shopTotal.amount
        : undefined;
  const mismatch: TotalMismatch = {
    orderId: order.id,
    name: order.name,
    erpId: document.erpId,
    ...(document.documentNumber === undefined ? {} : { documentNumber: document.documentNumber }),
    currency,
    shopifyTotal: normaliseMoney(shopify ?? presentment.amount),
    erpTotal: normaliseMoney(document.total),
  };
  if (shopify === undefined) {
    return mismatch;
  }
  const difference = subtractMoney(shopify, document.total);
  const size = compareMoney(absMoney(difference), tolerance);
  if (compareMoney(difference, '0') === 0) {
    return 'equal';
  }
  return size <= 0 ? 'within' : { ...mismatch, difference: normaliseMoney(difference) };
}
