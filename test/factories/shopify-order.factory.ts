import type { ErpSalesOrderDraft, Money } from 'src/modules/erp/port/erp.types';
import {
  addMoney,
  compareMoney,
  fromUnits,
  multiplyMoney,
  prorateMoney,
  subtractMoney,
  sumMoney,
} from 'src/modules/orders/domain/money';
import type {
  ShopifyAddress,
  ShopifyCustomer,
  ShopifyDiscountAllocation,
  ShopifyDiscountCode,
  ShopifyLineItem,
  ShopifyOrderPayload,
  ShopifyShippingLine,
  ShopifyTaxLine,
} from 'src/modules/orders/domain/shopify-order.payload';

/**
 * Realistic, internally consistent Shopify orders-webhook payloads for unit, e2e and benchmark runs.
 * Deterministic per seed (seeded PRNG, fixed clock); every call builds fresh objects, nothing is cloned.
 */

export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

interface MoneySet {
  shop_money: { amount: Money; currency_code: string };
  presentment_money: { amount: Money; currency_code: string };
}

export interface BuiltTaxLine extends ShopifyTaxLine {
  channel_liable: boolean;
}

export interface BuiltDiscountAllocation extends ShopifyDiscountAllocation {
  discount_application_index: number;
  amount_set: MoneySet;
}

export interface BuiltLineItem extends ShopifyLineItem {
  id: number;
  admin_graphql_api_id: string;
  product_id: number;
  variant_id: number;
  sku: string | null;
  variant_title: string;
  name: string;
  vendor: string;
  quantity: number;
  current_quantity: number;
  fulfillable_quantity: number;
  fulfillment_status: string | null;
  requires_shipping: boolean;
  taxable: boolean;
  gift_card: boolean;
  grams: number;
  total_discount: Money;
  price_set: MoneySet;
  tax_lines: BuiltTaxLine[];
  discount_allocations: BuiltDiscountAllocation[];
}

export interface BuiltShippingLine extends ShopifyShippingLine {
  id: number;
  code: string;
  source: string;
  discounted_price: Money;
  is_removed: boolean;
  tax_lines: BuiltTaxLine[];
  discount_allocations: BuiltDiscountAllocation[];
}

export interface BuiltDiscountApplication {
  target_type: 'line_item' | 'shipping_line';
  type: 'discount_code' | 'automatic';
  value: string;
  value_type: 'percentage' | 'fixed_amount';
  allocation_method: 'across' | 'each';
  target_selection: 'all' | 'entitled';
  code?: string;
  title?: string;
}

export interface BuiltAddress extends ShopifyAddress {
  first_name: string;
  last_name: string;
  name: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  province_code: string;
  zip: string;
  country: string;
  country_code: string;
  phone: string;
}

export interface BuiltCustomer extends ShopifyCustomer {
  id: number;
  admin_graphql_api_id: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  state: string;
  currency: string;
  verified_email: boolean;
}

/** A payload shaped like Shopify's (ids are JSON numbers, as on the wire), with the extra fields real ones carry. */
export interface BuiltShopifyOrder extends ShopifyOrderPayload {
  id: number;
  admin_graphql_api_id: string;
  order_number: number;
  number: number;
  email: string | null;
  contact_email: string | null;
  processed_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  presentment_currency: string;
  test: boolean;
  financial_status: string;
  fulfillment_status: string | null;
  confirmed: boolean;
  source_name: string;
  tags: string;
  note: string | null;
  total_line_items_price: Money;
  total_outstanding: Money;
  current_subtotal_price: Money;
  current_total_discounts: Money;
  current_total_tax: Money;
  current_total_price: Money;
  total_price_set: MoneySet;
  total_shipping_price_set: MoneySet;
  discount_codes: ShopifyDiscountCode[];
  discount_applications: BuiltDiscountApplication[];
  line_items: BuiltLineItem[];
  shipping_lines: BuiltShippingLine[];
  tax_lines: BuiltTaxLine[];
  billing_address: BuiltAddress | null;
  shipping_address: BuiltAddress | null;
  customer: BuiltCustomer | null;
  payment_gateway_names: string[];
}

