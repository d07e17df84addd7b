import type {
  GqlAddress,
  GqlDiscountAllocation,
  GqlOrder,
  GqlRefund,
  GqlTaxLine,
  Money,
} from 'src/modules/orders/application/order-reconciliation.shopify-graphql';

type Json = Record<string, unknown>;

/**
 * The REST-shaped `orders/create` / `orders/updated` body Shopify would have delivered for this order, built from
 * the Admin GraphQL order, with exactly the fields `decodeOrderPayload` reads (api-facts §A.1). Amounts stay decimal
 * strings (never floats), written with at least two decimals as the REST payloads are (`"44.5"` → `"44.50"`).
 */
export function mapGraphqlOrderToWebhook(order: GqlOrder): Json {
  return {
    id: order.legacyResourceId,
    admin_graphql_api_id: order.id,
    name: order.name,
    email: order.email,
    contact_email: order.email,
    phone: order.phone,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: lower(order.cancelReason),
    currency: order.currencyCode,
    presentment_currency: order.presentmentCurrencyCode,
    taxes_included: order.taxesIncluded,
    financial_status: lower(order.displayFinancialStatus),
    ...fulfillmentStatus(order.displayFulfillmentStatus),
    note: order.note,
    subtotal_price: amount(order.subtotalPriceSet ?? order.currentSubtotalPriceSet),
    total_discounts: amount(order.totalDiscountsSet ?? order.currentTotalDiscountsSet),
    total_tax: amount(order.totalTaxSet ?? order.currentTotalTaxSet),
    total_price: amount(order.totalPriceSet),
    current_subtotal_price: amount(order.currentSubtotalPriceSet),
    current_total_discounts: amount(order.currentTotalDiscountsSet),
    current_total_tax: amount(order.currentTotalTaxSet),
    current_total_price: amount(order.currentTotalPriceSet),
    ...sets({
      subtotal_price_set: order.subtotalPriceSet,
      total_discounts_set: order.totalDiscountsSet,
      total_tax_set: order.totalTaxSet,
      total_price_set: order.totalPriceSet,
      current_subtotal_price_set: order.currentSubtotalPriceSet,
      current_total_discounts_set: order.currentTotalDiscountsSet,
      current_total_tax_set: order.currentTotalTaxSet,
      current_total_price_set: order.currentTotalPriceSet,
      original_total_duties_set: order.originalTotalDutiesSet,
      current_total_duties_set: order.currentTotalDutiesSet,
    }),
    discount_codes: order.discountCodes.map((code) => ({ code })),
    line_items: order.lineItems.nodes.map((item) => ({
      id: legacyId(item.id),
      admin_graphql_api_id: item.id,
      sku: item.sku,
      title: item.title,
      variant_title: item.variantTitle,
      variant_id: item.variant === null ? null : legacyId(item.variant.id),
      gift_card: item.isGiftCard,
      name: item.name,
      quantity: item.quantity,
      current_quantity: item.currentQuantity,
      price: amount(item.originalUnitPriceSet),
      price_set: moneySet(item.originalUnitPriceSet),
      tax_lines: item.taxLines.map(taxLine),
      discount_allocations: item.discountAllocations.map(allocation),
    })),
    shipping_lines: order.shippingLines.nodes.map((line) => ({
      ...(line.id === null ? {} : { id: legacyId(line.id) }),
      title: line.title,
      code: line.code,
      price: amount(line.originalPriceSet),
      price_set: moneySet(line.originalPriceSet),
      is_removed: line.isRemoved,
      tax_lines: line.taxLines.map(taxLine),
      discount_allocations: line.discountAllocations.map(allocation),
    })),
    billing_address: address(order.billingAddress),
    shipping_address: address(order.shippingAddress),
    customer:
      order.customer === null
        ? null
        : {
            id: legacyId(order.customer.id),
            admin_graphql_api_id: order.customer.id,
            email: order.customer.defaultEmailAddress?.emailAddress ?? null,
            first_name: order.customer.firstName,
            last_name: order.customer.lastName,
            phone: order.customer.defaultPhoneNumber?.phoneNumber ?? null,
          },
  };
}

/**
 * The REST-shaped `refunds/create` body of one refund of the order (the fields `decodeRefundPayload` reads).
 * Since 2024-10 Shopify reports refunded shipping as `refund_shipping_lines`, so every order adjustment is a
 * `refund_discrepancy`.
 */
