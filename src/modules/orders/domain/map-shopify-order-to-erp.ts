import type {
  ErpAddress,
  ErpCustomerDraft,
  ErpSalesOrderDraft,
  ErpSalesOrderLine,
  ErpShippingLine,
  Money,
} from 'src/modules/erp';
import { multiplyMoney, normaliseMoney, prorateMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type {
  ShopifyAddress,
  ShopifyCustomer,
  ShopifyDiscountAllocation,
  ShopifyLineItem,
  ShopifyOrderPayload,
  ShopifyShippingLine,
} from 'src/modules/orders/domain/shopify-order.payload';

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
 * @throws OrderError(MissingSku) for a line that still has quantity but no SKU, since the ERP resolves items by SKU.
 */
export function mapShopifyOrderToErp(order: ShopifyOrderPayload): ErpOrderDrafts {
  const orderId = String(order.id);
  const email = text(order.email) ?? text(order.contact_email);
  const billingAddress = mapAddress(order.billing_address);
  const customer = mapCustomer(order, orderId, email, billingAddress);
  const lines = order.line_items.flatMap((item) => mapLine(item) ?? []);
  const shippingLines = (order.shipping_lines ?? []).filter((line) => line.is_removed !== true).map(mapShippingLine);
  const cancelled = text(order.cancelled_at) !== undefined;

  const salesOrder: ErpSalesOrderDraft = definedOnly({
    externalId: orderId,
    reference: order.name,
    orderDate: text(order.processed_at) ?? order.created_at,
    sourceUpdatedAt: order.updated_at,
    currency: order.currency,
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
    subtotal: normaliseMoney(order.current_subtotal_price ?? order.subtotal_price),
    discountTotal: normaliseMoney(order.current_total_discounts ?? order.total_discounts),
    // Before shipping discounts, like Shopify's total_shipping_price_set; those discounts are in discountTotal.
    shippingTotal: sumMoney(shippingLines.map((line) => line.amount)),
    taxTotal: normaliseMoney(order.current_total_tax ?? order.total_tax),
    total: normaliseMoney(order.current_total_price ?? order.total_price),
    note: text(order.note),
    cancelReason: text(order.cancel_reason),
  });
  return { customer, salesOrder };
}

function mapLine(item: ShopifyLineItem): ErpSalesOrderLine | undefined {
  const quantity = item.current_quantity ?? item.quantity;
  const sku = text(item.sku)?.trim();
  if (sku === undefined) {
    if (quantity === 0) {
      // Removed or fully refunded: nothing left for the ERP to resolve, and refusing it would block a cancel forever.
      return undefined;
    }
    throw new OrderError(
      OrderErrorCode.MissingSku,
      `line item ${String(item.id)} (${JSON.stringify(item.title)}) has no SKU; the ERP resolves items by SKU`,
    );
  }
  // Shopify's discount allocations and tax lines are for the quantity ordered; scale them to what is left.
  const share = (amount: Money): Money =>
    quantity === item.quantity || item.quantity === 0
      ? normaliseMoney(amount)
      : prorateMoney(amount, quantity, item.quantity);
  const discountAmount = share(sumAllocations(item.discount_allocations));
  const taxLines = (item.tax_lines ?? []).map((tax) => ({
    title: tax.title,
    rate: tax.rate,
    amount: share(tax.price),
  }));
  return {
    externalLineId: String(item.id),
    sku,
    description: text(item.name) ?? item.title,
    quantity,
    unitPrice: normaliseMoney(item.price),
    discountAmount,
    taxAmount: sumMoney(taxLines.map((tax) => tax.amount)),
    lineTotal: subtractMoney(multiplyMoney(item.price, quantity), discountAmount),
    taxLines,
  };
}

function mapShippingLine(line: ShopifyShippingLine): ErpShippingLine {
  return {
    code: text(line.code) ?? line.title,
    description: line.title,
    amount: normaliseMoney(line.price),
    discountAmount: sumAllocations(line.discount_allocations),
    taxAmount: sumMoney((line.tax_lines ?? []).map((tax) => tax.price)),
  };
}

/**
 * The ERP customer key: the Shopify customer id; for a guest checkout the lowercased email, so that repeat guest
 * orders land on one ERP customer; and with neither, a key of this order alone.
 */
function mapCustomer(
  order: ShopifyOrderPayload,
  orderId: string,
  email: string | undefined,
  billingAddress: ErpAddress | undefined,
): ErpCustomerDraft {
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

function sumAllocations(allocations: ShopifyDiscountAllocation[] | undefined): Money {
  return sumMoney((allocations ?? []).map((allocation) => allocation.amount));
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
