import type { ErpMappedOrderFields } from 'src/modules/erp/port/erp-order-mapping';

/** Refund, return, payment and payout deposit drafts: kept in their own file for size, part of this vocabulary. */
export type * from 'src/modules/erp/port/erp-after-sale.types';

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

/**
 * @description B2B: the Shopify company a company location's customer belongs to. `externalId` is our key of the
 * company (`company-<Shopify company id>`); `name` the company's name as the order's addresses carry it.
 */
export interface ErpCompanyDraft {
  externalId: string;
  name: string;
}

/**
 * @description Customer to create or update in the ERP; matched by email, then by external id. A B2B order's
 * customer is its company location (`parentCompany` set): matched on our key only, never by e-mail, since the
 * contact's e-mail is a person's and may also be that person's own consumer account.
 */
export interface ErpCustomerDraft {
  /**
   * Shopify customer id, `email:<address>` for guest checkouts, `guest:<order id>` for a guest without e-mail, or
   * `company-location-<id>` for a B2B company location.
   */
  externalId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  currency: string;
  billingAddress?: ErpAddress;
  /** B2B: the company this customer (a company location) belongs to; absent for a consumer. */
  parentCompany?: ErpCompanyDraft;
}

/**
 * @description B2B payment terms of an order, as Shopify named them. Each connector turns `name` into the ERP's own
 * terms through the configured payment terms map (ERP_PAYMENT_TERMS_MAP); a name the map lacks leaves the ERP's
 * default (the customer's terms).
 */
export interface ErpPaymentTerms {
  /** Shopify's payment terms name (`Net 30`). */
  name: string;
  /** Shopify's template type: `NET`, `FIXED`, `RECEIPT`, `FULFILLMENT`. */
  type?: string;
  dueInDays?: number;
  /** When the first unpaid installment is due (ISO 8601), when Shopify has scheduled it. */
  dueAt?: string;
}

/**
 * @description What an order line is. `product`: a product variant, its SKU is the ERP item. The others carry no
 * product SKU and go to a configured ERP item (docs/orders.md, "Lines without a SKU"): `giftCard` a gift card sold
 * (a liability item, not stock), `custom` a custom line item, `tip` a tip, `duty` the import duties collected at
 * checkout, `rounding` the rounding adjustment of the order's rounding policy.
 */
export type ErpLineKind = 'product' | 'giftCard' | 'custom' | 'tip' | 'duty' | 'rounding';

/** @description One item line of a sales order, resolved by SKU. */
export interface ErpSalesOrderLine {
  /** Shopify line item id, kept so that updates can match lines. */
  externalLineId: string;
  /** Absent = `product`. */
  kind?: ErpLineKind;
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
  /** ERP tax code from the shop's mapping (Shopify tax title → code); absent = the connector's default. */
  taxCode?: string;
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
 * @description The order's two currencies. Shopify keeps every amount in the shop currency and in the presentment
 * currency (what the customer was charged in); the sales order's amounts are in `ErpSalesOrderDraft.currency`, one
 * of the two, and this carries the other side so the ERP can hold both.
 */
export interface ErpOrderCurrencies {
  shopCurrency: string;
  presentmentCurrency: string;
  /** Shopify's total in the shop currency. */
  shopTotal: Money;
  /** Shopify's total in the presentment currency. */
  presentmentTotal: Money;
  /**
   * Shop-currency units per presentment-currency unit (`shopTotal / presentmentTotal`, 6 decimals; `"1"` for one
   * currency). NetSuite's `exchangeRate` and Cin7's `CurrencyRate` take it this way round when the shop currency is
   * the ERP's base currency.
   */
  exchangeRate: string;
}

/**
 * @description The order's rounding policy outcome: whether the sales order's lines add up to Shopify's total.
 * `exact`: they do. `adjusted`: they were off by no more than `tolerance` and a `rounding` line makes up the
 * difference. `flagged`: they were off by more; no line is added and the difference is reported.
 */
export interface ErpOrderReconciliation {
  outcome: 'exact' | 'adjusted' | 'flagged';
  /** Shopify's total in the document currency. */
  shopifyTotal: Money;
  /** What the ERP document adds up to before any rounding line (see docs/orders.md for what each ERP adds). */
  documentTotal: Money;
  /** shopifyTotal − documentTotal. */
  difference: Money;
  tolerance: Money;
}

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
  /** B2B: the buyer's purchase order number (Shopify `po_number`). */
  purchaseOrderNumber?: string;
  /** B2B: the order's payment terms. */
  paymentTerms?: ErpPaymentTerms;
  /** Values from the shop's active mapping version; absent = the connector's environment defaults only. */
  mapped?: ErpMappedOrderFields;
  /** Shop and presentment currency; absent when the payload had no `*_set` amounts. */
  currencies?: ErpOrderCurrencies;
  /** The rounding policy's outcome. */
  reconciliation?: ErpOrderReconciliation;
}

