import type { ErpRefundDraft, ErpRefundLine } from 'src/modules/erp';
import { addMoney, normaliseMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type { ShopifyRefundPayload } from 'src/modules/orders/domain/shopify-refund.payload';

/** What the refund mapping needs to know about its order, from what the pipeline applied to the ERP. */
export interface RefundedOrder {
  /** Shopify's order name (`#1001`). */
  reference: string;
  customerExternalId: string;
}

const RESTOCKING = new Set(['return', 'cancel', 'legacy_restock']);

/**
 * Maps a decoded Shopify refund to the ERP refund draft (a credit memo / credit note). Pure.
 *
 * - Lines: each refunded line with quantity, its refunded subtotal (after discounts, before tax) and tax; goods go
 *   back to stock for `return` and `cancel` restocks.
 * - Shipping: `refund_shipping_lines` when Shopify sends them; otherwise the `shipping_refund` order adjustments
 *   (older payloads), never both, so shipping is not counted twice.
 * - Other order adjustments (`refund_discrepancy`) become `adjustmentAmount`, positive when the customer got more.
 * - Total: what the successful refund transactions returned; a refund without money (a restock only) totals the
 *   parts instead.
 *
 * @throws OrderError(MissingSku) for a refunded line without a SKU: the ERP resolves items by SKU.
 */
export function mapShopifyRefundToErp(refund: ShopifyRefundPayload, order: RefundedOrder): ErpRefundDraft {
  const lines: ErpRefundLine[] = refund.refund_line_items
    .filter((item) => item.quantity > 0)
    .map((item) => {
      if (item.sku === undefined) {
        throw new OrderError(
          OrderErrorCode.MissingSku,
          `refund line ${item.id} (order line ${item.line_item_id}) has no SKU; the ERP resolves items by SKU`,
        );
      }
      return {
        externalLineId: item.id,
        orderLineExternalId: item.line_item_id,
        sku: item.sku,
        description: item.title,
        quantity: item.quantity,
        amount: normaliseMoney(item.subtotal),
        taxAmount: normaliseMoney(item.total_tax),
        restock: RESTOCKING.has(item.restock_type),
      };
    });
  const useShippingLines = refund.refund_shipping_lines.length > 0;
  const shippingAdjustments = refund.order_adjustments.filter((a) => a.kind === 'shipping_refund');
  const otherAdjustments = refund.order_adjustments.filter((a) => a.kind !== 'shipping_refund');
  // Shopify writes adjustments negative when money goes back to the customer; the draft counts refunded money.
  const refunded = (amount: string): string => subtractMoney('0', amount);
  const shippingAmount = useShippingLines
    ? sumMoney(refund.refund_shipping_lines.map((line) => line.subtotal))
    : sumMoney(shippingAdjustments.map((a) => refunded(a.amount)));
  const shippingTax = useShippingLines
    ? sumMoney(refund.refund_shipping_lines.map((line) => line.tax))
    : sumMoney(shippingAdjustments.map((a) => refunded(a.tax_amount)));
  const adjustmentAmount = sumMoney(otherAdjustments.map((a) => refunded(a.amount)));
  const adjustmentTax = sumMoney(otherAdjustments.map((a) => refunded(a.tax_amount)));
  const taxTotal = addMoney(sumMoney(lines.map((line) => line.taxAmount)), shippingTax, adjustmentTax);
  const returned = refund.transactions.filter((t) => t.kind === 'refund' && t.status === 'success');
  const total =
    returned.length > 0
      ? sumMoney(returned.map((t) => t.amount))
      : addMoney(sumMoney(lines.map((line) => line.amount)), shippingAmount, adjustmentAmount, taxTotal);
  return {
    externalId: refund.id,
    orderExternalId: refund.order_id,
    orderReference: order.reference,
    customerExternalId: order.customerExternalId,
    refundDate: refund.processed_at ?? refund.created_at,
    currency: refund.currency,
    lines,
    shippingAmount,
    adjustmentAmount,
    taxTotal,
    total,
    ...(refund.note === undefined || refund.note.trim() === '' ? {} : { note: refund.note }),
  };
}
