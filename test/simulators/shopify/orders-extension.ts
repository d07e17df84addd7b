import { connection, matchesTerm, parseSearchQuery, type ConnectionArgs } from 'test/simulators/shopify/connection';
import {
  GidFactory,
  isoAt,
  shopifyError,
  type ShopifySimExtension,
  type SimContext,
  type SimRequestContext,
} from 'test/simulators/shopify/sim-context';

/**
 * The orders area of the Shopify simulator: orders with line items, fulfilment orders, fulfilments and refunds, with
 * `order(id)` (with its `transactions`), `orders(query: "updated_at:>'…'", sortKey: UPDATED_AT, first, after)` and `fulfillmentCreate` following
 * the 2026-10 semantics (api-facts A.3): every fulfilment order of one call belongs to one order and one location,
 * quantities at most what remains, errors as `userErrors`; `notifyCustomer: true` is recorded in a ledger of customer
 * notifications. Orders are seeded from REST-shaped webhook payloads (test/factories/shopify-order.factory.ts), so a
 * test can compare what the reconciliation fed with what the webhook would have carried. A simulation, not Shopify.
 */

export const DEFAULT_LOCATION = { id: 'gid://shopify/Location/70000000001', name: 'Main warehouse' };

type Json = Record<string, unknown>;

interface SimMoney {
  amount: string;
  currencyCode: string;
}

export interface SimLineItem {
  gid: string;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  /** `gid://shopify/ProductVariant/…`; null for a custom line. */
  variantGid: string | null;
  isGiftCard: boolean;
  name: string;
  quantity: number;
  currentQuantity: number;
  price: string;
  taxLines: Array<{ title: string; rate: number; price: string }>;
  discountAllocations: string[];
}

export interface SimFulfillmentOrder {
  gid: string;
  orderGid: string;
  status: 'OPEN' | 'IN_PROGRESS' | 'SCHEDULED' | 'ON_HOLD' | 'INCOMPLETE' | 'CLOSED' | 'CANCELLED';
  location: { id: string; name: string };
  lineItems: Array<{ gid: string; lineItemGid: string; totalQuantity: number; remainingQuantity: number }>;
}

export interface SimFulfillment {
  gid: string;
  orderGid: string;
  status: 'SUCCESS';
  createdAt: string;
  locationId: string;
  trackingInfo: Array<{ company: string | null; number: string | null; url: string | null }>;
  lineItems: Array<{ lineItemGid: string; quantity: number }>;
  notifyCustomer: boolean;
  message: string | null;
}

export interface SimRefund {
  gid: string;
  createdAt: string;
  note: string | null;
  lines: Array<{
    gid: string;
    lineItemGid: string;
    quantity: number;
    restockType: string;
    subtotal: string;
    tax: string;
  }>;
  shipping: Array<{ subtotal: string; tax: string }>;
  /** Discrepancy adjustments (signed as Shopify writes them; shipping refunds are `shipping` since 2024-10). */
  adjustments: Array<{ amount: string; tax: string; reason: string }>;
  transactions: Array<{ kind: string; status: string; amount: string }>;
}

/** @description An order transaction (`Order.transactions`), amounts in the shop and presentment currencies. */
export interface SimTransaction {
  id: string;
  kind: 'SALE' | 'CAPTURE' | 'AUTHORIZATION' | 'REFUND' | 'VOID';
  status: 'SUCCESS' | 'FAILURE' | 'PENDING';
  gateway: string;
  shopMoney: { amount: string; currencyCode: string };
  presentmentMoney: { amount: string; currencyCode: string };
  processedAt: string;
  createdAt: string;
}

export interface SimOrder {
  gid: string;
  /** The REST-shaped payload it was seeded from (kept for the scalar fields and totals). */
  rest: Json;
  createdAt: string;
  updatedAt: string;
  currency: string;
  lineItems: SimLineItem[];
  fulfillmentOrders: SimFulfillmentOrder[];
  fulfillments: SimFulfillment[];
  refunds: SimRefund[];
  /** The order's tags (seeded from the payload's comma-separated `tags`; `tagsAdd` adds). */
  tags: string[];
  /** Metafields set with `metafieldsSet`. */
  metafields: SimMetafield[];
  /** The order's transactions (the webhook payload carries only `payment_gateway_names`). */
  transactions: SimTransaction[];
  /**
   * `Order.risk` (2026-10 `OrderRiskSummary`): the recommendation and each assessment's `RiskAssessmentResult`. Seeded
   * as Shopify's usual verdict on a normal order (ACCEPT, one LOW assessment); `setRisk` changes it.
   */
  risk: { recommendation: string | null; levels: string[] };
}

/** @description A return of an order (Admin API `Return`), as `seedReturn` made it. */
export interface SimReturn {
  gid: string;
  orderGid: string;
  name: string;
  status: 'CANCELED' | 'CLOSED' | 'DECLINED' | 'OPEN' | 'REQUESTED';
  createdAt: string;
  requestApprovedAt: string | null;
  lines: Array<{
    gid: string;
    fulfillmentLineItemGid: string;
    lineItemGid: string;
    quantity: number;
    reason: string | null;
    dispositions: Array<{ type: 'MISSING' | 'NOT_RESTOCKED' | 'PROCESSING_REQUIRED' | 'RESTOCKED'; quantity: number }>;
  }>;
  /** Exchange items, each with the order line Shopify added for it. */
  exchanges: Array<{ gid: string; quantity: number; line: SimLineItem }>;
}