/**
 * @description What the caller knows about earlier attempts to write a record, so that a connector looks the record up
 * only when it can exist. Omitted = `{ mayExist: true }`: the connector looks up before it creates, as on a retry.
 */
export interface ErpWriteOptions {
  /**
   * false only when no earlier attempt to write this record was recorded: the connector may create without looking
   * up first. The caller records that a write began (durably) before the first one is sent, so a write that crashed
   * after sending is retried with `mayExist: true` and found by its look-up instead of duplicated.
   */
  mayExist: boolean;
}

/**
 * @description What `ErpPort.editSalesOrder` did. `applied`: the ERP document now has the edit's lines and shipping.
 * `locked`: the ERP has shipped or invoiced (part of) the order, so the document was left unchanged; `erpState` says
 * what the ERP reported (e.g. NetSuite `orderStatus D (Partially Fulfilled)`, Business Central `shipped 1 of SKU-1`,
 * Cin7 `FulfilmentStatus SHIPPED`), for the operator who resolves the conflict.
 */
export type ErpSalesOrderEditOutcome =
  { outcome: 'applied'; ref: ErpRecordRef } | { outcome: 'locked'; erpId: string; erpState: string };

/** @description What the ERP returned for an upserted record. */
export interface ErpRecordRef {
  /** The ERP's own id (internal id, GUID, SaleID). */
  erpId: string;
  externalId: string;
  /**
   * The ERP's human-facing document number of a sales order, when its answer carries one (NetSuite `tranId`,
   * Business Central `number`, Cin7 Core `SaleOrderNumber`); written back to the Shopify order (docs/erp-to-shopify.md).
   */
  documentNumber?: string;
}

/** @description Where a delta read starts and how much it may return. */
export interface ErpDeltaQuery {
  /**
   * Watermark from the previous completed read (ISO 8601, the highest `lastModified` seen then). Records modified
   * at or after it are returned (inclusive: a boundary record may come back again; readers are idempotent).
   * Undefined = read everything.
   */
  since?: string;
  /** Opaque cursor of the next page, from the previous page's `nextCursor`. */
  cursor?: string;
  /** Records per page the caller wants (the connector clamps it to the vendor's maximum). */
  pageSize: number;
}

/** @description One page of a delta read. */
export interface ErpChangePage<T> {
  records: T[];
  /** Present when there are more pages; pass it back as `cursor` with the same `since`. */
  nextCursor?: string;
}

/** @description The weight units Shopify takes (its `WeightUnit` enum); each connector maps its ERP's onto them. */
export type ErpWeightUnit = 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS';

/** @description A weight as the ERP has it: an exact decimal string and its unit, never converted. */
export interface ErpWeight {
  /** Decimal string, e.g. `"1.25"`. */
  value: string;
  unit: ErpWeightUnit;
}

