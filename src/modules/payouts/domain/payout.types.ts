import type { Money } from 'src/modules/erp';

/** @description How a balance transaction counts in the deposit: its line, or none (the payout's own transfer). */
export type BalanceCategory = 'charge' | 'refund' | 'adjustment' | 'dispute' | 'transfer';

/** @description A Shopify Payments balance transaction of one payout, as read through the Admin API. */
export interface PayoutBalanceTransaction {
  id: string;
  /** `ShopifyPaymentsTransactionType` (CHARGE, REFUND, ADJUSTMENT, DISPUTE_WITHDRAWAL, …). */
  type: string;
  amount: Money;
  fee: Money;
  net: Money;
  /** The Shopify order it belongs to (numeric id), when it has one. */
  orderId: string | null;
  orderName: string | null;
}

/** @description A Shopify Payments payout with the balance transactions it pays out. */
export interface ShopifyPayout {
  /** Numeric id (`legacyResourceId`). */
  id: string;
  /** `ShopifyPaymentsPayoutStatus`: only PAID is deposited. */
  status: string;
  issuedAt: string;
  currency: string;
  net: Money;
  transactions: PayoutBalanceTransaction[];
}

/** @description The ERP accounts of the deposit lines (PAYOUTS_ERP_*). */
export interface PayoutAccounts {
  bankAccount: string;
  clearingAccount: string;
  feeAccount: string;
  adjustmentAccount: string;
  disputeAccount: string;
}

/** @description What the middleware synced to the ERP for one order: the total written, in the shop's currency. */
export interface SyncedOrderTotal {
  orderId: string;
  total: Money;
  currency: string;
}

/** @description Why a payout transaction does not match what was synced. */
export type PayoutVarianceReason = 'order-not-synced' | 'amount-differs' | 'no-order';

/** @description One line of a payout's variance report. */
export interface PayoutVariance {
  transactionId: string;
  type: string;
  orderId: string | null;
  orderName: string | null;
  reason: PayoutVarianceReason;
  /** What Shopify Payments moved for the order in this payout (charges less refunds, gross). */
  payoutAmount: Money;
  /** What the middleware synced for the order; null when it synced nothing. */
  syncedAmount: Money | null;
}
