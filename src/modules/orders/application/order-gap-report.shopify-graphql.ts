import { shopifyDocument } from 'src/modules/shopify';

export interface GapOrderNode {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  currentTotalPriceSet: {
    shopMoney: { amount: string; currencyCode: string };
    presentmentMoney: { amount: string; currencyCode: string } | null;
  };
}

export interface GapOrdersPageData {
  orders: { nodes: GapOrderNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/**
 * The gap report's Shopify side: the orders created in the window (`created_at` search), oldest first, with their
 * name and current total in both currencies (4 points an order: see the page size of ReportOrderGaps).
 */
export const GAP_REPORT_ORDERS_PAGE = shopifyDocument<
  GapOrdersPageData,
  { query: string; first: number; after?: string | null }
>(
  'GapReportOrdersPage',
  `query GapReportOrdersPage($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      legacyResourceId
      name
      createdAt
      currentTotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    }
  }
}`,
);
