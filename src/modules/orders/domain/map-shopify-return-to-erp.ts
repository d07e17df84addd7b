import type { ErpReturnDraft, ErpReturnLine, ErpSalesOrderDraft, ErpSalesOrderLine } from 'src/modules/erp';
import type { GqlExchangeOrderLine, GqlReturn } from 'src/modules/orders/application/order-returns.shopify-graphql';
import { addMoney, multiplyMoney, normaliseMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

/** What the return mapping needs to know about its order, from what the pipeline applied to the ERP. */
export interface ReturnedOrder {
  /** The Shopify order id (digits). */
  orderId: string;
  /** Shopify's order name (`#1001`). */
  reference: string;
  customerExternalId: string;
}

/** @description What an approved return becomes, or why a return in another state writes nothing. */
export type ReturnMapping =
  { outcome: 'draft'; draft: ErpReturnDraft } | { outcome: 'not-approved'; status: GqlReturn['status'] };

/** Statuses of a return Shopify approved (or a merchant created open): the only ones the ERP records. */
const APPROVED = new Set<GqlReturn['status']>(['OPEN', 'CLOSED']);

/** The external id of the sales order an exchange becomes. */
export function exchangeOrderExternalId(orderId: string, returnId: string): string {
  return `${orderId}-exchange-${returnId}`;
}

/**
 * Maps a Shopify return (read through the Admin API) to the ERP return draft. Pure.
 *
 * - Only an approved return (`OPEN`, or `CLOSED` after it) is recorded; `REQUESTED`, `DECLINED` and `CANCELED`
 *   returns map to `not-approved` (nothing is written).
 * - Lines: one per return line by its order line's SKU and quantity. Restock comes from the reverse fulfilment
 *   orders' dispositions of the same fulfilment line when Shopify has them: `RESTOCKED` → restock,
 *   `NOT_RESTOCKED` / `MISSING` → no restock; the quantity not disposed yet (the usual case at approval) is expected
 *   back to stock. A line with both is split in two (`<id>-restock`, `<id>-no-restock`).
 * - No money: the refund (`refunds/create`) is the credit memo; see ErpReturnDraft.
 * - Exchange items: the order lines Shopify added for them become a new sales order
 *   `<order id>-exchange-<return id>` of the same customer, at the prices Shopify charged.
 *
 * @throws OrderError(MissingSku) for a returned or exchanged line without a SKU (the ERP resolves items by SKU), or an
 *   unverified return line (no order line to read a SKU from).
 * @throws OrderError(InvalidPayload) for an exchange item Shopify has not added to the order yet.
 */
export function mapShopifyReturnToErp(ret: GqlReturn, order: ReturnedOrder): ReturnMapping {
  if (!APPROVED.has(ret.status)) {
    return { outcome: 'not-approved', status: ret.status };
  }
  const returnId = numericId(ret.id);
  const disposed = dispositionsByFulfillmentLine(ret);
  const lines: ErpReturnLine[] = [];
  for (const item of ret.returnLineItems.nodes) {
    if (item.quantity <= 0) {
      continue;
    }
    const orderLine = item.fulfillmentLineItem?.lineItem;
    if (orderLine === undefined) {
      throw new OrderError(
        OrderErrorCode.MissingSku,
        `return line ${item.id} of return ${ret.name} is unverified (no order line), so it has no SKU for the ERP`,
      );
    }
    const sku = orderLine.sku?.trim();
    if (sku === undefined || sku === '') {
      throw new OrderError(
        OrderErrorCode.MissingSku,
        `return line ${item.id} (order line ${orderLine.id}) has no SKU; the ERP resolves items by SKU`,
      );
    }
    const counts = disposed.get(item.fulfillmentLineItem?.id ?? '') ?? { restocked: 0, notRestocked: 0 };
    const notRestocked = Math.min(counts.notRestocked, item.quantity);
    const restocked = item.quantity - notRestocked;
    const base = {
      orderLineExternalId: numericId(orderLine.id),
      sku,
      description: orderLine.name,
      ...(item.returnReasonDefinition === null ? {} : { reason: item.returnReasonDefinition.handle }),
    };
    const lineId = numericId(item.id);
    const split = restocked > 0 && notRestocked > 0;
    if (restocked > 0) {
      lines.push({ ...base, externalLineId: split ? `${lineId}-restock` : lineId, quantity: restocked, restock: true });
    }
    if (notRestocked > 0) {
      lines.push({
        ...base,
        externalLineId: split ? `${lineId}-no-restock` : lineId,
        quantity: notRestocked,
        restock: false,
      });
    }
  }
  const returnDate = ret.requestApprovedAt ?? ret.createdAt;
  const exchangeLines = ret.exchangeLineItems.nodes
    .filter((item) => item.quantity > 0)
    .flatMap((item) => {
      if (item.lineItems === null || item.lineItems.length === 0) {
        throw new OrderError(
          OrderErrorCode.InvalidPayload,
          `exchange line ${item.id} of return ${ret.name} has no order line yet`,
        );
      }
      return item.lineItems.map(toExchangeLine);
    });
  const draft: ErpReturnDraft = {
    externalId: returnId,
    name: ret.name,
    orderExternalId: order.orderId,
    orderReference: order.reference,
    customerExternalId: order.customerExternalId,
    returnDate,
    lines,
    ...(exchangeLines.length === 0
      ? {}
      : { exchangeOrder: exchangeOrder(ret, order, returnId, returnDate, exchangeLines) }),
  };
  return { outcome: 'draft', draft };
}

function exchangeOrder(
  ret: GqlReturn,
  order: ReturnedOrder,
  returnId: string,
  returnDate: string,
  lines: ErpSalesOrderLine[],
): ErpSalesOrderDraft {
  const subtotal = sumMoney(lines.map((line) => line.lineTotal));
  const taxTotal = sumMoney(lines.map((line) => line.taxAmount));
  return {
    externalId: exchangeOrderExternalId(order.orderId, returnId),
    reference: `${ret.name} exchange`,
    orderDate: returnDate,
    sourceUpdatedAt: returnDate,
    currency: ret.order.currencyCode,
    taxesIncluded: ret.order.taxesIncluded,
    status: 'open',
    customerExternalId: order.customerExternalId,
    lines,
    shippingLines: [],
    discountCodes: [],
    subtotal,
    discountTotal: sumMoney(lines.map((line) => line.discountAmount)),
    shippingTotal: '0',
    taxTotal,
    total: ret.order.taxesIncluded ? subtotal : addMoney(subtotal, taxTotal),
    note: `Exchange for Shopify return ${ret.name} of order ${order.reference}`,
  };
}

function toExchangeLine(line: GqlExchangeOrderLine): ErpSalesOrderLine {
  const sku = line.sku?.trim();
  if (sku === undefined || sku === '') {
    throw new OrderError(
      OrderErrorCode.MissingSku,
      `exchange order line ${line.id} has no SKU; the ERP resolves items by SKU`,
    );
  }
  const unitPrice = normaliseMoney(line.originalUnitPriceSet.shopMoney.amount);
  const discountAmount = sumMoney(line.discountAllocations.map((d) => d.allocatedAmountSet.shopMoney.amount));
  return {
    externalLineId: numericId(line.id),
    sku,
    description: line.name,
    quantity: line.quantity,
    unitPrice,
    discountAmount,
    taxAmount: sumMoney(line.taxLines.map((t) => t.priceSet.shopMoney.amount)),
    lineTotal: subtractMoney(multiplyMoney(unitPrice, line.quantity), discountAmount),
    taxLines: line.taxLines.map((t) => ({
      title: t.title,
      rate: t.rate ?? 0,
      amount: normaliseMoney(t.priceSet.shopMoney.amount),
    })),
  };
}

/** Restocked and not-restocked quantities per fulfilment line id, over every reverse fulfilment order. */
function dispositionsByFulfillmentLine(ret: GqlReturn): Map<string, { restocked: number; notRestocked: number }> {
  const counts = new Map<string, { restocked: number; notRestocked: number }>();
  for (const rfo of ret.reverseFulfillmentOrders.nodes) {
    for (const line of rfo.lineItems.nodes) {
      const id = line.fulfillmentLineItem?.id;
      if (id === undefined) {
        continue;
      }
      const count = counts.get(id) ?? { restocked: 0, notRestocked: 0 };
      for (const disposition of line.dispositions) {
        if (disposition.type === 'RESTOCKED') {
          count.restocked += disposition.quantity;
        } else if (disposition.type === 'NOT_RESTOCKED' || disposition.type === 'MISSING') {
          count.notRestocked += disposition.quantity;
        }
      }
      counts.set(id, count);
    }
  }
  return counts;
}

/** `gid://shopify/Return/123` → `123`. */
function numericId(gid: string): string {
  return /(\d+)(\?.*)?$/.exec(gid)?.[1] ?? gid;
}
