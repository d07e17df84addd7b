/**
 * The REST-shaped order payload of Shopify's `orders/create`, `orders/updated` and `orders/cancelled` webhooks
 * (one shape for all three), limited to the fields the ERP mapping reads; Shopify sends many more and adds
 * fields over time, which the decoder ignores. Field names follow Shopify's webhook reference (shopify.dev, `orders/create` payload).
 */

/**
 * @description A Shopify numeric id as it appears on the wire. After {@link decodeOrderPayload} it is always the
 * exact decimal string: JSON numbers above 2^53 (Shopify's own doc samples have them) lose digits in JSON.parse.
 */
export type ShopifyId = number | string;

/** @description A decimal amount as Shopify writes it (`"44.50"`), in the shop currency. */
export type ShopifyMoney = string;

/** @description One tax charged on a line item or a shipping line. */
export interface ShopifyTaxLine {
  title: string;
  /** Fraction, e.g. `0.21` for 21 %. */
  rate: number;
  /** Tax amount for the whole line (all units). */
  price: ShopifyMoney;
}

/** @description The part of one discount application that landed on a line item or a shipping line. */
export interface ShopifyDiscountAllocation {
  amount: ShopifyMoney;
  discount_application_index?: number;
}

/** @description A line item of an order. */
export interface ShopifyLineItem {
  id: ShopifyId;
  admin_graphql_api_id?: string;
  /** Null or blank for custom items and variants without a SKU. */
  sku?: string | null;
  title: string;
  variant_title?: string | null;
  /** `"<title> - <variant_title>"`. */
  name?: string | null;
  /** Quantity when the order was placed. */
  quantity: number;
  /** Quantity after order edits and refunds; absent in older API versions. */
  current_quantity?: number;
  /** Unit price before discounts; includes tax when the order's `taxes_included` is true. */
  price: ShopifyMoney;
  /** Taxes for the original `quantity`. */
  tax_lines?: ShopifyTaxLine[];
  /** Discounts for the original `quantity`. */
  discount_allocations?: ShopifyDiscountAllocation[];
}

/** @description A shipping charge of an order. */
export interface ShopifyShippingLine {
  id?: ShopifyId;
  title: string;
  code?: string | null;
  /** Price before discounts. */
  price: ShopifyMoney;
  /** True when an order edit removed this shipping line. */
  is_removed?: boolean;
  tax_lines?: ShopifyTaxLine[];
  discount_allocations?: ShopifyDiscountAllocation[];
}

/** @description A billing or shipping address. */
export interface ShopifyAddress {
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country?: string | null;
  /** ISO 3166-1 alpha-2. */
  country_code?: string | null;
  phone?: string | null;
}

/** @description The customer embedded in an order; absent or null for guest checkouts. */
export interface ShopifyCustomer {
  id: ShopifyId;
  admin_graphql_api_id?: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
}

/** @description A discount code used on the order. */
export interface ShopifyDiscountCode {
  code: string;
  amount?: ShopifyMoney;
  type?: string | null;
}

/**
 * @description An order as the orders webhooks deliver it. The `current_*` totals reflect order edits and refunds
 * and are preferred over the original totals when present.
 */
export interface ShopifyOrderPayload {
  id: ShopifyId;
  /** `gid://shopify/Order/<id>`: the exact id even when the JSON number `id` lost precision. */
  admin_graphql_api_id?: string;
  /** Customer-facing order name such as `#1019`. */
  name: string;
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  /** ISO 8601 with offset. */
  created_at: string;
  /** ISO 8601 with offset; the version of the order this payload describes. */
  updated_at: string;
  processed_at?: string | null;
  cancelled_at?: string | null;
  cancel_reason?: string | null;
  /** ISO 4217 shop currency, which every amount below is in. */
  currency: string;
  /** Whether line and shipping prices already include their taxes. */
  taxes_included: boolean;
  financial_status?: string | null;
  note?: string | null;
  /** Line items after line discounts, before shipping and (when not included) taxes. */
  subtotal_price: ShopifyMoney;
  /** Line and shipping discounts. */
  total_discounts: ShopifyMoney;
  total_tax: ShopifyMoney;
  total_price: ShopifyMoney;
  current_subtotal_price?: ShopifyMoney;
  current_total_discounts?: ShopifyMoney;
  current_total_tax?: ShopifyMoney;
  current_total_price?: ShopifyMoney;
  discount_codes?: ShopifyDiscountCode[];
  line_items: ShopifyLineItem[];
  shipping_lines?: ShopifyShippingLine[];
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  customer?: ShopifyCustomer | null;
}