/** @description An item (product / variant / matrix child) as the ERP has it. ERP-owned fields only. */
export interface ErpItemChange {
  erpItemId: string;
  sku: string;
  name: string;
  /** Selling price in the ERP's base currency; undefined when the ERP has none for the item. */
  price?: Money;
  cost?: Money;
  barcode?: string;
  /**
   * Compare-at ("was") price in the ERP's base currency, from the price level / tier the connector is configured to
   * read it from; undefined when none is configured or the item has none there.
   */
  compareAtPrice?: Money;
  /** Shipping weight of one unit; undefined when the ERP has none (or none in a unit Shopify knows). */
  weight?: ErpWeight;
  /** For a variant / matrix child: the ERP id of its parent (all children of one parent are one Shopify product). */
  parentErpItemId?: string;
  /** Variant option values, e.g. `{ Size: 'M', Colour: 'Red' }`. */
  options?: Record<string, string>;
  active: boolean;
  /** ISO 8601 last-modified time in the ERP. */
  lastModified: string;
}

/**
 * @description Stock of one item at one ERP location. Connectors whose ERP cannot filter stock by modification time
 * return every level; the change reader compares with what it stored and keeps only the differences.
 */
export interface ErpInventoryLevel {
  erpItemId: string;
  sku: string;
  erpLocationId: string;
  locationName?: string;
  onHand: number;
  available: number;
  /** Allocated / committed to open orders, when the ERP reports it. */
  committed?: number;
  /** ISO 8601; undefined when the ERP does not say. */
  lastModified?: string;
}

/** @description A shipment (item fulfilment, sales shipment, sale fulfilment) of a Shopify order in the ERP. */
export interface ErpShipment {
  erpShipmentId: string;
  /** The Shopify order id the shipment belongs to (the sales order's external id). */
  orderExternalId: string;
  trackingNumbers: string[];
  carrier?: string;
  trackingUrl?: string;
  shippedAt: string;
  lines: Array<{ sku: string; quantity: number }>;
  lastModified: string;
}

/** @description An HTTP push from the ERP to `POST /webhooks/erp/:connector`, as received. */
export interface ErpPushRequest {
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

export type ErpChangeStream = 'items' | 'inventory' | 'shipments';

/** @description What to do with a push. A push only wakes the delta reads; it never carries the truth. */
export type ErpPushOutcome =
  /** Answer 200 with `body` as text/plain (Business Central's validation-token handshake). */
  | { kind: 'handshake'; body: string }
  /** Verified: wake the delta reads of these streams. */
  | { kind: 'wake'; streams: ErpChangeStream[] }
  /** Not authentic (bad secret / client state): answer 401, do nothing. */
  | { kind: 'rejected'; reason: string }
  /** Not a push this ERP sends (a validation token over the size it uses): answer 400, do nothing. */
  | { kind: 'malformed'; reason: string };

/**
 * @description Which sales orders {@link ErpPort.listSalesOrders} reads: the documents of these Shopify orders, created
 * in the window `[from, to)`. Connectors filter by external id (the Shopify order id) and use the window to bound the
 * vendor's listing (order dates, creation dates); NetSuite also matches documents without our external id by the
 * order's reference (`otherRefNum`), since a second NetSuite sales order cannot carry the same external id.
 */
export interface ErpSalesOrderQuery {
  /** The Shopify orders: `externalId` the Shopify order id, `reference` its name (`#1001`). */
  orders: ReadonlyArray<{ externalId: string; reference: string }>;
  /** Window start (ISO 8601): when the earliest of these orders was created in Shopify. */
  from: string;
  /** Window end (ISO 8601, exclusive). */
  to: string;
}

/** @description One sales order document as the ERP lists it, read from the ERP (not from our own tables). */
export interface ErpSalesOrderDocument {
  /** The ERP's own id (internal id, GUID, SaleID). */
  erpId: string;
  /** The ERP's document number (NetSuite `tranId`, Business Central `number`, Cin7 Core `OrderNumber`). */
  documentNumber?: string;
  /** The Shopify order id this document belongs to. */
  externalId: string;
  /** How the document was matched: our external id, or (NetSuite) only the order's reference. */
  matchedBy: 'externalId' | 'reference';
  /** The document's order date (YYYY-MM-DD) when the ERP gives one. */
  orderDate?: string;
  /** ISO 4217 code of the document's currency; undefined when the ERP leaves it implicit (its base currency). */
  currency?: string;
  /** The document's total including tax, exact decimal. */
  total: Money;
  /** The document's status as the ERP names it. */
  status?: string;
}
