import { requireCin7Id, type Cin7Client } from 'src/modules/erp/connectors/cin7/cin7.client';
import { paymentReference, toCin7SalePayment } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type { Cin7SalePayment } from 'src/modules/erp/connectors/cin7/cin7.types';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPaymentDraft, ErpRecordRef } from 'src/modules/erp/port/erp.types';

/**
 * @description The sale payments the connector writes: each tender a `PREPAYMENT` on the sale, found again by its
 * `shopify-tx-<transaction id>` Reference and made only when missing, under the sale's payments lock.
 */
export class Cin7Payments {
  constructor(
    private readonly client: Cin7Client,
    private readonly locks: ErpConnectorContext['locks'],
  ) {}

  /**
   * The sale's payments (`GET /sale/payment?SaleID=`) read once under the lock, then one `POST /sale/payment` per
   * tender not among them; one ref per draft, in order.
   */
  record(drafts: readonly ErpPaymentDraft[], order: ErpRecordRef): Promise<ErpRecordRef[]> {
    return this.locks.withLock(`cin7:payments:${order.erpId}`, async (lease) => {
      const existing = await this.client.get<Cin7SalePayment[]>(
        'sale.payment.list',
        'sale/payment',
        { SaleID: order.erpId },
        lease,
      );
      const refs: ErpRecordRef[] = [];
      for (const draft of drafts) {
        const found = (Array.isArray(existing) ? existing : []).find((p) => p.Reference === paymentReference(draft));
        const payment =
          found ??
          (await this.client.post<Cin7SalePayment>(
            'sale.payment',
            'sale/payment',
            toCin7SalePayment(order.erpId, draft),
            lease,
          ));
        refs.push({ erpId: requireCin7Id(payment.ID), externalId: draft.externalId });
      }
      return refs;
    });
  }
}