export interface BuildShopifyOrderOptions {
  /** Number of line items, 1–999; random 1–5 by default. */
  lineCount?: number;
  /** 0 ≤ seed < 4 000 000 000. Without one, each call takes the next seed of a process-wide sequence. */
  seed?: number;
  /** Size of the SKU pool `SKU-0001`…; 500 by default, like the demo catalogue. */
  skuCount?: number;
}

/** The order totals that {@link buildShopifyOrder} derives from lines and shipping after applying overrides. */
const DERIVED_TOTALS = [
  'total_line_items_price',
  'subtotal_price',
  'total_discounts',
  'total_tax',
  'total_price',
  'current_subtotal_price',
  'current_total_discounts',
  'current_total_tax',
  'current_total_price',
  'total_price_set',
  'total_shipping_price_set',
  'tax_lines',
] as const;

const MAX_SEED = 4_000_000_000;
const ORDER_ID_BASE = 5_000_000_000_000;
const LINE_ID_BASE = 1_000_000_000_000;
const SHIPPING_ID_BASE = 9_000_000_000_000;
const CUSTOMER_ID_BASE = 7_400_000_000_000;
const PRODUCT_ID_BASE = 7_900_000_000_000;
const VARIANT_ID_BASE = 8_100_000_000_000;
const CUSTOMER_POOL = 5_000;
const EPOCH_MS = Date.UTC(2026, 9, 1);
const DATE_SPAN_MS = 2 * 365 * 86_400_000;
// Coprime with the default pool of 500, so consecutive lines get distinct SKUs.
const SKU_STRIDE = 7;

interface Region {
  province: string;
  code: string;
  city: string;
  zip: string;
  taxes: ReadonlyArray<readonly [string, number]>;
}

interface Market {
  currency: string;
  taxesIncluded: boolean;
  /** Shop time zone offset in minutes; Shopify writes timestamps in it. */
  offsetMinutes: number;
  country: string;
  countryCode: string;
  phonePrefix: string;
  regions: readonly Region[];
  taxShipping: boolean;
  shipping: ReadonlyArray<readonly [title: string, code: string, cents: number]>;
}

const MARKETS: readonly Market[] = [
  {
    currency: 'USD',
    taxesIncluded: false,
    offsetMinutes: -420,
    country: 'United States',
    countryCode: 'US',
    phonePrefix: '+1415555',
    regions: [
      {
        province: 'California',
        code: 'CA',
        city: 'San Francisco',
        zip: '94105',
        taxes: [
          ['California State Tax', 0.0725],
          ['San Francisco Municipal Tax', 0.01375],
        ],
      },
      {
        province: 'New York',
        code: 'NY',
        city: 'Brooklyn',
        zip: '11201',
        taxes: [
          ['New York State Tax', 0.04],
          ['New York City Tax', 0.04875],
        ],
      },
      {
        province: 'Texas',
        code: 'TX',
        city: 'Austin',
        zip: '78701',
        taxes: [
          ['Texas State Tax', 0.0625],
          ['Austin City Tax', 0.02],
        ],
      },
    ],
    taxShipping: false,
    shipping: [
      ['UPS Ground', 'ups_ground', 895],
      ['USPS Priority Mail', 'usps_priority', 1250],
      ['Free Shipping', 'free', 0],
    ],
  },
  {
    currency: 'EUR',
    taxesIncluded: true,
    offsetMinutes: 120,
    country: 'Spain',
    countryCode: 'ES',
    phonePrefix: '+34600',
    regions: [{ province: 'Madrid', code: 'M', city: 'Madrid', zip: '28001', taxes: [['IVA', 0.21]] }],
    taxShipping: true,
    shipping: [
      ['Standard', 'Standard', 1000],
      ['Express', 'Express', 1590],
    ],
  },
  {
    currency: 'EUR',
    taxesIncluded: true,
    offsetMinutes: 120,
    country: 'Germany',
    countryCode: 'DE',
    phonePrefix: '+49309',
    regions: [{ province: 'Berlin', code: 'BE', city: 'Berlin', zip: '10115', taxes: [['MwSt', 0.19]] }],
    taxShipping: true,
    shipping: [['DHL Paket', 'DHL_PAKET', 490]],
  },
  {
    currency: 'GBP',
    taxesIncluded: true,
    offsetMinutes: 60,
    country: 'United Kingdom',
    countryCode: 'GB',
    phonePrefix: '+447700',
    regions: [{ province: 'England', code: 'ENG', city: 'London', zip: 'SW1A 2AA', taxes: [['VAT', 0.2]] }],
    taxShipping: true,
    shipping: [['Royal Mail Tracked 48', 'RM-T48', 399]],
  },
  {
    currency: 'CAD',
    taxesIncluded: false,
    offsetMinutes: -240,
    country: 'Canada',
    countryCode: 'CA',
    phonePrefix: '+1416555',
    regions: [{ province: 'Ontario', code: 'ON', city: 'Toronto', zip: 'M5H 3T4', taxes: [['HST', 0.13]] }],
    taxShipping: true,
    shipping: [['Canada Post Expedited', 'EXPEDITED', 1200]],
  },
];

