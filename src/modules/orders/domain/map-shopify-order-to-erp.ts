import type {
  ErpAddress,
  ErpCustomerDraft,
  ErpLineKind,
  ErpOrderCurrencies,
  ErpOrderReconciliation,
  ErpPaymentTerms,
  ErpSalesOrderDraft,
  ErpSalesOrderLine,
  ErpShippingLine,
  Money,
} from 'src/modules/erp';
import {
  absMoney,
  addMoney,
  compareMoney,
  multiplyMoney,
  normaliseMoney,
  prorateMoney,
  ratioOf,
  subtractMoney,
  sumMoney,
} from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type {
  ShopifyAddress,
  ShopifyCustomer,
  ShopifyLineItem,
  ShopifyMoneySet,
  ShopifyOrderPayload,
  ShopifyPurchasingCompany,
  ShopifyShippingLine,
} from 'src/modules/orders/domain/shopify-order.payload';

/**
 * @description The currency a sales order is written in. `presentment` (the default): what the customer was charged
 * in, with the exchange rate to the shop currency on the document; `shop`: the shop currency, as before Markets.
 * An order whose payload lacks the presentment amounts (`*_set`) is always written in the shop currency.
 */
export type DocumentCurrency = 'shop' | 'presentment';

/** @description How {@link mapShopifyOrderToErp} writes money. */
export interface OrderMoneyOptions {
  documentCurrency?: DocumentCurrency;
  /** The rounding policy's tolerance in the document currency; default {@link DEFAULT_ROUNDING_TOLERANCE}. */
  roundingTolerance?: Money;
}

/**
 * The ERP item SKUs of lines that have no product SKU. These are placeholders: a shop maps each to its own ERP item
 * with a `skuOverrides` entry of its mapping (`SHOPIFY-GIFT-CARD` → the gift-card liability item, and so on), and
 * without one the ERP needs an item with exactly this SKU. docs/orders.md lists what each should be.
 */
export const NON_PRODUCT_LINE_SKUS: Readonly<Record<Exclude<ErpLineKind, 'product'>, string>> = {
  giftCard: 'SHOPIFY-GIFT-CARD',
  custom: 'SHOPIFY-CUSTOM-ITEM',
  tip: 'SHOPIFY-TIP',
  duty: 'SHOPIFY-DUTIES',
  rounding: 'SHOPIFY-ROUNDING',
};

/** Up to this much (document currency) between Shopify's total and the ERP lines becomes a rounding line. */
export const DEFAULT_ROUNDING_TOLERANCE: Money = '0.05';

/** @description What one Shopify order becomes in the ERP: the customer to upsert first, then the sales order. */
export interface ErpOrderDrafts {
  customer: ErpCustomerDraft;
  salesOrder: ErpSalesOrderDraft;
}

/**
 * Maps a decoded Shopify order to the ERP customer and sales-order drafts. Pure and deterministic: the same payload
 * always gives the same drafts, so a redelivery upserts identical data.
 *
 * The drafts describe the order as it stands now: line quantities are `current_quantity` (after edits and refunds)
 * and totals are the `current_*` totals when Shopify sends them. Amounts are exact decimal strings.
 *
 * Lines without a product SKU (gift cards sold, custom lines, tips) and the duties go to the configured items of
 * {@link NON_PRODUCT_LINE_SKUS}; the rounding policy ({@link reconcile}) makes the lines add up to Shopify's total.
 * Amounts are in the presentment currency when `options.documentCurrency` allows it (see {@link DocumentCurrency}).
 *
 * @throws OrderError(MissingSku) for a product line that still has quantity but no SKU, since the ERP resolves
 * product items by SKU.
 */
