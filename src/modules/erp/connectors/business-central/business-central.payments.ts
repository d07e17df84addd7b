import { ErrorKind } from 'src/common/errors/app-error';
import type { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import { BC_DEFAULT_PAYMENT_JOURNAL } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { eqFilter, queryString } from 'src/modules/erp/connectors/business-central/business-central.mappers';
import {
  paymentDocumentNumber,
  toBcCustomerPayment,
} from 'src/modules/erp/connectors/business-central/business-central.payment-mapping';
import type { BcCollection } from 'src/modules/erp/connectors/business-central/business-central.types';
import type { ErpConnectorContext, ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpPaymentDraft, ErpRecordRef } from 'src/modules/erp/port/erp.types';

/**
 * @description The customer payments the connector writes: each tender (`TX-<transaction id>`) as an unposted line of
 * a customer payment journal, created once for the order's customer.
 */
export class BusinessCentralPayments {
  /** Customer payment journal ids by code, once looked up (a journal's id does not change). */
  private readonly paymentJournalIds = new Map<string, string>();

  constructor(
    private readonly client: BusinessCentralClient,
    private readonly companyUrl: string,
    private readonly locks: ErpConnectorContext['locks'],
  ) {}

  /**
   * One journal line per tender, in order: the journal's id looked up once per code, then under a lock on
   * `TX-<transaction id>` the line with that `externalDocumentNumber` found, else created for the order's customer.
   */
  async record(
    drafts: readonly ErpPaymentDraft[],
    order: ErpRecordRef,
    customer: ErpRecordRef,
  ): Promise<ErpRecordRef[]> {
    const refs: ErpRecordRef[] = [];
    for (const draft of drafts) {
      const journalId = await this.paymentJournalId(draft.paymentMethod ?? BC_DEFAULT_PAYMENT_JOURNAL);
      const documentNumber = paymentDocumentNumber(draft);
      const entitySet = `customerPaymentJournals(${journalId})/customerPayments`;
      const ref = await this.locks.withLock(`business-central:customerPayment:${documentNumber}`, async (lease) => {
        const [found] = await this.list<{ id: string }>(
          'customerPayments.find',
          entitySet,
          { $filter: eqFilter('externalDocumentNumber', documentNumber), $top: '1' },
          lease,
        );
        if (found !== undefined) {
          return { erpId: found.id, externalId: draft.externalId };
        }
        const created = await this.client.call<{ id: string }>(
          'customerPayments.create',
          'POST',
          `${this.companyUrl}/${entitySet}`,
          { body: toBcCustomerPayment(draft, customer.erpId, order.documentNumber), lease },
        );
        return { erpId: created.id, externalId: draft.externalId };
      });
      refs.push(ref);
    }
    return refs;
  }

  /** The id of the customer payment journal with this code; a code the company lacks is a Configuration error. */
  private async paymentJournalId(code: string): Promise<string> {
    const known = this.paymentJournalIds.get(code);
    if (known !== undefined) {
      return known;
    }
    const [journal] = await this.list<{ id: string; code: string }>(
      'customerPaymentJournals.find',
      'customerPaymentJournals',
      {
        $filter: eqFilter('code', code),
        $top: '1',
      },
    );
    if (journal === undefined) {
      throw new ErpError(
        ErrorKind.Configuration,
        `Business Central has no customer payment journal '${code}' (ERP_PAYMENT_METHOD_MAP)`,
        { vendorCode: 'PAYMENT_JOURNAL_NOT_FOUND' },
      );
    }
    this.paymentJournalIds.set(code, journal.id);
    return journal.id;
  }

  /** A filtered read of one entity set; under a keyed lock (`lease`) it stops when the lock is lost. */
  private async list<T>(
    operation: string,
    entitySet: string,
    params: Record<string, string>,
    lease?: ErpLockLease,
  ): Promise<T[]> {
    const page = await this.client.call<BcCollection<T>>(
      operation,
      'GET',
      `${this.companyUrl}/${entitySet}${queryString(params)}`,
      { lease },
    );
    return page.value;
  }
}
