import type { ShopifyUserError } from 'src/modules/shopify';
import { shopifyDocument } from 'src/modules/shopify';

type Connection<T> = { nodes: T[]; pageInfo?: { hasNextPage: boolean } };

export interface FulfillmentOrdersData {
  order: {
    id: string;
    fulfillmentOrders: Connection<{
      id: string;
      status: string;
      assignedLocation: { name: string; location: { id: string } | null };
      lineItems: Connection<{ id: string; remainingQuantity: number; lineItem: { id: string; sku: string | null } }>;
    }>;
  } | null;
}

/** The order's fulfilment orders with what remains to fulfil per line (api-facts §A.3). */
export const ORDER_FULFILLMENT_ORDERS = shopifyDocument<FulfillmentOrdersData, { id: string }>(
  'OrderFulfillmentOrders',
  `query OrderFulfillmentOrders($id: ID!) {
  order(id: $id) {
    id
    fulfillmentOrders(first: 10) {
      pageInfo { hasNextPage }
      nodes {
        id
        status
        assignedLocation { name location { id } }
        lineItems(first: 30) {
          pageInfo { hasNextPage }
          nodes { id remainingQuantity lineItem { id sku } }
        }
      }
    }
  }
}`,
);

export interface OrderFulfillmentsData {
  order: {
    id: string;
    fulfillments: Array<{
      id: string;
      status: string;
      createdAt: string;
      location: { id: string } | null;
      trackingInfo: Array<{ number: string | null }>;
      fulfillmentLineItems: Connection<{ quantity: number | null; lineItem: { id: string } }>;
    }>;
  } | null;
}

/** The order's fulfilments, to recognise one of ours after an unknown outcome. */
export const ORDER_FULFILLMENTS = shopifyDocument<OrderFulfillmentsData, { id: string }>(
  'OrderFulfillments',
  `query OrderFulfillments($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 50) {
      id
      status
      createdAt
      location { id }
      trackingInfo(first: 10) { number }
      fulfillmentLineItems(first: 50) { nodes { quantity lineItem { id } } }
    }
  }
}`,
);

export interface FulfillmentCreateVariables {
  fulfillment: {
    lineItemsByFulfillmentOrder: Array<{
      fulfillmentOrderId: string;
      fulfillmentOrderLineItems: Array<{ id: string; quantity: number }>;
    }>;
    notifyCustomer: boolean;
    trackingInfo: { company?: string; number?: string; numbers?: string[]; url?: string };
  };
}

export interface FulfillmentCreateData {
  fulfillmentCreate: {
    fulfillment: { id: string; status: string } | null;
    userErrors: ShopifyUserError[];
  } | null;
}

/** One fulfilment on fulfilment orders of one order at one location; Shopify emails the customer. */
export const FULFILLMENT_CREATE = shopifyDocument<FulfillmentCreateData, FulfillmentCreateVariables>(
  'FulfillmentCreate',
  `mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}`,
);

export interface FulfillmentTrackingInfoUpdateVariables {
  fulfillmentId: string;
  trackingInfoInput: { company?: string; number?: string; numbers?: string[]; url?: string };
  notifyCustomer: boolean;
}

export interface FulfillmentTrackingInfoUpdateData {
  fulfillmentTrackingInfoUpdate: {
    fulfillment: { id: string; trackingInfo: Array<{ company: string | null; number: string | null }> } | null;
    userErrors: ShopifyUserError[];
  } | null;
}

/** Replaces the tracking of a fulfilment we created (the ERP changed the shipment's carrier or numbers). */
export const FULFILLMENT_TRACKING_INFO_UPDATE = shopifyDocument<
  FulfillmentTrackingInfoUpdateData,
  FulfillmentTrackingInfoUpdateVariables
>(
  'FulfillmentTrackingInfoUpdate',
  `mutation FulfillmentTrackingInfoUpdate(
  $fulfillmentId: ID!
  $trackingInfoInput: FulfillmentTrackingInput!
  $notifyCustomer: Boolean
) {
  fulfillmentTrackingInfoUpdate(
    fulfillmentId: $fulfillmentId
    trackingInfoInput: $trackingInfoInput
    notifyCustomer: $notifyCustomer
  ) {
    fulfillment { id trackingInfo(first: 10) { company number } }
    userErrors { field message }
  }
}`,
);
