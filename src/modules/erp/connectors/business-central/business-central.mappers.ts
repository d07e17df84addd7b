import { ErrorKind } from 'src/common/errors/app-error';
import {
  BC_COMMENT_PREFIX,
  BC_REFUND_DOCUMENT_PREFIX,
  BC_RETURN_DOCUMENT_PREFIX,
  BC_VARIANT_ID_SEPARATOR,
  BUSINESS_CENTRAL_DESCRIPTION_MAX,
  BUSINESS_CENTRAL_EXTERNAL_DOCUMENT_NUMBER_MAX,
} from 'src/modules/erp/connectors/business-central/business-central.constants';
import type {
  BcCustomerBody,
  BcLineType,
  BcSalesOrderHeader,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpAddress,
  ErpCustomerDraft,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpSalesOrderDraft,
  Money,
} from 'src/modules/erp/port/erp.types';

const EPSILON = 0.000_001;

/** Field lengths of BC's customer and sales header tables; longer values make BC refuse the whole write. */
const MAX = { name: 100, address: 100, city: 30, state: 30, postCode: 20, country: 10, phone: 30, email: 80 };

/** @description A line to write: the body of a POST, and what an existing line is compared with. */
export interface BcLineBody {
  lineType: BcLineType;
  itemId?: string;
  itemVariantId?: string;
  lineObjectNumber?: string;
  description: string;
  quantity?: number;
  unitPrice?: number;
  discountAmount?: number;
}

/** @description How the connector's mapping options are set for one company. */
export interface BcMappingOptions {
  shippingAccountNumber: string;
  refundAccountNumber: string;
  localCurrencyCode?: string;
}

/** An OData string literal: single quotes, inner quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `field eq 'value'`, escaped. */
export function eqFilter(field: string, value: string): string {
  return `${field} eq ${odataString(value)}`;
}

/**
 * `field eq 'a' or field eq 'b' …` for each value, escaped, split into as few filters as keep each one's
 * percent-encoded length within `maxEncodedChars` (a value too long for a filter of its own still gets one).
 */
export function anyOfFilters(field: string, values: readonly string[], maxEncodedChars: number): string[] {
  const filters: string[] = [];
  let current = '';
  for (const value of values) {
    const term = eqFilter(field, value);
    const joined = current === '' ? term : `${current} or ${term}`;
    if (current !== '' && encodeURIComponent(joined).length > maxEncodedChars) {
      filters.push(current);
      current = term;
    } else {
      current = joined;
    }
  }
  return current === '' ? filters : [...filters, current];
}

/** OData query options: `$` kept literal, values percent-encoded (spaces as %20, not `+`). */
export function queryString(params: Record<string, string>): string {
  const parts = Object.entries(params).map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** The date part of an ISO 8601 timestamp, in the timestamp's own offset (the shop's local date). */
export function bcDate(iso: string): string {
  return iso.slice(0, 10);
}

/** `gid://shopify/Refund/123` → `123`; a plain id stays. */
export function shopifyNumericId(id: string): string {
  const match = /\/(\d+)$/.exec(id);
  return match?.[1] ?? id;
}

/** The sales order's `externalDocumentNumber`: the Shopify order id, which must fit Code[35]. */
export function orderDocumentNumber(draft: Pick<ErpSalesOrderDraft, 'externalId'>): string {
  return checkDocumentNumber(draft.externalId, 'sales order');
}

/** The credit memo's `externalDocumentNumber`: `SR-<Shopify refund id>`. */
export function refundDocumentNumber(draft: Pick<ErpRefundDraft, 'externalId'>): string {
  return checkDocumentNumber(`${BC_REFUND_DOCUMENT_PREFIX}${shopifyNumericId(draft.externalId)}`, 'credit memo');
}

/** The return's draft credit memo `externalDocumentNumber`: `RMA-<Shopify return id>`. */
export function returnDocumentNumber(draft: Pick<ErpReturnDraft, 'externalId'>): string {
  return checkDocumentNumber(`${BC_RETURN_DOCUMENT_PREFIX}${shopifyNumericId(draft.externalId)}`, 'return');
}

/**
 * The lines of the draft credit memo that records a return. Business Central API v2.0 has no sales return order
 * entity, so the return is a `salesCreditMemo` left unposted whose lines are all `Comment` lines (SKU, quantity,
 * restock or not, reason): it credits nothing and moves no stock even if posted, since the refund's credit memo
 * (`SR-<refund id>`) carries the money and the restocked items.
 */