const PRODUCTS = [
  'Cotton Tee',
  'Ceramic Mug',
  'Steel Bottle',
  'Wool Scarf',
  'Canvas Tote',
  'Dot Notebook',
  'Fountain Pen',
  'Running Socks',
  'Rain Jacket',
  'Leather Wallet',
  'Desk Lamp',
  'Yoga Mat',
  'Trail Cap',
];
const VARIANTS = ['Black / S', 'Black / M', 'White / M', 'Grey / L', 'Navy / XL', 'Default'];
const FIRST_NAMES = ['Ana', 'Jordan', 'Oliver', 'Lena', 'Sam', 'Priya', 'Mateo', 'Chloe', 'Kenji', 'Amara', 'Noah'];
const LAST_NAMES = ['Diaz', 'Lee', 'Bennett', 'Fischer', 'Taylor', 'Patel', 'Rossi', 'Martin', 'Sato', 'Okafor'];
const STREETS = ['Main St', 'Calle Mayor', 'Hauptstraße', 'High Street', 'King St W', 'Market St', 'Elm Avenue'];

let sequence = 0;

/**
 * Builds an orders/create-style payload whose totals add up: line discounts and taxes are allocated per line, and
 * subtotal, discounts, tax and total are derived from the lines and shipping (`current_*` from current quantities).
 *
 * `overrides` are deep-merged into the generated order. Arrays merge element by element and take the override's
 * length (`line_items: [{ sku: null }]` keeps one generated line with its SKU removed; `shipping_lines: []` drops
 * shipping). `currency` and `taxes_included` steer generation. Totals are re-derived after the merge unless the
 * override sets them, so a line override keeps the order consistent.
 */
