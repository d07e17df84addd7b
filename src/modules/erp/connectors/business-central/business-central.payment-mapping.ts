import { ErrorKind } from 'src/common/errors/app-error';
import { BC_PAYMENT_DOCUMENT_PREFIX } from 'src/modules/erp/connectors/business-central/business-central.constants';
import {
  bcDate,
  checkDocumentNumber,
  describe,
  money,
  round5,
  shopifyNumericId,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpDepositDraft, ErpPaymentDraft } from 'src/modules/erp/port/erp.types';

/** @description A tender's `externalDocumentNumber` on its customer payment: `TX-<Shopify transaction id>`. */
export function paymentDocumentNumber(draft: Pick<ErpPaymentDraft, 'externalId'>): string {
  return checkDocumentNumber(`${BC_PAYMENT_DOCUMENT_PREFIX}${shopifyNumericId(draft.externalId)}`, 'customer payment');
}

/** @description A customer payment journal line as the connector posts it (API v2.0 `customerPayments`). */
export interface BcCustomerPaymentBody {
  customerId: string;
  postingDate: string;
  externalDocumentNumber: string;
  amount: number;
  description: string;
  comment: string;
}

/**
 * @description Maps a tender to a line of the customer payment journal: the customer, the payment date, our key in
 * `externalDocumentNumber`, the gateway and order in `description` (100 characters) and the sales order's number in
 * `comment`. The amount is negative, as a payment line of a cash receipt journal credits the customer (BC's sign
 * convention for journal lines; API v1.0's create example posts -1500). Pure.
 */
export function toBcCustomerPayment(
  draft: ErpPaymentDraft,
  customerId: string,
  salesOrderNumber: string | undefined,
): BcCustomerPaymentBody {
  return {
    customerId,
    postingDate: bcDate(draft.paidAt),
    externalDocumentNumber: paymentDocumentNumber(draft),
    amount: -money(draft.amount),
    description: `Shopify ${draft.gateway} ${draft.orderReference}`.slice(0, 100),
    comment: `Sales order ${salesOrderNumber ?? draft.orderExternalId}`.slice(0, 250),
  };
}

/** @description One general journal line (API v2.0 `journalLine`) of a payout, as we POST it. */
export interface BcPayoutJournalLine {
  accountType: 'G/L Account' | 'Bank Account';
  accountNumber: string;
  postingDate: string;
  documentNumber: string;
  externalDocumentNumber: string;
  amount: number;
  description: string;
}

/** The journal lines' `documentNumber` (Code[20]): `SP` + the payout id. */
export function payoutDocumentNumber(draft: Pick<ErpDepositDraft, 'payoutId'>): string {
  const value = `SP${draft.payoutId}`;
  if (value.length > 20) {
    throw new ErpError(ErrorKind.Permanent, `The payout document number '${value}' does not fit Code[20]`, {
      vendorCode: 'DOCUMENT_NUMBER_TOO_LONG',
    });
  }
  return value;
}

/**
 * @description A payout as balanced general journal lines: the bank account receives the payout's net (a positive
 * `Bank Account` line), and each deposit line is booked against its G/L account with the opposite sign (the charges
 * less refunds credit the clearing account, the fees debit the fee account), so the lines sum to zero. Every line
 * carries `externalDocumentNumber` = the payout id, the key a re-run finds them by; a zero line is left out. Pure.
 */
export function toBcPayoutJournalLines(draft: ErpDepositDraft): BcPayoutJournalLine[] {
  const documentNumber = payoutDocumentNumber(draft);
  const externalDocumentNumber = checkDocumentNumber(draft.payoutId, 'payout');
  const postingDate = bcDate(draft.depositDate);
  const lines: BcPayoutJournalLine[] = [
    {
      accountType: 'Bank Account',
      accountNumber: draft.bankAccount,
      postingDate,
      documentNumber,
      externalDocumentNumber,
      amount: money(draft.total),
      description: describe(draft.memo),
    },
  ];
  for (const line of draft.lines) {
    const amount = money(line.amount);
    if (amount === 0) {
      continue;
    }
    lines.push({
      accountType: 'G/L Account',
      accountNumber: line.account,
      postingDate,
      documentNumber,
      externalDocumentNumber,
      amount: round5(-amount),
      description: describe(line.memo),
    });
  }
  return lines;
}