export function mapShopifyOrderToErp(order: ShopifyOrderPayload, options: OrderMoneyOptions = {}): ErpOrderDrafts {
  const orderId = String(order.id);
  const email = text(order.email) ?? text(order.contact_email);
  const billingAddress = mapAddress(order.billing_address);
  const customer = mapCustomer(order, orderId, email, billingAddress);
  const side: DocumentCurrency =
    (options.documentCurrency ?? 'presentment') === 'presentment' && hasPresentmentAmounts(order)
      ? 'presentment'
      : 'shop';
  const pick = (plain: Money, set: ShopifyMoneySet | undefined): Money =>
    normaliseMoney(side === 'shop' || set === undefined ? plain : set.presentment_money.amount);
  const lines = order.line_items.flatMap((item) => mapLine(item, pick) ?? []);
  const shippingLines = (order.shipping_lines ?? [])
    .filter((line) => line.is_removed !== true)
    .map((line) => mapShippingLine(line, pick));
  const cancelled = text(order.cancelled_at) !== undefined;
  const current = order.current_total_price !== undefined;
  const total = pick(
    order.current_total_price ?? order.total_price,
    current ? order.current_total_price_set : order.total_price_set,
  );
  const taxTotal = pick(
    order.current_total_tax ?? order.total_tax,
    order.current_total_tax !== undefined ? order.current_total_tax_set : order.total_tax_set,
  );
  const duties = dutiesLine(order, side);
  if (duties !== undefined) {
    lines.push(duties);
  }
  const reconciliation = reconcile(
    lines,
    shippingLines,
    order.taxes_included ? '0' : taxTotal,
    total,
    options.roundingTolerance ?? DEFAULT_ROUNDING_TOLERANCE,
  );
  if (reconciliation.outcome === 'adjusted') {
    lines.push(roundingLine(orderId, reconciliation.difference));
  }

  const salesOrder: ErpSalesOrderDraft = definedOnly({
    externalId: orderId,
    reference: order.name,
    orderDate: text(order.processed_at) ?? order.created_at,
    sourceUpdatedAt: order.updated_at,
    currency: side === 'presentment' ? (order.presentment_currency ?? order.currency) : order.currency,
    taxesIncluded: order.taxes_included,
    status: cancelled ? 'cancelled' : 'open',
    financialStatus: text(order.financial_status),
    customerExternalId: customer.externalId,
    email,
    billingAddress,
    shippingAddress: mapAddress(order.shipping_address),
    lines,
    shippingLines,
    discountCodes: (order.discount_codes ?? []).map((discount) => discount.code),
    subtotal: pick(
      order.current_subtotal_price ?? order.subtotal_price,
      order.current_subtotal_price !== undefined ? order.current_subtotal_price_set : order.subtotal_price_set,
    ),
    discountTotal: pick(
      order.current_total_discounts ?? order.total_discounts,
      order.current_total_discounts !== undefined ? order.current_total_discounts_set : order.total_discounts_set,
    ),
    // Before shipping discounts, like Shopify's total_shipping_price_set; those discounts are in discountTotal.
    shippingTotal: sumMoney(shippingLines.map((line) => line.amount)),
    taxTotal,
    total,
    note: text(order.note),
    cancelReason: text(order.cancel_reason),
    purchaseOrderNumber: text(order.po_number)?.trim(),
    paymentTerms: mapPaymentTerms(order),
    currencies: mapCurrencies(order),
    reconciliation,
  });
  return { customer, salesOrder };
}

type PickMoney = (plain: Money, set: ShopifyMoneySet | undefined) => Money;

/**
 * What a line is: a gift card sold (`gift_card`), a tip (a line titled "Tip" with no product, as Shopify adds tips
 * to the line items), a custom line (no product and no variant) or a product variant.
 */
export function lineKindOf(item: ShopifyLineItem): ErpLineKind {
  if (item.gift_card === true) {
    return 'giftCard';
  }
  const noProduct = (item.product_id ?? null) === null && (item.variant_id ?? null) === null;
  if (!noProduct) {
    return 'product';
  }
  return item.title.trim().toLowerCase() === 'tip' ? 'tip' : 'custom';
}