/** @description What `seedReturn` needs: the returned order lines by SKU, and exchange items. */
export interface SimReturnSeed {
  status?: SimReturn['status'];
  lines: Array<{
    sku: string;
    quantity: number;
    reason?: string;
    dispositions?: SimReturn['lines'][number]['dispositions'];
  }>;
  exchanges?: Array<{ sku: string; title: string; price: string; quantity: number }>;
}

export interface SimMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** @description A customer e-mail Shopify would send because a fulfilment was created with `notifyCustomer: true`. */
export interface SimCustomerNotification {
  orderGid: string;
  fulfillmentGid: string;
  email: string | null;
  trackingNumbers: string[];
  at: number;
}

export interface OrdersState {
  orders: Map<string, SimOrder>;
  fulfillmentOrders: Map<string, SimFulfillmentOrder>;
  notifications: SimCustomerNotification[];
  /** Each `tagsAdd` that added a tag to an order (a test counts writes with it). */
  tagWrites: Array<{ orderGid: string; tags: string[]; at: number }>;
  /** Each metafield value written by `metafieldsSet`. */
  metafieldWrites: Array<{ orderGid: string; namespace: string; key: string; value: string }>;
  /**
   * Adds an order from a REST-shaped orders webhook payload. Each line item's fulfilment location is `locations[sku]`
   * (default: the main warehouse); one fulfilment order per location. `updated_at` becomes the order's updatedAt.
   */
  seedOrder(
    payload: Json,
    options?: { locations?: Record<string, { id: string; name: string }>; transactions?: SimTransaction[] },
  ): SimOrder;
  /**
   * Adds a return of an order's lines (by SKU), OPEN by default, and answers `return(id:)` with it. Returns it, with
   * the `returns/approve` webhook body Shopify would send (ids only).
   */
  seedReturn(orderGid: string, seed: SimReturnSeed): { ret: SimReturn; webhook: Json };
  /** Adds a refund (REST `refunds/create` shape, amounts in `*_set.shop_money`); the order's updatedAt moves to its createdAt. */
  seedRefund(orderGid: string, payload: Json): SimRefund;
  /** Changes a fulfilment order's status (e.g. ON_HOLD) without touching quantities. */
  setFulfillmentOrderStatus(gid: string, status: SimFulfillmentOrder['status']): void;
  /** Moves an order's updatedAt (e.g. an edit in the admin). */
  touch(orderGid: string, at?: number): void;
  /** Sets Shopify's risk assessment of an order (e.g. HIGH, or PENDING while the analysis runs). */
  setRisk(orderGid: string, risk: { recommendation: string | null; levels: string[] }): void;
}

