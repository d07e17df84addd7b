import { ErrorKind } from 'src/common/errors/app-error';
import type { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import { eqFilter, queryString } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import {
  toBcPayoutJournalLines,
  type BcPayoutJournalLine,
} from 'src/modules/erp/connectors/business-central/business-central.payment-mapping';
import type { BcCollection } from 'src/modules/erp/connectors/business-central/business-central.types';
import type { ErpKeyedLock } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpDepositDraft, ErpRecordRef } from 'src/modules/erp/port/erp.types';

/**
 * @description Payouts as Business Central general journal lines (API v2.0 `journals({id})/journalLines`) in the
 * batch BC_PAYOUT_JOURNAL_CODE: the bank account line and one line per deposit line, balanced, each with
 * `externalDocumentNumber` = the payout id. Under a lock, the lines already there for the payout are read first and
 * only the missing ones are created, so a re-run after a failure part-way, or a second call, adds nothing twice. The
 * lines are left in the journal for the accountant to post (posting posts the whole batch).
 */
export class BcPayoutJournal {
  /** Why deposits cannot be written, when BC_PAYOUT_JOURNAL_CODE is unset. */
  readonly unsupported?: string;

  constructor(
    private readonly client: BusinessCentralClient,
    private readonly locks: ErpKeyedLock,
    private readonly companyUrl: string,
    private readonly journalCode: string | undefined,
  ) {
    if (journalCode === undefined) {
      this.unsupported = 'BC_PAYOUT_JOURNAL_CODE is not set: no general journal batch to write payouts to';
    }
  }

  write(draft: ErpDepositDraft): Promise<ErpRecordRef> {
    const code = this.journalCode;
    if (code === undefined) {
      return Promise.reject(
        new ErpError(ErrorKind.Permanent, this.unsupported ?? 'no payout journal', { vendorCode: 'NOT_CONFIGURED' }),
      );
    }
    const wanted = toBcPayoutJournalLines(draft);
    return this.locks.withLock(`business-central:payout:${draft.payoutId}`, async (lease) => {
      const journals = await this.client.call<BcCollection<{ id: string; code: string }>>(
        'journals.find',
        'GET',
        `${this.companyUrl}/journals${queryString({ $filter: eqFilter('code', code), $top: '1' })}`,
        { lease },
      );
      const journal = journals.value[0];
      if (journal === undefined) {
        throw new ErpError(ErrorKind.Permanent, `Business Central has no general journal batch '${code}'`, {
          vendorCode: 'JOURNAL_NOT_FOUND',
        });
      }
      const linesUrl = `${this.companyUrl}/journals(${journal.id})/journalLines`;
      const externalDocumentNumber = wanted[0]?.externalDocumentNumber ?? draft.payoutId;
      const existing = await this.client.call<BcCollection<BcPayoutJournalLine>>(
        'journalLines.find',
        'GET',
        `${linesUrl}${queryString({ $filter: eqFilter('externalDocumentNumber', externalDocumentNumber) })}`,
        { lease },
      );
      const present = existing.value.map(journalLineKey);
      for (const line of wanted) {
        const at = present.indexOf(journalLineKey(line));
        if (at >= 0) {
          present.splice(at, 1);
          continue;
        }
        await this.client.call('journalLines.create', 'POST', linesUrl, { body: line, lease });
      }
      return { erpId: wanted[0]?.documentNumber ?? draft.payoutId, externalId: draft.externalId };
    });
  }
}

/** A journal line as the payout's re-run recognises it: account, amount (to the cent) and description. */
function journalLineKey(line: Pick<BcPayoutJournalLine, 'accountNumber' | 'amount' | 'description'>): string {
  return `${line.accountNumber}|${Math.round(line.amount * 100)}|${line.description}`;
}
