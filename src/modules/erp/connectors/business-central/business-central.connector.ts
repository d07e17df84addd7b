import { BusinessCentralTokenProvider } from 'src/modules/erp/connectors/business-central/business-central.auth';
import { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import {
  BC_DEFAULT_VARIANT_SKU_SEPARATOR,
  BC_EMAIL_LOOKUP_BATCH_SIZE,
  BC_FILTER_MAX_ENCODED_CHARS,
  BUSINESS_CENTRAL_DEFAULT_API_BASE_URL,
  BUSINESS_CENTRAL_DEFAULT_LIMITS,
  BUSINESS_CENTRAL_DEFAULT_TOKEN_URL,
  BUSINESS_CENTRAL_SCOPE,
} from 'src/modules/erp/connectors/business-central/business-central.constants';
import { BusinessCentralCreditMemos } from 'src/modules/erp/connectors/business-central/business-central.credit-memos';
import {
  BusinessCentralCustomerResolver,
  bcCustomerLockKey,
} from 'src/modules/erp/connectors/business-central/business-central.customer-resolver';
import { BusinessCentralDeltaReader } from 'src/modules/erp/connectors/business-central/business-central.delta-reader';
import {
  isBcCustomerRefusal,
  isBcItemRefusal,
} from 'src/modules/erp/connectors/business-central/business-central.errors';
import { lookupBcItem } from 'src/modules/erp/connectors/business-central/business-central.item-lookup';
import {
  isCancelledOrder,
  planLineChanges,
} from 'src/modules/erp/connectors/business-central/business-central.line-plan';
import {
  ORDER_IMMUTABLE_FIELDS,
  anyOfFilters,
  changedFields,
  eqFilter,
  orderDocumentNumber,
  queryString,
  refundDocumentNumber,
  refundSkus,
  returnDocumentNumber,
  toBcCreditMemoLines,
  toBcCustomerBody,
  toBcOrderLines,
  toBcReturnLines,
  toBcSalesOrderHeader,
  unknownSku,
  type BcMappingOptions,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import {
  bcOrderLock,
  etagOf,
  retryOnEntityChanged,
  toEditOutcome,
  written,
  type BcLocked,
} from 'src/modules/erp/connectors/business-central/business-central.order-lock';
import { BUSINESS_CENTRAL_ORDER_MAPPING } from 'src/modules/erp/connectors/business-central/business-central.order-mapping';
import {
  BcPaymentTermsDirectory,
  type BcPaymentTerm,
} from 'src/modules/erp/connectors/business-central/business-central.payment-terms';
import { BusinessCentralPayments } from 'src/modules/erp/connectors/business-central/business-central.payments';
import { BcPayoutJournal } from 'src/modules/erp/connectors/business-central/business-central.payout-journal';
import { previewBcOrderWrite } from 'src/modules/erp/connectors/business-central/business-central.preview';
import { verifyBusinessCentralPush } from 'src/modules/erp/connectors/business-central/business-central.push';
import { ensureBcPushSubscriptions } from 'src/modules/erp/connectors/business-central/business-central.subscriptions';
import type {
  BcCollection,
  BcCustomer,
  BcSalesOrder,
  BusinessCentralConnectorOptions,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import { withExchangeOrder } from 'src/modules/erp/connectors/shared/exchange-order';
import { ItemIdResolver } from 'src/modules/erp/connectors/shared/item-id-resolver';
import { lookUpOnRun } from 'src/modules/erp/connectors/shared/look-up-on-run';
import { LookupBatcher, normaliseEmail } from 'src/modules/erp/connectors/shared/lookup-batcher';
import { VendorConnectorBase } from 'src/modules/erp/connectors/shared/vendor-connector.base';
import type { ErpConnectorContext, ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
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

export { BUSINESS_CENTRAL_DEFAULT_LIMITS } from 'src/modules/erp/connectors/business-central/business-central.constants';
export type { BusinessCentralConnectorOptions } from 'src/modules/erp/connectors/business-central/business-central.types';

/**
 * @description The connector for **Microsoft Dynamics 365 Business Central** through its standard API v2.0
 * (docs/connectors/business-central.md). BC has no upsert by external key, so every write is a lookup by
 * `externalDocumentNumber` (orders, credit memos) or our key and e-mail (customers) followed by a create or an ETag-guarded
 * update, under a shared lock; a re-run after any failure finds what the failed run committed. The one exception is
 * an order no attempt was recorded for (`mayExist: false`): it is created at once by deep insert, header and lines in
 * one request, unless a create of it is in doubt. E-mail look-ups of concurrent customer upserts share one request.
 */
export class BusinessCentralConnector extends VendorConnectorBase implements ErpPort {
  readonly orderMapping = BUSINESS_CENTRAL_ORDER_MAPPING;
  readonly depositsUnsupported?: string;
  private readonly payoutJournal: BcPayoutJournal;
  private readonly client: BusinessCentralClient;
  /** `…/v2.0/{tenant}/{environment}/api/v2.0` */
  private readonly apiRoot: string;
  /** `…/api/v2.0/companies({companyId})` */
  private readonly companyUrl: string;
  private readonly mapping: BcMappingOptions;
  protected readonly reads: BusinessCentralDeltaReader;
  private readonly items: ItemIdResolver;
  private readonly customers: BusinessCentralCustomerResolver;
  private readonly customersByEmail: LookupBatcher<BcCustomer>;
  private readonly paymentTerms: BcPaymentTermsDirectory;
  private readonly creditMemos: BusinessCentralCreditMemos;
  private readonly payments: BusinessCentralPayments;

  constructor(
    private readonly options: BusinessCentralConnectorOptions,
    private readonly context: ErpConnectorContext,
  ) {
    super('business-central', BUSINESS_CENTRAL_DEFAULT_LIMITS);
    const base = (options.apiBaseUrl ?? BUSINESS_CENTRAL_DEFAULT_API_BASE_URL).replace(/\/+$/, '');
    this.apiRoot = `${base}/${encodeURIComponent(options.tenantId)}/${encodeURIComponent(options.environment)}/api/v2.0`;
    this.companyUrl = `${this.apiRoot}/companies(${options.companyId})`;
    const tokenUrl = (options.tokenUrl ?? BUSINESS_CENTRAL_DEFAULT_TOKEN_URL).replace(
      '{tenantId}',
      encodeURIComponent(options.tenantId),
    );
    const tokens = new BusinessCentralTokenProvider(
      { tokenUrl, clientId: options.clientId, clientSecret: options.clientSecret, scope: BUSINESS_CENTRAL_SCOPE },
      { requestTimeoutMs: context.requestTimeoutMs },
    );
    this.client = new BusinessCentralClient(tokens, context.gate, context.requestTimeoutMs);
    this.reads = new BusinessCentralDeltaReader(this.client, this.companyUrl, options);
    this.payoutJournal = new BcPayoutJournal(this.client, context.locks, this.companyUrl, options.payoutJournalCode);
    this.depositsUnsupported = this.payoutJournal.unsupported;
    // A cross-reference id BC refuses as a missing record: the item was deleted or renumbered. A refused customer is
    // the order writer's to heal (it resolves the customer again), not a reason to forget item ids.
    this.items = new ItemIdResolver(context.items, {
      find: (skus) => this.findItemIds(skus),
      unknownSkus: ([sku = '']) => unknownSku(sku),
      isRefusedItem: isBcItemRefusal,
      isRefusedCustomer: isBcCustomerRefusal,
    });
    this.creditMemos = new BusinessCentralCreditMemos(this.client, this.companyUrl, this.items, context.locks);
    this.payments = new BusinessCentralPayments(this.client, this.companyUrl, context.locks);
    this.customers = new BusinessCentralCustomerResolver(context.customers);
    this.customersByEmail = new LookupBatcher<BcCustomer>({
      find: (emails) => this.findCustomersByEmail(emails),
      maxBatchSize: BC_EMAIL_LOOKUP_BATCH_SIZE,
      normalise: normaliseEmail,
    });
    this.paymentTerms = new BcPaymentTermsDirectory(options.paymentTermsMap);
    this.mapping = {
      shippingAccountNumber: options.shippingAccountNumber,
      refundAccountNumber: options.refundAccountNumber ?? options.shippingAccountNumber,
      localCurrencyCode: options.localCurrencyCode,
    };
  }

  /**
   * BC customers have no field of ours: a customer is found by our key (the Shopify customer id, kept in the erp
   * module's customer cross-reference), else by e-mail, else created; never by display name
   * (BusinessCentralCustomerResolver). Changed fields are PATCHed with the customer's ETag.
   */
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    const body = toBcCustomerBody(draft, this.mapping);
    return this.context.locks.withLock(bcCustomerLockKey(draft, body), (lease) =>
      retryOnEntityChanged(() =>
        this.customers.upsert(draft, body, {
          list: (filter, top) =>
            this.list<BcCustomer>('customers.find', 'customers', { $filter: filter, $top: String(top) }, lease),
          findByEmail: (email) => this.customersByEmail.find(email, lease.signal),
          create: (created) =>
            this.client.call<BcCustomer>('customers.create', 'POST', `${this.companyUrl}/customers`, {
              body: created,
              lease,
            }),
          update: async (found, changes) => {
            await this.client.call('customers.update', 'PATCH', `${this.companyUrl}/customers(${found.id})`, {
              body: changes,
              ifMatch: etagOf(found),
              lease,
            });
          },
        }),
      ),
    );
  }

  /** The requests of the customer and order writes, built by the same mappers (business-central.preview.ts). */
  previewOrderWrite(
    customer: ErpCustomerDraft,
    order: ErpSalesOrderDraft,
    context: ErpPreviewContext,
  ): Promise<ErpWritePreview> {
    return previewBcOrderWrite(
      {
        companyUrl: this.companyUrl,
        mapping: this.mapping,
        items: this.context.items,
        paymentTerms: this.paymentTerms,
      },
      customer,
      order,
      context,
    );
  }

  upsertSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    return this.writeOrder({ ...draft, status: 'open' }, customer, options).then(written);
  }

  /**
   * The upsert's look-up (with its lines: no request more) decides: no shipped or invoiced quantity → lines PATCHed /
   * DELETEd / POSTed by line id with their ETags; else `locked`. An order BC deleted by invoicing it in full is locked
   * by its posted invoice (by `externalDocumentNumber`).
   */
  editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): ReturnType<ErpPort['editSalesOrder']> {
    return this.writeOrder({ ...draft, status: 'open' }, customer, { mayExist: true }, true).then(toEditOutcome);
  }

  /**
   * Business Central API v2.0 cannot cancel an unposted sales order. The order is kept with every quantity set to 0
   * (nothing left to ship or invoice) and a `Shopify cancelled…` comment line; a cancel that overtook its create
   * creates the order that way. Deleting instead would lose the audit trail and let a redelivered create make it
   * again.
   */
  cancelSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    return this.writeOrder({ ...draft, status: 'cancelled' }, customer, options).then(written);
  }

  /**
   * A sales credit memo with `externalDocumentNumber` `SR-<refund id>`, looked up before it is created. The customer
   * (and currency) come from the open sales order with the Shopify order id, or from its posted invoice once BC has
   * invoiced (and so deleted) the order.
   */
  createRefund(draft: ErpRefundDraft, order: ErpRecordRef): Promise<ErpRecordRef> {
    return this.creditMemos
      .once(refundDocumentNumber(draft), draft.orderExternalId || order.externalId, {
        date: draft.refundDate,
        skus: refundSkus(draft),
        lines: (itemIds) => toBcCreditMemoLines(draft, itemIds, this.mapping),
        withCurrency: true,
      })
      .then(({ erpId }) => ({ erpId, externalId: draft.externalId }));
  }

  /**
   * A draft `salesCreditMemo` `RMA-<return id>` of Comment lines (found first by its externalDocumentNumber, so never
   * made twice) for the sales order's customer; exchange items a sales order upserted like any order.
   */
  async createReturn(draft: ErpReturnDraft, order: ErpRecordRef): Promise<ErpReturnRef> {
    const { erpId, customerId } = await this.creditMemos.once(
      returnDocumentNumber(draft),
      draft.orderExternalId || order.externalId,
      { date: draft.returnDate, skus: [], lines: () => toBcReturnLines(draft), withCurrency: false },
    );
    return withExchangeOrder({ erpId, externalId: draft.externalId }, draft, customerId, (o, c) =>
      this.upsertSalesOrder(o, c),
    );
  }

  /**
   * Each tender as a line of a customer payment journal (`customerPaymentJournals({id})/customerPayments`): the journal
   * whose code ERP_PAYMENT_METHOD_MAP gives for the gateway (BC has no payment method on a journal line; the journal's
   * balancing account says where the money went), else GENERAL. Idempotent: the line with `externalDocumentNumber`
   * `TX-<transaction id>` is looked up before it is created, under a lock. The lines stay unposted for the accountant
   * to post and apply to the order's invoice; a tender posted since is no longer in the journal (docs).
   */
  recordPayments(
    drafts: readonly ErpPaymentDraft[],
    order: ErpRecordRef,
    customer: ErpRecordRef,
  ): Promise<ErpRecordRef[]> {
    return this.payments.record(drafts, order, customer);
  }

  /** A payout as general journal lines in BC_PAYOUT_JOURNAL_CODE (business-central.payout-journal.ts). */
  createDeposit(draft: ErpDepositDraft): Promise<ErpRecordRef> {
    return this.payoutJournal.write(draft);
  }

  verifyPush(request: ErpPushRequest, secret: string | undefined): ErpPushOutcome {
    return verifyBusinessCentralPush(request, secret);
  }

  /** Creates or renews the company's item subscription for `notificationUrl` (business-central.subscriptions.ts). */
  ensurePushSubscriptions(notificationUrl: string, secret: string): Promise<void> {
    return ensureBcPushSubscriptions(this.client, this.apiRoot, this.options.companyId, notificationUrl, secret);
  }

  async checkConnection(): Promise<void> {
    await this.client.call('companies.get', 'GET', `${this.companyUrl}?$select=id,name`);
  }

  /**
   * `options.mayExist` false: no write of this order was recorded, so it is created without a look-up; a run the lock
   * repeats (one whose create was held back by a create of this key in doubt) looks up all the same. `edit`: see above.
   */
  private writeOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options: ErpWriteOptions = { mayExist: true },
    edit = false,
  ): Promise<ErpRecordRef | BcLocked> {
    const documentNumber = orderDocumentNumber(draft);
    const skus = [...new Set(draft.lines.map((line) => line.sku))];
    let runs = 0;
    return this.context.locks.withLock(`business-central:salesOrder:${documentNumber}`, (lease) => {
      const lookUp = lookUpOnRun(options, runs++ > 0, lease);
      return this.items.withItemIds(skus, (itemIds) =>
        retryOnEntityChanged(() =>
          this.writeOrderOnce(draft, documentNumber, customer, itemIds, lease, lookUp || edit, edit),
        ),
      );
    });
  }

  /**
   * Looks the order up with its lines (unless `lookUp` is false: it cannot exist); creates it by deep insert when
   * missing, else PATCHes the changed header fields and brings the lines in line, each write with the ETag just read.
   * A cancelled order is never reopened (Shopify cannot un-cancel an order; an open draft for it is an older state).
   */
  private async writeOrderOnce(
    draft: ErpSalesOrderDraft,
    documentNumber: string,
    customer: ErpRecordRef,
    itemIds: ReadonlyMap<string, string>,
    lease: ErpLockLease,
    lookUp: boolean,
    edit = false,
  ): Promise<ErpRecordRef | BcLocked> {
    const ref = (erpId: string): ErpRecordRef => ({ erpId, externalId: draft.externalId });
    const termsId = await this.paymentTerms.idFor(draft.paymentTerms, (filter) =>
      this.list<BcPaymentTerm>('paymentTerms.find', 'paymentTerms', { $filter: filter }, lease),
    );
    const header = toBcSalesOrderHeader(draft, customer.erpId, this.mapping, termsId);
    const lines = toBcOrderLines(draft, itemIds, this.mapping);
    const [existing] = lookUp
      ? await this.list<BcSalesOrder>(
          'salesOrders.find',
          'salesOrders',
          { $filter: eqFilter('externalDocumentNumber', documentNumber), $expand: 'salesOrderLines' },
          lease,
        )
      : [];
    const locked = edit ? await this.editLock(existing, documentNumber, lease) : undefined;
    if (locked !== undefined) {
      return locked;
    }
    if (existing === undefined) {
      const created = await this.client.call<BcSalesOrder>(
        'salesOrders.create',
        'POST',
        `${this.companyUrl}/salesOrders`,
        { body: { ...header, salesOrderLines: lines }, lease },
      );
      // With BC's own document number of the order (`number`, from its No. series, e.g. `S-ORD101001`).
      return { ...ref(created.id), documentNumber: created.number };
    }
    if (draft.status === 'open' && isCancelledOrder(existing)) {
      return { ...ref(existing.id), documentNumber: existing.number };
    }
    const orderUrl = `${this.companyUrl}/salesOrders(${existing.id})`;
    const changes = changedFields(existing, header, ORDER_IMMUTABLE_FIELDS);
    if (Object.keys(changes).length > 0) {
      await this.client.call('salesOrders.update', 'PATCH', orderUrl, {
        body: changes,
        ifMatch: etagOf(existing),
        lease,
      });
    }
    const plan = planLineChanges(existing.salesOrderLines ?? [], lines);
    for (const line of plan.deletes) {
      await this.client.call('salesOrderLines.delete', 'DELETE', `${orderUrl}/salesOrderLines(${line.id})`, {
        ifMatch: etagOf(line),
        lease,
      });
    }
    for (const { line, changes: lineChanges } of plan.patches) {
      await this.client.call('salesOrderLines.update', 'PATCH', `${orderUrl}/salesOrderLines(${line.id})`, {
        body: lineChanges,
        ifMatch: etagOf(line),
        lease,
      });
    }
    for (const line of plan.posts) {
      // A line POST is a create too: a late-committing line would be posted twice by a re-run that came too soon.
      await this.client.call('salesOrderLines.create', 'POST', `${orderUrl}/salesOrderLines`, { body: line, lease });
    }
    return { ...ref(existing.id), documentNumber: existing.number };
  }

  /**
   * The customers with these e-mails (normalised), in one request per filter that fits a URL (usually one): each
   * e-mail's first customer in BC's order (by number).
   */
  private async findCustomersByEmail(emails: string[]): Promise<Map<string, BcCustomer>> {
    const found = new Map<string, BcCustomer>();
    for (const filter of anyOfFilters('email', emails, BC_FILTER_MAX_ENCODED_CHARS)) {
      const customers = await this.list<BcCustomer>('customers.findByEmail', 'customers', { $filter: filter });
      for (const customer of customers) {
        const email = customer.email === undefined ? '' : normaliseEmail(customer.email);
        if (email !== '' && !found.has(email)) {
          found.set(email, customer);
        }
      }
    }
    return found;
  }

  /** Shipped or invoiced lines lock an edit; so does a posted invoice of an order BC no longer has. */
  private async editLock(found: BcSalesOrder | undefined, documentNumber: string, lease: ErpLockLease) {
    if (found !== undefined) {
      const lock = bcOrderLock(found);
      return lock === undefined ? undefined : { locked: lock, erpId: found.id };
    }
    const params = { $filter: eqFilter('externalDocumentNumber', documentNumber), $top: '1', $select: 'id,number' };
    const [invoice] = await this.list<BcSalesOrder>('salesInvoices.find', 'salesInvoices', params, lease);
    return invoice && { locked: `invoiced in full (posted sales invoice ${invoice.number})`, erpId: invoice.id };
  }

  /** ERP ids of SKUs the cross-reference lacks, one per call (BC filters items by one number); stops at an unknown. */
  private async findItemIds(skus: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (const sku of skus) {
      const found = await lookupBcItem(
        sku,
        this.options.variantSkuSeparator ?? BC_DEFAULT_VARIANT_SKU_SEPARATOR,
        this.list.bind(this),
      );
      if (found === undefined) {
        break;
      }
      ids.set(sku, found);
    }
    return ids;
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