export function ordersExtension(context: SimContext): { extension: ShopifySimExtension; state: OrdersState } {
  const orders = new Map<string, SimOrder>();
  const fulfillmentOrders = new Map<string, SimFulfillmentOrder>();
  const returns = new Map<string, SimReturn>();
  const notifications: SimCustomerNotification[] = [];
  const tagWrites: OrdersState['tagWrites'] = [];
  const metafieldWrites: OrdersState['metafieldWrites'] = [];
  const now = (): string => isoAt(context.clock.now());

  const state: OrdersState = {
    orders,
    fulfillmentOrders,
    notifications,
    tagWrites,
    metafieldWrites,
    seedOrder(payload, options = {}) {
      const gid = text(payload.admin_graphql_api_id) || `gid://shopify/Order/${text(payload.id)}`;
      const currency = text(payload.currency) || 'EUR';
      const lines = (payload.line_items as Json[] | undefined) ?? [];
      const lineItems: SimLineItem[] = lines.map((item) => ({
        gid: text(item.admin_graphql_api_id) || `gid://shopify/LineItem/${text(item.id)}`,
        sku: (item.sku as string | null | undefined) ?? null,
        title: String(item.title),
        variantTitle: (item.variant_title as string | null | undefined) ?? null,
        variantGid:
          item.variant_id === undefined || item.variant_id === null
            ? null
            : `gid://shopify/ProductVariant/${text(item.variant_id)}`,
        isGiftCard: item.gift_card === true,
        name: String(item.name ?? item.title),
        quantity: Number(item.quantity),
        currentQuantity: Number(item.current_quantity ?? item.quantity),
        price: String(item.price),
        taxLines: ((item.tax_lines as Json[] | undefined) ?? []).map((t) => ({
          title: String(t.title),
          rate: Number(t.rate),
          price: String(t.price),
        })),
        discountAllocations: ((item.discount_allocations as Json[] | undefined) ?? []).map((d) => String(d.amount)),
      }));
      const order: SimOrder = {
        gid,
        rest: payload,
        createdAt: isoOf(payload.created_at) ?? now(),
        updatedAt: isoOf(payload.updated_at) ?? now(),
        currency,
        lineItems,
        fulfillmentOrders: [],
        fulfillments: [],
        refunds: [],
        tags:
          typeof payload.tags === 'string'
            ? payload.tags
                .split(',')
                .map((t) => t.trim())
                .filter((t) => t !== '')
            : [],
        metafields: [],
        transactions: (options.transactions ?? []).map((t) => ({ ...t })),
        risk: { recommendation: 'ACCEPT', levels: ['LOW'] },
      };
      const byLocation = new Map<string, SimFulfillmentOrder>();
      for (const item of lineItems) {
        const location = (item.sku !== null ? options.locations?.[item.sku] : undefined) ?? DEFAULT_LOCATION;
        let fo = byLocation.get(location.id);
        if (fo === undefined) {
          fo = { gid: context.ids.next('FulfillmentOrder'), orderGid: gid, status: 'OPEN', location, lineItems: [] };
          byLocation.set(location.id, fo);
          order.fulfillmentOrders.push(fo);
          fulfillmentOrders.set(fo.gid, fo);
        }
        fo.lineItems.push({
          gid: context.ids.next('FulfillmentOrderLineItem'),
          lineItemGid: item.gid,
          totalQuantity: item.currentQuantity,
          remainingQuantity: item.currentQuantity,
        });
      }
      orders.set(gid, order);
      return order;
    },
    seedReturn(orderGid, seed) {
      const order = mustGet(orders, orderGid, 'order');
      const gid = context.ids.next('Return');
      const count = [...returns.values()].filter((r) => r.orderGid === orderGid).length + 1;
      const ret: SimReturn = {
        gid,
        orderGid,
        name: `${text(order.rest.name)}-R${count}`,
        status: seed.status ?? 'OPEN',
        createdAt: now(),
        requestApprovedAt: (seed.status ?? 'OPEN') === 'REQUESTED' ? null : now(),
        lines: seed.lines.map((line) => {
          const item = order.lineItems.find((candidate) => candidate.sku === line.sku);
          if (item === undefined) {
            throw new Error(`order ${orderGid} has no line with SKU ${line.sku}`);
          }
          return {
            gid: context.ids.next('ReturnLineItem'),
            fulfillmentLineItemGid: `gid://shopify/FulfillmentLineItem/${GidFactory.numeric(item.gid)}`,
            lineItemGid: item.gid,
            quantity: line.quantity,
            reason: line.reason ?? null,
            dispositions: line.dispositions ?? [],
          };
        }),
        exchanges: (seed.exchanges ?? []).map((exchange) => ({
          gid: context.ids.next('ExchangeLineItem'),
          quantity: exchange.quantity,
          line: {
            gid: context.ids.next('LineItem'),
            sku: exchange.sku,
            title: exchange.title,
            variantTitle: null,
            variantGid: null,
            isGiftCard: false,
            name: exchange.title,
            quantity: exchange.quantity,
            currentQuantity: exchange.quantity,
            price: exchange.price,
            taxLines: [],
            discountAllocations: [],
          },
        })),
      };
      returns.set(gid, ret);
      const webhook: Json = {
        id: Number(GidFactory.numeric(gid)),
        admin_graphql_api_id: gid,
        status: ret.status.toLowerCase(),
        order: { id: Number(GidFactory.numeric(orderGid)), admin_graphql_api_id: orderGid },
        name: ret.name,
        total_return_line_items: ret.lines.length,
        return_line_items: [],
        return_shipping_fees: [],
        exchange_line_items: [],
        total_exchange_line_items: ret.exchanges.length,
      };
      return { ret, webhook };
    },
    seedRefund(orderGid, payload) {
      const order = mustGet(orders, orderGid, 'order');
      const set = (owner: Json, key: string): string =>
        text(((owner[`${key}_set`] as Json | undefined)?.shop_money as Json | undefined)?.amount ?? owner[key]) || '0';
      const refund: SimRefund = {
        gid: text(payload.admin_graphql_api_id) || `gid://shopify/Refund/${text(payload.id)}`,
        createdAt: isoOf(payload.created_at) ?? now(),
        note: (payload.note as string | null | undefined) ?? null,
        lines: ((payload.refund_line_items as Json[] | undefined) ?? []).map((line) => ({
          gid: `gid://shopify/RefundLineItem/${String(line.id)}`,
          lineItemGid: `gid://shopify/LineItem/${String(line.line_item_id)}`,
          quantity: Number(line.quantity),
          restockType: (text(line.restock_type) || 'no_restock').toUpperCase(),
          subtotal: set(line, 'subtotal'),
          tax: set(line, 'total_tax'),
        })),
        shipping: ((payload.refund_shipping_lines as Json[] | undefined) ?? []).map((line) => ({
          subtotal: set(line, 'subtotal_amount'),
          tax: set(line, 'tax_amount'),
        })),
        adjustments: ((payload.order_adjustments as Json[] | undefined) ?? [])
          .filter((a) => a.kind !== 'shipping_refund')
          .map((a) => ({ amount: set(a, 'amount'), tax: set(a, 'tax_amount'), reason: 'REFUND_DISCREPANCY' })),
        transactions: ((payload.transactions as Json[] | undefined) ?? []).map((t) => ({
          kind: String(t.kind).toUpperCase(),
          status: String(t.status).toUpperCase(),
          amount: set(t, 'amount'),
        })),
      };
      order.refunds.push(refund);
      state.touch(orderGid, Date.parse(refund.createdAt));
      return refund;
    },
    setFulfillmentOrderStatus(gid, status) {
      mustGet(fulfillmentOrders, gid, 'fulfillment order').status = status;
    },
    setRisk(orderGid, risk) {
      mustGet(orders, orderGid, 'order').risk = { recommendation: risk.recommendation, levels: [...risk.levels] };
    },
    touch(orderGid, at) {
      const order = mustGet(orders, orderGid, 'order');
      // Shopify timestamps have one-second resolution; an update always moves updatedAt forward.
      const next = Math.max(at ?? context.clock.now(), Date.parse(order.updatedAt) + 1_000);
      order.updatedAt = isoAt(next);
    },
  };

  const money = (amount: string, currencyCode: string): { shopMoney: SimMoney; presentmentMoney: SimMoney } => ({
    shopMoney: { amount: graphqlDecimal(amount), currencyCode },
    presentmentMoney: { amount: graphqlDecimal(amount), currencyCode },
  });

  const lineItemView = (order: SimOrder, item: SimLineItem): Json => ({
    id: item.gid,
    sku: item.sku,
    title: item.title,
    variantTitle: item.variantTitle,
    variant: item.variantGid === null ? null : { id: item.variantGid },
    isGiftCard: item.isGiftCard,
    name: item.name,
    quantity: item.quantity,
    currentQuantity: item.currentQuantity,
    originalUnitPriceSet: money(item.price, order.currency),
    taxLines: item.taxLines.map((t) => ({
      title: t.title,
      rate: t.rate,
      ratePercentage: t.rate * 100,
      priceSet: money(t.price, order.currency),
    })),
    discountAllocations: item.discountAllocations.map((amount) => ({
      allocatedAmountSet: money(amount, order.currency),
    })),
  });

  const addressView = (value: unknown): Json | null => {
    if (typeof value !== 'object' || value === null) {
      return null;
    }
    const a = value as Json;
    return {
      firstName: a.first_name ?? null,
      lastName: a.last_name ?? null,
      name: a.name ?? null,
      company: a.company ?? null,
      address1: a.address1 ?? null,
      address2: a.address2 ?? null,
      city: a.city ?? null,
      province: a.province ?? null,
      provinceCode: a.province_code ?? null,
      zip: a.zip ?? null,
      country: a.country ?? null,
      countryCodeV2: a.country_code ?? null,
      phone: a.phone ?? null,
    };
  };

  const fulfillmentView = (order: SimOrder, f: SimFulfillment): Json => ({
    id: f.gid,
    legacyResourceId: GidFactory.numeric(f.gid),
    status: f.status,
    createdAt: f.createdAt,
    updatedAt: f.createdAt,
    location: { id: f.locationId },
    trackingInfo: (args: { first?: number }) => f.trackingInfo.slice(0, args.first ?? f.trackingInfo.length),
    fulfillmentLineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
      connection(f.lineItems, args, ctx, (line) => ({
        id: `${f.gid}-${GidFactory.numeric(line.lineItemGid)}`,
        quantity: line.quantity,
        lineItem: lineItemView(
          order,
          mustFind(order.lineItems, (l) => l.gid === line.lineItemGid),
        ),
      })),
  });

  const fulfillmentOrderView = (order: SimOrder, fo: SimFulfillmentOrder): Json => ({
    id: fo.gid,
    orderId: order.gid,
    status: fo.status,
    assignedLocation: { name: fo.location.name, location: { id: fo.location.id, name: fo.location.name } },
    lineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
      connection(fo.lineItems, args, ctx, (line) => ({
        id: line.gid,
        totalQuantity: line.totalQuantity,
        remainingQuantity: line.remainingQuantity,
        lineItem: lineItemView(
          order,
          mustFind(order.lineItems, (l) => l.gid === line.lineItemGid),
        ),
      })),
  });

  const refundView = (order: SimOrder, refund: SimRefund): Json => {
    const currency = order.currency;
    return {
      id: refund.gid,
      legacyResourceId: GidFactory.numeric(refund.gid),
      createdAt: refund.createdAt,
      processedAt: refund.createdAt,
      updatedAt: refund.createdAt,
      note: refund.note,
      refundLineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(refund.lines, args, ctx, (line) => ({
          id: line.gid,
          quantity: line.quantity,
          restockType: line.restockType,
          restocked: line.restockType !== 'NO_RESTOCK',
          subtotalSet: money(line.subtotal, currency),
          totalTaxSet: money(line.tax, currency),
          lineItem: lineItemView(
            order,
            mustFind(order.lineItems, (l) => l.gid === line.lineItemGid),
          ),
        })),
      refundShippingLines: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(refund.shipping, args, ctx, (line) => ({
          subtotalAmountSet: money(line.subtotal, currency),
          taxAmountSet: money(line.tax, currency),
        })),
      orderAdjustments: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(refund.adjustments, args, ctx, (a) => ({
          id: `${refund.gid}-adjustment`,
          amountSet: money(a.amount, currency),
          taxAmountSet: money(a.tax, currency),
          reason: a.reason,
        })),
      transactions: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(refund.transactions, args, ctx, (t) => ({
          kind: t.kind,
          status: t.status,
          amountSet: money(t.amount, currency),
        })),
    };
  };

  const orderView = (order: SimOrder): Json => {
    const rest = order.rest;
    const c = order.currency;
    const m = (key: string, fallback?: string): Json | null => {
      const value = rest[key] ?? (fallback === undefined ? undefined : rest[fallback]);
      return value === undefined || value === null ? null : money(text(value), c);
    };
    const customer = rest.customer as Json | null | undefined;
    const shippingLines = ((rest.shipping_lines as Json[] | undefined) ?? []).map((line) => ({
      id: line.admin_graphql_api_id ?? (line.id === undefined ? null : `gid://shopify/ShippingLine/${text(line.id)}`),
      title: line.title,
      code: line.code ?? null,
      isRemoved: line.is_removed === true,
      originalPriceSet: money(String(line.price), c),
      taxLines: ((line.tax_lines as Json[] | undefined) ?? []).map((t) => ({
        title: t.title,
        rate: t.rate,
        ratePercentage: Number(t.rate) * 100,
        priceSet: money(String(t.price), c),
      })),
      discountAllocations: ((line.discount_allocations as Json[] | undefined) ?? []).map((d) => ({
        allocatedAmountSet: money(String(d.amount), c),
      })),
    }));
    return {
      id: order.gid,
      legacyResourceId: GidFactory.numeric(order.gid),
      name: rest.name,
      email: rest.email ?? null,
      phone: rest.phone ?? null,
      createdAt: order.createdAt,
      updatedAt: order.updatedAt,
      processedAt: isoOf(rest.processed_at) ?? order.createdAt,
      cancelledAt: isoOf(rest.cancelled_at),
      cancelReason: typeof rest.cancel_reason === 'string' ? rest.cancel_reason.toUpperCase() : null,
      currencyCode: c,
      taxesIncluded: rest.taxes_included === true,
      displayFinancialStatus: typeof rest.financial_status === 'string' ? rest.financial_status.toUpperCase() : null,
      displayFulfillmentStatus:
        rest.fulfillment_status === 'fulfilled'
          ? 'FULFILLED'
          : rest.fulfillment_status === 'partial'
            ? 'PARTIALLY_FULFILLED'
            : rest.fulfillment_status === 'restocked'
              ? 'RESTOCKED'
              : 'UNFULFILLED',
      note: rest.note ?? null,
      subtotalPriceSet: m('subtotal_price'),
      totalDiscountsSet: m('total_discounts'),
      totalTaxSet: m('total_tax'),
      totalPriceSet: m('total_price'),
      currentSubtotalPriceSet: m('current_subtotal_price', 'subtotal_price'),
      currentTotalDiscountsSet: m('current_total_discounts', 'total_discounts'),
      currentTotalTaxSet: m('current_total_tax', 'total_tax'),
      currentTotalPriceSet: m('current_total_price', 'total_price'),
      // The simulator does not model Markets: every order is presented in the shop currency, without duties.
      presentmentCurrencyCode: c,
      originalTotalDutiesSet: null,
      currentTotalDutiesSet: null,
      tags: [...order.tags],
      risk: {
        recommendation: order.risk.recommendation,
        assessments: order.risk.levels.map((riskLevel) => ({ riskLevel, facts: [], provider: null })),
      },
      metafield: (args: { namespace?: string | null; key: string }) => {
        const found = order.metafields.find((m) => m.key === args.key && m.namespace === (args.namespace ?? '$app'));
        return found === undefined ? null : { ...found, ownerType: 'ORDER', compareDigest: found.value };
      },
      discountCodes: ((rest.discount_codes as Json[] | undefined) ?? []).map((d) => String(d.code)),
      lineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(order.lineItems, args, ctx, (item) => lineItemView(order, item)),
      shippingLines: (args: ConnectionArgs & { includeRemovals?: boolean }, ctx: SimRequestContext) =>
        connection(
          shippingLines.filter((line) => args.includeRemovals === true || !line.isRemoved),
          args,
          ctx,
          (x) => x,
        ),
      billingAddress: addressView(rest.billing_address),
      shippingAddress: addressView(rest.shipping_address),
      customer:
        customer === null || customer === undefined
          ? null
          : {
              id: customer.admin_graphql_api_id ?? `gid://shopify/Customer/${String(customer.id)}`,
              firstName: customer.first_name ?? null,
              lastName: customer.last_name ?? null,
              defaultEmailAddress: typeof customer.email === 'string' ? { emailAddress: customer.email } : null,
              defaultPhoneNumber: typeof customer.phone === 'string' ? { phoneNumber: customer.phone } : null,
            },
      transactions: (args: { first?: number }) =>
        order.transactions.slice(0, args.first ?? order.transactions.length).map((t) => ({
          id: t.id.startsWith('gid://') ? t.id : `gid://shopify/OrderTransaction/${t.id}`,
          kind: t.kind,
          status: t.status,
          gateway: t.gateway,
          processedAt: t.processedAt,
          createdAt: t.createdAt,
          amountSet: {
            shopMoney: { amount: graphqlDecimal(t.shopMoney.amount), currencyCode: t.shopMoney.currencyCode },
            presentmentMoney: {
              amount: graphqlDecimal(t.presentmentMoney.amount),
              currencyCode: t.presentmentMoney.currencyCode,
            },
          },
        })),
      refunds: (args: { first?: number }) =>
        order.refunds.slice(0, args.first ?? order.refunds.length).map((r) => refundView(order, r)),
      fulfillments: (args: { first?: number }) =>
        order.fulfillments.slice(0, args.first ?? order.fulfillments.length).map((f) => fulfillmentView(order, f)),
      fulfillmentOrders: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(order.fulfillmentOrders, args, ctx, (fo) => fulfillmentOrderView(order, fo)),
    };
  };

  const returnView = (ret: SimReturn): Json => {
    const order = mustGet(orders, ret.orderGid, 'order');
    return {
      id: ret.gid,
      name: ret.name,
      status: ret.status,
      createdAt: ret.createdAt,
      requestApprovedAt: ret.requestApprovedAt,
      order: orderView(order),
      returnLineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(ret.lines, args, ctx, (line) => {
          const item = mustGet(new Map(order.lineItems.map((l) => [l.gid, l])), line.lineItemGid, 'line item');
          return {
            __typename: 'ReturnLineItem',
            id: line.gid,
            quantity: line.quantity,
            returnReasonDefinition: line.reason === null ? null : { handle: line.reason },
            fulfillmentLineItem: { id: line.fulfillmentLineItemGid, lineItem: lineItemView(order, item) },
          };
        }),
      exchangeLineItems: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(ret.exchanges, args, ctx, (exchange) => ({
          id: exchange.gid,
          quantity: exchange.quantity,
          lineItems: [lineItemView(order, exchange.line)],
        })),
      reverseFulfillmentOrders: (args: ConnectionArgs, ctx: SimRequestContext) =>
        connection(ret.lines.some((line) => line.dispositions.length > 0) ? [ret] : [], args, ctx, (r) => ({
          lineItems: (inner: ConnectionArgs, innerCtx: SimRequestContext) =>
            connection(r.lines, inner, innerCtx, (line) => ({
              fulfillmentLineItem: { id: line.fulfillmentLineItemGid },
              dispositions: line.dispositions,
            })),
        })),
    };
  };

  const listOrders = (args: ConnectionArgs & { sortKey?: string | null }, ctx: SimRequestContext): unknown => {
    const terms = parseSearchQuery(args.query);
    for (const term of terms) {
      if (!['updated_at', 'created_at', 'id'].includes(term.key)) {
        throw shopifyError(`Simulator does not support the orders filter ${term.key}`, 'BAD_REQUEST');
      }
    }
    const matching = [...orders.values()].filter((order) =>
      terms.every((term) =>
        matchesTerm(
          term,
          term.key === 'updated_at'
            ? order.updatedAt
            : term.key === 'created_at'
              ? order.createdAt
              : Number(GidFactory.numeric(order.gid)),
        ),
      ),
    );
    const sortKey = args.sortKey ?? 'ID';
    const key = (order: SimOrder): number =>
      sortKey === 'UPDATED_AT'
        ? Date.parse(order.updatedAt)
        : sortKey === 'CREATED_AT'
          ? Date.parse(order.createdAt)
          : Number(GidFactory.numeric(order.gid));
    matching.sort((a, b) => key(a) - key(b) || Number(GidFactory.numeric(a.gid)) - Number(GidFactory.numeric(b.gid)));
    return connection(matching, args, ctx, orderView);
  };

  const fulfillmentCreate = (args: Json): Json => {
    const input = args.fulfillment as Json;
    const groups = (input.lineItemsByFulfillmentOrder as Json[] | undefined) ?? [];
    const fail = (message: string, field: string[] = ['fulfillment']): Json => ({
      fulfillment: null,
      userErrors: [{ field, message }],
    });
    if (groups.length === 0) {
      return fail('Line items by fulfillment order must not be empty.', ['fulfillment', 'lineItemsByFulfillmentOrder']);
    }
    const resolved: Array<{
      fo: SimFulfillmentOrder;
      lines: Array<{ line: SimFulfillmentOrder['lineItems'][number]; quantity: number }>;
    }> = [];
    for (const [index, group] of groups.entries()) {
      const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(index)];
      const fo = fulfillmentOrders.get(String(group.fulfillmentOrderId));
      if (fo === undefined) {
        return fail('Fulfillment order does not exist.', [...field, 'fulfillmentOrderId']);
      }
      if (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS') {
        return fail(`Fulfillment order ${fo.gid} has an unfulfillable status= ${fo.status.toLowerCase()}.`, field);
      }
      const requested = group.fulfillmentOrderLineItems as Json[] | null | undefined;
      const lines =
        requested === null || requested === undefined || requested.length === 0
          ? fo.lineItems
              .filter((l) => l.remainingQuantity > 0)
              .map((line) => ({ line, quantity: line.remainingQuantity }))
          : [];
      for (const entry of requested ?? []) {
        const line = fo.lineItems.find((l) => l.gid === entry.id);
        const quantity = Number(entry.quantity);
        if (line === undefined) {
          return fail(`Fulfillment order line item ${String(entry.id)} does not belong to ${fo.gid}.`, [
            ...field,
            'fulfillmentOrderLineItems',
          ]);
        }
        if (!Number.isInteger(quantity) || quantity <= 0 || quantity > line.remainingQuantity) {
          return fail(
            `Invalid fulfillment order line item quantity requested: ${quantity} (remaining ${line.remainingQuantity}).`,
            [...field, 'fulfillmentOrderLineItems'],
          );
        }
        lines.push({ line, quantity });
      }
      resolved.push({ fo, lines });
    }
    const first = resolved[0].fo;
    if (resolved.some((r) => r.fo.orderGid !== first.orderGid)) {
      return fail('All fulfillment orders must belong to the same order.');
    }
    if (resolved.some((r) => r.fo.location.id !== first.location.id)) {
      return fail('All fulfillment orders must be assigned to the same location.');
    }
    const order = mustGet(orders, first.orderGid, 'order');
    const tracking = (input.trackingInfo as Json | null | undefined) ?? {};
    const numbers = [
      ...(typeof tracking.number === 'string' ? [tracking.number] : []),
      ...((tracking.numbers as string[] | undefined) ?? []),
    ];
    const urls = [
      ...(typeof tracking.url === 'string' ? [tracking.url] : []),
      ...((tracking.urls as string[] | undefined) ?? []),
    ];
    const company = typeof tracking.company === 'string' ? tracking.company : null;
    for (const { lines } of resolved) {
      for (const { line, quantity } of lines) {
        line.remainingQuantity -= quantity;
      }
    }
    for (const { fo } of resolved) {
      fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
    }
    const fulfillment: SimFulfillment = {
      gid: context.ids.next('Fulfillment'),
      orderGid: order.gid,
      status: 'SUCCESS',
      createdAt: now(),
      locationId: first.location.id,
      trackingInfo: (numbers.length > 0 ? numbers : [null]).map((number, i) => ({
        company,
        number,
        url: urls[i] ?? urls[0] ?? null,
      })),
      lineItems: resolved.flatMap(({ lines }) =>
        lines.map(({ line, quantity }) => ({ lineItemGid: line.lineItemGid, quantity })),
      ),
      notifyCustomer: input.notifyCustomer === true,
      message: typeof args.message === 'string' ? args.message : null,
    };
    if (numbers.length === 0 && company === null && urls.length === 0) {
      fulfillment.trackingInfo = [];
    }
    order.fulfillments.push(fulfillment);
    state.touch(order.gid);
    if (fulfillment.notifyCustomer) {
      notifications.push({
        orderGid: order.gid,
        fulfillmentGid: fulfillment.gid,
        email: typeof order.rest.email === 'string' ? order.rest.email : null,
        trackingNumbers: numbers,
        at: context.clock.now(),
      });
    }
    context.emit('fulfillments/create', {
      id: GidFactory.numeric(fulfillment.gid),
      admin_graphql_api_id: fulfillment.gid,
      order_id: GidFactory.numeric(order.gid),
      tracking_numbers: numbers,
    });
    return { fulfillment: fulfillmentView(order, fulfillment), userErrors: [] };
  };

  /**
   * `fulfillmentTrackingInfoUpdate(fulfillmentId, trackingInfoInput, notifyCustomer)`: replaces the fulfilment's
   * tracking (company, numbers, URLs); Shopify e-mails the customer the shipping update when `notifyCustomer`.
   */
  const fulfillmentTrackingInfoUpdate = (args: Json): Json => {
    const gid = String(args.fulfillmentId);
    const order = [...orders.values()].find((o) => o.fulfillments.some((f) => f.gid === gid));
    const fulfillment = order?.fulfillments.find((f) => f.gid === gid);
    if (order === undefined || fulfillment === undefined) {
      return { fulfillment: null, userErrors: [{ field: ['fulfillmentId'], message: 'Fulfillment does not exist.' }] };
    }
    const tracking = (args.trackingInfoInput as Json | null | undefined) ?? {};
    const numbers = [
      ...(typeof tracking.number === 'string' ? [tracking.number] : []),
      ...((tracking.numbers as string[] | undefined) ?? []),
    ];
    const urls = [
      ...(typeof tracking.url === 'string' ? [tracking.url] : []),
      ...((tracking.urls as string[] | undefined) ?? []),
    ];
    const company = typeof tracking.company === 'string' ? tracking.company : null;
    fulfillment.trackingInfo =
      numbers.length === 0 && company === null && urls.length === 0
        ? []
        : (numbers.length > 0 ? numbers : [null]).map((number, i) => ({
            company,
            number,
            url: urls[i] ?? urls[0] ?? null,
          }));
    state.touch(order.gid);
    if (args.notifyCustomer === true) {
      notifications.push({
        orderGid: order.gid,
        fulfillmentGid: fulfillment.gid,
        email: typeof order.rest.email === 'string' ? order.rest.email : null,
        trackingNumbers: numbers,
        at: context.clock.now(),
      });
    }
    context.emit('fulfillments/update', {
      id: GidFactory.numeric(fulfillment.gid),
      admin_graphql_api_id: fulfillment.gid,
      order_id: GidFactory.numeric(order.gid),
      tracking_numbers: numbers,
    });
    return { fulfillment: fulfillmentView(order, fulfillment), userErrors: [] };
  };

  /**
   * `tagsAdd` (2026-10) on an order: `tags` is a list, each item may itself be a comma-separated list; tags are trimmed
   * and a tag the order has already (compared case-insensitively) is not added twice. The order's updatedAt moves only
   * when a tag was added (the simulation sends no `orders/updated` for it). An id that is no order is a userError.
   */
  const tagsAdd = (args: Json): Json => {
    const order = orders.get(String(args.id));
    if (order === undefined) {
      return { node: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] };
    }
    const asked = (Array.isArray(args.tags) ? (args.tags as unknown[]) : [args.tags])
      .flatMap((t) => String(t).split(','))
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (asked.length === 0) {
      return { node: null, userErrors: [{ field: ['tags'], message: 'Tags cannot be empty' }] };
    }
    const tooLong = asked.find((t) => t.length > 255);
    if (tooLong !== undefined) {
      return { node: null, userErrors: [{ field: ['tags'], message: `Tag ${tooLong} is too long (maximum is 255)` }] };
    }
    let added = false;
    for (const tag of asked) {
      if (!order.tags.some((t) => t.toLowerCase() === tag.toLowerCase())) {
        order.tags.push(tag);
        added = true;
      }
    }
    if (added) {
      tagWrites.push({ orderGid: order.gid, tags: asked, at: context.clock.now() });
      state.touch(order.gid);
    }
    return { node: { __typename: 'Order', id: order.gid }, userErrors: [] };
  };

  /**
   * `metafieldsSet` (2026-10) on orders: at most 25 inputs, all or nothing; `namespace` 3–255 and `key` 2–64
   * characters of letters, digits, `-` and `_` (namespace default `$app`); `type` is needed for a new metafield
   * without definition and must match an existing one's; `ownerId` must be an order. Creates or replaces the value.
   */
  const metafieldsSet = (args: Json): Json => {
    const inputs = (args.metafields as Json[] | undefined) ?? [];
    const errors: Json[] = [];
    if (inputs.length > 25) {
      errors.push({
        field: ['metafields'],
        message: 'Exceeded the maximum metafields input limit of 25.',
        code: 'LESS_THAN_OR_EQUAL_TO',
      });
    }
    const planned: Array<{ order: SimOrder; input: SimMetafield; existing: SimMetafield | undefined }> = [];
    inputs.forEach((input, i) => {
      const namespace = typeof input.namespace === 'string' ? input.namespace : '$app';
      const key = String(input.key);
      const order = orders.get(String(input.ownerId));
      if (order === undefined) {
        errors.push({ field: ['metafields', String(i), 'ownerId'], message: 'Owner does not exist.', code: 'INVALID' });
        return;
      }
      if (!/^[\w$-]{3,255}$/.test(namespace) || !/^[\w-]{2,64}$/.test(key)) {
        errors.push({
          field: ['metafields', String(i), 'key'],
          message: 'Namespace or key is invalid.',
          code: 'INVALID',
        });
        return;
      }
      const existing = order.metafields.find((m) => m.namespace === namespace && m.key === key);
      const type = typeof input.type === 'string' ? input.type : existing?.type;
      if (type === undefined) {
        errors.push({ field: ['metafields', String(i), 'type'], message: "Type can't be blank.", code: 'BLANK' });
        return;
      }
      if (existing !== undefined && existing.type !== type) {
        errors.push({
          field: ['metafields', String(i), 'type'],
          message: 'Type does not match.',
          code: 'INVALID_TYPE',
        });
        return;
      }
      const value = typeof input.value === 'string' ? input.value : '';
      if (type === 'single_line_text_field' && (value === '' || value.includes('\n'))) {
        errors.push({ field: ['metafields', String(i), 'value'], message: 'Value is invalid.', code: 'INVALID_VALUE' });
        return;
      }
      planned.push({
        order,
        existing,
        input: { id: existing?.id ?? context.ids.next('Metafield'), namespace, key, type, value },
      });
    });
    if (errors.length > 0) {
      return { metafields: null, userErrors: errors };
    }
    for (const { order, existing, input } of planned) {
      if (existing === undefined) {
        order.metafields.push(input);
      } else {
        existing.value = input.value;
      }
      metafieldWrites.push({ orderGid: order.gid, namespace: input.namespace, key: input.key, value: input.value });
    }
    return {
      metafields: planned.map(({ input }) => ({ ...input, ownerType: 'ORDER', compareDigest: input.value })),
      userErrors: [],
    };
  };

  const extension: ShopifySimExtension = {
    name: 'orders',
    query: {
      order: (args) => {
        const order = orders.get(String(args.id));
        return order === undefined ? null : orderView(order);
      },
      orders: (args, ctx) => listOrders(args, ctx),
      return: (args) => {
        const ret = returns.get(String(args.id));
        return ret === undefined ? null : returnView(ret);
      },
      fulfillmentOrder: (args) => {
        const fo = fulfillmentOrders.get(String(args.id));
        return fo === undefined ? null : fulfillmentOrderView(mustGet(orders, fo.orderGid, 'order'), fo);
      },
    },
    mutation: {
      fulfillmentCreate: (args) => fulfillmentCreate(args),
      fulfillmentTrackingInfoUpdate: (args) => fulfillmentTrackingInfoUpdate(args),
      tagsAdd: (args) => tagsAdd(args),
      metafieldsSet: (args) => metafieldsSet(args),
    },
    nodes: {
      Order: (gid) => {
        const order = orders.get(gid);
        return order === undefined ? null : { __typename: 'Order', ...orderView(order) };
      },
    },
    reset: () => {
      orders.clear();
      returns.clear();
      fulfillmentOrders.clear();
      notifications.length = 0;
      tagWrites.length = 0;
      metafieldWrites.length = 0;
    },
  };
  return { extension, state };
}

/** Shopify's GraphQL Decimal drops trailing zeros (`"44.50"` → `"44.5"`, `"10.00"` → `"10.0"`). */
export function graphqlDecimal(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed === '' ? '0' : trimmed}`;
}

/** A JSON scalar as text ('' for anything else). */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

function isoOf(value: unknown): string | null {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    return null;
  }
  return isoAt(Date.parse(value));
}

function mustGet<T>(map: Map<string, T>, key: string, what: string): T {
  const value = map.get(key);
  if (value === undefined) {
    throw new Error(`simulator: no ${what} ${key}`);
  }
  return value;
}

function mustFind<T>(items: readonly T[], predicate: (item: T) => boolean): T {
  const item = items.find(predicate);
  if (item === undefined) {
    throw new Error('simulator: inconsistent order state');
  }
  return item;
}
