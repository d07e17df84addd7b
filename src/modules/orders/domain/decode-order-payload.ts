import { isDecimalString } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type {
  ShopifyAddress,
  ShopifyCustomer,
  ShopifyDiscountAllocation,
  ShopifyDiscountCode,
  ShopifyDuty,
  ShopifyLineItem,
  ShopifyMoneySet,
  ShopifyOrderPayload,
  ShopifyPaymentSchedule,
  ShopifyPaymentTerms,
  ShopifyPurchasingCompany,
  ShopifyShippingLine,
  ShopifyTaxLine,
} from 'src/modules/orders/domain/shopify-order.payload';

type JsonObject = Record<string, unknown>;

// An instant needs its offset: a local time without one would compare differently per server time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(\?.*)?$/;
const DIGITS = /^\d+$/;
export const CURRENCY = /^[A-Z]{3}$/;
const ADDRESS_FIELDS = [
  'first_name',
  'last_name',
  'name',
  'company',
  'address1',
  'address2',
  'city',
  'province',
  'province_code',
  'zip',
  'country',
  'country_code',
  'phone',
] as const;

/**
 * Validates an orders webhook body (already JSON-parsed) and returns the fields the ERP mapping reads, with every id
 * as its exact decimal string. Unknown extra fields are allowed and dropped: Shopify adds fields over time.
 *
 * @throws OrderError(InvalidPayload) naming the first offending field path, e.g. `line_items[2].price`.
 */
export function decodeOrderPayload(value: unknown): ShopifyOrderPayload {
  const order = object(value, 'order');
  return {
    id: idOf(order, ''),
    ...gidOf(order, ''),
    name: nonBlankString(order.name, 'name'),
    ...optionalFields(order, '', ['email', 'contact_email', 'phone', 'financial_status', 'note', 'cancel_reason']),
    created_at: instant(order.created_at, 'created_at'),
    updated_at: instant(order.updated_at, 'updated_at'),
    ...optionalInstants(order, ['processed_at', 'cancelled_at']),
    currency: matching(order.currency, 'currency', CURRENCY, 'a three-letter ISO 4217 code'),
    ...present(
      'presentment_currency',
      optional(order, 'presentment_currency', 'presentment_currency', (v, path) =>
        matching(v, path, CURRENCY, 'a three-letter ISO 4217 code'),
      ),
    ),
    taxes_included: boolean(order.taxes_included, 'taxes_included'),
    subtotal_price: money(order.subtotal_price, 'subtotal_price'),
    total_discounts: money(order.total_discounts, 'total_discounts'),
    total_tax: money(order.total_tax, 'total_tax'),
    total_price: money(order.total_price, 'total_price'),
    ...optionalMoney(order, [
      'current_subtotal_price',
      'current_total_discounts',
      'current_total_tax',
      'current_total_price',
      'total_tip_received',
    ]),
    ...optionalMoneySets(order, '', [
      'total_price_set',
      'subtotal_price_set',
      'total_tax_set',
      'total_discounts_set',
      'current_total_price_set',
      'current_subtotal_price_set',
      'current_total_tax_set',
      'current_total_discounts_set',
      'original_total_duties_set',
      'current_total_duties_set',
    ]),
    ...optionalFields(order, '', ['po_number']),
    ...present('company', optional(order, 'company', 'company', decodeCompany)),
    ...present('payment_terms', optional(order, 'payment_terms', 'payment_terms', decodePaymentTerms)),
    ...present('discount_codes', optional(order, 'discount_codes', 'discount_codes', decodeDiscountCodes)),
    ...present(
      'payment_gateway_names',
      optional(order, 'payment_gateway_names', 'payment_gateway_names', (v, path) =>
        array(v, path).map((name, i) => {
          if (typeof name !== 'string') {
            throw new OrderError(OrderErrorCode.InvalidPayload, `${path}[${i}] must be a string`);
          }
          return name;
        }),
      ),
    ),
    line_items: array(order.line_items, 'line_items').map((item, i) => decodeLineItem(item, `line_items[${i}]`)),
    ...present(
      'shipping_lines',
      optional(order, 'shipping_lines', 'shipping_lines', (v, path) =>
        array(v, path).map((line, i) => decodeShippingLine(line, `${path}[${i}]`)),
      ),
    ),
    ...present('billing_address', optional(order, 'billing_address', 'billing_address', decodeAddress)),
    ...present('shipping_address', optional(order, 'shipping_address', 'shipping_address', decodeAddress)),
    ...present('customer', optional(order, 'customer', 'customer', decodeCustomer)),
  };
}