export function buildShopifyOrder(
  overrides: DeepPartial<BuiltShopifyOrder> = {},
  options: BuildShopifyOrderOptions = {},
): BuiltShopifyOrder {
  const seed = options.seed ?? ++sequence;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}), got ${seed}`);
  }
  const random = mulberry32(seed);
  const lineCount = options.lineCount ?? 1 + Math.floor(random() * 5);
  if (!Number.isSafeInteger(lineCount) || lineCount < 1 || lineCount > 999) {
    throw new RangeError(`lineCount must be an integer in [1, 999], got ${lineCount}`);
  }
  const skuCount = options.skuCount ?? 500;

  const candidates = MARKETS.filter((m) => overrides.currency === undefined || m.currency === overrides.currency);
  const market = pick(random, candidates.length > 0 ? candidates : MARKETS);
  const currency = overrides.currency ?? market.currency;
  const taxesIncluded = overrides.taxes_included ?? market.taxesIncluded;
  const region = pick(random, market.regions);
  const money = (cents: number): Money => formatCents(cents);
  const moneySet = (amount: Money): MoneySet => ({
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  });

  // Lines at their gross price; discounts and taxes are allocated below.
  const firstSku = Math.floor(random() * skuCount);
  const drafts = Array.from({ length: lineCount }, (_, i) => {
    const skuIndex = ((firstSku + i * SKU_STRIDE) % skuCount) + 1;
    const quantity = random() < 0.7 ? 1 : 2 + Math.floor(random() * 3);
    const unitCents = 500 + ((skuIndex * 3_719) % 195) * 100 - (skuIndex % 2 === 0 ? 1 : 50);
    return { skuIndex, quantity, unitCents, grossCents: unitCents * quantity };
  });

  const applications: BuiltDiscountApplication[] = [];
  const codes: ShopifyDiscountCode[] = [];
  const lineAllocations: Array<Array<[applicationIndex: number, cents: number]>> = drafts.map(() => []);
  const grossTotal = drafts.reduce((sum, line) => sum + line.grossCents, 0);
  const remaining = (i: number): number =>
    drafts[i].grossCents - lineAllocations[i].reduce((sum, [, cents]) => sum + cents, 0);
  /** Allocates up to `cents` of application `index` to line `i` (never below zero), returning what was allocated. */
  const allocate = (i: number, index: number, cents: number): number => {
    const allocated = Math.min(cents, remaining(i));
    lineAllocations[i].push([index, allocated]);
    return allocated;
  };

  const discountRoll = random();
  if (discountRoll < 0.25) {
    const percent = pick(random, [10, 15, 20]);
    const code = `SAVE${percent}`;
    const index = applications.push(codeApplication(code, `${percent}.0`, 'percentage')) - 1;
    let total = 0;
    drafts.forEach((line, i) => {
      total += allocate(i, index, Math.round((line.grossCents * percent) / 100));
    });
    codes.push({ code, amount: money(total), type: 'percentage' });
  } else if (discountRoll < 0.35) {
    const wanted = pick(random, [500, 1_000]);
    const amount = Math.min(wanted, grossTotal);
    const code = `TAKE${wanted / 100}`;
    const index = applications.push(codeApplication(code, `${wanted / 100}.0`, 'fixed_amount')) - 1;
    let allocated = 0;
    drafts.forEach((line, i) => {
      const share = i === drafts.length - 1 ? amount - allocated : Math.floor((amount * line.grossCents) / grossTotal);
      allocated += allocate(i, index, share);
    });
    codes.push({ code, amount: money(allocated), type: 'fixed_amount' });
  }
  if (random() < 0.15) {
    const index =
      applications.push({
        target_type: 'line_item',
        type: 'automatic',
        value: '5.0',
        value_type: 'fixed_amount',
        allocation_method: 'each',
        target_selection: 'entitled',
        title: 'Bundle saver',
      }) - 1;
    allocate(0, index, 500);
  }

  const lineItems: BuiltLineItem[] = drafts.map((line, i) => {
    const discountCents = lineAllocations[i].reduce((sum, [, cents]) => sum + cents, 0);
    const product = PRODUCTS[line.skuIndex % PRODUCTS.length];
    const variant = VARIANTS[Math.floor(line.skuIndex / PRODUCTS.length) % VARIANTS.length];
    const id = LINE_ID_BASE + seed * 1_000 + i;
    return {
      id,
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      product_id: PRODUCT_ID_BASE + line.skuIndex,
      variant_id: VARIANT_ID_BASE + line.skuIndex,
      sku: `SKU-${String(line.skuIndex).padStart(4, '0')}`,
      title: product,
      variant_title: variant,
      name: `${product} - ${variant}`,
      vendor: 'Acme',
      quantity: line.quantity,
      current_quantity: line.quantity,
      fulfillable_quantity: line.quantity,
      fulfillment_status: null,
      requires_shipping: true,
      taxable: true,
      gift_card: false,
      grams: 100 + (line.skuIndex % 9) * 50,
      price: money(line.unitCents),
      total_discount: '0.00',
      price_set: moneySet(money(line.unitCents)),
      tax_lines: taxLines(region.taxes, line.grossCents - discountCents, taxesIncluded),
      discount_allocations: lineAllocations[i].map(([index, cents]) => ({
        amount: money(cents),
        discount_application_index: index,
        amount_set: moneySet(money(cents)),
      })),
    };
  });

  const [shippingTitle, shippingCode, shippingCents] = pick(random, market.shipping);
  const shippingAllocations: BuiltDiscountAllocation[] = [];
  if (shippingCents > 0 && random() < 0.15) {
    const index = applications.length;
    applications.push({ ...codeApplication('FREESHIP', '100.0', 'percentage'), target_type: 'shipping_line' });
    shippingAllocations.push({
      amount: money(shippingCents),
      discount_application_index: index,
      amount_set: moneySet(money(shippingCents)),
    });
    codes.push({ code: 'FREESHIP', amount: money(shippingCents), type: 'shipping' });
  }
  const shippingNetCents = shippingAllocations.length > 0 ? 0 : shippingCents;
  const shippingLines: BuiltShippingLine[] = [
    {
      id: SHIPPING_ID_BASE + seed,
      title: shippingTitle,
      code: shippingCode,
      source: 'shopify',
      price: money(shippingCents),
      discounted_price: money(shippingNetCents),
      is_removed: false,
      tax_lines:
        market.taxShipping && shippingNetCents > 0 ? taxLines(region.taxes, shippingNetCents, taxesIncluded) : [],
      discount_allocations: shippingAllocations,
    },
  ];

  const guest = random() < 0.1;
  const customerIndex = Math.floor(random() * CUSTOMER_POOL);
  const firstName = FIRST_NAMES[customerIndex % FIRST_NAMES.length];
  const lastName = LAST_NAMES[Math.floor(customerIndex / FIRST_NAMES.length) % LAST_NAMES.length];
  const email = `${firstName}.${lastName}.${customerIndex}@example.com`.toLowerCase();
  const phone = `${market.phonePrefix}${String(customerIndex).padStart(4, '0')}`;
  const address = (): BuiltAddress => ({
    first_name: firstName,
    last_name: lastName,
    name: `${firstName} ${lastName}`,
    company: customerIndex % 7 === 0 ? `${lastName} Trading` : null,
    address1: `${1 + (customerIndex % 180)} ${STREETS[customerIndex % STREETS.length]}`,
    address2: customerIndex % 5 === 0 ? `Apt ${1 + (customerIndex % 40)}` : null,
    city: region.city,
    province: region.province,
    province_code: region.code,
    zip: region.zip,
    country: market.country,
    country_code: market.countryCode,
    phone,
  });
  const customerId = CUSTOMER_ID_BASE + customerIndex;

  // Consecutive seeds are 37 s apart; wrapping after two years keeps any seed a plausible date.
  const createdMs = EPOCH_MS + ((seed * 37_000) % DATE_SPAN_MS);
  const at = (ms: number): string => isoWithOffset(ms, market.offsetMinutes);
  const orderNumber = 1_000 + seed;
  const orderId = ORDER_ID_BASE + seed * 1_000;
  const financialRoll = random();

  const order: BuiltShopifyOrder = {
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderNumber}`,
    order_number: orderNumber,
    number: seed,
    email,
    contact_email: email,
    phone: null,
    created_at: at(createdMs),
    updated_at: at(createdMs + 3_000),
    processed_at: at(createdMs - 2_000),
    cancelled_at: null,
    cancel_reason: null,
    currency,
    presentment_currency: currency,
    taxes_included: taxesIncluded,
    test: false,
    financial_status: financialRoll < 0.8 ? 'paid' : financialRoll < 0.92 ? 'authorized' : 'pending',
    fulfillment_status: null,
    confirmed: true,
    source_name: 'web',
    tags: '',
    note: null,
    // Placeholders: derived from the lines below, after overrides.
    total_line_items_price: '0.00',
    subtotal_price: '0.00',
    total_discounts: '0.00',
    total_tax: '0.00',
    total_price: '0.00',
    total_outstanding: '0.00',
    current_subtotal_price: '0.00',
    current_total_discounts: '0.00',
    current_total_tax: '0.00',
    current_total_price: '0.00',
    total_price_set: moneySet('0.00'),
    total_shipping_price_set: moneySet('0.00'),
    discount_codes: codes,
    discount_applications: applications,
    line_items: lineItems,
    shipping_lines: shippingLines,
    tax_lines: [],
    billing_address: address(),
    shipping_address: address(),
    customer: guest
      ? null
      : {
          id: customerId,
          admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
          email,
          first_name: firstName,
          last_name: lastName,
          phone: customerIndex % 3 === 0 ? phone : null,
          state: 'enabled',
          currency,
          verified_email: true,
        },
    payment_gateway_names: ['shopify_payments'],
  };

  mergeInto(order, overrides);
  deriveTotals(order, overrides);
  return order;
}

