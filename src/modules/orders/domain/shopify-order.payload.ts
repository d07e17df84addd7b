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

/** @description One amount of Shopify's `*_set` fields. */
export interface ShopifyMoneyAmount {
  amount: ShopifyMoney;
  /** ISO 4217. */
  currency_code: string;
}

/**
 * @description Shopify's `*_set` money bag: the same amount in the shop currency and in the presentment currency
 * (the currency the customer saw and paid in; the same as the shop's unless the order came through a Market in
 * another currency).
 */
export interface ShopifyMoneySet {
  shop_money: ShopifyMoneyAmount;
  presentment_money: ShopifyMoneyAmount;
}

/** @description One tax charged on a line item or a shipping line. */
export interface ShopifyTaxLine {
  title: string;
  /** Fraction, e.g. `0.21` for 21 %. */
  rate: number;
  /** Tax amount for the whole line (all units). */
  price: ShopifyMoney;
  price_set?: ShopifyMoneySet;
}

/** @description The part of one discount application that landed on a line item or a shipping line. */
export interface ShopifyDiscountAllocation {
  amount: ShopifyMoney;
  amount_set?: ShopifyMoneySet;
  discount_application_index?: number;
}

/** @description A line item of an order. */
export interface ShopifyLineItem {
  id: ShopifyId;
  admin_graphql_api_id?: string;
  /** Null or blank for custom items and variants without a SKU. */
  sku?: string | null;
  /** Null for a custom line item (added in an order edit, a draft order or the POS without a product). */
  product_id?: ShopifyId | null;
  variant_id?: ShopifyId | null;
  /** True when the line sells a gift card: money the shop owes until the card is spent, not stock. */
  gift_card?: boolean;
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
  price_set?: ShopifyMoneySet;
  /** Taxes for the original `quantity`. */
  tax_lines?: ShopifyTaxLine[];
  /** Discounts for the original `quantity`. */
  discount_allocations?: ShopifyDiscountAllocation[];
  /** Import duties charged on this line (Markets with duties collected at checkout). */
  duties?: ShopifyDuty[];
}

/** @description An import duty charged on a line item. */
export interface ShopifyDuty {
  id?: string;
  price_set: ShopifyMoneySet;
}

/** @description A shipping charge of an order. */
export interface ShopifyShippingLine {
  id?: ShopifyId;
  title: string;
  code?: string | null;
  /** Price before discounts. */
  price: ShopifyMoney;
  price_set?: ShopifyMoneySet;
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

/**
 * @description B2B: the purchasing company of an order placed for a company (Shopify Plus B2B), as the REST-shaped
 * order carries it: the company's id and the id of the company location that ordered (REST Admin API `Order.company`).
 * Absent or null for a consumer order. Shopify sends no names here: the company's name is the addresses' `company`.
 */
export interface ShopifyPurchasingCompany {
  id: ShopifyId;
  location_id: ShopifyId;
}

/** @description One installment of B2B payment terms (REST `Order.payment_terms.payment_schedules[]`). */
export interface ShopifyPaymentSchedule {
  amount?: ShopifyMoney | null;
  currency?: string | null;
  /** ISO 8601; when the invoice was issued (net terms count from it). */
  issued_at?: string | null;
  /** ISO 8601; when payment is due. */
  due_at?: string | null;
  completed_at?: string | null;
}

/**
 * @description The payment terms of a B2B order (REST `Order.payment_terms`): the name of the Shopify template
 * (`Net 30`, `Due on fulfillment`…), its type (`NET`, `FIXED`, `RECEIPT`, `FULFILLMENT`) and days, and the schedules.
 */
export interface ShopifyPaymentTerms {
  payment_terms_name: string;
  payment_terms_type?: string | null;
  due_in_days?: number | null;
  payment_schedules?: ShopifyPaymentSchedule[];
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
  /** ISO 4217 shop currency, which every plain amount below is in (the `*_set` fields carry both currencies). */
  currency: string;
  /** ISO 4217 currency the customer was charged in; the shop currency unless a Market sold in another one. */
  presentment_currency?: string;
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
  total_price_set?: ShopifyMoneySet;
  subtotal_price_set?: ShopifyMoneySet;
  total_tax_set?: ShopifyMoneySet;
  total_discounts_set?: ShopifyMoneySet;
  current_total_price_set?: ShopifyMoneySet;
  current_subtotal_price_set?: ShopifyMoneySet;
  current_total_tax_set?: ShopifyMoneySet;
  current_total_discounts_set?: ShopifyMoneySet;
  /** Duties collected at checkout (included in the total price). */
  original_total_duties_set?: ShopifyMoneySet;
  current_total_duties_set?: ShopifyMoneySet;
  /** Tips in the shop currency (included in the total price). */
  total_tip_received?: ShopifyMoney;
  /** B2B: the buyer's purchase order number. */
  po_number?: string | null;
  /** B2B: the company and company location the order was placed for. */
  company?: ShopifyPurchasingCompany | null;
  /** B2B: the order's payment terms. */
  payment_terms?: ShopifyPaymentTerms | null;
  discount_codes?: ShopifyDiscountCode[];
  /** The gateways that paid the order (`gift_card`, `shopify_payments`, `manual`, …); the amounts need an Admin API read. */
  payment_gateway_names?: string[];
  line_items: ShopifyLineItem[];
  shipping_lines?: ShopifyShippingLine[];
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  customer?: ShopifyCustomer | null;
}
