import { shopifyDocument } from 'src/modules/shopify';

export interface Money {
  shopMoney: { amount: string; currencyCode: string };
  /** Read on the order's amounts only; refunds are credited in the shop currency (cheaper: see RECONCILE_ORDER). */
  presentmentMoney?: { amount: string; currencyCode: string };
}
type Nodes<T> = { nodes: T[] };

export interface GqlTaxLine {
  title: string;
  rate: number | null;
  ratePercentage: number | null;
  priceSet: Money;
}
export interface GqlDiscountAllocation {
  allocatedAmountSet: Money;
}
export interface GqlAddress {
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}
export interface GqlRefund {
  id: string;
  legacyResourceId: string;
  createdAt: string | null;
  processedAt: string;
  note: string | null;
  refundLineItems: Nodes<{
    id: string | null;
    quantity: number;
    restockType: string;
    subtotalSet: Money;
    totalTaxSet: Money;
    lineItem: { id: string; sku: string | null; name: string; title: string };
  }>;
  refundShippingLines: Nodes<{ subtotalAmountSet: Money; taxAmountSet: Money }>;
  orderAdjustments: Nodes<{ amountSet: Money; taxAmountSet: Money; reason: string | null }>;
  transactions: Nodes<{ kind: string; status: string; amountSet: Money }>;
}
export interface GqlLineItem {
  id: string;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  /** Null for a custom line item. */
  variant: { id: string } | null;
  isGiftCard: boolean;
  name: string;
  quantity: number;
  currentQuantity: number;
  originalUnitPriceSet: Money;
  taxLines: GqlTaxLine[];
  discountAllocations: GqlDiscountAllocation[];
}

export interface GqlOrder {
  id: string;
  legacyResourceId: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  currencyCode: string;
  /** The currency the customer was charged in (Markets). */
  presentmentCurrencyCode: string;
  taxesIncluded: boolean;
  displayFinancialStatus: string | null;
  /** `OrderDisplayFulfillmentStatus` (FULFILLED, PARTIALLY_FULFILLED, UNFULFILLED…): the `fulfilled` trigger reads it. */
  displayFulfillmentStatus?: string | null;
  note: string | null;
  subtotalPriceSet: Money | null;
  totalDiscountsSet: Money | null;
  totalTaxSet: Money | null;
  totalPriceSet: Money;
  currentSubtotalPriceSet: Money;
  currentTotalDiscountsSet: Money;
  currentTotalTaxSet: Money;
  currentTotalPriceSet: Money;
  originalTotalDutiesSet: Money | null;
  currentTotalDutiesSet: Money | null;
  discountCodes: string[];
  lineItems: Nodes<GqlLineItem> & { pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
  shippingLines: Nodes<{
    id: string | null;
    title: string;
    code: string | null;
    isRemoved: boolean;
    originalPriceSet: Money;
    taxLines: GqlTaxLine[];
    discountAllocations: GqlDiscountAllocation[];
  }>;
  billingAddress: GqlAddress | null;
  shippingAddress: GqlAddress | null;
  customer: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    defaultEmailAddress: { emailAddress: string } | null;
    defaultPhoneNumber: { phoneNumber: string } | null;
  } | null;
  refunds: GqlRefund[];
}

export interface OrdersPageData {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{
      id: string;
      legacyResourceId: string;
      updatedAt: string;
      refunds: Array<{ legacyResourceId: string }>;
    }>;
  };
}

/** Orders updated in a window, oldest update first; only what tells whether we have them (cheap: ~1 point each). */
export const RECONCILE_ORDERS_PAGE = shopifyDocument<
  OrdersPageData,
  { query: string; first: number; after?: string | null }
>(
  'ReconcileOrdersPage',
  `query ReconcileOrdersPage($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      legacyResourceId
      updatedAt
      refunds(first: 20) { legacyResourceId }
    }
  }
}`,
);

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';
const SHOP_MONEY = 'shopMoney { amount currencyCode }';
const TAX_LINES = `taxLines { title rate ratePercentage priceSet { ${MONEY} } }`;
const ALLOCATIONS = `discountAllocations { allocatedAmountSet { ${MONEY} } }`;
const ADDRESS =
  'firstName lastName name company address1 address2 city province provinceCode zip country countryCodeV2 phone';

