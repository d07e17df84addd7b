import { createHash } from 'node:crypto';
import { ErrorKind } from 'src/common/errors/app-error';
import { mappedPaymentTerms } from 'src/modules/erp/connectors/shared/payment-terms';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpAddress,
  ErpCompanyDraft,
  ErpCustomerDraft,
  ErpRefundDraft,
  ErpSalesOrderDraft,
  Money,
} from 'src/modules/erp/port/erp.types';

/** A reference to another record by internal id, as the record API takes it. */
export interface NetsuiteRef {
  id: string;
}

/** @description Account-specific values the connector needs to create records (all optional but the field name). */
export interface NetsuiteRecordDefaults {
  /** Custom body field that keeps Shopify's `updated_at` (Free-Form Text recommended). */
  sourceUpdatedAtField: string;
  /** OneWorld: subsidiary of new customers and transactions. */
  subsidiaryId?: string;
  /** Location of sales orders and credit memos. */
  locationId?: string;
  /** ISO 4217 code → currency internal id; currencies not listed are left to NetSuite (customer's currency). */
  currencyIds?: Record<string, string>;
  /** Discount item placed after each discounted line; without it, lines carry their net amount. */
  discountItemId?: string;
  /** Shipping method of sales orders with a shipping charge. */
  shipMethodId?: string;
  /** Item for refunded shipping on credit memos (e.g. a non-inventory "Shipping refund" item). */
  shippingRefundItemId?: string;
  /** Item for refunded order adjustments on credit memos. */
  adjustmentItemId?: string;
  /** B2B: Shopify payment terms name → NetSuite term internal id (ERP_PAYMENT_TERMS_MAP). */
  paymentTermsMap?: Readonly<Record<string, string>>;
}

/** @description NetSuite address subrecord fields. */
export interface NetsuiteAddress {
  addressee?: string;
  attention?: string;
  addr1?: string;
  addr2?: string;
  city?: string;
  state?: string;
  zip?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  addrPhone?: string;
}

/** @description Body of `PUT …/customer/eid:{externalId}` or `PATCH …/customer/{id}`. */
export interface NetsuiteCustomerBody {
  isPerson: boolean;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  subsidiary?: NetsuiteRef;
  currency?: NetsuiteRef;
  /** B2B: a company location's customer is a sub-customer of its company's customer. */
  parent?: NetsuiteRef;
}

/** @description One line of a transaction's `item` sublist. */
export interface NetsuiteItemLine {
  item: NetsuiteRef;
  quantity?: number;
  rate?: number;
  amount?: number;
  description?: string;
  isClosed?: boolean;
  /** Tax code (non-SuiteTax accounts), from the shop's tax mapping. */
  taxCode?: NetsuiteRef;
}

/** @description Body of `PUT …/salesOrder/eid:{shopifyOrderId}`. */
export interface NetsuiteSalesOrderBody {
  entity: NetsuiteRef;
  tranDate: string;
  /** Shopify's order name (`#1019`); see `toNetsuiteSalesOrder` for why not `tranId`. */
  otherRefNum: string;
  orderStatus: 'B';
  memo?: string;
  email?: string;
  subsidiary?: NetsuiteRef;
  department?: NetsuiteRef;
  class?: NetsuiteRef;
  salesRep?: NetsuiteRef;
  location?: NetsuiteRef;
  currency?: NetsuiteRef;
  /**
   * Base-currency units per transaction-currency unit (NetSuite's convention); set when the order is in the
   * presentment currency and that differs from the shop currency, which is taken to be the subsidiary's base.
   */
  exchangeRate?: number;
  paymentMethod?: NetsuiteRef;
  /** B2B: the payment terms (a `term` record), from ERP_PAYMENT_TERMS_MAP. */
  terms?: NetsuiteRef;
  shipMethod?: NetsuiteRef;
  shippingCost?: number;
  billingAddress?: NetsuiteAddress;
  shippingAddress?: NetsuiteAddress;
  item: { items: NetsuiteItemLine[] };
  /** The configured source-updated-at field, e.g. `custbody_shopify_updated_at`. */
  [customField: `custbody${string}`]: string;
}

/** @description Body of `PUT …/creditMemo/eid:shopify-refund-{id}`. */
export interface NetsuiteCreditMemoBody {
  entity: NetsuiteRef;
  createdFrom?: NetsuiteRef;
  tranDate: string;
  otherRefNum: string;
  memo?: string;
  subsidiary?: NetsuiteRef;
  location?: NetsuiteRef;
  currency?: NetsuiteRef;
  item: { items: NetsuiteItemLine[] };
}

