import { ErrorKind } from 'src/common/errors/app-error';
import type { Cin7Config } from 'src/config/app-config';
import { Cin7Client, requireCin7Id } from 'src/modules/erp/connectors/cin7/cin7.client';
import { CIN7_DEFAULT_BASE_URL, CIN7_DEFAULT_LIMITS } from 'src/modules/erp/connectors/cin7/cin7.constants';
import { Cin7CreditNotes } from 'src/modules/erp/connectors/cin7/cin7.credit-notes';
import { Cin7CustomerDirectory } from 'src/modules/erp/connectors/cin7/cin7.customer-directory';
import { Cin7DeltaReader } from 'src/modules/erp/connectors/cin7/cin7.delta-reader';
import { isCin7CustomerRefusal, isCin7ProductRefusal } from 'src/modules/erp/connectors/cin7/cin7.errors';
import {
  customerToken,
  findCreditNote,
  findCustomerByExternalId,
  findReturnNote,
  toCin7CreditNote,
  toCin7CustomerUpdate,
  toCin7NewCustomer,
  toCin7ReturnNote,
  toCin7SaleHeader,
  toCin7SaleOrder,
  type Cin7DocumentDefaults,
} from 'src/modules/erp/connectors/cin7/cin7.mappers';
import { CIN7_ORDER_MAPPING } from 'src/modules/erp/connectors/cin7/cin7.order-mapping';
import { Cin7Payments } from 'src/modules/erp/connectors/cin7/cin7.payments';
import { previewCin7OrderWrite } from 'src/modules/erp/connectors/cin7/cin7.preview';
import { verifyCin7Push } from 'src/modules/erp/connectors/cin7/cin7.push';
import { appliedRef, cin7SaleLock } from 'src/modules/erp/connectors/cin7/cin7.sale-state';
import type {
  Cin7Customer,
  Cin7CustomerListResponse,
  Cin7ProductListResponse,
  Cin7Sale,
  Cin7SaleListEntry,
  Cin7SaleListResponse,
} from 'src/modules/erp/connectors/cin7/cin7.types';
import { withExchangeOrder } from 'src/modules/erp/connectors/shared/exchange-order';
import { ItemIdResolver } from 'src/modules/erp/connectors/shared/item-id-resolver';
import { lookUpOnRun } from 'src/modules/erp/connectors/shared/look-up-on-run';
import { VendorConnectorBase } from 'src/modules/erp/connectors/shared/vendor-connector.base';
import type { ErpConnectorContext, ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError, staleCustomerReference } from 'src/modules/erp/port/erp-error';
import type { ErpPreviewContext, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpPort } from 'src/modules/erp/port/erp.port';
import type {
  ErpCustomerDraft,
  ErpDepositDraft,
  ErpPaymentDraft,
  ErpPushOutcome,
  ErpPushRequest,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpReturnRef,
  ErpSalesOrderDraft,
  ErpWriteOptions,
} from 'src/modules/erp/port/erp.types';

export { CIN7_DEFAULT_LIMITS };

/** @description The Cin7 section of the configuration (src/config; docs/connectors/cin7.md lists the variables). */
export type Cin7ConnectorOptions = Cin7Config & {
  /** How long the first customer look-up of a batch waits for others (tests lengthen it); default 5 ms. */
  lookupBatchWindowMs?: number;
};

/**
 * @description The connector for **Cin7 Core** (formerly DEAR Inventory), API v2. Cin7 has no idempotency keys and no
 * upsert, so every write is lookup-then-write under a shared lock: sales are found by `ExternalID` (the Shopify
 * order id), customers by the id our cross-reference holds, then by contact email, then (only when a create of ours
 * may have committed unanswered, or there is no e-mail) by the external-id token in their Name; credit notes by the
 * refund token in their Memo. A sale no attempt was recorded for (`mayExist: false`) is created without a look-up,
 * unless a create of it is in doubt. Every operation is safe to re-run from the start after any failure (a header
 * created by a run whose order step failed is found and completed). See docs/connectors/cin7.md.
 */
export class Cin7Connector extends VendorConnectorBase implements ErpPort {
  readonly orderMapping = CIN7_ORDER_MAPPING;
  private readonly client: Cin7Client;
  private readonly defaults: Cin7DocumentDefaults;
  protected readonly reads: Cin7DeltaReader;
  private readonly products: ItemIdResolver;
  /** Customers by e-mail, for every look-up of the orders in flight at once (Cin7CustomerDirectory). */
  private readonly directory: Cin7CustomerDirectory;
  private readonly creditNotes: Cin7CreditNotes;
  private readonly payments: Cin7Payments;

