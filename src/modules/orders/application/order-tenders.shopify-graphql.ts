import { shopifyDocument } from 'src/modules/shopify';

interface GqlMoney {
  amount: string;
  currencyCode: string;
}

export interface GqlOrderTransaction {
  id: string;
  kind: string;
  status: string;
  gateway: string | null;
  processedAt: string | null;
  createdAt: string;
  amountSet: { shopMoney: GqlMoney; presentmentMoney: GqlMoney };
}

export interface OrderTendersData {
  order: { id: string; transactions: GqlOrderTransaction[] } | null;
}

/**
 * An order's transactions (the orders webhooks carry only `payment_gateway_names`): read only for an order whose
 * payload names a gateway of ERP_PAYMENT_METHOD_MAP. `first: 250` is far above the transactions one order has.
 */
export const ORDER_TENDERS = shopifyDocument<OrderTendersData, { id: string }>(
  'OrderTenders',
  `query OrderTenders($id: ID!) {
  order(id: $id) {
    id
    transactions(first: 250) {
      id
      kind
      status
      gateway
      processedAt
      createdAt
      amountSet {
        shopMoney { amount currencyCode }
        presentmentMoney { amount currencyCode }
      }
    }
  }
}`,
);