export function toBcReturnLines(draft: ErpReturnDraft): BcLineBody[] {
  return [
    { lineType: 'Comment', description: describe(`Shopify return ${draft.name} of ${draft.orderReference}`) },
    ...draft.lines.map((line) => ({
      lineType: 'Comment' as const,
      description: describe(
        `${line.sku} x${line.quantity} ${line.restock ? 'restock' : 'no restock'}${line.reason === undefined ? '' : ` (${line.reason})`}`,
      ),
    })),
  ];
}

/** A key that fits BC's `externalDocumentNumber`, else a Permanent error naming `what` it keys. */
export function checkDocumentNumber(value: string, what: string): string {
  if (value === '' || value.length > BUSINESS_CENTRAL_EXTERNAL_DOCUMENT_NUMBER_MAX) {
    throw new ErpError(
      ErrorKind.Permanent,
      `The ${what} key '${value}' does not fit Business Central's externalDocumentNumber (1 to ${BUSINESS_CENTRAL_EXTERNAL_DOCUMENT_NUMBER_MAX} characters)`,
      { vendorCode: 'EXTERNAL_DOCUMENT_NUMBER_TOO_LONG' },
    );
  }
  return value;
}

/**
 * The display name of a customer: company, else first and last name, else the email, else the Shopify id. A
 * customer without email is matched by this name (BC customers have no external-id field).
 */
export function customerDisplayName(draft: ErpCustomerDraft): string {
  const person = [draft.firstName, draft.lastName].filter((part) => part !== undefined && part.trim() !== '');
  const name =
    nonBlank(draft.company) ??
    (person.length > 0 ? person.join(' ') : undefined) ??
    nonBlank(draft.email) ??
    `Shopify customer ${draft.externalId}`;
  return clip(name.trim(), MAX.name)!;
}

/** Customer body for POST (and, compared with what BC has, for PATCH). */
export function toBcCustomerBody(draft: ErpCustomerDraft, options: Pick<BcMappingOptions, 'localCurrencyCode'>) {
  const address = draft.billingAddress;
  const body: BcCustomerBody = {
    displayName: customerDisplayName(draft),
    type: nonBlank(draft.company) !== undefined ? 'Company' : 'Person',
    email: clip(nonBlank(draft.email), MAX.email),
    phoneNumber: clip(nonBlank(draft.phone) ?? nonBlank(address?.phone), MAX.phone),
    addressLine1: clip(nonBlank(address?.line1), MAX.address),
    addressLine2: clip(nonBlank(address?.line2), MAX.address),
    city: clip(nonBlank(address?.city), MAX.city),
    state: clip(nonBlank(address?.region), MAX.state),
    country: clip(nonBlank(address?.countryCode), MAX.country),
    postalCode: clip(nonBlank(address?.postalCode), MAX.postCode),
    currencyCode: currencyCode(draft.currency, options.localCurrencyCode),
  };
  return dropUndefined(body);
}

/** The fields of `body` whose value differs from `existing` (currency is only set at creation). */
export function changedFields<T extends object>(existing: object, body: T, immutable: readonly string[] = []) {
  const current = existing as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (immutable.includes(key) || value === undefined) {
      continue;
    }
    if (!sameValue(current[key], value)) {
      changes[key] = value;
    }
  }
  return changes as Partial<T>;
}

/** Customer fields never changed on an existing customer: currency has ledger entries hanging off it. */
export const CUSTOMER_IMMUTABLE_FIELDS = ['currencyCode'] as const;

/**
 * Header fields never changed on an existing order: a different customer or currency makes BC recalculate (and ask
 * the user to confirm, which an API call cannot), and the external document number is our key.
 */
export const ORDER_IMMUTABLE_FIELDS = ['customerId', 'currencyCode', 'externalDocumentNumber'] as const;

