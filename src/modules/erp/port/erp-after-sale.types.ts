import type { ErpRecordRef, ErpSalesOrderDraft, Money } from 'src/modules/erp/port/erp.types';

/*
 * The documents that follow a sales order into the ERP: refunds (credit memos), returns, tenders as payments and
 * Shopify Payments payouts as bank deposits. Part of the port's vocabulary (erp.types.ts re-exports them), kept
 * apart for size.
 */

/** @description One refunded line of a refund; `erpItemId` is resolved by the connector from the SKU. */
export interface ErpRefundLine {
  /** Shopify refund line item id. */
  externalLineId: string;
  /** Shopify line item id of the order line being refunded. */
  orderLineExternalId: string;
  sku: string;
  description: string;
  quantity: number;
  /** Refunded amount for the line before tax (all units). */
  amount: Money;
  taxAmount: Money;
  /** Whether the goods go back to stock (Shopify `restock_type` return / cancel). */
  restock: boolean;
}

/**
 * @description A Shopify refund (`refunds/create`) to record in the ERP as a credit memo / credit note / return
 * document. `externalId` is the Shopify refund id: the ERP's key for an idempotent create.
 */
export interface ErpRefundDraft {
  externalId: string;
  /** The Shopify order id, i.e. the sales order's external id. */
  orderExternalId: string;
  /** The order's customer-facing reference (`#1001`). */
  orderReference: string;
  customerExternalId: string;
  refundDate: string;
  currency: string;
  lines: ErpRefundLine[];
  /** Refunded shipping, before tax. */
  shippingAmount: Money;
  /** Order adjustments (e.g. a goodwill amount) not tied to a line, before tax; positive = refunded to the customer. */
  adjustmentAmount: Money;
  taxTotal: Money;
  /** Total refunded to the customer, tax included. */
  total: Money;
  note?: string;
}

/** @description One returned line of a Shopify return: what comes back, and whether it goes back to stock. */
export interface ErpReturnLine {
  /** Shopify return line item id (with `-restock` / `-no-restock` when one line was split by disposition). */
  externalLineId: string;
  /** Shopify line item id of the order line being returned. */
  orderLineExternalId: string;
  sku: string;
  description: string;
  quantity: number;
  /**
   * Whether the goods go back to stock: Shopify's disposition when the return has one (`RESTOCKED` yes,
   * `NOT_RESTOCKED` / `MISSING` no), otherwise yes (expected back to stock).
   */
  restock: boolean;
  /** Shopify's return reason (`returnReasonDefinition.handle`, e.g. `defective`), when given. */
  reason?: string;
}

/**
 * @description An approved Shopify return to record in the ERP as its return document (NetSuite
 * `returnAuthorization`, a Business Central draft `salesCreditMemo`, a Cin7 Core DRAFT sale credit note). It carries
 * **no money**: the money (refunded goods, shipping, restocking fees) is the refund's credit memo (`createRefund`),
 * so the two never credit the customer twice. `externalId` is the Shopify return id: the ERP's key for an idempotent
 * create.
 */
export interface ErpReturnDraft {
  externalId: string;
  /** Shopify's return name (`#1001-R1`). */
  name: string;
  /** The Shopify order id, i.e. the sales order's external id. */
  orderExternalId: string;
  /** The order's customer-facing reference (`#1001`). */
  orderReference: string;
  customerExternalId: string;
  /** When Shopify approved the return (else when it was created), ISO 8601. */
  returnDate: string;
  lines: ErpReturnLine[];
  /**
   * Exchange items the customer gets instead: a new sales order of the same customer, external id
   * `<order id>-exchange-<return id>`, written with `upsertSalesOrder` (so idempotent like any order). Absent when the
   * return has no exchange lines.
   */
  exchangeOrder?: ErpSalesOrderDraft;
}

/** @description What the ERP holds for a return: its return document, and the exchange sales order when there is one. */
export interface ErpReturnRef extends ErpRecordRef {
  exchangeOrder?: ErpRecordRef;
}

/**
 * @description A tender of a Shopify order (a successful `sale` or `capture` transaction of a recorded gateway, e.g. a
 * gift card) to record in the ERP as a payment / deposit against the sales order. `externalId` is the Shopify
 * transaction id: the ERP's key for an idempotent create.
 */
export interface ErpPaymentDraft {
  /** Shopify transaction id (numeric). */
  externalId: string;
  /** The Shopify order id, i.e. the sales order's external id. */
  orderExternalId: string;
  /** The order's customer-facing reference (`#1001`). */
  orderReference: string;
  customerExternalId: string;
  /** Shopify's gateway name (`gift_card`, `shopify_payments`, `manual`, …). */
  gateway: string;
  /**
   * The ERP's payment method from ERP_PAYMENT_METHOD_MAP (NetSuite payment method id, Business Central payment method
   * code, Cin7 Core account code); absent = the ERP's default.
   */
  paymentMethod?: string;
  /** Amount in `currency` (the sales order's document currency), exact decimal, > 0. */
  amount: Money;
  currency: string;
  /** When Shopify processed the transaction (ISO 8601). */
  paidAt: string;
  /**
   * Shop-currency units per document-currency unit, as on the sales order; present only when the document is in the
   * presentment currency and that differs from the shop's.
   */
  exchangeRate?: string;
}

/** @description What a deposit line carries: the payout's charges less refunds, its fees, adjustments or disputes. */
export type ErpDepositLineKind = 'sales' | 'fees' | 'adjustments' | 'disputes';

/**
 * @description One line of a bank deposit: the ERP account (its id as the ERP knows it) and a signed amount; a
 * positive amount adds to the deposit (charges), a negative one takes from it (fees, refunds, lost disputes).
 */
export interface ErpDepositLine {
  kind: ErpDepositLineKind;
  account: string;
  amount: Money;
  memo: string;
}

/**
 * @description A Shopify Payments payout as a deposit into the ERP's bank account (docs/payouts.md). The lines sum to
 * `total` exactly, and `total` is the payout's net, i.e. what reached the bank. `externalId` (`shopify-payout-{id}`)
 * is the ERP's key for an idempotent create.
 */
export interface ErpDepositDraft {
  externalId: string;
  /** The payout's numeric id (`legacyResourceId`). */
  payoutId: string;
  /** The payout's date, `YYYY-MM-DD`. */
  depositDate: string;
  currency: string;
  /** The bank account the payout reached. */
  bankAccount: string;
  total: Money;
  memo: string;
  lines: ErpDepositLine[];
}
