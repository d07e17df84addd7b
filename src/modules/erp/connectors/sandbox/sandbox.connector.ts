import { Injectable } from '@nestjs/common';
import { ErrorKind } from 'src/common/errors/app-error';
import { requireLocationId } from 'src/modules/erp/connectors/netsuite/netsuite.client';
import { NETSUITE_SUITEQL_MAX_LIMIT } from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { parseSuiteQlResult, toSalesOrderDocuments } from 'src/modules/erp/connectors/netsuite/netsuite.delta-mappers';
import { toNetsuiteDeposit } from 'src/modules/erp/connectors/netsuite/netsuite.deposit-mapper';
import { classifyNetsuiteError } from 'src/modules/erp/connectors/netsuite/netsuite.errors';
import { netsuiteOrderLock } from 'src/modules/erp/connectors/netsuite/netsuite.order-state';
import {
  NETSUITE_SALES_ORDER_LIST_BATCH,
  salesOrdersQuery,
} from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
import {
  paymentExternalId,
  toSandboxCompanyCustomer,
  toSandboxCreditMemo,
  toSandboxCustomer,
  toSandboxCustomerDeposit,
  toSandboxReturnAuthorization,
  toSandboxSalesOrder,
} from 'src/modules/erp/connectors/sandbox/sandbox.mappers';
import { SANDBOX_ORDER_MAPPING } from 'src/modules/erp/connectors/sandbox/sandbox.order-mapping';
import { withExchangeOrder } from 'src/modules/erp/connectors/shared/exchange-order';
import { exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpPreviewContext, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpPort } from 'src/modules/erp/port/erp.port';
import type {
  ErpChangePage,
  ErpCustomerDraft,
  ErpDepositDraft,
  ErpInventoryLevel,
  ErpItemChange,
  ErpPaymentDraft,
  ErpPushOutcome,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpReturnRef,
  ErpSalesOrderDocument,
  ErpSalesOrderDraft,
  ErpSalesOrderEditOutcome,
  ErpSalesOrderQuery,
  ErpSalesOrderStatus,
  ErpShipment,
  ErpWriteOptions,
} from 'src/modules/erp/port/erp.types';

/** @description How to reach the sandbox ERP. */
export interface SandboxErpConnectorOptions {
  /** Root URL of the sandbox ERP server, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <authToken>` when the sandbox is started with a token. */
  authToken?: string;
  /** B2B: Shopify payment terms name → term id (ERP_PAYMENT_TERMS_MAP), as on NetSuite. */
  paymentTermsMap?: Readonly<Record<string, string>>;
}

const RECORD_API_PATH = '/services/rest/record/v1';
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
/** The sandbox keeps no more rows per query than NetSuite's cap; it never holds that many orders. */
const SUITEQL_MAX_PAGES = 100;

/** How errors and messages name the other side. */
const SERVICE = 'Sandbox ERP';

/** The sandbox simulates a NetSuite standard tier: 5 concurrent requests. */
export const SANDBOX_DEFAULT_LIMITS = { maxConcurrency: 5 };

/** The sandbox ERP simulates the order direction only; reading changes is for the vendor connectors. */
function readsNotSimulated(): never {
  throw new ErpError(
    ErrorKind.Permanent,
    'The sandbox ERP does not simulate item, stock or shipment reads; run ERP_CONNECTOR=netsuite against the NetSuite simulator for them',
    { vendorCode: 'NOT_SIMULATED' },
  );
}

/**
 * @description The connector for the **sandbox ERP**, a simulation: it talks to no real ERP but to the simulator
 * under `test/simulators/sandbox/` (started by `npm run sandbox-erp` and by the demo), which behaves like NetSuite's
 * REST record API under load. It is for the demo, local development and tests. Because the simulation speaks
 * NetSuite's dialect, this connector shares the NetSuite connector's mechanics: its error classifier, its `Location`
 * reading and its date, amount and address mapping. Writes are `PUT …/eid:{externalId}` upserts, so a redelivered
 * message updates the same record instead of creating a second one.
 */
@Injectable()
export class SandboxErpConnector implements ErpPort {
  readonly name = 'sandbox';
  readonly defaultLimits = SANDBOX_DEFAULT_LIMITS;
  /** The sandbox simulates the order direction only. */
  readonly changeStreams = [] as const;
  readonly orderMapping = SANDBOX_ORDER_MAPPING;
  private readonly baseUrl: string;

  constructor(
    private readonly options: SandboxErpConnectorOptions,
    private readonly context: ErpConnectorContext,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** B2B: the company's customer first, then the company location's under it (`parent`), as on NetSuite. */
  async upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    if (draft.parentCompany !== undefined) {
      const company = { ...draft, parentCompany: draft.parentCompany };
      await this.upsert('customer', draft.parentCompany.externalId, toSandboxCompanyCustomer(company));
    }
    return this.upsert('customer', draft.externalId, toSandboxCustomer(draft));
  }

