import type { ErpDepositDraft, ErpDepositLine, ErpDepositLineKind } from 'src/modules/erp';
import { isDecimalString, normaliseMoney, subtractMoney, sumMoney } from 'src/modules/orders';
import type {
  BalanceCategory,
  PayoutAccounts,
  PayoutBalanceTransaction,
  ShopifyPayout,
} from 'src/modules/payouts/domain/payout.types';

/** Dispute types of `ShopifyPaymentsTransactionType`: chargebacks, their holds, fees and reversals. */
const DISPUTE_TYPES = new Set([
  'DISPUTE_WITHDRAWAL',
  'DISPUTE_REVERSAL',
  'CHARGEBACK_HOLD',
  'CHARGEBACK_HOLD_RELEASE',
  'CHARGEBACK_FEE',
  'CHARGEBACK_FEE_REFUND',
]);

/** The payout's own movement to the bank, which is not a line of the deposit. */
const TRANSFER_TYPES = new Set(['TRANSFER', 'TRANSFER_CANCEL', 'TRANSFER_FAILURE', 'TRANSFER_REFUND']);

/** @description The deposit line a balance transaction's amount goes to; every other type is an adjustment. */
export function balanceCategory(type: string): BalanceCategory {
  if (type === 'CHARGE') {
    return 'charge';
  }
  if (type === 'REFUND' || type === 'REFUND_FAILURE') {
    return 'refund';
  }
  if (DISPUTE_TYPES.has(type)) {
    return 'dispute';
  }
  return TRANSFER_TYPES.has(type) ? 'transfer' : 'adjustment';
}

/** @description Why a payout cannot be deposited (yet); the outcome, not an exception. */
export type DepositRefusal =
  { kind: 'not-paid'; reason: string } | { kind: 'unbalanced'; reason: string } | { kind: 'invalid'; reason: string };

export type DepositPlan = { kind: 'deposit'; draft: ErpDepositDraft } | DepositRefusal;

/**
 * @description A PAID payout as an ERP deposit draft, exactly: one line for the charges less refunds (gross), one for
 * all fees (negative), one for adjustments and one for disputes (each gross; a line with nothing on it is left out).
 * The lines sum to the payout's net to the last digit, or the payout is refused as `unbalanced` (its transactions
 * were not all read, or Shopify's net is not theirs) and nothing is written. Pure.
 * @example
 * planDeposit(payout, accounts) // { kind: 'deposit', draft: { total: '91.10', lines: [sales 100.00, fees -3.20, …] } }
 */
export function planDeposit(payout: ShopifyPayout, accounts: PayoutAccounts): DepositPlan {
  if (payout.status !== 'PAID') {
    return { kind: 'not-paid', reason: `payout ${payout.id} is ${payout.status}, only PAID payouts are deposited` };
  }
  const bad = [payout.net, ...payout.transactions.flatMap((t) => [t.amount, t.fee, t.net])].find(
    (amount) => !isDecimalString(amount),
  );
  if (bad !== undefined) {
    return { kind: 'invalid', reason: `payout ${payout.id} carries an amount that is not a decimal: ${String(bad)}` };
  }
  if (!(Number(payout.net) > 0)) {
    return {
      kind: 'invalid',
      reason: `payout ${payout.id} has a net of ${payout.net}: only positive payouts are deposits`,
    };
  }
  const counted = payout.transactions.filter((t) => balanceCategory(t.type) !== 'transfer');
  const gross = (categories: BalanceCategory[]): string =>
    sumMoney(counted.filter((t) => categories.includes(balanceCategory(t.type))).map((t) => t.amount));
  const fees = subtractMoney('0', sumMoney(counted.map((t) => t.fee)));
  const candidates: Array<[ErpDepositLineKind, string, string, string]> = [
    ['sales', accounts.clearingAccount, gross(['charge', 'refund']), 'Shopify Payments charges less refunds'],
    ['fees', accounts.feeAccount, fees, 'Shopify Payments fees'],
    ['adjustments', accounts.adjustmentAccount, gross(['adjustment']), 'Shopify Payments adjustments'],
    ['disputes', accounts.disputeAccount, gross(['dispute']), 'Shopify Payments disputes'],
  ];
  const lines: ErpDepositLine[] = candidates
    .filter(([, , amount]) => normaliseMoney(amount) !== '0.00')
    .map(([kind, account, amount, memo]) => ({ kind, account, amount: normaliseMoney(amount), memo }));
  const total = normaliseMoney(payout.net);
  const sum = sumMoney(lines.map((line) => line.amount));
  if (sum !== total) {
    return {
      kind: 'unbalanced',
      reason: `payout ${payout.id}: its ${counted.length} transactions come to ${sum}, its net is ${total}`,
    };
  }
  return {
    kind: 'deposit',
    draft: {
      externalId: `shopify-payout-${payout.id}`,
      payoutId: payout.id,
      depositDate: payout.issuedAt.slice(0, 10),
      currency: payout.currency,
      bankAccount: accounts.bankAccount,
      total,
      memo: `Shopify Payments payout ${payout.id}`,
      lines,
    },
  };
}

/** @description The transactions that belong to an order: charges and refunds. */
export function orderTransactions(payout: ShopifyPayout): PayoutBalanceTransaction[] {
  return payout.transactions.filter((t) => {
    const category = balanceCategory(t.type);
    return category === 'charge' || category === 'refund';
  });
}