export function mapGraphqlRefundToWebhook(order: Pick<GqlOrder, 'legacyResourceId'>, refund: GqlRefund): Json {
  return {
    id: refund.legacyResourceId,
    admin_graphql_api_id: refund.id,
    order_id: order.legacyResourceId,
    created_at: refund.createdAt ?? refund.processedAt,
    processed_at: refund.processedAt,
    note: refund.note,
    refund_line_items: refund.refundLineItems.nodes.map((line) => ({
      // RefundLineItem.id is nullable in the schema; the line item's id is unique within one refund.
      id: legacyId(line.id ?? line.lineItem.id),
      line_item_id: legacyId(line.lineItem.id),
      quantity: line.quantity,
      restock_type: line.restockType.toLowerCase(),
      subtotal_set: moneySet(line.subtotalSet),
      total_tax_set: moneySet(line.totalTaxSet),
      line_item: {
        id: legacyId(line.lineItem.id),
        sku: line.lineItem.sku,
        name: line.lineItem.name,
        title: line.lineItem.title,
      },
    })),
    refund_shipping_lines: refund.refundShippingLines.nodes.map((line) => ({
      subtotal_amount_set: moneySet(line.subtotalAmountSet),
      tax_amount_set: moneySet(line.taxAmountSet),
    })),
    order_adjustments: refund.orderAdjustments.nodes.map((adjustment) => ({
      kind: 'refund_discrepancy',
      reason: lower(adjustment.reason),
      amount_set: moneySet(adjustment.amountSet),
      tax_amount_set: moneySet(adjustment.taxAmountSet),
    })),
    transactions: refund.transactions.nodes.map((transaction) => ({
      kind: transaction.kind.toLowerCase(),
      status: transaction.status.toLowerCase(),
      amount_set: moneySet(transaction.amountSet),
      currency: transaction.amountSet.shopMoney.currencyCode,
    })),
  };
}

/** The numeric id of a GID (`gid://shopify/LineItem/123` → `"123"`), exact as a string. */
export function legacyId(gid: string): string {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(\?.*)?$/.exec(gid);
  if (match?.[1] === undefined) {
    throw new Error(`not a Shopify GID: ${JSON.stringify(gid)}`);
  }
  return match[1];
}

/** A decimal string with at least two decimals, digits never changed (`"5"` → `"5.00"`, `"1.125"` stays). */
export function restDecimal(value: string): string {
  const match = /^(-?\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (match === null) {
    throw new Error(`not a decimal amount: ${JSON.stringify(value)}`);
  }
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return `${match[1]}.${fraction}`;
}

function amount(money: Money): string {
  return restDecimal(money.shopMoney.amount);
}

function moneySet(money: Money): Json {
  const presentment = money.presentmentMoney;
  return {
    shop_money: { amount: amount(money), currency_code: money.shopMoney.currencyCode },
    ...(presentment === undefined
      ? {}
      : { presentment_money: { amount: restDecimal(presentment.amount), currency_code: presentment.currencyCode } }),
  };
}

/** The REST `*_set` fields of the sets Shopify returned (a null one is left out, as REST omits it). */
function sets(entries: Record<string, Money | null>): Json {
  return Object.fromEntries(
    Object.entries(entries).flatMap(([key, money]) => (money === null ? [] : [[key, moneySet(money)]])),
  );
}

function taxLine(line: GqlTaxLine): Json {
  const rate = line.rate ?? (line.ratePercentage === null ? 0 : line.ratePercentage / 100);
  return { title: line.title, rate, price: amount(line.priceSet), price_set: moneySet(line.priceSet) };
}

function allocation(entry: GqlDiscountAllocation): Json {
  return { amount: amount(entry.allocatedAmountSet), amount_set: moneySet(entry.allocatedAmountSet) };
}

function address(value: GqlAddress | null): Json | null {
  if (value === null) {
    return null;
  }
  return {
    first_name: value.firstName,
    last_name: value.lastName,
    name: value.name,
    company: value.company,
    address1: value.address1,
    address2: value.address2,
    city: value.city,
    province: value.province,
    province_code: value.provinceCode,
    zip: value.zip,
    country: value.country,
    country_code: value.countryCodeV2,
    phone: value.phone,
  };
}

function lower(value: string | null): string | null {
  return value === null ? null : value.toLowerCase();
}

/**
 * The REST `fulfillment_status` of the Admin API's display status (`fulfilled`, `partial`, `restocked`, else null:
 * unfulfilled), which a shop's `fulfilled` trigger reads; absent when the order was read without it.
 */
function fulfillmentStatus(status: string | null | undefined): { fulfillment_status?: string | null } {
  if (status === undefined) {
    return {};
  }
  const rest: Record<string, string> = {
    FULFILLED: 'fulfilled',
    PARTIALLY_FULFILLED: 'partial',
    RESTOCKED: 'restocked',
  };
  return { fulfillment_status: status === null ? null : (rest[status] ?? null) };
}