  /** The two upserts by external id (the customer's only when it changed); items are referenced by SKU. */
  previewOrderWrite(
    customer: ErpCustomerDraft,
    order: ErpSalesOrderDraft,
    context: ErpPreviewContext,
  ): Promise<ErpWritePreview> {
    const path = (type: string, externalId: string): string =>
      `${RECORD_API_PATH}/${type}/eid:${encodeURIComponent(externalId)}`;
    const known = context.knownCustomerErpId;
    const operation = order.status === 'cancelled' ? 'cancelSalesOrder' : 'upsertSalesOrder';
    return Promise.resolve({
      requests: [
        ...(known === undefined && customer.parentCompany !== undefined
          ? [
              {
                operation: 'upsertCustomer',
                method: 'PUT',
                path: path('customer', customer.parentCompany.externalId),
                body: toSandboxCompanyCustomer({ ...customer, parentCompany: customer.parentCompany }),
              },
            ]
          : []),
        ...(known === undefined
          ? [
              {
                operation: 'upsertCustomer',
                method: 'PUT',
                path: path('customer', customer.externalId),
                body: toSandboxCustomer(customer),
              },
            ]
          : []),
        {
          operation,
          method: 'PUT',
          path: path('salesOrder', order.externalId),
          body: toSandboxSalesOrder(
            order,
            { erpId: known ?? '<customer id>', externalId: customer.externalId },
            this.options.paymentTermsMap,
          ),
        },
      ],
      decisions: [
        ...(known === undefined
          ? []
          : [{ kind: 'customer' as const, subject: customer.externalId, outcome: `unchanged, held as ${known}` }]),
        ...order.lines.map((line) => ({
          kind: 'item' as const,
          subject: line.sku,
          outcome: 'referenced by SKU (external id); the sandbox refuses an unknown SKU',
        })),
      ],
    });
  }

