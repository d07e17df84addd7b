import type { ErpReturnDraft, ErpSalesOrderDraft } from 'src/modules/erp';

/**
 * A return of an order written by the contract specs: one unit of its first line back to stock, one not, and (when
 * asked) an exchange order of the same item keyed `<order id>-exchange-<return id>`, as the return mapping makes them.
 */
export function returnDraft(order: ErpSalesOrderDraft, returnId: string, withExchange: boolean): ErpReturnDraft {
  const line = order.lines[0];
  if (line === undefined) {
    throw new Error('order without lines');
  }
  const base = { orderLineExternalId: line.externalLineId, sku: line.sku, description: line.description, quantity: 1 };
  return {
    externalId: returnId,
    name: `${order.reference}-R1`,
    orderExternalId: order.externalId,
    orderReference: order.reference,
    customerExternalId: order.customerExternalId,
    returnDate: '2026-10-09T10:00:00Z',
    lines: [
      { ...base, externalLineId: `${returnId}-1`, restock: true, reason: 'size_too_small' },
      { ...base, externalLineId: `${returnId}-2`, restock: false, reason: 'defective' },
    ],
    ...(withExchange
      ? {
          exchangeOrder: {
            ...order,
            externalId: `${order.externalId}-exchange-${returnId}`,
            reference: `${order.reference}-R1 exchange`,
            orderDate: '2026-10-09T10:00:00Z',
            sourceUpdatedAt: '2026-10-09T10:00:00Z',
          },
        }
      : {}),
  };
}