function decodeLineItem(value: unknown, path: string): ShopifyLineItem {
  const item = object(value, path);
  const quantity = count(item.quantity, `${path}.quantity`);
  return {
    id: idOf(item, path),
    ...gidOf(item, path),
    ...optionalFields(item, path, ['sku', 'variant_title', 'name']),
    ...optionalIds(item, path, ['product_id', 'variant_id']),
    ...(item.gift_card === undefined || item.gift_card === null
      ? {}
      : { gift_card: boolean(item.gift_card, `${path}.gift_card`) }),
    title: string(item.title, `${path}.title`),
    quantity,
    ...(item.current_quantity === undefined || item.current_quantity === null
      ? {}
      : { current_quantity: count(item.current_quantity, `${path}.current_quantity`) }),
    price: money(item.price, `${path}.price`),
    ...optionalMoneySets(item, path, ['price_set']),
    tax_lines: taxLines(item, path),
    discount_allocations: discountAllocations(item, path),
    ...present(
      'duties',
      optional(item, 'duties', join(path, 'duties'), (v, dutiesPath) =>
        array(v, dutiesPath).map((duty, i) => decodeDuty(duty, `${dutiesPath}[${i}]`)),
      ),
    ),
  };
}

function decodeDuty(value: unknown, path: string): ShopifyDuty {
  const duty = object(value, path);
  return {
    ...(duty.id === undefined || duty.id === null ? {} : { id: idOf(duty, path) }),
    price_set: moneySet(duty.price_set, join(path, 'price_set')),
  };
}

/** Shopify's `{ shop_money, presentment_money }`, each `{ amount, currency_code }`. */
function moneySet(value: unknown, path: string): ShopifyMoneySet {
  const set = object(value, path);
  const side = (key: 'shop_money' | 'presentment_money'): ShopifyMoneySet[typeof key] => {
    const amount = object(set[key], join(path, key));
    return {
      amount: money(amount.amount, join(path, `${key}.amount`)),
      currency_code: matching(
        amount.currency_code,
        join(path, `${key}.currency_code`),
        CURRENCY,
        'a three-letter ISO 4217 code',
      ),
    };
  };
  return { shop_money: side('shop_money'), presentment_money: side('presentment_money') };
}

function optionalMoneySets<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, ShopifyMoneySet>> {
  const out: Partial<Record<K, ShopifyMoneySet>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined && value !== null) {
      out[key] = moneySet(value, join(path, key));
    }
  }
  return out;
}

/** Optional numeric ids (`product_id`, `variant_id`) as exact digit strings; null stays null. */
function optionalIds<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value === undefined) {
      continue;
    }
    if (value === null) {
      out[key] = null;
      continue;
    }
    const written = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
    out[key] = typeof written === 'string' && DIGITS.test(written) ? written : fail(join(path, key), 'an id', value);
  }
  return out;
}

function decodeShippingLine(value: unknown, path: string): ShopifyShippingLine {
  const line = object(value, path);
  return {
    ...(line.id === undefined || line.id === null ? {} : { id: idOf(line, path) }),
    title: string(line.title, `${path}.title`),
    ...optionalFields(line, path, ['code']),
    price: money(line.price, `${path}.price`),
    ...optionalMoneySets(line, path, ['price_set']),
    ...(line.is_removed === undefined || line.is_removed === null
      ? {}
      : { is_removed: boolean(line.is_removed, `${path}.is_removed`) }),
    tax_lines: taxLines(line, path),
    discount_allocations: discountAllocations(line, path),
  };
}

function decodeCustomer(value: unknown, path: string): ShopifyCustomer {
  const customer = object(value, path);
  return {
    id: idOf(customer, path),
    ...gidOf(customer, path),
    ...optionalFields(customer, path, ['email', 'first_name', 'last_name', 'phone']),
  };
}

function decodeCompany(value: unknown, path: string): ShopifyPurchasingCompany {
  const company = object(value, path);
  return { id: exactId(company.id, `${path}.id`), location_id: exactId(company.location_id, `${path}.location_id`) };
}

function decodePaymentTerms(value: unknown, path: string): ShopifyPaymentTerms {
  const terms = object(value, path);
  const days = terms.due_in_days;
  if (days !== undefined && days !== null) {
    count(days, `${path}.due_in_days`);
  }
  return {
    payment_terms_name: nonBlankString(terms.payment_terms_name, `${path}.payment_terms_name`),
    ...optionalFields(terms, path, ['payment_terms_type']),
    ...(typeof days === 'number' ? { due_in_days: days } : {}),
    ...present(
      'payment_schedules',
      optional(terms, 'payment_schedules', `${path}.payment_schedules`, (v, p) =>
        array(v, p).map((entry, i) => decodePaymentSchedule(entry, `${p}[${i}]`)),
      ),
    ),
  };
}

function decodePaymentSchedule(value: unknown, path: string): ShopifyPaymentSchedule {
  const schedule = object(value, path);
  return {
    ...optionalMoney(schedule, ['amount'], path),
    ...optionalFields(schedule, path, ['currency']),
    ...optionalInstantsAt(schedule, path, ['issued_at', 'due_at', 'completed_at']),
  };
}

/** An id that is not a resource of its own (no gid beside it): an integer or a string of digits, as a string. */
function exactId(value: unknown, path: string): string {
  const written = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof written === 'string' && DIGITS.test(written)) {
    return written;
  }
  return fail(path, 'an integer or a string of digits', value);
}

function decodeAddress(value: unknown, path: string): ShopifyAddress {
  return optionalFields(object(value, path), path, ADDRESS_FIELDS);
}

