import { ErrorKind } from 'src/common/errors/app-error';
import type { Cin7Client } from 'src/modules/erp/connectors/cin7/cin7.client';
import type { Cin7ProductIds } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type { Cin7CreditNote, Cin7Sale } from 'src/modules/erp/connectors/cin7/cin7.types';
import type { ItemIdResolver } from 'src/modules/erp/connectors/shared/item-id-resolver';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** @description One credit note to make on a sale: how to find it again by its Memo token, and its body. */
export interface Cin7CreditNoteRequest {
  /** The keyed lock held while it is looked for and made. */
  lock: string;
  find: (notes: Cin7CreditNote[] | undefined) => Cin7CreditNote | undefined;
  skus: string[];
  build: (productIds: Cin7ProductIds) => Cin7CreditNote;
  /** For errors: `refund <id>`, `return <id>`. */
  what: string;
}

/**
 * @description The sale credit notes the connector writes (a refund's, AUTHORISED; a return's, DRAFT): each found
 * on the sale by its Memo token first and made only when missing, under a keyed lock, so never made twice.
 */
export class Cin7CreditNotes {
  constructor(
    private readonly client: Cin7Client,
    private readonly products: ItemIdResolver,
    private readonly locks: ErpConnectorContext['locks'],
  ) {}

  once(saleId: string, request: Cin7CreditNoteRequest): Promise<{ erpId: string; customerId?: string }> {
    return this.locks.withLock(request.lock, async (lease) => {
      const sale = await this.client.get<Cin7Sale>('sale.get', 'sale', { ID: saleId }, lease);
      const existing = request.find(sale.CreditNotes);
      if (existing?.TaskID !== undefined) {
        return { erpId: existing.TaskID, customerId: sale.CustomerID };
      }
      const answer = await this.products.withItemIds(request.skus, (productIds) =>
        this.client.post<unknown>('sale.creditnote', 'sale/creditnote', request.build(productIds), lease),
      );
      // Cin7 answers with the sale or the credit note depending on the sale type; when neither shows our note,
      // read it back rather than guess.
      let erpId = readCreditNoteId(answer, request.find);
      if (erpId === undefined) {
        const reread = await this.client.get<Cin7Sale>('sale.get', 'sale', { ID: saleId }, lease);
        erpId = request.find(reread.CreditNotes)?.TaskID;
      }
      if (erpId === undefined) {
        throw new ErpError(ErrorKind.Transient, `Cin7 credit note for ${request.what} not found after create`, {
          vendorCode: 'MISSING_ID',
        });
      }
      return { erpId, customerId: sale.CustomerID };
    });
  }
}

/** The credit note id from a `POST /sale/creditnote` answer: the note itself, or the sale's list of notes. */
function readCreditNoteId(answer: unknown, find: Cin7CreditNoteRequest['find']): string | undefined {
  if (typeof answer !== 'object' || answer === null) {
    return undefined;
  }
  const record = answer as Cin7CreditNote & { CreditNotes?: Cin7CreditNote[] };
  return find(Array.isArray(record.CreditNotes) ? record.CreditNotes : [record])?.TaskID;
}
