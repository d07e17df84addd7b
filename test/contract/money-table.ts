import type { ErpCustomerDraft, ErpPaymentDraft, ErpSalesOrderDraft, Money } from 'src/modules/erp/port/erp.types';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp, NON_PRODUCT_LINE_SKUS } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { mapShopifyTendersToErp } from 'src/modules/orders/domain/map-shopify-tenders-to-erp';
import { addMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
import { giftCardTenderTable, moneyOrderTable } from 'test/fixtures/shopify/money-orders';
import type { CatalogPatch } from 'test/simulators/common/simulated-catalog';

/**
 * The money fixture table (test/fixtures/shopify/money-orders.ts) as the drafts the order rules hand a connector,
 * for the contract specs' money invariant: the ERP document each connector writes adds up to Shopify's total.
 */
export function moneyTableDrafts(): Array<{
  name: string;
  customer: ErpCustomerDraft;
  salesOrder: ErpSalesOrderDraft;
}> {
  return moneyOrderTable().map(([name, payload]) => ({
    name,
    ...mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(payload)))),
  }));
}

/** The non-product items (gift-card liability, custom item, tip, duties, rounding) the ERP needs for the table. */
export const NON_PRODUCT_ITEMS: NonNullable<CatalogPatch['items']> = Object.entries(NON_PRODUCT_LINE_SKUS).map(
  ([kind, sku]) => ({ sku, name: `Shopify ${kind}` }),
);

/**
 * What an ERP that computes tax itself (NetSuite, Business Central) shows as the document's amount before its own
 * tax: lines and shipping net of discounts; on a tax-inclusive order that is already Shopify's total.
 */
export function netOfAddedTax(salesOrder: ErpSalesOrderDraft): Money {
  return addMoney(
    sumMoney(salesOrder.lines.map((line) => line.lineTotal)),
    sumMoney(salesOrder.shippingLines.map((line) => subtractMoney(line.amount, line.discountAmount))),
  );
}

/** Shopify's total less the tax an ERP adds on top when prices exclude tax. */
export function shopifyTotalBeforeAddedTax(salesOrder: ErpSalesOrderDraft): Money {
  return salesOrder.taxesIncluded ? salesOrder.total : subtractMoney(salesOrder.total, salesOrder.taxTotal);
}

/**
 * The money table's gift-card-redeemed orders with the payment drafts the order rules hand a connector for their
 * tenders under the payment method map `methods` (ERP_PAYMENT_METHOD_MAP), for the contract specs' tender checks.
 */
export function giftCardTenderDrafts(methods: Readonly<Record<string, string>>): Array<{
  name: string;
  customer: ErpCustomerDraft;
  salesOrder: ErpSalesOrderDraft;
  payments: ErpPaymentDraft[];
}> {
  return giftCardTenderTable().map(([name, payload, transactions]) => {
    const { customer, salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(payload))));
    return { name, customer, salesOrder, payments: mapShopifyTendersToErp(transactions, salesOrder, methods) };
  });
}
