import { ErrorKind } from 'src/common/errors/app-error';
import { CIN7_REFUND_MARKER, CIN7_UPDATED_AT_MARKER } from 'src/modules/erp/connectors/cin7/cin7.constants';
import type {
  Cin7AdditionalCharge,
  Cin7Address,
  Cin7AvailabilityRow,
  Cin7Contact,
  Cin7CreditNote,
  Cin7Customer,
  Cin7Product,
  Cin7ProductFamily,
  Cin7Sale,
  Cin7SaleHeader,
  Cin7SaleLine,
  Cin7SaleListEntry,
  Cin7SaleOrder,
} from 'src/modules/erp/connectors/cin7/cin7.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpAddress,
  ErpCustomerDraft,
  ErpInventoryLevel,
  ErpItemChange,
  ErpRecordRef,
  ErpRefundDraft,
  ErpSalesOrderDraft,
  ErpShipment,
  Money,
} from 'src/modules/erp/port/erp.types';

/** @description Account-specific values Cin7 needs to create customers, sales and credit notes. */
export interface Cin7DocumentDefaults {
  /** Location name stock is sold from (Cin7 references locations by name). */
  location: string;
  /** Tax rule name for sales, lines, charges and new customers. */
  taxRule: string;
  paymentTerm: string;
  accountReceivable: string;
  revenueAccount: string;
  /** Price tier name given to new customers, if any. */
  priceTier?: string;
  orderStatus: 'AUTHORISED' | 'DRAFT';
  creditNoteStatus: 'AUTHORISED' | 'DRAFT';
}

/** SKU → Cin7 ProductID, resolved by the connector before mapping. */
export type Cin7ProductIds = ReadonlyMap<string, string>;

// ---------------------------------------------------------------------------------------------- customers

/**
 * @description The external-id token a customer's Name ends with. Cin7 customers have no external id field and can be
 * searched by name only, so the Shopify key travels in the Name: `Jane Doe [7390123456]`, `Acme [email:a@b.com]`.
 */
export function customerToken(externalId: string): string {
  return `[${externalId}]`;
}

/** @description A unique, stable Cin7 customer Name: a readable part and the external-id token. */
export function toCin7CustomerName(draft: ErpCustomerDraft): string {
  const person = [draft.firstName, draft.lastName].filter((part) => part !== undefined && part.trim() !== '').join(' ');
  const readable = draft.company?.trim() || person || draft.email || 'Shopify customer';
  const token = customerToken(draft.externalId);
  // Cin7's Name holds 256 characters; the token must survive any truncation.
  return `${readable.slice(0, Math.max(1, 255 - token.length))} ${token}`;
}

/** @description The external id carried by a customer Name made by {@link toCin7CustomerName}. */
export function customerExternalIdFromName(name: string | undefined): string | undefined {
  return /\[([^\]]+)\]$/.exec(name ?? '')?.[1];
}

/** @description `POST /customer` body, with the account's required defaults (Cin7 requires every one of them). */
export function toCin7NewCustomer(draft: ErpCustomerDraft, defaults: Cin7DocumentDefaults): Cin7Customer {
  const address = toCin7Address(draft.billingAddress);
  return {
    Name: toCin7CustomerName(draft),
    Status: 'Active',
    Currency: draft.currency,
    PaymentTerm: defaults.paymentTerm,
    AccountReceivable: defaults.accountReceivable,
    RevenueAccount: defaults.revenueAccount,
    TaxRule: defaults.taxRule,
    ...(defaults.priceTier === undefined ? {} : { PriceTier: defaults.priceTier }),
    Location: defaults.location,
    Comments: `Shopify customer ${draft.externalId}`,
    Contacts: [toCin7Contact(draft)],
    Addresses: address === undefined ? [] : [{ ...address, Type: 'Billing', DefaultForType: true }],
  };
}

/** @description The customer of a list whose contacts include this email (case-insensitive, exact). */
export function findCustomerByEmail(customers: Cin7Customer[], email: string): Cin7Customer | undefined {
  const wanted = email.trim().toLowerCase();
  return customers.find((customer) =>
    (customer.Contacts ?? []).some((contact) => contact.Email?.trim().toLowerCase() === wanted),
  );
}

/** @description The customer of a list whose Name carries this external id (see {@link customerToken}). */
export function findCustomerByExternalId(customers: Cin7Customer[], externalId: string): Cin7Customer | undefined {
  return customers.find((customer) => customerExternalIdFromName(customer.Name) === externalId);
}