  constructor(
    private readonly options: Cin7ConnectorOptions,
    private readonly context: ErpConnectorContext,
  ) {
    super('cin7', CIN7_DEFAULT_LIMITS);
    this.client = new Cin7Client(
      options.baseUrl ?? CIN7_DEFAULT_BASE_URL,
      { accountId: options.accountId, applicationKey: options.applicationKey },
      context.gate,
      context.requestTimeoutMs,
    );
    this.reads = new Cin7DeltaReader(this.client, options.sellingPriceTier, options.compareAtPriceTier);
    this.directory = new Cin7CustomerDirectory(this.client, { windowMs: options.lookupBatchWindowMs });
    // Cin7 refusing a write over a product may mean a stale ProductID (the product was deleted and re-created); over
    // the customer, a CustomerID cached before the customer was removed, which the order writer heals.
    this.products = new ItemIdResolver(context.items, {
      find: (skus) => this.findProductIds(skus),
      unknownSkus: ([sku]) =>
        new ErpError(ErrorKind.Permanent, `Unknown SKU ${sku}: no Cin7 product has it`, { vendorCode: 'UNKNOWN_SKU' }),
      isRefusedItem: isCin7ProductRefusal,
      isRefusedCustomer: isCin7CustomerRefusal,
    });
    this.creditNotes = new Cin7CreditNotes(this.client, this.products, context.locks);
    this.payments = new Cin7Payments(this.client, context.locks);
    this.defaults = {
      location: options.location,
      taxRule: options.taxRule,
      paymentTerm: options.paymentTerm,
      accountReceivable: options.accountReceivable,
      revenueAccount: options.revenueAccount,
      priceTier: options.customerPriceTier,
      orderStatus: options.orderStatus ?? 'AUTHORISED',
      creditNoteStatus: options.creditNoteStatus ?? 'AUTHORISED',
      paymentTermsMap: options.paymentTermsMap,
    };
  }

