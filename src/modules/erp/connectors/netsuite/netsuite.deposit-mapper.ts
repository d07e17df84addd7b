import {
  toAmount,
  toNetsuiteExternalId,
  toTranDate,
  type NetsuiteRef,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import type { ErpDepositDraft } from 'src/modules/erp/port/erp.types';

/** @description The deposit external id of a Shopify Payments payout. */
export function depositExternalId(payoutId: string): string {
  return toNetsuiteExternalId(`shopify-payout-${payoutId}`);
}

/** One line of a deposit's `other` (Other Deposits) or `cashBack` sublist. */
export interface NetsuiteDepositLine {
  account: NetsuiteRef;
  amount: number;
  memo: string;
}

/** @description The body of `PUT …/deposit/eid:{id}`: NetSuite's `deposit` record (REST record ID `deposit`). */
export interface NetsuiteDepositBody {
  externalId: string;
  tranDate: string;
  account: NetsuiteRef;
  memo: string;
  other: { items: NetsuiteDepositLine[] };
  cashBack: { items: NetsuiteDepositLine[] };
}

/**
 * @description A payout as NetSuite's `deposit` record into the bank `account`: what adds to the deposit (charges
 * less refunds, positive adjustments) on the Other Deposits sublist (`other`), what takes from it (fees, lost
 * disputes, negative adjustments) on the Cash Back sublist (`cashBack`) with its amount made positive, as NetSuite
 * wants ("Adding a Record With Other Deposit, Cash Back Lines"). The deposit's total is then other − cash back =
 * the payout's net. A zero line is left out. Pure.
 */
export function toNetsuiteDeposit(draft: ErpDepositDraft): NetsuiteDepositBody {
  const other: NetsuiteDepositLine[] = [];
  const cashBack: NetsuiteDepositLine[] = [];
  for (const line of draft.lines) {
    const amount = toAmount(line.amount, `${line.kind} amount`);
    if (amount === 0) {
      continue;
    }
    const target = amount > 0 ? other : cashBack;
    target.push({
      account: { id: line.account },
      amount: amount > 0 ? amount : toAmount(line.amount.replace(/^-/, ''), line.kind),
      memo: line.memo,
    });
  }
  return {
    externalId: depositExternalId(draft.payoutId),
    tranDate: toTranDate(draft.depositDate),
    account: { id: draft.bankAccount },
    memo: draft.memo,
    other: { items: other },
    cashBack: { items: cashBack },
  };
}