/**
 * @description The `PUT /customer` body that brings an existing customer's contact up to date with the draft, or
 * undefined when nothing we own changed (no write, no call spent). Existing contacts are sent back with their IDs so
 * that none is lost or duplicated whether Cin7 merges or replaces the list.
 */
export function toCin7CustomerUpdate(existing: Cin7Customer, draft: ErpCustomerDraft): Cin7Customer | undefined {
  if (existing.ID === undefined) {
    return undefined;
  }
  const wanted = toCin7Contact(draft);
  const contacts = existing.Contacts ?? [];
  const email = wanted.Email?.toLowerCase();
  const index = contacts.findIndex((contact) => email !== undefined && contact.Email?.trim().toLowerCase() === email);
  const current = index >= 0 ? contacts[index] : undefined;
  if (
    current !== undefined &&
    (wanted.Phone === undefined || current.Phone === wanted.Phone) &&
    current.Name === wanted.Name
  ) {
    return undefined;
  }
  if (current === undefined && email === undefined) {
    // Nothing to match a contact on (no email): leave the customer as it is.
    return undefined;
  }
  const merged: Cin7Contact[] =
    current === undefined
      ? [...contacts, wanted]
      : contacts.map((contact, i) =>
          i === index ? { ...contact, Name: wanted.Name, Phone: wanted.Phone ?? contact.Phone } : contact,
        );
  return { ID: existing.ID, Name: existing.Name, Contacts: merged };
}

function toCin7Contact(draft: ErpCustomerDraft): Cin7Contact {
  const name = [draft.firstName, draft.lastName].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    Name: name || draft.company || draft.email || 'Shopify customer',
    ...(draft.email === undefined ? {} : { Email: draft.email }),
    ...(draft.phone === undefined ? {} : { Phone: draft.phone }),
    Default: true,
    IncludeInEmail: true,
  };
}

// ---------------------------------------------------------------------------------------------- sales

/** @description `POST /sale` (or, with `ID`, `PUT /sale`) body: the sale header. */
export function toCin7SaleHeader(
  draft: ErpSalesOrderDraft,
  customer: ErpRecordRef,
  defaults: Cin7DocumentDefaults,
  saleId?: string,
): Cin7SaleHeader {
  return {
    ...(saleId === undefined ? {} : { ID: saleId }),
    CustomerID: customer.erpId,
    ...(draft.email === undefined ? {} : { Email: draft.email }),
    ...(draft.shippingAddress?.phone === undefined ? {} : { Phone: draft.shippingAddress.phone }),
    Location: defaults.location,
    TaxRule: defaults.taxRule,
    TaxInclusive: draft.taxesIncluded,
    SkipQuote: true,
    ExternalID: draft.externalId,
    CustomerReference: draft.reference,
    SaleOrderDate: toCin7Date(draft.orderDate),
    Currency: draft.currency,
    ...(draft.note === undefined ? {} : { Note: draft.note }),
    ...optional('BillingAddress', toCin7Address(draft.billingAddress)),
    ...optional('ShippingAddress', toCin7Address(draft.shippingAddress)),
  };
}

/**
 * @description `POST /sale/order` body. Cin7 line and charge `Discount`s are percentages, so the Shopify discount
 * amount becomes `discount / (quantity × price) × 100` with 4 decimals; `Total` is Shopify's line total (before tax).
 * The Memo carries Shopify's `updated_at` (see {@link formatOrderMemo}).
 */
export function toCin7SaleOrder(
  saleId: string,
  draft: ErpSalesOrderDraft,
  productIds: Cin7ProductIds,
  defaults: Cin7DocumentDefaults,
  status: 'AUTHORISED' | 'DRAFT' = defaults.orderStatus,
): Cin7SaleOrder {
  const lines: Cin7SaleLine[] = draft.lines.map((line) => {
    const price = amount(line.unitPrice);
    return {
      ProductID: productIdFor(productIds, line.sku),
      SKU: line.sku,
      Name: line.description,
      Quantity: line.quantity,
      Price: price,
      Discount: discountPercent(amount(line.discountAmount), line.quantity * price),
      Tax: amount(line.taxAmount),
      TaxRule: defaults.taxRule,
      Total: amount(line.lineTotal),
      Comment: `Shopify line ${line.externalLineId}`,
    };
  });
  const charges: Cin7AdditionalCharge[] = draft.shippingLines.map((shipping) => {
    const price = amount(shipping.amount);
    const discount = amount(shipping.discountAmount);
    return {
      Description: shipping.description || shipping.code || 'Shipping',
      Price: price,
      Quantity: 1,
      Discount: discountPercent(discount, price),
      Tax: amount(shipping.taxAmount),
      TaxRule: defaults.taxRule,
      Total: round(price - discount, 4),
    };
  });
  const total = amount(draft.total);
  const tax = amount(draft.taxTotal);
  return {
    SaleID: saleId,
    Memo: formatOrderMemo(draft),
    Status: status,
    Lines: lines,
    AdditionalCharges: charges,
    // Shopify's total includes tax whether or not prices did.
    TotalBeforeTax: round(total - tax, 2),
    Tax: tax,
    Total: total,
  };
}

