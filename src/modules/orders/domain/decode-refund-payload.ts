import { exactIntegerField } from 'src/common/json/exact-integer-field';
import {
  CURRENCY,
  array,
  count,
  idOf,
  instant,
  object,
  optionalFields,
  string,
} from 'src/modules/orders/domain/decode-payload-fields';
import { isDecimalString } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type {
  ShopifyOrderAdjustment,
  ShopifyRefundLineItem,
  ShopifyRefundPayload,
  ShopifyRefundTransaction,
} from 'src/modules/orders/domain/shopify-refund.payload';

type JsonObject = Record<string, unknown>;

/**
 * Validates a `refunds/create` webhook body (already JSON-parsed) and returns the fields the ERP mapping reads.
 * Amounts are read from the `*_set.shop_money` strings when present (exact), else from the plain fields.
 * `order_id` is a bare JSON number that JSON.parse rounds above 2^53 (Shopify's own sample ids are that large), so
 * it is taken from the raw body text when given.
 *
 * @throws OrderError(InvalidPayload) naming the first offending field path.
 */
export function decodeRefundPayload(value: unknown, rawText?: string): ShopifyRefundPayload {
  const refund = object(value, 'refund');
  const currencies: string[] = [];
  const lines = array(refund.refund_line_items ?? [], 'refund_line_items').map((item, index) =>
    decodeRefundLine(item, `refund_line_items[${index}]`, currencies),
  );
  const shipping = array(refund.refund_shipping_lines ?? [], 'refund_shipping_lines').map((item, index) => {
    const path = `refund_shipping_lines[${index}]`;
    const line = object(item, path);
    return {
      subtotal: amountOf(line, 'subtotal_amount', path, currencies),
      tax: amountOf(line, 'tax_amount', path, currencies, '0'),
    };
  });
  const adjustments = array(refund.order_adjustments ?? [], 'order_adjustments').map((item, index) =>
    decodeAdjustment(item, `order_adjustments[${index}]`, currencies),
  );
  const transactions = array(refund.transactions ?? [], 'transactions').map((item, index) =>
    decodeTransaction(item, `transactions[${index}]`, currencies),
  );
  const currency = currencies.find((code) => CURRENCY.test(code));
  if (currency === undefined) {
    throw new OrderError(
      OrderErrorCode.InvalidPayload,
      'refund carries no currency (no *_set.shop_money and no transaction currency)',
    );
  }
  const optional = optionalFields(refund, '', ['note']);
  return {
    id: idOf(refund, ''),
    order_id:
      (rawText === undefined ? undefined : exactIntegerField(rawText, 'order_id')) ??
      digits(refund.order_id, 'order_id'),
    created_at: instant(refund.created_at, 'created_at'),
    ...(refund.processed_at === undefined || refund.processed_at === null
      ? {}
      : { processed_at: instant(refund.processed_at, 'processed_at') }),
    ...(typeof optional.note === 'string' ? { note: optional.note } : {}),
    refund_line_items: lines,
    refund_shipping_lines: shipping,
    order_adjustments: adjustments,
    transactions,
    currency,
  };
}

function decodeRefundLine(value: unknown, path: string, currencies: string[]): ShopifyRefundLineItem {
  const item = object(value, path);
  const lineItem =
    item.line_item === undefined || item.line_item === null ? {} : object(item.line_item, `${path}.line_item`);
  const sku = typeof lineItem.sku === 'string' && lineItem.sku.trim() !== '' ? lineItem.sku.trim() : undefined;
  return {
    id: idOf(item, path),
    line_item_id: digits(item.line_item_id, `${path}.line_item_id`),
    quantity: count(item.quantity, `${path}.quantity`),
    restock_type: typeof item.restock_type === 'string' ? item.restock_type : 'no_restock',
    subtotal: amountOf(item, 'subtotal', path, currencies),
    total_tax: amountOf(item, 'total_tax', path, currencies, '0'),
    ...(sku === undefined ? {} : { sku }),
    title: typeof lineItem.name === 'string' ? lineItem.name : typeof lineItem.title === 'string' ? lineItem.title : '',
  };
}

function decodeAdjustment(value: unknown, path: string, currencies: string[]): ShopifyOrderAdjustment {
  const adjustment = object(value, path);
  return {
    kind: string(adjustment.kind, `${path}.kind`),
    amount: amountOf(adjustment, 'amount', path, currencies, undefined, true),
    tax_amount: amountOf(adjustment, 'tax_amount', path, currencies, '0', true),
  };
}

function decodeTransaction(value: unknown, path: string, currencies: string[]): ShopifyRefundTransaction {
  const transaction = object(value, path);
  if (typeof transaction.currency === 'string') {
    currencies.push(transaction.currency);
  }
  return {
    kind: string(transaction.kind, `${path}.kind`),
    status: string(transaction.status, `${path}.status`),
    amount: amountOf(transaction, 'amount', path, currencies),
  };
}

/**
 * `<key>_set.shop_money.amount` when present, else `<key>` (a decimal string, or a JSON number Shopify's REST
 * refunds use for `subtotal` / `total_tax`, written back as its shortest decimal). Signed only where asked.
 */
function amountOf(
  owner: JsonObject,
  key: string,
  path: string,
  currencies: string[],
  fallback?: string,
  signed = false,
): string {
  const set = owner[`${key}_set`];
  if (typeof set === 'object' && set !== null) {
    const shop = (set as JsonObject).shop_money;
    if (typeof shop === 'object' && shop !== null) {
      const { amount, currency_code: code } = shop as JsonObject;
      if (typeof code === 'string') {
        currencies.push(code);
      }
      return decimal(amount, `${path}.${key}_set.shop_money.amount`, signed);
    }
  }
  const plain = owner[key];
  if ((plain === undefined || plain === null) && fallback !== undefined) {
    return fallback;
  }
  return decimal(typeof plain === 'number' && Number.isFinite(plain) ? String(plain) : plain, `${path}.${key}`, signed);
}

function decimal(value: unknown, path: string, signed: boolean): string {
  if (!isDecimalString(value) || (!signed && value.startsWith('-'))) {
    throw new OrderError(
      OrderErrorCode.InvalidPayload,
      `${path} must be a ${signed ? '' : 'non-negative '}decimal string with at most 4 decimals, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return value;
}

function digits(value: unknown, path: string): string {
  const written = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof written !== 'string' || !/^\d+$/.test(written)) {
    throw new OrderError(
      OrderErrorCode.InvalidPayload,
      `${path} must be an integer id, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return written;
}