function mapLine(item: ShopifyLineItem, pick: PickMoney): ErpSalesOrderLine | undefined {
  const quantity = item.current_quantity ?? item.quantity;
  const kind = lineKindOf(item);
  const ownSku = text(item.sku)?.trim();
  if (quantity === 0 && (ownSku === undefined || kind !== 'product')) {
    // Removed or fully refunded: nothing left for the ERP to resolve, and refusing it would block a cancel forever.
    return undefined;
  }
  let sku: string;
  switch (kind) {
    case 'product':
      if (ownSku === undefined) {
        throw new OrderError(
          OrderErrorCode.MissingSku,
          `line item ${String(item.id)} (${JSON.stringify(item.title)}) is a product variant without a SKU; the ERP ` +
            'resolves product items by SKU (gift cards, custom lines and tips go to their configured items)',
        );
      }
      sku = ownSku;
      break;
    case 'custom':
      // A custom line the merchant gave a SKU names its ERP item; the others share the configured item.
      sku = ownSku ?? NON_PRODUCT_LINE_SKUS.custom;
      break;
    case 'giftCard':
    case 'tip':
    case 'duty':
    case 'rounding':
      // A gift card is a liability until it is spent, never the stock item its product may name.
      sku = NON_PRODUCT_LINE_SKUS[kind];
      break;
  }
  // Shopify's discount allocations and tax lines are for the quantity ordered; scale them to what is left.
  const share = (amount: Money): Money =>
    quantity === item.quantity || item.quantity === 0
      ? normaliseMoney(amount)
      : prorateMoney(amount, quantity, item.quantity);
  const unitPrice = pick(item.price, item.price_set);
  const discountAmount = share(
    sumMoney((item.discount_allocations ?? []).map((allocation) => pick(allocation.amount, allocation.amount_set))),
  );
  const taxLines = (item.tax_lines ?? []).map((tax) => ({
    title: tax.title,
    rate: tax.rate,
    amount: share(pick(tax.price, tax.price_set)),
  }));
  return {
    externalLineId: String(item.id),
    ...(kind === 'product' ? {} : { kind }),
    sku,
    description: text(item.name) ?? item.title,
    quantity,
    unitPrice,
    discountAmount,
    taxAmount: sumMoney(taxLines.map((tax) => tax.amount)),
    lineTotal: subtractMoney(multiplyMoney(unitPrice, quantity), discountAmount),
    taxLines,
  };
}

function mapShippingLine(line: ShopifyShippingLine, pick: PickMoney): ErpShippingLine {
  return {
    code: text(line.code) ?? line.title,
    description: line.title,
    amount: pick(line.price, line.price_set),
    discountAmount: sumMoney(
      (line.discount_allocations ?? []).map((allocation) => pick(allocation.amount, allocation.amount_set)),
    ),
    taxAmount: sumMoney((line.tax_lines ?? []).map((tax) => pick(tax.price, tax.price_set))),
  };
}

/** One line for the import duties collected at checkout (Shopify includes them in the order total). */
function dutiesLine(order: ShopifyOrderPayload, side: DocumentCurrency): ErpSalesOrderLine | undefined {
  const set = order.current_total_duties_set ?? order.original_total_duties_set;
  const amount =
    set === undefined ? '0' : normaliseMoney(side === 'shop' ? set.shop_money.amount : set.presentment_money.amount);
  if (compareMoney(amount, '0') === 0) {
    return undefined;
  }
  return {
    externalLineId: `${String(order.id)}-duties`,
    kind: 'duty',
    sku: NON_PRODUCT_LINE_SKUS.duty,
    description: 'Duties',
    quantity: 1,
    unitPrice: amount,
    discountAmount: '0.00',
    taxAmount: '0.00',
    lineTotal: amount,
    taxLines: [],
  };
}

function roundingLine(orderId: string, difference: Money): ErpSalesOrderLine {
  return {
    externalLineId: `${orderId}-rounding`,
    kind: 'rounding',
    sku: NON_PRODUCT_LINE_SKUS.rounding,
    description: 'Rounding adjustment',
    quantity: 1,
    unitPrice: difference,
    discountAmount: '0.00',
    taxAmount: '0.00',
    lineTotal: difference,
    taxLines: [],
  };
}

/**
 * The rounding policy. The ERP document adds up its lines (net of discounts), its shipping (net of shipping
 * discounts) and, when prices exclude tax, the tax; Shopify's total must come out. No difference: `exact`. Up to
 * `tolerance` either way: `adjusted`, made up by a rounding line. More: `flagged`, nothing added, and the order
 * is written as Shopify priced its lines so that the difference stays visible (docs/orders.md).
 */