function decodeDiscountCodes(value: unknown, path: string): ShopifyDiscountCode[] {
  return array(value, path).map((entry, i) => {
    const code = object(entry, `${path}[${i}]`);
    return {
      code: string(code.code, `${path}[${i}].code`),
      ...optionalMoney(code, ['amount'], `${path}[${i}]`),
      ...optionalFields(code, `${path}[${i}]`, ['type']),
    };
  });
}

function taxLines(owner: JsonObject, ownerPath: string): ShopifyTaxLine[] {
  const path = join(ownerPath, 'tax_lines');
  return (optional(owner, 'tax_lines', path, array) ?? []).map((value, i) => {
    const line = object(value, `${path}[${i}]`);
    const rate = line.rate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      fail(`${path}[${i}].rate`, 'a non-negative number', rate);
    }
    return {
      title: string(line.title, `${path}[${i}].title`),
      rate,
      price: money(line.price, `${path}[${i}].price`),
      ...optionalMoneySets(line, `${path}[${i}]`, ['price_set']),
    };
  });
}

function discountAllocations(owner: JsonObject, ownerPath: string): ShopifyDiscountAllocation[] {
  const path = join(ownerPath, 'discount_allocations');
  return (optional(owner, 'discount_allocations', path, array) ?? []).map((value, i) => {
    const allocation = object(value, `${path}[${i}]`);
    const index = allocation.discount_application_index;
    return {
      amount: money(allocation.amount, `${path}[${i}].amount`),
      ...optionalMoneySets(allocation, `${path}[${i}]`, ['amount_set']),
      ...(typeof index === 'number' ? { discount_application_index: index } : {}),
    };
  });
}

/**
 * The exact id of a Shopify resource. JSON.parse has already rounded numbers above 2^53, so the numeric tail of
 * `admin_graphql_api_id` wins when present; otherwise the `id` field as written.
 */
export function idOf(owner: JsonObject, path: string): string {
  const gid = owner.admin_graphql_api_id;
  if (typeof gid === 'string') {
    const tail = GID.exec(gid)?.[1];
    if (tail !== undefined) {
      return tail;
    }
  }
  const id = owner.id;
  const written = typeof id === 'number' && Number.isInteger(id) ? String(id) : id;
  if (typeof written === 'string' && DIGITS.test(written)) {
    return written;
  }
  return fail(join(path, 'id'), 'an integer or a string of digits', id);
}

export function gidOf(owner: JsonObject, path: string): { admin_graphql_api_id?: string } {
  const gid = owner.admin_graphql_api_id;
  if (gid === undefined || gid === null) {
    return {};
  }
  return { admin_graphql_api_id: matching(gid, join(path, 'admin_graphql_api_id'), GID, 'a gid://shopify/… id') };
}

function optional<T>(
  owner: JsonObject,
  key: string,
  path: string,
  decode: (value: unknown, path: string) => T,
): T | undefined {
  const value = owner[key];
  return value === undefined || value === null ? undefined : decode(value, path);
}

/** Copies the listed keys that are present, each a string or null. */
export function optionalFields<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value === undefined) {
      continue;
    }
    if (value !== null && typeof value !== 'string') {
      fail(join(path, key), 'a string or null', value);
    }
    out[key] = value;
  }
  return out;
}

function optionalInstants<K extends string>(owner: JsonObject, keys: readonly K[]): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined) {
      out[key] = value === null ? null : instant(value, key);
    }
  }
  return out;
}

/** Like optionalInstants, for the keys of a nested object; an empty string counts as absent. */
function optionalInstantsAt<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined) {
      out[key] = value === null || value === '' ? null : instant(value, join(path, key));
    }
  }
  return out;
}

function optionalMoney<K extends string>(owner: JsonObject, keys: readonly K[], path = ''): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined && value !== null) {
      out[key] = money(value, join(path, key));
    }
  }
  return out;
}

/** `{ [key]: value }` when value is defined, so absent fields stay absent rather than becoming `undefined`. */
function present<K extends string, T>(key: K, value: T | undefined): Partial<Record<K, T>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, T>);
}

export function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'an object', value);
  }
  return value as JsonObject;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    fail(path, 'an array', value);
  }
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    fail(path, 'a string', value);
  }
  return value;
}

export function nonBlankString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(path, 'a non-empty string', value);
  }
  return value;
}

export function matching(value: unknown, path: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    fail(path, expected, value);
  }
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') {
    fail(path, 'a boolean', value);
  }
  return value;
}

export function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(path, 'an integer ≥ 0', value);
  }
  return value;
}

export function money(value: unknown, path: string): string {
  if (!isDecimalString(value) || value.startsWith('-')) {
    fail(path, 'a non-negative decimal string with at most 4 decimals', value);
  }
  return value;
}

export function instant(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    fail(path, 'an ISO 8601 timestamp with a time zone offset', value);
  }
  return value;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function fail(path: string, expected: string, actual: unknown): never {
  throw new OrderError(OrderErrorCode.InvalidPayload, `${path} must be ${expected}, got ${describe(actual)}`);
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}
