import { ErrorKind } from 'src/common/errors/app-error';
import {
  CIN7_REFUND_MARKER,
  CIN7_RETURN_MARKER,
  CIN7_UPDATED_AT_MARKER,
} from 'src/modules/erp/connectors/cin7/cin7.constants';
import type {
  Cin7AdditionalCharge,
  Cin7Address,
  Cin7Contact,
  Cin7CreditNote,
  Cin7Customer,
  Cin7SaleHeader,
  Cin7SaleLine,
  Cin7SaleOrder,
  Cin7SalePayment,
} from 'src/modules/erp/connectors/cin7/cin7.types';
import { mappedPaymentTerms } from 'src/modules/erp/connectors/shared/payment-terms';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpAddress,
  ErpCustomerDraft,
  ErpPaymentDraft,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpSalesOrderDraft,
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
  /** B2B: Shopify payment terms name → Cin7 payment term name (ERP_PAYMENT_TERMS_MAP). */
  paymentTermsMap?: Readonly<Record<string, string>>;
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

/**
 * @description `POST /sale` (or, with `ID`, `PUT /sale`) body: the sale header. `CustomerReference` ("could be a
 * purchase order number generated by customer", Cin7's Sale) is the B2B order's PO number, else the mapping's or
 * Shopify's order name; `Terms` the mapped payment terms of a B2B order.
 */
export function toCin7SaleHeader(
  draft: ErpSalesOrderDraft,
  customer: ErpRecordRef,
  defaults: Cin7DocumentDefaults,
  saleId?: string,
): Cin7SaleHeader {
  // The shop's mapping (draft.mapped) overrides the environment's defaults field by field.
  const mapped = draft.mapped?.values ?? {};
  const note = mapped.memo ?? draft.note;
  const currencies = draft.currencies;
  // The shop currency is taken to be Cin7's base currency; the rate is only sent for an order in another currency.
  const currencyRate =
    currencies !== undefined &&
    currencies.presentmentCurrency !== currencies.shopCurrency &&
    draft.currency === currencies.presentmentCurrency
      ? Number(currencies.exchangeRate)
      : undefined;
  return {
    ...(saleId === undefined ? {} : { ID: saleId }),
    CustomerID: customer.erpId,
    ...(draft.email === undefined ? {} : { Email: draft.email }),
    ...(draft.shippingAddress?.phone === undefined ? {} : { Phone: draft.shippingAddress.phone }),
    Location: mapped.location ?? defaults.location,
    TaxRule: defaults.taxRule,
    TaxInclusive: draft.taxesIncluded,
    SkipQuote: true,
    ExternalID: draft.externalId,
    CustomerReference: mapped.poNumber ?? draft.purchaseOrderNumber ?? draft.reference,
    ...optional('Terms', mappedPaymentTerms(draft.paymentTerms, defaults.paymentTermsMap)),
    SaleOrderDate: toCin7Date(draft.orderDate),
    Currency: draft.currency,
    ...(currencyRate === undefined ? {} : { CurrencyRate: currencyRate }),
    ...(note === undefined ? {} : { Note: note }),
    ...optional('Carrier', mapped.shipMethod),
    ...optional('SalesRepresentative', mapped.salesRepresentative),
    ...optional('ShippingNotes', mapped.shippingNotes),
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
      TaxRule: line.taxCode ?? defaults.taxRule,
      Total: amount(line.lineTotal),
      Comment: `Shopify line ${line.externalLineId}`,
    };
  });
  const charges: Cin7AdditionalCharge[] = draft.shippingLines.map((shipping) => {
    const price = amount(shipping.amount);
    const discount = amount(shipping.discountAmount);
    return {
      Description: draft.mapped?.values.shippingItem ?? (shipping.description || shipping.code || 'Shipping'),
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

/** @description A tender's `Reference` on its sale payment: `shopify-tx-<Shopify transaction id>`, our key. */
export function paymentReference(draft: Pick<ErpPaymentDraft, 'externalId'>): string {
  return `shopify-tx-${draft.externalId}`;
}

/**
 * @description Maps a tender to Cin7 Core's sale payment of type `PREPAYMENT` against the sale (`TaskID` the SaleID):
 * the amount in the sale's currency, the payment date, our key as `Reference`, and the account code
 * ERP_PAYMENT_METHOD_MAP gives for the gateway as `Account` (absent = Cin7's default payment account). Pure.
 */
export function toCin7SalePayment(saleId: string, draft: ErpPaymentDraft): Cin7SalePayment {
  const rate = draft.exchangeRate;
  return {
    TaskID: saleId,
    Type: 'PREPAYMENT',
    Reference: paymentReference(draft),
    Amount: amount(draft.amount),
    DatePaid: toCin7Date(draft.paidAt),
    ...(draft.paymentMethod === undefined ? {} : { Account: draft.paymentMethod }),
    ...(rate === undefined ? {} : { CurrencyRate: Number(rate) }),
  };
}

// ---------------------------------------------------------------------------------------------- helpers

/** @description An ISO instant in Cin7's parameter format `yyyy-MM-ddTHH:mm:ss.fff` (UTC, no zone suffix). */
export function toCin7Date(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().slice(0, 23);
}

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

/** A number rounded half away from zero to `decimals` places (Cin7 keeps 4). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}

/** The values, each once, in first-seen order. */
export function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `{ [key]: value }` when there is a value, else nothing to spread. */
export function optional<K extends string, V>(key: K, value: V | undefined | null | ''): { [P in K]?: V } {
  return value === undefined || value === null || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** @description The Memo token of the credit note that records this Shopify return. */
export function returnToken(returnExternalId: string): string {
  return `[${CIN7_RETURN_MARKER}:${returnExternalId}]`;
}

/** @description The credit note of a sale that records this Shopify return, if it was already created. */
export function findReturnNote(
  notes: Cin7CreditNote[] | undefined,
  returnExternalId: string,
): Cin7CreditNote | undefined {
  const token = returnToken(returnExternalId);
  return (notes ?? []).find((note) => note.Memo?.includes(token) === true);
}

/**
 * @description Maps a return draft to a **DRAFT** sale credit note (`POST /sale/creditnote`): Cin7 Core has no return
 * authorisation document, and a draft credit note is its return-to-be, which moves neither money nor stock until a
 * user authorises it. Lines carry SKU and quantity at price 0 (the refund's own, authorised credit note carries
 * the money) and say in `Comment` whether the goods go back to stock. Pure.
 */
export function toCin7ReturnNote(
  saleId: string,
  draft: ErpReturnDraft,
  productIds: Cin7ProductIds,
  defaults: Cin7DocumentDefaults,
): Cin7CreditNote {
  return {
    TaskID: saleId,
    CreditNoteDate: draft.returnDate.slice(0, 10),
    Memo: `Shopify return ${draft.name} of order ${draft.orderReference}; no money here: the refund's credit note carries it ${returnToken(draft.externalId)}`,
    Status: 'DRAFT',
    Lines: draft.lines.map((line) => ({
      ProductID: productIdFor(productIds, line.sku),
      SKU: line.sku,
      Name: line.description,
      Quantity: line.quantity,
      Price: 0,
      Discount: 0,
      Tax: 0,
      TaxRule: defaults.taxRule,
      Total: 0,
      Comment: `${line.restock ? 'Restock' : 'No restock'}${line.reason === undefined ? '' : ` (${line.reason})`}`,
    })),
    AdditionalCharges: [],
    TotalBeforeTax: 0,
    Tax: 0,
    Total: 0,
  };
}