/** @description The sale order Memo: Shopify's order note, then `[shopify-updated-at:<iso>]`. */
export function formatOrderMemo(draft: Pick<ErpSalesOrderDraft, 'note' | 'sourceUpdatedAt' | 'cancelReason'>): string {
  const parts = [draft.note, draft.cancelReason === undefined ? undefined : `Cancelled: ${draft.cancelReason}`];
  parts.push(`[${CIN7_UPDATED_AT_MARKER}:${draft.sourceUpdatedAt}]`);
  return parts.filter((part) => part !== undefined && part !== '').join('\n');
}

/** @description Shopify's `updated_at` stored in a Memo by {@link formatOrderMemo}, if any. */
export function readUpdatedAtFromMemo(memo: string | null | undefined): string | undefined {
  return new RegExp(`\\[${CIN7_UPDATED_AT_MARKER}:([^\\]]+)\\]`).exec(memo ?? '')?.[1];
}

// ---------------------------------------------------------------------------------------------- credit notes

/** @description The Memo token that makes a credit note findable by its Shopify refund id. */
export function refundToken(refundExternalId: string): string {
  return `[${CIN7_REFUND_MARKER}:${refundExternalId}]`;
}

/** @description The credit note of a sale that records this Shopify refund, if it was already created. */
export function findCreditNote(
  notes: Cin7CreditNote[] | undefined,
  refundExternalId: string,
): Cin7CreditNote | undefined {
  const token = refundToken(refundExternalId);
  return (notes ?? []).find((note) => note.Memo?.includes(token) === true);
}

/** @description The refund id a credit note Memo carries, if it was made by {@link toCin7CreditNote}. */
export function readRefundIdFromMemo(memo: string | null | undefined): string | undefined {
  return new RegExp(`\\[${CIN7_REFUND_MARKER}:([^\\]]+)\\]`).exec(memo ?? '')?.[1];
}

/**
 * @description `POST /sale/creditnote` body for a Shopify refund: refunded lines at their per-unit refunded amount,
 * refunded shipping and order adjustments as additional charges, and the refund id in the Memo.
 */
export function toCin7CreditNote(
  saleId: string,
  draft: ErpRefundDraft,
  productIds: Cin7ProductIds,
  defaults: Cin7DocumentDefaults,
): Cin7CreditNote {
  const lines: Cin7SaleLine[] = draft.lines.map((line) => {
    const total = amount(line.amount);
    return {
      ProductID: productIdFor(productIds, line.sku),
      SKU: line.sku,
      Name: line.description,
      Quantity: line.quantity,
      Price: line.quantity === 0 ? 0 : round(total / line.quantity, 4),
      Discount: 0,
      Tax: amount(line.taxAmount),
      TaxRule: defaults.taxRule,
      Total: total,
      Comment: line.restock ? 'Restock' : 'No restock',
    };
  });
  const charges: Cin7AdditionalCharge[] = [];
  for (const [description, value] of [
    ['Shipping refund', amount(draft.shippingAmount)],
    ['Refund adjustment', amount(draft.adjustmentAmount)],
  ] as const) {
    if (value !== 0) {
      charges.push({
        Description: description,
        Price: value,
        Quantity: 1,
        Discount: 0,
        Tax: 0,
        TaxRule: defaults.taxRule,
        Total: value,
      });
    }
  }
  const total = amount(draft.total);
  const tax = amount(draft.taxTotal);
  return {
    TaskID: saleId,
    CreditNoteDate: toCin7Date(draft.refundDate),
    Memo: [draft.note, `Shopify refund of ${draft.orderReference}`, refundToken(draft.externalId)]
      .filter((part) => part !== undefined && part !== '')
      .join('\n'),
    Status: defaults.creditNoteStatus,
    Lines: lines,
    AdditionalCharges: charges,
    TotalBeforeTax: round(total - tax, 2),
    Tax: tax,
    Total: total,
  };
}

// ---------------------------------------------------------------------------------------------- delta reads

/** @description Family membership of a product: its family's id and its option values by option name. */
export interface Cin7FamilyMembership {
  familyId: string;
  options: Record<string, string>;
}

