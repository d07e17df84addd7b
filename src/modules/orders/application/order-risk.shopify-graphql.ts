import { shopifyDocument } from 'src/modules/shopify';

export interface OrderRiskData {
  order: {
    id: string;
    risk: {
      recommendation: string | null;
      assessments: Array<{ riskLevel: string | null }>;
    };
  } | null;
}

/**
 * Shopify's risk summary of one order (2026-10 `Order.risk`: `OrderRiskSummary`): the recommendation and the level of
 * each assessment (Shopify's own and fraud apps'). Read once, before an order's first ERP write, by shops that hold
 * high-risk orders. Needs the `read_orders` scope the app already has.
 */
export const ORDER_RISK = shopifyDocument<OrderRiskData, { id: string }>(
  'OrderRisk',
  `query OrderRisk($id: ID!) {
  order(id: $id) {
    id
    risk {
      recommendation
      assessments { riskLevel }
    }
  }
}`,
);
