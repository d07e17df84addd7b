/**
 * @description The fields of a `refunds/create` webhook body (REST representation of a Refund) that the ERP mapping
 * reads. Ids are exact decimal strings; amounts are decimal strings in the shop's currency.
 */
export interface ShopifyRefundPayload {
  id: string;
  order_id: string;
  created_at: string;
  processed_at?: string;
  note?: string;
  refund_line_items: ShopifyRefundLineItem[];
  /** Shipping refunded, as Shopify reports it since 2024-10 (`refund_shipping_lines`). */
  refund_shipping_lines: Array<{ subtotal: string; tax: string }>;
  order_adjustments: ShopifyOrderAdjustment[];
  transactions: ShopifyRefundTransaction[];
  /** Currency of the amounts, from the first `*_set.shop_money` found. */
  currency: string;
}

export interface ShopifyRefundLineItem {
  id: string;
  line_item_id: string;
  quantity: number;
  /** `no_restock`, `cancel`, `return` or `legacy_restock`. */
  restock_type: string;
  /** Refunded amount of the line before tax (after its discounts). */
  subtotal: string;
  total_tax: string;
  sku?: string;
  title: string;
}

export interface ShopifyOrderAdjustment {
  /** `shipping_refund` or `refund_discrepancy`. */
  kind: string;
  /** Signed, as Shopify writes it: negative when money goes back to the customer. */
  amount: string;
  tax_amount: string;
}

export interface ShopifyRefundTransaction {
  kind: string;
  status: string;
  amount: string;
}
