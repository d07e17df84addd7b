import { shopifyDocument } from 'src/modules/shopify';

interface GqlMoneyBag {
  shopMoney: { amount: string; currencyCode: string };
}

/** @description A return line: `ReturnLineItem` (of a fulfilled order line) or `UnverifiedReturnLineItem`. */
export interface GqlReturnLine {
  __typename: 'ReturnLineItem' | 'UnverifiedReturnLineItem';
  id: string;
  quantity: number;
  returnReasonDefinition: { handle: string } | null;
  /** Only on `ReturnLineItem`. */
  fulfillmentLineItem?: { id: string; lineItem: { id: string; sku: string | null; name: string } };
}

/** @description An order line Shopify added to the order for an exchange item. */
export interface GqlExchangeOrderLine {
  id: string;
  sku: string | null;
  name: string;
  quantity: number;
  originalUnitPriceSet: GqlMoneyBag;
  taxLines: Array<{ title: string; rate: number | null; priceSet: GqlMoneyBag }>;
  discountAllocations: Array<{ allocatedAmountSet: GqlMoneyBag }>;
}

/** @description The fields of a Shopify Return the ERP mapping reads (Admin API 2026-10). */
export interface GqlReturn {
  id: string;
  name: string;
  status: 'CANCELED' | 'CLOSED' | 'DECLINED' | 'OPEN' | 'REQUESTED';
  createdAt: string;
  requestApprovedAt: string | null;
  order: { id: string; legacyResourceId: string; name: string; currencyCode: string; taxesIncluded: boolean };
  returnLineItems: { nodes: GqlReturnLine[] };
  exchangeLineItems: { nodes: Array<{ id: string; quantity: number; lineItems: GqlExchangeOrderLine[] | null }> };
  reverseFulfillmentOrders: {
    nodes: Array<{
      lineItems: {
        nodes: Array<{
          fulfillmentLineItem: { id: string } | null;
          dispositions: Array<{
            type: 'MISSING' | 'NOT_RESTOCKED' | 'PROCESSING_REQUIRED' | 'RESTOCKED';
            quantity: number;
          }>;
        }>;
      };
    }>;
  };
}

/** Most lines a return may carry that the ERP document reads in one request (a larger return is refused, not cut). */
export const RETURN_MAX_LINES = 50;

/**
 * One return with what its ERP document needs: lines with SKU, quantity and reason; the reverse fulfilment orders'
 * dispositions (restocked or not); the exchange items as the order lines Shopify added for them; the order's currency.
 * Requested cost ≈ 1 + 2 + 50 × 4 + 2 + 20 × 10 + 2 + 5 × (2 + 50 × 3) ≈ 1 170 is over 1 000, so the reverse
 * fulfilment orders' lines are fewer (5 × 25).
 */
export const RETURN_FOR_ERP = shopifyDocument<{ return: GqlReturn | null }, { id: string }>(
  'ReturnForErp',
  /* GraphQL */ `
    query ReturnForErp($id: ID!) {
      return(id: $id) {
        id
        name
        status
        createdAt
        requestApprovedAt
        order {
          id
          legacyResourceId
          name
          currencyCode
          taxesIncluded
        }
        returnLineItems(first: 50) {
          nodes {
            __typename
            id
            quantity
            returnReasonDefinition {
              handle
            }
            ... on ReturnLineItem {
              fulfillmentLineItem {
                id
                lineItem {
                  id
                  sku
                  name
                }
              }
            }
          }
        }
        exchangeLineItems(first: 20) {
          nodes {
            id
            quantity
            lineItems {
              id
              sku
              name
              quantity
              originalUnitPriceSet {
                shopMoney {
                  amount
                  currencyCode
                }
              }
              taxLines {
                title
                rate
                priceSet {
                  shopMoney {
                    amount
                    currencyCode
                  }
                }
              }
              discountAllocations {
                allocatedAmountSet {
                  shopMoney {
                    amount
                    currencyCode
                  }
                }
              }
            }
          }
        }
        reverseFulfillmentOrders(first: 5) {
          nodes {
            lineItems(first: 25) {
              nodes {
                fulfillmentLineItem {
                  id
                }
                dispositions {
                  type
                  quantity
                }
              }
            }
          }
        }
      }
    }
  `,
);