/** The exact bytes to sign and send as a webhook body. */
export function serialiseOrder(order: ShopifyOrderPayload): string {
  return JSON.stringify(order);
}

/**
 * What does not add up in a draft, as readable messages; empty when consistent. Checks each line
 * (quantity × unit price − discount, tax = Σ tax lines) and the order:
 * Σ line totals + Σ (shipping − shipping discount) + (taxes included ? 0 : tax) = total,
 * Σ line and shipping discounts = discount total, Σ line and shipping taxes = tax total, Σ line totals = subtotal.
 */
export function draftImbalances(draft: ErpSalesOrderDraft): string[] {
  const problems: string[] = [];
  const expectEqual = (label: string, actual: Money, expected: Money): void => {
    if (compareMoney(actual, expected) !== 0) {
      problems.push(`${label} is ${actual}, parts add up to ${expected}`);
    }
  };
  for (const line of draft.lines) {
    const label = `line ${line.externalLineId}`;
    expectEqual(
      `${label} lineTotal`,
      line.lineTotal,
      subtractMoney(multiplyMoney(line.unitPrice, line.quantity), line.discountAmount),
    );
    expectEqual(`${label} taxAmount`, line.taxAmount, sumMoney(line.taxLines.map((tax) => tax.amount)));
  }
  const linesTotal = sumMoney(draft.lines.map((line) => line.lineTotal));
  const shippingNet = sumMoney(draft.shippingLines.map((line) => subtractMoney(line.amount, line.discountAmount)));
  expectEqual('subtotal', draft.subtotal, linesTotal);
  expectEqual('shippingTotal', draft.shippingTotal, sumMoney(draft.shippingLines.map((line) => line.amount)));
  expectEqual('total', draft.total, addMoney(linesTotal, shippingNet, draft.taxesIncluded ? '0' : draft.taxTotal));
  expectEqual(
    'discountTotal',
    draft.discountTotal,
    sumMoney([...draft.lines, ...draft.shippingLines].map((line) => line.discountAmount)),
  );
  expectEqual('taxTotal', draft.taxTotal, sumMoney([...draft.lines, ...draft.shippingLines].map((l) => l.taxAmount)));
  return problems;
}

