import {
  CURRENCY,
  array,
  boolean,
  count,
  exactId,
  fail,
  gidOf,
  idOf,
  instant,
  join,
  matching,
  money,
  nonBlankString,
  object,
  optional,
  optionalFields,
  optionalIds,
  optionalInstants,
  optionalInstantsAt,
  optionalMoney,
  present,
  string,
  type JsonObject,
} from 'src/modules/orders/domain/decode-payload-fields';
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