/** @description Product id → family membership, from `GET /productFamily` answers. */
export function indexFamilies(families: Cin7ProductFamily[]): Map<string, Cin7FamilyMembership> {
  const index = new Map<string, Cin7FamilyMembership>();
  for (const family of families) {
    if (family.ID === undefined) {
      continue;
    }
    const names = [family.Option1Name, family.Option2Name, family.Option3Name];
    for (const product of family.Products ?? []) {
      if (product.ID === undefined) {
        continue;
      }
      const options: Record<string, string> = {};
      [product.Option1, product.Option2, product.Option3].forEach((value, i) => {
        const name = names[i];
        if (name && value) {
          options[name] = value;
        }
      });
      index.set(product.ID, { familyId: family.ID, options });
    }
  }
  return index;
}

/**
 * @description A Cin7 product as an item change: PriceTier1 is the selling price (the tier Shopify sells at is
 * configurable by name through `priceTierName`), AverageCost the cost, Status `Active` → active.
 */
export function toErpItemChange(
  product: Cin7Product,
  families: ReadonlyMap<string, Cin7FamilyMembership>,
  priceTierName?: string,
): ErpItemChange | undefined {
  if (product.ID === undefined || product.SKU === undefined || product.LastModifiedOn === undefined) {
    return undefined;
  }
  const price =
    priceTierName === undefined ? product.PriceTier1 : (product.PriceTiers?.[priceTierName] ?? product.PriceTier1);
  const membership = families.get(product.ID);
  return {
    erpItemId: product.ID,
    sku: product.SKU,
    name: product.Name ?? product.SKU,
    ...(price === undefined || price === null ? {} : { price: formatAmount(price) }),
    ...(product.AverageCost === undefined || product.AverageCost === null
      ? {}
      : { cost: formatAmount(product.AverageCost) }),
    ...(product.Barcode ? { barcode: product.Barcode } : {}),
    ...(membership === undefined ? {} : { parentErpItemId: membership.familyId, options: membership.options }),
    active: (product.Status ?? 'Active').toLowerCase() === 'active',
    lastModified: fromCin7Date(product.LastModifiedOn),
  };
}

/**
 * @description Sums availability rows (one per product × location × batch/bin) into one level per product and
 * location. Cin7 names locations, so the location name is the ERP location id.
 */
export function aggregateAvailability(rows: Cin7AvailabilityRow[]): ErpInventoryLevel[] {
  const levels = new Map<string, ErpInventoryLevel>();
  for (const row of rows) {
    if (row.ID === undefined || row.SKU === undefined || row.Location === undefined) {
      continue;
    }
    const key = `${row.ID}\u0000${row.Location}`;
    const level = levels.get(key) ?? {
      erpItemId: row.ID,
      sku: row.SKU,
      erpLocationId: row.Location,
      locationName: row.Location,
      onHand: 0,
      available: 0,
      committed: 0,
    };
    level.onHand = round(level.onHand + (row.OnHand ?? 0), 4);
    level.available = round(level.available + (row.Available ?? 0), 4);
    level.committed = round((level.committed ?? 0) + (row.Allocated ?? 0), 4);
    levels.set(key, level);
  }
  return [...levels.values()];
}

/**
 * @description Whether a sale list entry has anything shipped, so that only those sales are fetched in full (each
 * `GET /sale` spends one of the 60 calls a minute).
 */
export function saleHasShipments(entry: Cin7SaleListEntry): boolean {
  if (entry.ExternalID === undefined || entry.ExternalID === null || entry.ExternalID === '') {
    return false;
  }
  const status = (entry.CombinedShippingStatus ?? '').toUpperCase();
  const tracking = (entry.CombinedTrackingNumbers ?? '').trim();
  return tracking !== '' || (status.includes('SHIPPED') && !status.startsWith('NOT'));
}

/**
 * @description The shipped fulfilments of a sale: tracking numbers, carrier and URL from the Ship lines marked
 * shipped, the shipped quantities from the Pack lines (Pick lines when there are none). `lastModified` is the
 * sale's `Updated` from the list (Cin7 has no per-fulfilment modification time).
 */