/** The sales order header for a draft. Tax is BC's own calculation from its setup, never sent. */
export function toBcSalesOrderHeader(
  draft: ErpSalesOrderDraft,
  customerId: string,
  options: Pick<BcMappingOptions, 'localCurrencyCode'>,
  paymentTermsId?: string,
): BcSalesOrderHeader {
  const bill = draft.billingAddress;
  const ship = draft.shippingAddress;
  return dropUndefined({
    externalDocumentNumber: orderDocumentNumber(draft),
    orderDate: bcDate(draft.orderDate),
    customerId,
    currencyCode: currencyCode(draft.currency, options.localCurrencyCode),
    email: clip(nonBlank(draft.email), MAX.email),
    phoneNumber: clip(nonBlank(ship?.phone) ?? nonBlank(bill?.phone), MAX.phone),
    ...addressFields('billTo', bill),
    ...addressFields('shipTo', ship),
    shipToContact: clip(nonBlank(ship?.name), MAX.name),
    // From the shop's mapping (draft.mapped); absent = BC's own defaults for the customer.
    shipmentMethodId: nonBlank(draft.mapped?.values.shipMethod),
    salesperson: nonBlank(draft.mapped?.values.salesperson),
    // B2B: the payment terms ERP_PAYMENT_TERMS_MAP gives; absent = the customer's.
    paymentTermsId,
  });
}

function addressFields(prefix: 'billTo' | 'shipTo', address: ErpAddress | undefined): Partial<BcSalesOrderHeader> {
  if (address === undefined) {
    return {};
  }
  return {
    [`${prefix}Name`]: clip(nonBlank(address.company) ?? nonBlank(address.name), MAX.name),
    [`${prefix}AddressLine1`]: clip(nonBlank(address.line1), MAX.address),
    [`${prefix}AddressLine2`]: clip(nonBlank(address.line2), MAX.address),
    [`${prefix}City`]: clip(nonBlank(address.city), MAX.city),
    [`${prefix}State`]: clip(nonBlank(address.region), MAX.state),
    [`${prefix}Country`]: clip(nonBlank(address.countryCode), MAX.country),
    [`${prefix}PostCode`]: clip(nonBlank(address.postalCode), MAX.postCode),
  };
}

/**
 * The lines a sales order should have: one `Item` line per Shopify line (quantity, unit price, discount amount),
 * one `Account` line per shipping charge on the shipping G/L account, and the connector's `Comment` lines
 * (reference, `Shopify updated_at <iso>`, and `Shopify cancelled…` when cancelled). A cancelled order keeps its
 * lines with quantity 0 (and no discount, which BC forbids on an empty line): nothing left to ship or invoice.
 *
 * `erpItemIds` maps each SKU to its ERP id (`<itemId>` or `<itemId>:<variantId>`).
 */
export function toBcOrderLines(
  draft: ErpSalesOrderDraft,
  erpItemIds: ReadonlyMap<string, string>,
  options: Pick<BcMappingOptions, 'shippingAccountNumber'>,
): BcLineBody[] {
  const cancelled = draft.status === 'cancelled';
  const lines: BcLineBody[] = draft.lines.map((line) => {
    const { itemId, variantId } = parseErpItemId(requireItemId(erpItemIds, line.sku));
    return dropUndefined({
      lineType: 'Item' as const,
      itemId,
      itemVariantId: variantId,
      description: describe(line.description || line.sku),
      quantity: cancelled ? 0 : line.quantity,
      unitPrice: money(line.unitPrice),
      discountAmount: cancelled ? 0 : money(line.discountAmount),
    });
  });
  for (const shipping of draft.shippingLines) {
    lines.push({
      lineType: 'Account',
      lineObjectNumber: nonBlank(draft.mapped?.values.shippingItem) ?? options.shippingAccountNumber,
      description: describe(shipping.description || shipping.code || 'Shipping'),
      quantity: cancelled ? 0 : 1,
      unitPrice: money(shipping.amount),
      discountAmount: cancelled ? 0 : money(shipping.discountAmount),
    });
  }
  lines.push(comment(`${BC_COMMENT_PREFIX.reference}${draft.reference}`));
  const po = nonBlank(draft.purchaseOrderNumber);
  if (po !== undefined) {
    lines.push(comment(`${BC_COMMENT_PREFIX.purchaseOrder}${po}`));
  }
  if (cancelled) {
    const reason = nonBlank(draft.cancelReason);
    lines.push(
      comment(reason === undefined ? BC_COMMENT_PREFIX.cancelled : `${BC_COMMENT_PREFIX.cancelled}: ${reason}`),
    );
  }
  lines.push(comment(`${BC_COMMENT_PREFIX.updatedAt}${draft.sourceUpdatedAt}`));
  return lines;
}

/**
 * The credit memo for a refund: restocked lines as `Item` lines (posting returns the goods to stock), lines not
 * restocked and order adjustments on the refund G/L account, refunded shipping on the shipping account, and a
 * comment naming the Shopify refund and order. Amounts are before tax; BC adds tax from its setup.
 */