/** Re-derives the order totals from its (possibly overridden) lines, leaving totals the caller set alone. */
function deriveTotals(order: BuiltShopifyOrder, overrides: DeepPartial<BuiltShopifyOrder>): void {
  const shipping = order.shipping_lines.filter((line) => !line.is_removed);
  const lineParts = order.line_items.map((item) => {
    const discount = sumMoney(item.discount_allocations.map((a) => a.amount));
    const tax = sumMoney(item.tax_lines.map((t) => t.price));
    const current = item.current_quantity;
    const share = (amount: Money): Money =>
      current === item.quantity || item.quantity === 0 ? amount : prorateMoney(amount, current, item.quantity);
    return {
      gross: multiplyMoney(item.price, item.quantity),
      discount,
      tax,
      currentGross: multiplyMoney(item.price, current),
      currentDiscount: share(discount),
      currentTax: sumMoney(item.tax_lines.map((t) => share(t.price))),
    };
  });
  const shippingGross = sumMoney(shipping.map((line) => line.price));
  const shippingDiscount = sumMoney(shipping.flatMap((line) => line.discount_allocations.map((a) => a.amount)));
  const shippingTax = sumMoney(shipping.flatMap((line) => line.tax_lines.map((t) => t.price)));
  const totals = (gross: Money[], discounts: Money[], taxes: Money[]) => {
    const subtotal = subtractMoney(sumMoney(gross), sumMoney(discounts));
    const tax = addMoney(sumMoney(taxes), shippingTax);
    const total = addMoney(subtotal, subtractMoney(shippingGross, shippingDiscount), order.taxes_included ? '0' : tax);
    return { subtotal, discounts: addMoney(sumMoney(discounts), shippingDiscount), tax, total };
  };
  const original = totals(
    lineParts.map((p) => p.gross),
    lineParts.map((p) => p.discount),
    lineParts.map((p) => p.tax),
  );
  const current = totals(
    lineParts.map((p) => p.currentGross),
    lineParts.map((p) => p.currentDiscount),
    lineParts.map((p) => p.currentTax),
  );
  const moneySet = (amount: Money): MoneySet => ({
    shop_money: { amount, currency_code: order.currency },
    presentment_money: { amount, currency_code: order.currency },
  });
  const taxByTitle = new Map<string, BuiltTaxLine>();
  for (const tax of [...order.line_items, ...shipping].flatMap((line) => line.tax_lines)) {
    const key = `${tax.title}|${tax.rate}`;
    const seen = taxByTitle.get(key);
    taxByTitle.set(key, { ...tax, price: seen === undefined ? tax.price : addMoney(seen.price, tax.price) });
  }
  const derived: Pick<BuiltShopifyOrder, (typeof DERIVED_TOTALS)[number]> = {
    total_line_items_price: sumMoney(lineParts.map((p) => p.gross)),
    subtotal_price: original.subtotal,
    total_discounts: original.discounts,
    total_tax: original.tax,
    total_price: original.total,
    current_subtotal_price: current.subtotal,
    current_total_discounts: current.discounts,
    current_total_tax: current.tax,
    current_total_price: current.total,
    total_price_set: moneySet(original.total),
    total_shipping_price_set: moneySet(shippingGross),
    tax_lines: [...taxByTitle.values()],
  };
  for (const key of DERIVED_TOTALS) {
    if (overrides[key] === undefined) {
      Object.assign(order, { [key]: derived[key] });
    }
  }
}