export function reconcile(
  lines: readonly ErpSalesOrderLine[],
  shippingLines: readonly ErpShippingLine[],
  addedTax: Money,
  shopifyTotal: Money,
  tolerance: Money,
): ErpOrderReconciliation {
  const documentTotal = addMoney(
    sumMoney(lines.map((line) => line.lineTotal)),
    sumMoney(shippingLines.map((line) => subtractMoney(line.amount, line.discountAmount))),
    addedTax,
  );
  const difference = subtractMoney(shopifyTotal, documentTotal);
  const outcome =
    compareMoney(difference, '0') === 0
      ? 'exact'
      : compareMoney(absMoney(difference), tolerance) <= 0
        ? 'adjusted'
        : 'flagged';
  return { outcome, shopifyTotal, documentTotal, difference, tolerance: normaliseMoney(tolerance) };
}

/**
 * True when every amount the draft reads has its presentment side, i.e. the order can be written in the currency
 * the customer paid in. Shopify sends `*_set` on every amount of a webhook payload since 2019-10.
 */
function hasPresentmentAmounts(order: ShopifyOrderPayload): boolean {
  if (order.presentment_currency === undefined || order.presentment_currency === order.currency) {
    return false;
  }
  const totals: Array<[Money | undefined, ShopifyMoneySet | undefined, ShopifyMoneySet | undefined]> = [
    [order.current_total_price, order.current_total_price_set, order.total_price_set],
    [order.current_subtotal_price, order.current_subtotal_price_set, order.subtotal_price_set],
    [order.current_total_tax, order.current_total_tax_set, order.total_tax_set],
    [order.current_total_discounts, order.current_total_discounts_set, order.total_discounts_set],
  ];
  const taxesAndDiscounts = (owner: {
    tax_lines?: Array<{ price_set?: ShopifyMoneySet }>;
    discount_allocations?: Array<{ amount_set?: ShopifyMoneySet }>;
  }): boolean =>
    (owner.tax_lines ?? []).every((tax) => tax.price_set !== undefined) &&
    (owner.discount_allocations ?? []).every((allocation) => allocation.amount_set !== undefined);
  return (
    totals.every(([current, currentSet, originalSet]) =>
      current !== undefined ? currentSet !== undefined : originalSet !== undefined,
    ) &&
    order.line_items.every((item) => item.price_set !== undefined && taxesAndDiscounts(item)) &&
    (order.shipping_lines ?? []).every((line) => line.price_set !== undefined && taxesAndDiscounts(line))
  );
}

/** Both currencies and the rate between them, from Shopify's original total (a refunded order's current is 0). */
function mapCurrencies(order: ShopifyOrderPayload): ErpOrderCurrencies | undefined {
  const original = order.total_price_set;
  if (original === undefined) {
    return undefined;
  }
  const currentSet = order.current_total_price !== undefined ? order.current_total_price_set : original;
  const shopTotal = normaliseMoney(order.current_total_price ?? order.total_price);
  const presentmentCurrency = order.presentment_currency ?? original.presentment_money.currency_code;
  const sameCurrency = presentmentCurrency === order.currency;
  if (currentSet === undefined && !sameCurrency) {
    return undefined;
  }
  const exchangeRate =
    sameCurrency || compareMoney(original.presentment_money.amount, '0') === 0
      ? '1'
      : ratioOf(original.shop_money.amount, original.presentment_money.amount, 6);
  return {
    shopCurrency: order.currency,
    presentmentCurrency,
    shopTotal,
    presentmentTotal: sameCurrency ? shopTotal : normaliseMoney(currentSet?.presentment_money.amount ?? '0'),
    exchangeRate,
  };
}

/** @description Our key of a B2B company location's ERP customer. */
export function companyLocationCustomerKey(locationId: string): string {
  return `company-location-${locationId}`;
}