export function toErpShipments(entry: Cin7SaleListEntry, sale: Cin7Sale): ErpShipment[] {
  const orderExternalId = sale.ExternalID ?? entry.ExternalID ?? undefined;
  const updated = entry.Updated ?? sale.LastModifiedOn;
  if (orderExternalId === undefined || orderExternalId === '' || updated === undefined) {
    return [];
  }
  const shipments: ErpShipment[] = [];
  for (const fulfilment of sale.Fulfilments ?? []) {
    const shipped = (fulfilment.Ship?.Lines ?? []).filter((line) => line.IsShipped === true);
    if (fulfilment.TaskID === undefined || shipped.length === 0) {
      continue;
    }
    const quantities = new Map<string, number>();
    const sourceLines = (fulfilment.Pack?.Lines ?? []).length > 0 ? fulfilment.Pack?.Lines : fulfilment.Pick?.Lines;
    for (const line of sourceLines ?? []) {
      if (line.SKU !== undefined) {
        quantities.set(line.SKU, (quantities.get(line.SKU) ?? 0) + (line.Quantity ?? 0));
      }
    }
    const dates = shipped
      .map((line) => line.ShipmentDate)
      .filter((date): date is string => !!date)
      .sort();
    shipments.push({
      erpShipmentId: fulfilment.TaskID,
      orderExternalId,
      trackingNumbers: unique(shipped.map((line) => line.TrackingNumber?.trim() ?? '').filter((n) => n !== '')),
      ...optional('carrier', shipped.find((line) => line.Carrier)?.Carrier ?? undefined),
      ...optional('trackingUrl', shipped.find((line) => line.TrackingURL)?.TrackingURL ?? undefined),
      shippedAt: fromCin7Date(dates[dates.length - 1] ?? updated),
      lines: [...quantities.entries()].map(([sku, quantity]) => ({ sku, quantity })),
      lastModified: fromCin7Date(updated),
    });
  }
  return shipments;
}

// ---------------------------------------------------------------------------------------------- cursors and dates

/** @description What an opaque delta cursor holds: the next Cin7 page, and rows carried over a page boundary. */
export interface Cin7Cursor {
  page: number;
  carry?: Cin7AvailabilityRow[];
}

export function encodeCursor(cursor: Cin7Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** @description Reads a cursor made by {@link encodeCursor}; anything else is a caller bug (Permanent). */
export function decodeCursor(cursor: string | undefined): Cin7Cursor {
  if (cursor === undefined) {
    return { page: 1 };
  }
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cin7Cursor;
    if (Number.isInteger(value.page) && value.page >= 1 && (value.carry === undefined || Array.isArray(value.carry))) {
      return value;
    }
  } catch {
    // fall through
  }
  throw new ErpError(ErrorKind.Permanent, 'Invalid Cin7 delta cursor', { vendorCode: 'INVALID_CURSOR' });
}

/** @description An ISO instant in Cin7's parameter format `yyyy-MM-ddTHH:mm:ss.fff` (UTC, no zone suffix). */
export function toCin7Date(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().slice(0, 23);
}

/** @description A Cin7 date (UTC, usually without a zone suffix) as an ISO 8601 instant. */
export function fromCin7Date(value: string): string {
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

// ---------------------------------------------------------------------------------------------- helpers

/** @description The address in Cin7's shape; undefined when there is none. Country stays the ISO alpha-2 code. */
export function toCin7Address(address: ErpAddress | undefined): Cin7Address | undefined {
  if (address === undefined) {
    return undefined;
  }
  const mapped: Cin7Address = {
    ...optional('Line1', address.line1),
    ...optional('Line2', address.line2),
    ...optional('City', address.city),
    ...optional('State', address.region),
    ...optional('Postcode', address.postalCode),
    ...optional('Country', address.countryCode),
    ...optional('Company', address.company),
    ...optional('Contact', address.name),
  };
  return Object.keys(mapped).length === 0 ? undefined : mapped;
}

/** @description A discount amount as Cin7's percentage of the gross amount (4 decimals; 0 when nothing is gross). */
export function discountPercent(discount: number, gross: number): number {
  return gross <= 0 || discount <= 0 ? 0 : round((discount / gross) * 100, 4);
}

/** @description A Cin7 number as a money string with at least two decimals ("19.5" → "19.50", 1.2345 kept). */
export function formatAmount(value: number): Money {
  return round(value, 4)
    .toFixed(4)
    .replace(/0{1,2}$/, '');
}

function productIdFor(productIds: Cin7ProductIds, sku: string): string {
  const id = productIds.get(sku);
  if (id === undefined) {
    throw new ErpError(ErrorKind.Permanent, `Unknown SKU ${sku}: no Cin7 product has it`, {
      vendorCode: 'UNKNOWN_SKU',
    });
  }
  return id;
}

function amount(value: Money): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function optional<K extends string, V>(key: K, value: V | undefined | null | ''): { [P in K]?: V } {
  return value === undefined || value === null || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}