  /** One `PUT …/salesOrder/eid:{id}`: an upsert by external id needs no look-up, whatever `options.mayExist` says. */
  upsertSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    _options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    return this.putSalesOrder(draft, customer, 'open');
  }

  /**
   * As on NetSuite: `GET …/salesOrder/eid:{id}?fields=orderStatus` first; pending approval or fulfillment (or no order
   * yet) → the same upsert; anything fulfilled or billed → `locked`, nothing written.
   */
  async editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpSalesOrderEditOutcome> {
    const path = `${RECORD_API_PATH}/salesOrder/eid:${encodeURIComponent(draft.externalId)}?fields=orderStatus`;
    const found = await this.request('GET', path).catch((error: unknown) => {
      if (error instanceof ErpError && error.details.httpStatus === 404) {
        return undefined;
      }
      throw error;
    });
    const record = found === undefined ? undefined : parseJson(found.text);
    const lock = netsuiteOrderLock(record);
    if (lock !== undefined) {
      const id = (record as { id?: unknown }).id;
      return { outcome: 'locked', erpId: typeof id === 'string' ? id : '', erpState: lock };
    }
    return { outcome: 'applied', ref: await this.putSalesOrder(draft, customer, 'open') };
  }

  /** The upsert creates the order already cancelled when the cancel overtook its create; one request either way. */
  cancelSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    _options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    return this.putSalesOrder(draft, customer, 'cancelled');
  }

  /** A Shopify refund becomes a credit memo created from the sales order, upserted by `shopify-refund-{id}`. */
  createRefund(draft: ErpRefundDraft): Promise<ErpRecordRef> {
    const body = toSandboxCreditMemo(draft);
    return this.upsert('creditMemo', body.externalId, body).then((ref) => ({ ...ref, externalId: draft.externalId }));
  }

  /** Each tender as a customer deposit against its sales order, upserted by `shopify-tx-<id>` (one call each). */
  async recordPayments(drafts: readonly ErpPaymentDraft[]): Promise<ErpRecordRef[]> {
    const refs: ErpRecordRef[] = [];
    for (const draft of drafts) {
      const ref = await this.upsert(
        'customerDeposit',
        paymentExternalId(draft.externalId),
        toSandboxCustomerDeposit(draft),
      );
      refs.push({ ...ref, externalId: draft.externalId });
    }
    return refs;
  }

  /**
   * An approved Shopify return becomes a return authorization created from the sales order, upserted by
   * `shopify-return-{id}` (no money: the refund's credit memo carries it); its exchange items a sales order upserted
   * by `<order id>-exchange-<return id>` for the same customer.
   */
  async createReturn(draft: ErpReturnDraft): Promise<ErpReturnRef> {
    const body = toSandboxReturnAuthorization(draft);
    const ref = await this.upsert('returnAuthorization', body.externalId, body);
    // The sandbox names the customer by its external id: no ERP id is needed.
    return withExchangeOrder({ ...ref, externalId: draft.externalId }, draft, undefined, (o, c) =>
      this.upsertSalesOrder(o, c),
    );
  }

  /** A payout as the sandbox's `deposit` record (NetSuite's body), upserted by `shopify-payout-{id}`. */
  createDeposit(draft: ErpDepositDraft): Promise<ErpRecordRef> {
    const body = toNetsuiteDeposit(draft);
    return this.upsert('deposit', body.externalId, body).then((ref) => ({ ...ref, externalId: draft.externalId }));
  }

  /**
   * NetSuite's listing, as the sandbox simulates it: SuiteQL on `transaction` (`SalesOrd`) by external id, and by
   * `tranid` (where the sandbox writes the order name) within the window for copies without one; every page. The
   * sandbox keeps currency codes as such.
   */
  async listSalesOrders(query: ErpSalesOrderQuery): Promise<ErpSalesOrderDocument[]> {
    const documents: ErpSalesOrderDocument[] = [];
    for (let start = 0; start < query.orders.length; start += NETSUITE_SALES_ORDER_LIST_BATCH) {
      const orders = query.orders.slice(start, start + NETSUITE_SALES_ORDER_LIST_BATCH);
      const q = salesOrdersQuery({
        externalIds: orders.map((order) => order.externalId),
        references: [...new Set(orders.map((order) => order.reference).filter((reference) => reference !== ''))],
        from: query.from,
        to: query.to,
        timeZone: 'UTC',
        referenceColumn: 'tranid',
      });
      const rows: Array<Record<string, unknown>> = [];
      for (let page = 0; page < SUITEQL_MAX_PAGES; page++) {
        const offset = page * NETSUITE_SUITEQL_MAX_LIMIT;
        const answer = await this.request(
          'POST',
          `${SUITEQL_PATH}?limit=${NETSUITE_SUITEQL_MAX_LIMIT}&offset=${offset}`,
          JSON.stringify({ q }),
        );
        const result = parseSuiteQlResult(parseJson(answer.text));
        rows.push(...result.items);
        if (!result.hasMore) {
          break;
        }
      }
      documents.push(...toSalesOrderDocuments(rows, { ...query, orders }, (code) => code, 'tranid'));
    }
    return documents;
  }

  readItemChanges(): Promise<ErpChangePage<ErpItemChange>> {
    return Promise.resolve().then(readsNotSimulated);
  }

  readInventoryLevels(): Promise<ErpChangePage<ErpInventoryLevel>> {
    return Promise.resolve().then(readsNotSimulated);
  }

  readShipments(): Promise<ErpChangePage<ErpShipment>> {
    return Promise.resolve().then(readsNotSimulated);
  }

  verifyPush(): ErpPushOutcome {
    return { kind: 'rejected', reason: 'the sandbox ERP sends no pushes' };
  }

  ensurePushSubscriptions(): Promise<void> {
    return Promise.resolve();
  }

  async checkConnection(): Promise<void> {
    await this.request('GET', `${RECORD_API_PATH}/metadata-catalog`);
  }

  private putSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    status: ErpSalesOrderStatus,
  ): Promise<ErpRecordRef> {
    return this.upsert(
      'salesOrder',
      draft.externalId,
      toSandboxSalesOrder({ ...draft, status }, customer, this.options.paymentTermsMap),
    ).then(
      // The sandbox ERP numbers its sales orders `SO{internal id}` (as NetSuite's default `tranId` looks).
      (ref) => ({ ...ref, documentNumber: `SO${ref.erpId}` }),
    );
  }

  private async upsert(
    type: 'customer' | 'salesOrder' | 'creditMemo' | 'returnAuthorization' | 'customerDeposit' | 'deposit',
    externalId: string,
    body: object,
  ): Promise<ErpRecordRef> {
    const path = `${RECORD_API_PATH}/${type}/eid:${encodeURIComponent(externalId)}`;
    const answer = await this.request('PUT', path, JSON.stringify(body));
    return { erpId: requireLocationId(answer, SERVICE), externalId };
  }

  /** Sends one request through the shared gate and reads its answer to the end; failures are thrown classified. */
  private request(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: string,
  ): Promise<{ status: number; location: string | null; text: string }> {
    return this.context.gate.request(`${method} ${(path.split('/eid:')[0] ?? path).split('?')[0]}`, () =>
      this.send(method, path, body),
    );
  }

  private async send(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body?: string,
  ): Promise<{ status: number; location: string | null; text: string }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method === 'POST') {
      headers.Prefer = 'transient';
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (this.options.authToken !== undefined) {
      headers.Authorization = `Bearer ${this.options.authToken}`;
    }
    const { response, text } = await exchange(
      `${this.baseUrl}${path}`,
      { method, headers, body },
      this.context.requestTimeoutMs,
      (cause) => classifyNetsuiteError({ cause }, Date.now(), SERVICE),
    );
    if (!response.ok) {
      throw classifyNetsuiteError(
        {
          status: response.status,
          body: text,
          headers: response.headers,
          request: { method, url: this.baseUrl + path },
        },
        Date.now(),
        SERVICE,
      );
    }
    return { status: response.status, location: response.headers.get('location'), text };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
