import { shopifyDocument } from 'src/modules/shopify';

interface Money {
  amount: string;
  currencyCode: string;
}

type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

export interface ShopifyPayoutNode {
  id: string;
  legacyResourceId: string;
  issuedAt: string;
  status: string;
  net: Money;
  summary: {
    chargesGross: Money;
    chargesFee: Money;
    refundsFeeGross: Money;
    adjustmentsGross: Money;
  };
}

export interface PaidPayoutsData {
  shopifyPaymentsAccount: { payouts: Page<ShopifyPayoutNode> } | null;
}

/**
 * The shop's PAID Shopify Payments deposits issued since `$query`'s date, oldest first (`sortKey: ISSUED_AT`);
 * `transactionType: DEPOSIT` leaves out withdrawals (a negative balance taken from the bank). No account = null.
 */
export const PAID_PAYOUTS = shopifyDocument<PaidPayoutsData, { first: number; after?: string | null; query: string }>(
  'PaidPayouts',
  `query PaidPayouts($first: Int!, $after: String, $query: String) {
  shopifyPaymentsAccount {
    payouts(first: $first, after: $after, query: $query, sortKey: ISSUED_AT, transactionType: DEPOSIT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        legacyResourceId
        issuedAt
        status
        net { amount currencyCode }
        summary {
          chargesGross { amount currencyCode }
          chargesFee { amount currencyCode }
          refundsFeeGross { amount currencyCode }
          adjustmentsGross { amount currencyCode }
        }
      }
    }
  }
}`,
);

export interface BalanceTransactionNode {
  id: string;
  type: string;
  test: boolean;
  amount: Money;
  fee: Money;
  net: Money;
  sourceOrderTransactionId: string | null;
  associatedOrder: { id: string; name: string } | null;
}

export interface PayoutTransactionsData {
  shopifyPaymentsAccount: { balanceTransactions: Page<BalanceTransactionNode> } | null;
}

/** One page of the balance transactions a payout pays out (`query: "payout_id:…"`). */
export const PAYOUT_BALANCE_TRANSACTIONS = shopifyDocument<
  PayoutTransactionsData,
  { first: number; after?: string | null; query: string }
>(
  'PayoutBalanceTransactions',
  `query PayoutBalanceTransactions($first: Int!, $after: String, $query: String) {
  shopifyPaymentsAccount {
    balanceTransactions(first: $first, after: $after, query: $query, sortKey: PROCESSED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        type
        test
        amount { amount currencyCode }
        fee { amount currencyCode }
        net { amount currencyCode }
        sourceOrderTransactionId
        associatedOrder { id name }
      }
    }
  }
}`,
);