/** Tax lines for a net amount in cents, each rounded to the cent; included taxes are carved out of the amount. */
function taxLines(taxes: Region['taxes'], netCents: number, included: boolean): BuiltTaxLine[] {
  const combined = taxes.reduce((sum, [, rate]) => sum + rate, 0);
  return taxes.map(([title, rate]) => {
    const cents = included ? Math.round((netCents * rate) / (1 + combined)) : Math.round(netCents * rate);
    return { title, rate, price: formatCents(cents), channel_liable: false };
  });
}

function codeApplication(
  code: string,
  value: string,
  valueType: BuiltDiscountApplication['value_type'],
): BuiltDiscountApplication {
  return {
    target_type: 'line_item',
    type: 'discount_code',
    value,
    value_type: valueType,
    allocation_method: 'across',
    target_selection: 'all',
    code,
  };
}

/**
 * Deep-merges `patch` into `target` in place. Plain objects merge key by key; arrays merge element by element and
 * take the patch's length; anything else (including null) replaces.
 */
function mergeInto(target: object, patch: object): void {
  const record = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      record[key] = merged(record[key], value);
    }
  }
}

function merged(current: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const base = Array.isArray(current) ? current : [];
    return patch.map((element, i) => merged(base[i], element));
  }
  if (isPlainObject(patch) && isPlainObject(current)) {
    mergeInto(current, patch);
    return current;
  }
  return patch;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function formatCents(cents: number): Money {
  return fromUnits(BigInt(cents) * 100n);
}

/** ISO 8601 in the shop's offset, as Shopify writes it: `2026-10-05T19:09:48+02:00`. */
function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Small, fast, seedable PRNG (mulberry32); plenty for test data, never for anything secret. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