const LINE_ITEM_FIELDS = `id sku title variantTitle variant { id } isGiftCard name quantity currentQuantity
        originalUnitPriceSet { ${MONEY} }
        ${TAX_LINES}
        ${ALLOCATIONS}`;

/** The line items of an order after the first page (orders with more than 25 lines). */
export const RECONCILE_ORDER_LINE_ITEMS = shopifyDocument<
  {
    order: {
      lineItems: { nodes: GqlLineItem[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } | null;
  },
  { id: string; after?: string | null }
>(
  'ReconcileOrderLineItems',
  `query ReconcileOrderLineItems($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 40, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${LINE_ITEM_FIELDS}
      }
    }
  }
}`,
);

/**
 * One order in full, with its refunds: what the orders and refunds webhooks would have carried. Its requested cost
 * must stay under Shopify's 1,000-point single-query limit (864 by the simulator's count): the order's amounts carry
 * both currencies, refunds the shop money only, and the first page holds 25 line items (the rest are paged).
 */
export const RECONCILE_ORDER = shopifyDocument<{ order: GqlOrder | null }, { id: string }>(
  'ReconcileOrder',
  `query ReconcileOrder($id: ID!) {
  order(id: $id) {
    id
    legacyResourceId
    name
    email
    phone
    createdAt
    updatedAt
    processedAt
    cancelledAt
    cancelReason
    currencyCode
    taxesIncluded
    displayFinancialStatus
    displayFulfillmentStatus
    note
    subtotalPriceSet { ${MONEY} }
    totalDiscountsSet { ${MONEY} }
    totalTaxSet { ${MONEY} }
    totalPriceSet { ${MONEY} }
    currentSubtotalPriceSet { ${MONEY} }
    currentTotalDiscountsSet { ${MONEY} }
    currentTotalTaxSet { ${MONEY} }
    currentTotalPriceSet { ${MONEY} }
    presentmentCurrencyCode
    originalTotalDutiesSet { ${MONEY} }
    currentTotalDutiesSet { ${MONEY} }
    discountCodes
    lineItems(first: 25) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id sku title variantTitle variant { id } isGiftCard name quantity currentQuantity
        originalUnitPriceSet { ${MONEY} }
        ${TAX_LINES}
        ${ALLOCATIONS}
      }
    }
    shippingLines(first: 10, includeRemovals: true) {
      nodes {
        id title code isRemoved
        originalPriceSet { ${MONEY} }
        ${TAX_LINES}
        ${ALLOCATIONS}
      }
    }
    billingAddress { ${ADDRESS} }
    shippingAddress { ${ADDRESS} }
    customer {
      id firstName lastName
      defaultEmailAddress { emailAddress }
      defaultPhoneNumber { phoneNumber }
    }
    refunds(first: 10) {
      id legacyResourceId createdAt processedAt note
      refundLineItems(first: 40) {
        nodes {
          id quantity restockType
          subtotalSet { ${SHOP_MONEY} }
          totalTaxSet { ${SHOP_MONEY} }
          lineItem { id sku name title }
        }
      }
      refundShippingLines(first: 10) { nodes { subtotalAmountSet { ${SHOP_MONEY} } taxAmountSet { ${SHOP_MONEY} } } }
      orderAdjustments(first: 10) { nodes { amountSet { ${SHOP_MONEY} } taxAmountSet { ${SHOP_MONEY} } reason } }
      transactions(first: 10) { nodes { kind status amountSet { ${SHOP_MONEY} } } }
    }
  }
}`,
);

export interface ReplayOrdersPageData {
  orders: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ id: string; legacyResourceId: string }>;
  };
}

/** Orders created in a window (an operator's replay), oldest first; ids only (cheap: ~1 point each). */
export const REPLAY_ORDERS_PAGE = shopifyDocument<
  ReplayOrdersPageData,
  { query: string; first: number; after?: string | null }
>(
  'ReplayOrdersPage',
  `query ReplayOrdersPage($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id legacyResourceId }
  }
}`,
);