/** @description Our key of a B2B company's ERP customer (the parent of its locations' customers, where the ERP has one). */
export function companyCustomerKey(companyId: string): string {
  return `company-${companyId}`;
}

/**
 * The ERP customer key: for a B2B order its company location; else the Shopify customer id; for a guest checkout
 * the lowercased email, so that repeat guest orders land on one ERP customer; and with neither, a key of this order
 * alone.
 */
function mapCustomer(
  order: ShopifyOrderPayload,
  orderId: string,
  email: string | undefined,
  billingAddress: ErpAddress | undefined,
): ErpCustomerDraft {
  const company = order.company ?? undefined;
  if (company !== undefined) {
    return mapCompanyLocation(order, company, billingAddress);
  }
  const customer: ShopifyCustomer | undefined = order.customer ?? undefined;
  const customerEmail = text(customer?.email) ?? email;
  const externalId =
    customer !== undefined
      ? String(customer.id)
      : email !== undefined
        ? `email:${email.trim().toLowerCase()}`
        : `guest:${orderId}`;
  return definedOnly({
    externalId,
    email: customerEmail?.trim(),
    firstName: text(customer?.first_name) ?? text(order.billing_address?.first_name),
    lastName: text(customer?.last_name) ?? text(order.billing_address?.last_name),
    phone: text(customer?.phone) ?? text(order.phone) ?? billingAddress?.phone,
    company: billingAddress?.company,
    currency: order.currency,
    billingAddress,
  });
}

/**
 * A B2B order's customer: the company location that ordered, under its company. Shopify's order carries only their
 * ids, so the name is the company the addresses name (Shopify fills it from the company location), else the id. No
 * e-mail and no person: the buyer is a contact of the company, and the order carries the contact's e-mail.
 */
function mapCompanyLocation(
  order: ShopifyOrderPayload,
  company: ShopifyPurchasingCompany,
  billingAddress: ErpAddress | undefined,
): ErpCustomerDraft {
  const companyId = String(company.id);
  const name =
    text(order.billing_address?.company)?.trim() ??
    text(order.shipping_address?.company)?.trim() ??
    `Shopify company ${companyId}`;
  return definedOnly({
    externalId: companyLocationCustomerKey(String(company.location_id)),
    phone: billingAddress?.phone,
    company: name,
    currency: order.currency,
    billingAddress,
    parentCompany: { externalId: companyCustomerKey(companyId), name },
  });
}

/** The payment terms of a B2B order, with the due date of its first installment not yet paid. */
function mapPaymentTerms(order: ShopifyOrderPayload): ErpPaymentTerms | undefined {
  const terms = order.payment_terms ?? undefined;
  const name = text(terms?.payment_terms_name)?.trim();
  if (terms === undefined || name === undefined) {
    return undefined;
  }
  const due = (terms.payment_schedules ?? []).find(
    (schedule) => text(schedule.completed_at) === undefined && text(schedule.due_at) !== undefined,
  );
  return definedOnly({
    name,
    type: text(terms.payment_terms_type),
    dueInDays: terms.due_in_days ?? undefined,
    dueAt: text(due?.due_at),
  });
}

function mapAddress(address: ShopifyAddress | null | undefined): ErpAddress | undefined {
  if (address === null || address === undefined) {
    return undefined;
  }
  const name = text(address.name) ?? joinNames(address.first_name, address.last_name);
  const mapped: ErpAddress = definedOnly({
    name,
    company: text(address.company),
    line1: text(address.address1),
    line2: text(address.address2),
    city: text(address.city),
    // ERPs key US states and Canadian provinces by code ("CA", "ON"); the name is the fallback elsewhere.
    region: text(address.province_code) ?? text(address.province),
    postalCode: text(address.zip),
    countryCode: text(address.country_code),
    phone: text(address.phone),
  });
  return Object.keys(mapped).length > 0 ? mapped : undefined;
}

function joinNames(first: string | null | undefined, last: string | null | undefined): string | undefined {
  const parts = [text(first), text(last)].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** Drops keys whose value is undefined, so drafts serialise, compare and log the same way they hash. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The value when it has visible content; Shopify sends null and "" interchangeably for empty fields. */
function text(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}