export function toBcCreditMemoLines(
  draft: ErpRefundDraft,
  erpItemIds: ReadonlyMap<string, string>,
  options: Pick<BcMappingOptions, 'shippingAccountNumber' | 'refundAccountNumber'>,
): BcLineBody[] {
  const lines: BcLineBody[] = [];
  for (const line of draft.lines) {
    const amount = money(line.amount);
    if (line.restock && line.quantity > 0) {
      const { itemId, variantId } = parseErpItemId(requireItemId(erpItemIds, line.sku));
      lines.push(
        dropUndefined({
          lineType: 'Item' as const,
          itemId,
          itemVariantId: variantId,
          description: describe(line.description || line.sku),
          quantity: line.quantity,
          unitPrice: round5(amount / line.quantity),
        }),
      );
    } else {
      lines.push({
        lineType: 'Account',
        lineObjectNumber: options.refundAccountNumber,
        description: describe(`${line.sku} x${line.quantity} ${line.description} (not restocked)`),
        quantity: 1,
        unitPrice: amount,
      });
    }
  }
  if (money(draft.shippingAmount) !== 0) {
    lines.push({
      lineType: 'Account',
      lineObjectNumber: options.shippingAccountNumber,
      description: 'Shipping refund',
      quantity: 1,
      unitPrice: money(draft.shippingAmount),
    });
  }
  if (money(draft.adjustmentAmount) !== 0) {
    lines.push({
      lineType: 'Account',
      lineObjectNumber: options.refundAccountNumber,
      description: 'Refund adjustment',
      quantity: 1,
      unitPrice: money(draft.adjustmentAmount),
    });
  }
  lines.push(comment(`Shopify refund ${shopifyNumericId(draft.externalId)} of order ${draft.orderReference}`));
  return lines;
}

/** The SKUs whose items a refund's lines need (restocked lines only). */
export function refundSkus(draft: ErpRefundDraft): string[] {
  return unique(draft.lines.filter((l) => l.restock && l.quantity > 0).map((l) => l.sku));
}

/** `<itemId>` or `<itemId>:<variantId>` → its parts. */
export function parseErpItemId(erpItemId: string): { itemId: string; variantId?: string } {
  const [itemId = erpItemId, variantId] = erpItemId.split(BC_VARIANT_ID_SEPARATOR);
  return variantId === undefined || variantId === '' ? { itemId } : { itemId, variantId };
}

/** The ERP id of an item variant. */
export function variantErpItemId(itemId: string, variantId: string): string {
  return `${itemId}${BC_VARIANT_ID_SEPARATOR}${variantId}`;
}

function comment(description: string): BcLineBody {
  return { lineType: 'Comment', description: describe(description) };
}

function requireItemId(erpItemIds: ReadonlyMap<string, string>, sku: string): string {
  const id = erpItemIds.get(sku);
  if (id === undefined) {
    throw unknownSku(sku);
  }
  return id;
}

/** The Permanent error for a SKU no Business Central item or variant has. */
export function unknownSku(sku: string): ErpError {
  return new ErpError(ErrorKind.Permanent, `Unknown SKU '${sku}': no Business Central item or item variant has it`, {
    vendorCode: 'UNKNOWN_SKU',
  });
}

function currencyCode(currency: string, localCurrencyCode: string | undefined): string | undefined {
  const code = currency.trim().toUpperCase();
  if (code === '' || (localCurrencyCode !== undefined && code === localCurrencyCode.trim().toUpperCase())) {
    return undefined;
  }
  return code;
}

/** Equal values as BC compares them: numbers within a millionth, blanks as empty. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) < EPSILON;
  }
  return (a ?? '') === (b ?? '');
}

/** A decimal string as a number for BC's JSON (0 when it is no number). */
export function money(value: Money): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Rounded to BC's 5 decimals. */
export function round5(value: number): number {
  return Number(value.toFixed(5));
}

/** A one-line description that fits BC's Description field. */
export function describe(text: string): string {
  return clip(text.replace(/\s+/g, ' ').trim(), BUSINESS_CENTRAL_DESCRIPTION_MAX) ?? '';
}

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : value.slice(0, max);
}

/** The text, or undefined when it is blank. */
export function nonBlank(value: string | undefined | null): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The object without its undefined fields. */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
