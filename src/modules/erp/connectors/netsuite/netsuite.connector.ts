import { ErrorKind } from 'src/common/errors/app-error';
import type { NetsuiteConfig } from 'src/config/app-config';
import {
  createNetsuiteAuthorizer,
  netsuiteDefaultBaseUrl,
  type NetsuiteCredentials,
} from 'src/modules/erp/connectors/netsuite/netsuite.auth';
import { NetsuiteClient, readRecordId, requireLocationId } from 'src/modules/erp/connectors/netsuite/netsuite.client';
import {
  NETSUITE_DEFAULT_LIMITS,
  NETSUITE_DEFAULT_SOURCE_UPDATED_AT_FIELD,
  NETSUITE_EMAIL_LOOKUP_BATCH,
  NETSUITE_RECORD_PATH,
  NETSUITE_SUITEQL_MAX_LIMIT,
  NETSUITE_TOKEN_PATH,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { NetsuiteDeltaReader } from 'src/modules/erp/connectors/netsuite/netsuite.delta-reader';
import { toNetsuiteDeposit } from 'src/modules/erp/connectors/netsuite/netsuite.deposit-mapper';
import { isCustomerReferenceError, isItemReferenceError } from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import {
  paymentExternalId,
  readEntityId,
  readLineKeys,
  refundExternalId,
  toCloseLinesPatch,
  toNetsuiteCompanyCustomer,
  toNetsuiteCreditMemo,
  toNetsuiteCustomer,
  toNetsuiteCustomerDeposit,
  toNetsuiteExternalId,
  toNetsuiteSalesOrder,
  type NetsuiteRecordDefaults,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { NETSUITE_ORDER_MAPPING } from 'src/modules/erp/connectors/netsuite/netsuite.order-mapping';
import { netsuiteOrderLock } from 'src/modules/erp/connectors/netsuite/netsuite.order-state';
import { previewNetsuiteOrderWrite } from 'src/modules/erp/connectors/netsuite/netsuite.preview';
import { verifyNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';
import {
  returnExternalId,
  toNetsuiteReturnAuthorization,
} from 'src/modules/erp/connectors/netsuite/netsuite.return-mapping';
import { customersByEmailQuery, itemsBySkuQuery } from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
import { withExchangeOrder } from 'src/modules/erp/connectors/shared/exchange-order';
import { ItemIdResolver } from 'src/modules/erp/connectors/shared/item-id-resolver';
import { LookupBatcher, normaliseEmail } from 'src/modules/erp/connectors/shared/lookup-batcher';
import { VendorConnectorBase } from 'src/modules/erp/connectors/shared/vendor-connector.base';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpPreviewContext, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpPort } from 'src/modules/erp/port/erp.port';
import type {
  ErpCompanyDraft,
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
  ErpSalesOrderEditOutcome,
  ErpWriteOptions,
} from 'src/modules/erp/port/erp.types';

export { NETSUITE_DEFAULT_LIMITS };
export type { NetsuiteCredentials };

/**
 * @description The NetSuite section of the configuration (src/config, docs/connectors/netsuite.md lists the
 * variables), plus what only tests and the benchmark set.
 */
export interface NetsuiteConnectorOptions extends NetsuiteConfig {
  /** Currency of the price read (multi-currency accounts); default: no currency filter. */
  priceCurrencyId?: string;
  /** Rows one SuiteQL query serves through paging; NetSuite's cap is 100,000 (lower only for tests). */
  suiteQlMaxRows?: number;
  /** How long a customer or SKU look-up waits for others to share its query; default LOOKUP_BATCH_WINDOW_MS. */
  lookupBatchWindowMs?: number;
}

/**
 * @description The connector for **Oracle NetSuite** over REST web services (record API v1 and SuiteQL).
 * Writes are true upserts by external id (`PUT …/{type}/eid:{key}`, 204 + Location), so a redelivered or retried
 * message updates the record it created: customers (matched by email first), sales orders keyed by the Shopify order
 * id, credit memos keyed by `shopify-refund-{id}`. A sales order is therefore never looked up before it is written,
 * and the e-mail and SKU look-ups of the orders in flight in this process go out as one SuiteQL query per batch
 * (LookupBatcher): a new customer's order costs two requests (customer, sales order) plus its share of one look-up,
 * a returning customer's (held by the order writer) one. Cancelling closes every order line. Delta reads are SuiteQL
 * queries on `lastmodifieddate`, paged with limit/offset. Every request goes through the shared gate and every
 * failure is thrown as an `ErpError` classified by `classifyNetsuiteError`.
 */
export class NetsuiteConnector extends VendorConnectorBase implements ErpPort {
  readonly orderMapping = NETSUITE_ORDER_MAPPING;
  private readonly client: NetsuiteClient;
  private readonly defaults: NetsuiteRecordDefaults;
  protected readonly reads: NetsuiteDeltaReader;
  private readonly items: ItemIdResolver;
  /** Active customers by lower-case e-mail, the lowest internal id first: one SuiteQL query per batch. */
  private readonly customersByEmail: LookupBatcher<string>;
  /** Item internal ids by SKU (`itemid`), for SKUs the cross-reference does not hold. */
  private readonly itemsBySku: LookupBatcher<string>;

  constructor(
    private readonly options: NetsuiteConnectorOptions,
    private readonly context: ErpConnectorContext,
  ) {
    super('netsuite', NETSUITE_DEFAULT_LIMITS);
    const baseUrl = (options.baseUrl ?? netsuiteDefaultBaseUrl(options.accountId)).replace(/\/+$/, '');
    const auth = createNetsuiteAuthorizer(options.auth, {
      accountId: options.accountId,
      tokenUrl: options.tokenUrl ?? `${baseUrl}${NETSUITE_TOKEN_PATH}`,
      requestTimeoutMs: context.requestTimeoutMs,
    });
    this.client = new NetsuiteClient(baseUrl, auth, context.gate, context.requestTimeoutMs);
    this.defaults = {
      sourceUpdatedAtField: options.sourceUpdatedAtField ?? NETSUITE_DEFAULT_SOURCE_UPDATED_AT_FIELD,
      subsidiaryId: options.subsidiaryId,
      locationId: options.locationId,
      currencyIds: options.currencyIds,
      discountItemId: options.discountItemId,
      shipMethodId: options.shipMethodId,
      shippingRefundItemId: options.shippingRefundItemId,
      adjustmentItemId: options.adjustmentItemId,
      paymentTermsMap: options.paymentTermsMap,
    };
    this.reads = new NetsuiteDeltaReader(this.client, options);
    this.customersByEmail = new LookupBatcher({
      find: (emails) => this.findCustomerIds(emails),
      maxBatchSize: NETSUITE_EMAIL_LOOKUP_BATCH,
      windowMs: options.lookupBatchWindowMs,
      normalise: normaliseEmail,
    });
    this.itemsBySku = new LookupBatcher({
      find: (skus) => this.findItemIds(skus),
      maxBatchSize: NETSUITE_SUITEQL_MAX_LIMIT,
      windowMs: options.lookupBatchWindowMs,
    });
    this.items = new ItemIdResolver(context.items, {
      find: (skus) => this.itemsBySku.findMany(skus),
      unknownSkus: unknownSkusError,
      isRefusedItem: isItemReferenceError,
      isRefusedCustomer: isCustomerReferenceError,
      refused: unknownSkuError,
    });
  }

  /**
   * Matched by email first (SuiteQL, batched with the other look-ups in flight, then PATCH by internal id), else
   * upserted by external id. The lock makes "look up by email, then create" atomic across workers, so concurrent first
   * orders of one customer make one record.
   */
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    if (draft.parentCompany !== undefined) {
      return this.upsertCompanyLocation({ ...draft, parentCompany: draft.parentCompany });
    }
    const externalId = toNetsuiteExternalId(draft.externalId);
    const email = draft.email === undefined ? undefined : normaliseEmail(draft.email);
    const body = toNetsuiteCustomer(draft, this.defaults);
    const lockKey = `netsuite:customer:${email !== undefined && email !== '' ? `email:${email}` : `eid:${externalId}`}`;
    return this.context.locks.withLock(lockKey, async (lease) => {
      if (email !== undefined && email !== '') {
        const erpId = await this.customersByEmail.find(email, lease.signal);
        if (erpId !== undefined) {
          await this.client.call('upsertCustomer', 'PATCH', `${NETSUITE_RECORD_PATH}/customer/${erpId}`, { body });
          return { erpId, externalId: draft.externalId };
        }
      }
      const answer = await this.client.call(
        'upsertCustomer',
        'PUT',
        `${NETSUITE_RECORD_PATH}/customer/eid:${externalId}`,
        {
          body,
        },
      );
      return { erpId: requireLocationId(answer), externalId: draft.externalId };
    });
  }

  /**
   * B2B: the company's customer (`PUT …/customer/eid:company-<id>`), then the company location's as its
   * sub-customer (`parent`, `PUT …/customer/eid:company-location-<id>`). Both are keyed by our own key, never matched
   * by e-mail (the buyer's e-mail is a person's), so a redelivery updates the same two records.
   */
  private upsertCompanyLocation(draft: ErpCustomerDraft & { parentCompany: ErpCompanyDraft }): Promise<ErpRecordRef> {
    const externalId = toNetsuiteExternalId(draft.externalId);
    return this.context.locks.withLock(`netsuite:customer:eid:${externalId}`, async () => {
      const company = await this.client.call(
        'upsertCustomer',
        'PUT',
        `${NETSUITE_RECORD_PATH}/customer/eid:${toNetsuiteExternalId(draft.parentCompany.externalId)}`,
        { body: toNetsuiteCompanyCustomer(draft, this.defaults) },
      );
      const parent = { id: requireLocationId(company) };
      const answer = await this.client.call(
        'upsertCustomer',
        'PUT',
        `${NETSUITE_RECORD_PATH}/customer/eid:${externalId}`,
        {
          body: toNetsuiteCustomer(draft, this.defaults, parent),
        },
      );
      return { erpId: requireLocationId(answer), externalId: draft.externalId };
    });
  }

  /**
   * `PUT …/salesOrder/eid:{shopifyOrderId}?replace=item`: creates or updates, never duplicates, whatever
   * `options.mayExist` says (an upsert by external id needs no look-up).
   */
  upsertSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    _options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    // NetSuite's upsert answers 204 without the order's document number (`tranId`): reading it here would cost one
    // more request per order on the ERP's scarcest resource, so the ref carries none (docs/erp-to-shopify.md).
    return this.withOrderLock(draft.externalId, () =>
      this.putSalesOrder(draft, customer, draft.status === 'cancelled'),
    );
  }

  /**
   * `GET …/salesOrder/eid:{id}?fields=orderStatus` (the one request an edit costs more than an upsert), then, while the
   * order is pending approval or fulfillment, the upsert's `PUT …?replace=item`: the item sublist is replaced, so changed
   * quantities, added and removed lines and the shipping cost all take. Fulfilled or billed, even in part: `locked`,
   * nothing written (NetSuite's own fulfilments and invoices point at those lines).
   */
  editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpSalesOrderEditOutcome> {
    return this.withOrderLock(draft.externalId, async (): Promise<ErpSalesOrderEditOutcome> => {
      const path = `${NETSUITE_RECORD_PATH}/salesOrder/eid:${toNetsuiteExternalId(draft.externalId)}?fields=orderStatus`;
      const found = await this.client.call('readSalesOrder', 'GET', path, { allowNotFound: true });
      const lock = found === undefined ? undefined : netsuiteOrderLock(found.json);
      if (found !== undefined && lock !== undefined) {
        return { outcome: 'locked', erpId: readRecordId(found.json) ?? '', erpState: lock };
      }
      return { outcome: 'applied', ref: await this.putSalesOrder(draft, customer, false) };
    });
  }

  /**
   * Closes every line of the order (`PATCH …/salesOrder/{id}` with `isClosed: true` per line key, NetSuite's
   * documented way to close a sales order over REST). With no order yet, upserts it with every line closed: at once,
   * without reading it, when `options.mayExist` is false (no earlier write of this order was recorded).
   */
  cancelSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    return this.withOrderLock(draft.externalId, async () => {
      if (options?.mayExist === false) {
        return this.putSalesOrder(draft, customer, true);
      }
      const path = `${NETSUITE_RECORD_PATH}/salesOrder/eid:${toNetsuiteExternalId(draft.externalId)}`;
      const existing = await this.client.call('readSalesOrder', 'GET', `${path}?expandSubResources=true`, {
        allowNotFound: true,
      });
      const erpId = existing === undefined ? undefined : readRecordId(existing.json);
      const lineKeys = existing === undefined ? [] : readLineKeys(existing.json);
      if (erpId === undefined || lineKeys.length === 0) {
        return this.putSalesOrder(draft, customer, true);
      }
      await this.client.call('cancelSalesOrder', 'PATCH', `${NETSUITE_RECORD_PATH}/salesOrder/${erpId}`, {
        body: toCloseLinesPatch(lineKeys, this.defaults.sourceUpdatedAtField, draft.sourceUpdatedAt),
      });
      return { erpId, externalId: draft.externalId };
    });
  }

  /**
   * `PUT …/creditMemo/eid:shopify-refund-{id}?replace=item`, created from the sales order (whose customer it takes).
   * An order NetSuite does not have yet is a Transient failure: its create may still be on its way.
   */
  async createRefund(draft: ErpRefundDraft, order: ErpRecordRef): Promise<ErpRecordRef> {
    const { salesOrderId, entityId } = await this.salesOrderParty(draft.orderExternalId, order, 'refund');
    const path = `${NETSUITE_RECORD_PATH}/creditMemo/eid:${refundExternalId(draft.externalId)}?replace=item`;
    const answer = await this.items.withItemIds(
      draft.lines.map((line) => line.sku),
      (itemIds) =>
        this.client.call('createRefund', 'PUT', path, {
          body: toNetsuiteCreditMemo(draft, { id: entityId }, { id: salesOrderId }, itemIds, this.defaults),
        }),
    );
    return { erpId: requireLocationId(answer), externalId: draft.externalId };
  }

  /**
   * A `returnAuthorization` created from the sales order (its customer read from it), upserted by
   * `eid:shopify-return-{id}` with `replace=item`; exchange items a sales order upserted like any order.
   */
  async createReturn(draft: ErpReturnDraft, order: ErpRecordRef): Promise<ErpReturnRef> {
    const { salesOrderId, entityId } = await this.salesOrderParty(draft.orderExternalId, order, 'return');
    const path = `${NETSUITE_RECORD_PATH}/returnAuthorization/eid:${returnExternalId(draft.externalId)}?replace=item`;
    const answer = await this.items.withItemIds(
      draft.lines.map((line) => line.sku),
      (itemIds) =>
        this.client.call('createReturn', 'PUT', path, {
          body: toNetsuiteReturnAuthorization(draft, { id: entityId }, { id: salesOrderId }, itemIds, this.defaults),
        }),
    );
    return withExchangeOrder(
      { erpId: requireLocationId(answer), externalId: draft.externalId },
      draft,
      entityId,
      (o, c) => this.upsertSalesOrder(o, c),
    );
  }

  /** The sales order's internal id and customer, read from NetSuite; Transient while the order is not there yet. */
  private async salesOrderParty(
    orderExternalId: string,
    order: ErpRecordRef,
    what: 'refund' | 'return',
  ): Promise<{ salesOrderId: string; entityId: string }> {
    const orderPath =
      order.erpId !== ''
        ? `${NETSUITE_RECORD_PATH}/salesOrder/${encodeURIComponent(order.erpId)}`
        : `${NETSUITE_RECORD_PATH}/salesOrder/eid:${toNetsuiteExternalId(orderExternalId)}`;
    const salesOrder = await this.client.call('readSalesOrder', 'GET', `${orderPath}?fields=entity`, {
      allowNotFound: true,
    });
    const salesOrderId = salesOrder === undefined ? undefined : (readRecordId(salesOrder.json) ?? order.erpId);
    const entityId = salesOrder === undefined ? undefined : readEntityId(salesOrder.json);
    if (salesOrderId === undefined || entityId === undefined) {
      throw new ErpError(
        ErrorKind.Transient,
        `NetSuite has no sales order for Shopify order ${orderExternalId} yet; the ${what} waits for it`,
        { vendorCode: 'ORDER_NOT_FOUND' },
      );
    }
    return { salesOrderId, entityId };
  }

  /**
   * Each tender as a `customerDeposit` linked to the sales order (`salesOrder`, `customer`, `payment`,
   * `paymentMethod`), upserted by external id `shopify-tx-<transaction id>` (`PUT …/customerDeposit/eid:…`): one call
   * per tender, never a second deposit on a redelivery.
   */
  async recordPayments(
    drafts: readonly ErpPaymentDraft[],
    order: ErpRecordRef,
    customer: ErpRecordRef,
  ): Promise<ErpRecordRef[]> {
    const refs: ErpRecordRef[] = [];
    for (const draft of drafts) {
      const path = `${NETSUITE_RECORD_PATH}/customerDeposit/eid:${paymentExternalId(draft.externalId)}`;
      const answer = await this.client.call('recordPayment', 'PUT', path, {
        body: toNetsuiteCustomerDeposit(draft, { id: customer.erpId }, { id: order.erpId }, this.defaults),
      });
      refs.push({ erpId: requireLocationId(answer), externalId: draft.externalId });
    }
    return refs;
  }

  /**
   * A payout as a `deposit` record, upserted by `shopify-payout-{id}` (`PUT …/deposit/eid:…`, both sublists replaced),
   * so a second call updates the same deposit to the same lines instead of creating another.
   */
  async createDeposit(draft: ErpDepositDraft): Promise<ErpRecordRef> {
    const body = toNetsuiteDeposit(draft);
    const path = `${NETSUITE_RECORD_PATH}/deposit/eid:${body.externalId}?replace=other,cashBack`;
    const answer = await this.client.call('createDeposit', 'PUT', path, { body });
    return { erpId: requireLocationId(answer), externalId: draft.externalId };
  }

  /**
   * The requests of `upsertCustomer` and `upsertSalesOrder` / `cancelSalesOrder`, built by the same mappers
   * (netsuite.preview.ts); look-ups (customer by e-mail, SKUs the cross-reference lacks) are shown, not sent.
   */
  previewOrderWrite(
    customer: ErpCustomerDraft,
    order: ErpSalesOrderDraft,
    context: ErpPreviewContext,
  ): Promise<ErpWritePreview> {
    return previewNetsuiteOrderWrite({ items: this.context.items, defaults: this.defaults }, customer, order, context);
  }

  verifyPush(
    request: ErpPushRequest,
    secret: string | undefined,
    options?: { replayWindowMs: number },
  ): ErpPushOutcome {
    return verifyNetsuitePush(request, secret, Date.now(), options?.replayWindowMs);
  }

  /** NetSuite has no webhook subscriptions; pushes come from a SuiteScript deployed in the account. */
  ensurePushSubscriptions(): Promise<void> {
    return Promise.resolve();
  }

  async checkConnection(): Promise<void> {
    await this.client.call('checkConnection', 'GET', `${NETSUITE_RECORD_PATH}/metadata-catalog`);
  }

  private withOrderLock<T>(externalId: string, work: () => Promise<T>): Promise<T> {
    // The order's writes (upsert, cancel's read-then-patch) must not interleave: a replaced item sublist would
    // invalidate the line keys a concurrent cancel is about to close.
    return this.context.locks.withLock(`netsuite:salesOrder:${externalId}`, work);
  }

  private async putSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    closed: boolean,
  ): Promise<ErpRecordRef> {
    const path = `${NETSUITE_RECORD_PATH}/salesOrder/eid:${toNetsuiteExternalId(draft.externalId)}?replace=item`;
    const answer = await this.items.withItemIds(
      draft.lines.map((line) => line.sku),
      (itemIds) =>
        this.client.call(closed ? 'cancelSalesOrder' : 'upsertSalesOrder', 'PUT', path, {
          body: toNetsuiteSalesOrder(draft, { id: customer.erpId }, itemIds, this.defaults, closed),
        }),
    );
    return { erpId: requireLocationId(answer), externalId: draft.externalId };
  }

  /** One batch of e-mail look-ups: the oldest active customer per lower-case e-mail. */
  private async findCustomerIds(emails: string[]): Promise<Map<string, string>> {
    const rows = await this.client.suiteQlAll('findCustomer', customersByEmailQuery(emails));
    const ids = new Map<string, string>();
    for (const row of rows) {
      const email = typeof row.email === 'string' ? normaliseEmail(row.email) : undefined;
      const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
      if (email !== undefined && id !== undefined && !ids.has(email)) {
        ids.set(email, id);
      }
    }
    return ids;
  }

  /** One batch of SKU look-ups (at most NETSUITE_SUITEQL_MAX_LIMIT SKUs): the item ids of SKUs not in the xref. */
  private async findItemIds(skus: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const rows = await this.client.suiteQlAll('findItems', itemsBySkuQuery(skus));
    for (const row of rows) {
      const sku = typeof row.itemid === 'string' ? row.itemid : undefined;
      const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
      if (sku !== undefined && id !== undefined && skus.includes(sku) && !ids.has(sku)) {
        ids.set(sku, id);
      }
    }
    return ids;
  }
}

function unknownSkusError(skus: string[]): ErpError {
  return new ErpError(
    ErrorKind.Permanent,
    `Unknown SKU ${skus.map((sku) => `'${sku}'`).join(', ')}: no NetSuite item has this itemid`,
    { vendorCode: 'UNKNOWN_SKU' },
  );
}

/** A refused item reference that no stale cross-reference entry explains: a Permanent `UNKNOWN_SKU`. */
function unknownSkuError(skus: string[], cause: ErpError): ErpError {
  return new ErpError(
    ErrorKind.Permanent,
    `Unknown SKU among ${[...new Set(skus)].map((sku) => `'${sku}'`).join(', ')}: NetSuite refused the item reference (${cause.message})`,
    { vendorCode: 'UNKNOWN_SKU', httpStatus: cause.details.httpStatus },
  );
}