/** NetSuite external ids may hold letters, digits, `_` and `-` only (REST "Using External IDs"). */
const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * @description The external id NetSuite stores for one of our keys: the key itself when NetSuite accepts it
 * (Shopify ids do), else `ext-` + 40 hex digits of its SHA-256 (guest keys such as `email:ana@example.com` hold `:`,
 * `@` and `.`, which NetSuite refuses). Deterministic, so a redelivery finds the same record.
 */
export function toNetsuiteExternalId(key: string): string {
  return EXTERNAL_ID_PATTERN.test(key) ? key : `ext-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** @description The credit memo external id of a Shopify refund. */
export function refundExternalId(shopifyRefundId: string): string {
  return toNetsuiteExternalId(`shopify-refund-${shopifyRefundId}`);
}

/** NetSuite's `otherRefNum` ("PO/Check #") holds 45 characters. */
const OTHER_REF_NUM_MAX = 45;

/**
 * @description B2B: the body of a company's own customer, the parent of its locations' customers (`PUT
 * …/customer/eid:company-<id>`). Pure.
 */
export function toNetsuiteCompanyCustomer(
  draft: ErpCustomerDraft & { parentCompany: ErpCompanyDraft },
  defaults: NetsuiteRecordDefaults,
): NetsuiteCustomerBody {
  return stripUndefined({
    isPerson: false,
    companyName: draft.parentCompany.name,
    subsidiary: ref(defaults.subsidiaryId),
    currency: ref(defaults.currencyIds?.[draft.currency]),
  });
}

/**
 * @description Maps a customer draft to NetSuite's customer body (no external id: the URL carries it). Pure. A B2B
 * company location's customer is a company, under `parent` (its company's customer) when that is known.
 */
export function toNetsuiteCustomer(
  draft: ErpCustomerDraft,
  defaults: NetsuiteRecordDefaults,
  parent?: NetsuiteRef,
): NetsuiteCustomerBody {
  const isPerson = draft.company === undefined || draft.company.trim() === '';
  const body: NetsuiteCustomerBody = {
    isPerson,
    email: draft.email,
    phone: draft.phone,
    subsidiary: ref(defaults.subsidiaryId),
    currency: ref(defaults.currencyIds?.[draft.currency]),
  };
  if (isPerson) {
    body.firstName = draft.firstName;
    // An individual needs a name; a guest checkout may have none.
    body.lastName = draft.lastName ?? (draft.firstName === undefined ? (draft.email ?? 'Shopify customer') : undefined);
  } else {
    body.companyName = draft.company;
    body.firstName = draft.firstName;
    body.lastName = draft.lastName;
    body.parent = parent;
  }
  return stripUndefined(body);
}

/**
 * @description Maps a sales order draft to NetSuite's sales order body. Pure. Lines reference items by internal id
 * (`itemIds`: SKU → id, resolved by the connector); `closed` closes every line, which is how NetSuite's REST API
 * closes (cancels) an order.
 *
 * Shopify's order name goes to `otherRefNum` (the customer's reference, "PO/Check #"), not `tranId`: `tranId` is
 * the document number NetSuite's auto-numbering owns (setting it fails or is ignored unless "Allow Override" is on),
 * while `otherRefNum` is free, printed on documents and searchable. A B2B order's PO number takes `otherRefNum`
 * (what it is for), and the order name then goes to the memo unless the order has a note; its payment terms become
 * `terms` through the configured map.
 */
export function toNetsuiteSalesOrder(
  draft: ErpSalesOrderDraft,
  customer: NetsuiteRef,
  itemIds: ReadonlyMap<string, string>,
  defaults: NetsuiteRecordDefaults,
  closed: boolean,
): NetsuiteSalesOrderBody {
  // The shop's mapping (draft.mapped) overrides the environment's defaults field by field.
  const mapped = draft.mapped?.values ?? {};
  const discountItemId = mapped.discountItem ?? defaults.discountItemId;
  const lines: NetsuiteItemLine[] = [];
  for (const line of draft.lines) {
    const discounted = discountItemId !== undefined && toAmount(line.discountAmount, 'discountAmount') !== 0;
    lines.push({
      item: { id: requireItemId(itemIds, line.sku) },
      quantity: line.quantity,
      rate: toAmount(line.unitPrice, 'rate'),
      // Without a discount item, the line carries its net amount (NetSuite keeps `rate` as the list price).
      amount: discountItemId === undefined ? toAmount(line.lineTotal, 'amount') : undefined,
      description: line.description,
      isClosed: closed,
      taxCode: ref(line.taxCode),
    });
    if (discounted && discountItemId !== undefined) {
      const discount = -toAmount(line.discountAmount, 'discountAmount');
      lines.push({ item: { id: discountItemId }, rate: discount, amount: discount, isClosed: closed });
    }
  }
  // Net of shipping discounts, so that the document adds up to Shopify's total.
  const shippingCost =
    draft.shippingLines.length === 0 ? toAmount(draft.shippingTotal, 'shippingCost') : netShipping(draft);
  const currencies = draft.currencies;
  const foreign =
    currencies !== undefined &&
    currencies.presentmentCurrency !== currencies.shopCurrency &&
    draft.currency === currencies.presentmentCurrency;
  const poNumber = draft.purchaseOrderNumber?.slice(0, OTHER_REF_NUM_MAX);
  const body: NetsuiteSalesOrderBody = {
    entity: customer,
    tranDate: toTranDate(draft.orderDate),
    otherRefNum: mapped.poNumber ?? poNumber ?? draft.reference,
    orderStatus: 'B',
    memo: mapped.memo ?? draft.note ?? (poNumber === undefined ? undefined : `Shopify order ${draft.reference}`),
    email: draft.email,
    subsidiary: ref(mapped.subsidiary ?? defaults.subsidiaryId),
    department: ref(mapped.department),
    class: ref(mapped.class),
    salesRep: ref(mapped.salesRep),
    location: ref(mapped.location ?? defaults.locationId),
    currency: ref(defaults.currencyIds?.[draft.currency]),
    exchangeRate: foreign ? toAmount(currencies.exchangeRate, 'exchangeRate') : undefined,
    paymentMethod: ref(mapped.paymentMethod),
    terms: ref(mappedPaymentTerms(draft.paymentTerms, defaults.paymentTermsMap)),
    shipMethod: shippingCost !== 0 ? ref(mapped.shipMethod ?? defaults.shipMethodId) : undefined,
    shippingCost: shippingCost !== 0 ? shippingCost : undefined,
    billingAddress: draft.billingAddress === undefined ? undefined : toNetsuiteAddress(draft.billingAddress),
    shippingAddress: draft.shippingAddress === undefined ? undefined : toNetsuiteAddress(draft.shippingAddress),
    item: { items: lines.map(stripUndefined) },
  };
  for (const [field, value] of Object.entries(mapped)) {
    if (/^custbody[a-z0-9_]+$/.test(field)) {
      body[field as `custbody${string}`] = value;
    }
  }
  // Last, so that no mapping can overwrite the staleness watermark.
  body[customBodyField(defaults.sourceUpdatedAtField)] = draft.sourceUpdatedAt;
  return stripUndefined(body);
}

/**
 * @description Maps a refund draft to NetSuite's credit memo body, linked to the sales order when known. Refunded
 * shipping and adjustments become lines of the configured items; without those items they are left out (the
 * memo says so). Pure; throws Permanent when nothing refundable remains (NetSuite needs at least one line).
 */
export function toNetsuiteCreditMemo(
  draft: ErpRefundDraft,
  customer: NetsuiteRef,
  salesOrder: NetsuiteRef | undefined,
  itemIds: ReadonlyMap<string, string>,
  defaults: NetsuiteRecordDefaults,
): NetsuiteCreditMemoBody {
  const lines: NetsuiteItemLine[] = draft.lines
    .filter((line) => line.quantity > 0 || toAmount(line.amount, 'amount') !== 0)
    .map((line) => ({
      item: { id: requireItemId(itemIds, line.sku) },
      quantity: line.quantity > 0 ? line.quantity : undefined,
      amount: toAmount(line.amount, 'amount'),
      description: line.description,
    }));
  const omitted: string[] = [];
  for (const [amountText, itemId, label] of [
    [draft.shippingAmount, defaults.shippingRefundItemId, 'shipping'],
    [draft.adjustmentAmount, defaults.adjustmentItemId, 'adjustment'],
  ] as const) {
    const amount = toAmount(amountText, label);
    if (amount === 0) {
      continue;
    }
    if (itemId === undefined) {
      omitted.push(`${label} ${amountText}`);
    } else {
      lines.push({ item: { id: itemId }, quantity: 1, amount, description: `Refunded ${label}` });
    }
  }
  if (lines.length === 0) {
    throw new ErpError(
      ErrorKind.Permanent,
      `Refund ${draft.externalId} has no line NetSuite can credit (configure the shipping/adjustment refund items)`,
      { vendorCode: 'NO_REFUND_LINES' },
    );
  }
  const memo = [draft.note, omitted.length > 0 ? `Not credited here: ${omitted.join(', ')}` : undefined]
    .filter((part) => part !== undefined && part !== '')
    .join(' | ');
  return stripUndefined({
    entity: customer,
    createdFrom: salesOrder,
    tranDate: toTranDate(draft.refundDate),
    otherRefNum: draft.orderReference,
    memo: memo === '' ? undefined : memo,
    subsidiary: ref(defaults.subsidiaryId),
    location: ref(defaults.locationId),
    currency: ref(defaults.currencyIds?.[draft.currency]),
    item: { items: lines.map(stripUndefined) },
  });
}

/**
 * @description The `item` sublist of a PATCH that closes every line of an existing order (NetSuite's documented way
 * to close a sales order over REST). Lines are addressed by their `line` key, so nothing else changes.
 */
export function toCloseLinesPatch(
  lineKeys: readonly number[],
  sourceUpdatedAtField: string,
  sourceUpdatedAt: string,
): Record<string, unknown> {
  return {
    item: { items: lineKeys.map((line) => ({ line, isClosed: true })) },
    [customBodyField(sourceUpdatedAtField)]: sourceUpdatedAt,
  };
}

/** @description The `line` keys of a record read with `expandSubResources=true`. */
export function readLineKeys(record: unknown): number[] {
  const item = (record as { item?: { items?: unknown } } | undefined)?.item;
  const items = Array.isArray(item?.items) ? (item.items as unknown[]) : [];
  return items
    .map((line) => Number((line as { line?: unknown } | null)?.line))
    .filter((line) => Number.isInteger(line) && line >= 0);
}

/** @description The internal id of `{ entity: { id } }` in a record read. */
export function readEntityId(record: unknown): string | undefined {
  const id = (record as { entity?: { id?: unknown } } | undefined)?.entity?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * @description The internal id at the end of a `Location` header
 * (`…/services/rest/record/v1/salesOrder/647` → `"647"`); `undefined` when absent or not a record URL.
 */
export function parseLocationId(location: string | null): string | undefined {
  if (location === null) {
    return undefined;
  }
  const path = location.trim().split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/').filter((segment) => segment !== '');
  const last = segments[segments.length - 1];
  // Internal ids are positive integers; anything else (an `eid:` echo) is not an id we can store.
  return last !== undefined && /^\d+$/.test(last) ? last : undefined;
}

/** @description An address as NetSuite's address subrecord. Pure. */
export function toNetsuiteAddress(address: ErpAddress): NetsuiteAddress {
  // NetSuite prints the addressee as the first line; with a company, the person goes to "attention".
  return stripUndefined({
    addressee: address.company ?? address.name,
    attention: address.company === undefined ? undefined : address.name,
    addr1: address.line1,
    addr2: address.line2,
    city: address.city,
    state: address.region,
    zip: address.postalCode,
    country: address.countryCode,
    addrPhone: address.phone,
  });
}

/** Shipping net of its discounts; the JSON number NetSuite takes, rounded to the 4 decimals amounts carry. */
function netShipping(draft: ErpSalesOrderDraft): number {
  const net = draft.shippingLines.reduce(
    (sum, line) => sum + toAmount(line.amount, 'shippingCost') - toAmount(line.discountAmount, 'shippingDiscount'),
    0,
  );
  return Math.round(net * 10_000) / 10_000;
}

function customBodyField(name: string): `custbody${string}` {
  if (!/^custbody[a-z0-9_]+$/.test(name)) {
    throw new ErpError(ErrorKind.Permanent, `'${name}' is not a custom body field id (custbody…)`, {
      vendorCode: 'INVALID_CUSTOM_FIELD',
    });
  }
  return name as `custbody${string}`;
}

function requireItemId(itemIds: ReadonlyMap<string, string>, sku: string): string {
  const id = itemIds.get(sku);
  if (id === undefined) {
    throw new ErpError(ErrorKind.Permanent, `Unknown SKU '${sku}': no NetSuite item has this itemid`, {
      vendorCode: 'UNKNOWN_SKU',
    });
  }
  return id;
}

/**
 * @description A transaction's `tranDate`: Shopify timestamps carry the shop's offset, so the date prefix is the
 * shop-local date, which is what we want.
 */
export function toTranDate(date: string): string {
  const match = /^\d{4}-\d{2}-\d{2}/.exec(date);
  return match === null ? date : match[0];
}

/**
 * @description A Money string as the JSON number NetSuite's record API takes; no arithmetic, so no rounding. A
 * malformed amount is a Permanent error naming the field.
 */
export function toAmount(value: Money, field: string): number {
  const amount = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(amount)) {
    // A malformed amount will not improve on retry; dead-letter it with the field named.
    throw new ErpError(ErrorKind.Permanent, `Invalid amount for field '${field}': '${value}'`, {
      vendorCode: 'INVALID_AMOUNT',
    });
  }
  return amount;
}

function ref(id: string | undefined): NetsuiteRef | undefined {
  return id === undefined || id === '' ? undefined : { id };
}

/** @description The object without its undefined fields (NetSuite refuses some explicit nulls). */
export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
