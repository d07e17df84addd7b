/** Decimal amounts travel as strings ("44.50") so that no float rounding creeps into money. */
export type Money = string;

/** @description A postal address in the ERP's vocabulary. */
export interface ErpAddress {
  name?: string;
  company?: string;
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  countryCode?: string;
  phone?: string;
}

/** @description Customer to create or update in the ERP; matched by email, then by external id. */
export interface ErpCustomerDraft {
  /** Shopify customer id, or `email:<address>` for guest checkouts. */
  externalId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  currency: string;
  billingAddress?: ErpAddress;
}

/** @description One item line of a sales order, resolved by SKU. */
export interface ErpSalesOrderLine {
  /** Shopify line item id, kept so that updates can match lines. */
  externalLineId: string;
  sku: string;
  description: string;
  quantity: number;
  /** Price per unit before discounts, as Shopify charged it (tax-inclusive when `taxesIncluded`). */
  unitPrice: Money;
  /** Total discount allocated to this line (all units). */
  discountAmount: Money;
  /** Total tax on this line. */
  taxAmount: Money;
  /** quantity × unitPrice − discountAmount. */
  lineTotal: Money;
  taxLines: Array<{ title: string; rate: number; amount: Money }>;
}

/** @description A shipping charge of a sales order. */
export interface ErpShippingLine {
  code: string;
  description: string;
  amount: Money;
  discountAmount: Money;
  taxAmount: Money;
}

export type ErpSalesOrderStatus = 'open' | 'cancelled';

/**
 * @description Everything the ERP needs to create or update a sales order from a Shopify order.
 * `externalId` is the Shopify order id: the ERP's key for idempotent upserts.
 */
export interface ErpSalesOrderDraft {
  externalId: string;
  /** Customer-facing reference, Shopify's order name such as `#1001`. */
  reference: string;
  orderDate: string;
  /** Shopify's `updated_at` of the state this draft describes (ISO 8601). */
  sourceUpdatedAt: string;
  currency: string;
  taxesIncluded: boolean;
  status: ErpSalesOrderStatus;
  financialStatus?: string;
  customerExternalId: string;
  email?: string;
  billingAddress?: ErpAddress;
  shippingAddress?: ErpAddress;
  lines: ErpSalesOrderLine[];
  shippingLines: ErpShippingLine[];
  discountCodes: string[];
  subtotal: Money;
  discountTotal: Money;
  shippingTotal: Money;
  taxTotal: Money;
  total: Money;
  note?: string;
  cancelReason?: string;
}

/** @description What the ERP returned for an upserted record. */
export interface ErpRecordRef {
  /** The ERP's own id (internal id, GUID, SaleID). */
  erpId: string;
  externalId: string;
}
