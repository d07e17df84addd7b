/** @description An ERP shipment as the fulfilment writer reads it from `erp_shipment`. */
export interface ShipmentToFulfil {
  connector: string;
  erpShipmentId: string;
  /** The Shopify order id (numeric) the ERP holds as the sales order's external id. */
  orderExternalId: string;
  trackingNumbers: string[];
  carrier?: string;
  trackingUrl?: string;
  lines: Array<{ sku: string; quantity: number }>;
  /** When the delta read last saw this shipment change. */
  changedAt: Date;
  /** `changedAt` exactly as PostgreSQL holds it (microseconds), to tell a later ERP change apart. */
  version?: string;
}

/** @description A fulfilment order of the Shopify order, as `order.fulfillmentOrders` returns it. */
export interface FulfillmentOrderView {
  id: string;
  /** `FulfillmentOrderStatus`: OPEN, IN_PROGRESS, SCHEDULED, ON_HOLD, INCOMPLETE, CLOSED, CANCELLED. */
  status: string;
  /** The assigned location's GID; null when the location was deleted (the name remains). */
  locationId: string | null;
  locationName: string;
  lineItems: Array<{ id: string; remainingQuantity: number; lineItemId: string; sku: string | null }>;
}

/** @description One `fulfillmentCreate` call: fulfilment orders sharing a location, with the quantities to fulfil. */
export interface FulfilmentGroup {
  /** Location GID, or `name:<location name>` when Shopify has no location id. Keys the shipment → fulfilment record. */
  locationKey: string;
  lineItemsByFulfillmentOrder: Array<{
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems: Array<{ id: string; quantity: number }>;
  }>;
  /** The order line items and quantities this call fulfils (to recognise the fulfilment later). */
  lineItems: Array<{ lineItemId: string; sku: string; quantity: number }>;
}

/** @description What one ERP shipment becomes: one group per location (almost always exactly one). */
export interface FulfilmentPlan {
  groups: FulfilmentGroup[];
}

/** @description `FulfillmentTrackingInput` of the 2026-10 schema. */
export interface FulfilmentTrackingInput {
  company?: string;
  number?: string;
  numbers?: string[];
  url?: string;
}

/** @description A fulfilment already on the order, as `order.fulfillments` returns it. */
export interface ExistingFulfilment {
  id: string;
  status: string;
  createdAt: string;
  locationId: string | null;
  trackingNumbers: string[];
  lineItems: Array<{ lineItemId: string; quantity: number }>;
}