  /**
   * Cin7 customers carry no field of ours but the `[<external id>]` token in their Name, which only a look-up of its
   * own finds. So the erp module's customer cross-reference (our key → CustomerID, and "a create was sent") decides
   * what to look for: the customer it names (by ID); else one whose contact has the e-mail; else, only when a create
   * of this key was sent and its answer lost, or when there is no e-mail to look by, the Name token; else a new one.
   * A new customer with an e-mail thus costs one look-up and the create. A B2B company location's customer has no
   * e-mail (its draft carries none): it is found by our key only (`[company-location-<id>]`), never by the buyer's.
   */
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    const email = draft.email?.trim().toLowerCase();
    const lockKey = email === undefined || email === '' ? draft.externalId : `email:${email}`;
    const key = draft.externalId;
    const xref = this.context.customers;
    return this.context.locks.withLock(`cin7:customer:${lockKey}`, async (lease) => {
      const known = await xref.find(key);
      let existing = known?.erpId === undefined ? undefined : await this.findCustomerById(known.erpId, lease);
      if (known?.erpId !== undefined && existing === undefined) {
        // Merged into another customer or removed in Cin7 since we matched it: found again below, or created.
        this.directory.forget(known.erpId);
        await xref.forget(key);
      }
      if (existing === undefined && email) {
        existing = await this.directory.find(email, lease.signal);
      }
      if (existing === undefined && (!email || known?.createSentAt !== undefined)) {
        existing = await this.findCustomerByExternalId(draft.externalId, lease);
      }
      if (existing?.ID !== undefined) {
        if (existing.ID !== known?.erpId) {
          await xref.remember(key, existing.ID);
        }
        const update = toCin7CustomerUpdate(existing, draft);
        if (update !== undefined) {
          // The directory's copy is brought up to date by the next refresh (Cin7 lists the customer as changed).
          await this.client.put<unknown>('customer.update', 'customer', update, lease);
        }
        return { erpId: existing.ID, externalId: draft.externalId };
      }
      await xref.createSending(key);
      const answer = await this.client.post<Cin7CustomerListResponse | Cin7Customer>(
        'customer.create',
        'customer',
        toCin7NewCustomer(draft, this.defaults),
        lease,
      );
      const erpId = 'CustomerList' in answer ? answer.CustomerList?.[0]?.ID : (answer as Cin7Customer).ID;
      if (erpId === undefined) {
        // The customer may exist now; a re-run finds it by its name token instead of creating another.
        throw new ErpError(ErrorKind.Transient, 'Cin7 created a customer but answered without its ID', {
          vendorCode: 'MISSING_ID',
        });
      }
      rememberAnswer(this.directory, answer);
      await xref.remember(key, erpId);
      return { erpId, externalId: draft.externalId };
    });
  }

  /** The requests of `upsertCustomer` and `upsertSalesOrder` by the same mappers (cin7.preview.ts). */
  previewOrderWrite(
    customer: ErpCustomerDraft,
    order: ErpSalesOrderDraft,
    context: ErpPreviewContext,
  ): Promise<ErpWritePreview> {
    return previewCin7OrderWrite({ items: this.context.items, defaults: this.defaults }, customer, order, context);
  }

  /** `options.mayExist` false: the header is created without a look-up (2 calls), unless the lock repeats the run. */
  upsertSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options: ErpWriteOptions = { mayExist: true },
  ): Promise<ErpRecordRef> {
    return this.writeSale(draft, customer, options, false).then(appliedRef);
  }

  /**
   * The upsert's `saleList?ExternalID=` look-up decides (no request more): nothing picked, packed, shipped or invoiced
   * (Status, Combined*Status) → header PUT and `POST /sale/order` replace lines, charges and memo; else `locked`.
   */
  editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): ReturnType<ErpPort['editSalesOrder']> {
    return this.writeSale(draft, customer, { mayExist: true }, true);
  }

  private writeSale(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options: ErpWriteOptions,
    edit: boolean,
  ): ReturnType<ErpPort['editSalesOrder']> {
    return this.withSale(draft.externalId, options, async (entry, lease) => {
      const lock = edit && entry !== undefined && !isVoided(entry) ? cin7SaleLock(entry) : undefined;
      if (lock !== undefined) {
        return { outcome: 'locked', erpId: entry?.SaleID ?? '', erpState: lock };
      }
      if (entry !== undefined && isVoided(entry)) {
        throw new ErpError(ErrorKind.Permanent, `Cin7 sale for order ${draft.reference} is voided; not updated`, {
          vendorCode: 'SALE_VOIDED',
        });
      }
      let saleId = entry?.SaleID;
      let documentNumber: string | undefined;
      await this.products.withItemIds(
        draft.lines.map((line) => line.sku),
        async (productIds) => {
          if (saleId === undefined) {
            saleId = await this.createSaleHeader(draft, customer, lease);
          } else {
            await this.client.put<unknown>(
              'sale.update',
              'sale',
              toCin7SaleHeader(draft, customer, this.defaults, saleId),
              lease,
            );
          }
          // POST /sale/order writes the whole order: lines, charges and Memo are replaced, never appended.
          const order = await this.client.postReplacing<{ SaleOrderNumber?: unknown } | undefined>(
            'sale.order',
            'sale/order',
            toCin7SaleOrder(saleId, draft, productIds, this.defaults),
            lease,
          );
          // The answer is the sale's order, with Cin7's own order number (`SaleOrderNumber`, e.g. `SO-00042`).
          documentNumber = typeof order?.SaleOrderNumber === 'string' ? order.SaleOrderNumber : undefined;
        },
      );
      const ref = { erpId: requireCin7Id(saleId), externalId: draft.externalId };
      return { outcome: 'applied', ref: documentNumber ? { ...ref, documentNumber } : ref };
    });
  }

  /**
   * Voids the sale (`DELETE /sale?ID=&Void=true`). A cancel that overtook its create makes the sale first (header
   * and a DRAFT order, so nothing is allocated), then voids it: the end state is the same voided sale.
   */
  cancelSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options: ErpWriteOptions = { mayExist: true },
  ): Promise<ErpRecordRef> {
    return this.withSale(draft.externalId, options, async (entry, lease) => {
      if (entry?.SaleID !== undefined && isVoided(entry)) {
        return { erpId: entry.SaleID, externalId: draft.externalId };
      }
      let saleId = entry?.SaleID;
      if (saleId === undefined) {
        saleId = await this.createSaleHeader(draft, customer, lease);
        await this.writeCancelledOrder(saleId, draft, lease);
      }
      // A header whose order step never ran is voided as it is: there is nothing on it to keep.
      await this.client.delete<unknown>('sale.void', 'sale', { ID: saleId, Void: true }, lease);
      return { erpId: saleId, externalId: draft.externalId };
    });
  }

  /** Cin7 Core API v2 documents no bank deposit or manual journal endpoint (docs/connectors/cin7.md). */
  readonly depositsUnsupported =
    'Cin7 Core API v2 has no bank deposit or manual journal endpoint: payouts cannot be deposited in Cin7 Core';
  createDeposit(draft: ErpDepositDraft): Promise<ErpRecordRef> {
    return Promise.reject(
      new ErpError(ErrorKind.Permanent, `${this.depositsUnsupported} (payout ${draft.payoutId})`, {
        vendorCode: 'NOT_SUPPORTED',
      }),
    );
  }

  createRefund(draft: ErpRefundDraft, order: ErpRecordRef): Promise<ErpRecordRef> {
    return this.creditNotes
      .once(order.erpId, {
        lock: `cin7:creditnote:${draft.externalId}`,
        find: (notes) => findCreditNote(notes, draft.externalId),
        skus: draft.lines.map((line) => line.sku),
        build: (productIds) => toCin7CreditNote(order.erpId, draft, productIds, this.defaults),
        what: `refund ${draft.externalId}`,
      })
      .then(({ erpId }) => ({ erpId, externalId: draft.externalId }));
  }

  /**
   * A DRAFT credit note of the sale (found again by the return's Memo token, so never made twice), lines at price 0;
   * exchange items a sale upserted like any order, for the sale's customer.
   */
  async createReturn(draft: ErpReturnDraft, order: ErpRecordRef): Promise<ErpReturnRef> {
    const { erpId, customerId } = await this.creditNotes.once(order.erpId, {
      lock: `cin7:returnnote:${draft.externalId}`,
      find: (notes) => findReturnNote(notes, draft.externalId),
      skus: draft.lines.map((line) => line.sku),
      build: (productIds) => toCin7ReturnNote(order.erpId, draft, productIds, this.defaults),
      what: `return ${draft.externalId}`,
    });
    return withExchangeOrder({ erpId, externalId: draft.externalId }, draft, customerId, (o, c) =>
      this.upsertSalesOrder(o, c),
    );
  }

  /**
   * Each tender as a sale payment of type `PREPAYMENT` against the sale (`POST /sale/payment`, `TaskID` the SaleID),
   * `Reference` `shopify-tx-<transaction id>`, `Account` the mapped account code. Idempotent: the sale's payments
   * (`GET /sale/payment?SaleID=`) are read once under the sale's lock and a tender already there is not sent again, so
   * an order with tenders costs one read plus one create per new tender.
   */
  recordPayments(drafts: readonly ErpPaymentDraft[], order: ErpRecordRef): Promise<ErpRecordRef[]> {
    return this.payments.record(drafts, order);
  }

  verifyPush(request: ErpPushRequest, secret: string | undefined): ErpPushOutcome {
    return verifyCin7Push(request, secret);
  }

  /** Cin7 webhooks are configured in Cin7 (Integrations → Webhooks, or `POST /webhooks`); nothing to renew here. */
  ensurePushSubscriptions(_notificationUrl: string, _secret: string): Promise<void> {
    return Promise.resolve();
  }

  async checkConnection(): Promise<void> {
    await this.client.get<unknown>('me', 'me');
  }

  // ------------------------------------------------------------------------------------------ helpers

  /** The customer with this CustomerID, unless Cin7 no longer has it (merged, removed) or it is deprecated. */
  private async findCustomerById(id: string, lease: ErpLockLease): Promise<Cin7Customer | undefined> {
    const answer = await this.client.get<Cin7CustomerListResponse>(
      'customer.get',
      'customer',
      { ID: id, Page: 1, Limit: 1 },
      lease,
    );
    return (answer.CustomerList ?? []).find((customer) => customer.ID === id);
  }

  private async findCustomerByExternalId(externalId: string, lease: ErpLockLease): Promise<Cin7Customer | undefined> {
    const answer = await this.client.get<Cin7CustomerListResponse>(
      'customer.find',
      'customer',
      { Name: customerToken(externalId), Page: 1, Limit: 100 },
      lease,
    );
    return findCustomerByExternalId(answer.CustomerList ?? [], externalId);
  }

  /**
   * Runs `work` under the sale's lock with the sale as Cin7 has it now: looked up by ExternalID, unless no attempt to
   * write this order was recorded (`mayExist` false) and this is the lock's first run. A run the lock repeats (a create
   * of this sale was in doubt) always looks up, so it finds what the earlier create committed.
   */
  private withSale<T>(
    externalId: string,
    options: ErpWriteOptions,
    work: (entry: Cin7SaleListEntry | undefined, lease: ErpLockLease) => Promise<T>,
  ): Promise<T> {
    let runs = 0;
    return this.context.locks.withLock(`cin7:sale:${externalId}`, async (lease) => {
      const lookUp = lookUpOnRun(options, runs++ > 0, lease);
      return work(lookUp ? await this.findSale(externalId, lease) : undefined, lease);
    });
  }

  /** The sale carrying this Shopify order id, preferring one that is not voided. */
  private async findSale(externalId: string, lease: ErpLockLease): Promise<Cin7SaleListEntry | undefined> {
    const answer = await this.client.get<Cin7SaleListResponse>(
      'sale.find',
      'saleList',
      { ExternalID: externalId, Page: 1, Limit: 100 },
      lease,
    );
    const matches = (answer.SaleList ?? []).filter((entry) => entry.ExternalID === externalId && entry.SaleID);
    return matches.find((entry) => !isVoided(entry)) ?? matches[0];
  }

  private async createSaleHeader(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    lease: ErpLockLease,
  ): Promise<string> {
    const sale = await this.client
      .post<Cin7Sale>('sale.create', 'sale', toCin7SaleHeader(draft, customer, this.defaults), lease)
      .catch((error: unknown) => {
        // A cancel creates its header outside the product resolver: the same normalised refusal as an upsert's.
        throw isCin7CustomerRefusal(error) ? staleCustomerReference(error) : error;
      });
    if (sale?.ID === undefined) {
      // The header may exist now; a re-run finds it by ExternalID and completes it.
      throw new ErpError(ErrorKind.Transient, 'Cin7 created a sale but answered without its ID', {
        vendorCode: 'MISSING_ID',
      });
    }
    return sale.ID;
  }

  /** The order of a sale that is about to be voided: its lines when every SKU resolves, else none. */
  private async writeCancelledOrder(saleId: string, draft: ErpSalesOrderDraft, lease: ErpLockLease): Promise<void> {
    try {
      await this.products.withItemIds(
        draft.lines.map((line) => line.sku),
        (productIds) =>
          this.client.postReplacing<unknown>(
            'sale.order',
            'sale/order',
            toCin7SaleOrder(saleId, draft, productIds, this.defaults, 'DRAFT'),
            lease,
          ),
      );
    } catch (error) {
      // An unknown SKU must not keep a cancelled order from ending cancelled: the header alone is voided.
      if (!(error instanceof ErpError && error.code === 'UNKNOWN_SKU')) {
        throw error;
      }
    }
  }

  /**
   * The ProductIDs of SKUs not in the cross-reference, one `GET /product?Sku=` each (a call of the 60 a minute); it
   * stops at the first SKU no product has, since the write fails anyway.
   */
  private async findProductIds(skus: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const sku of skus) {
      const answer = await this.client.get<Cin7ProductListResponse>('product.find', 'product', {
        Sku: sku,
        Page: 1,
        Limit: 100,
      });
      // The Sku filter matches by "contains": only an exact SKU counts.
      const product = (answer.Products ?? []).find((candidate) => candidate.SKU === sku && candidate.ID);
      if (product?.ID === undefined) {
        break;
      }
      ids.set(sku, product.ID);
    }
    return ids;
  }
}

/** Holds the customer a `POST /customer` answered with (a list of one, or the customer) in the directory. */
function rememberAnswer(directory: Cin7CustomerDirectory, answer: unknown): void {
  if (typeof answer !== 'object' || answer === null) {
    return;
  }
  const list = (answer as Cin7CustomerListResponse).CustomerList;
  for (const customer of Array.isArray(list) ? list : [answer as Cin7Customer]) {
    directory.remember(customer);
  }
}

function isVoided(entry: Cin7SaleListEntry): boolean {
  return entry.Status?.toUpperCase() === 'VOIDED' || entry.OrderStatus?.toUpperCase() === 'VOIDED';
}
