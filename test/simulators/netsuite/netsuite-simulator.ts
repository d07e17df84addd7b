import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { NetsuiteConnectorOptions } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import {
  ErpSimulatorServer,
  type SimContext,
  type SimRequest,
  type SimResponse,
  type SimulatedCustomerView,
  type SimulatedErpVendor,
  type SimulatedOrderView,
  type SimulatorConfigPatch,
} from 'test/simulators/common/erp-simulator';
import {
  SIM_COMPARE_AT_PRICE_LEVEL,
  type SimulatedCatalog,
  type SimWeightUnit,
} from 'test/simulators/common/simulated-catalog';
import { errorResponse } from 'test/simulators/netsuite/netsuite-error-response';
import {
  checkTbaSignature,
  grantClientCredentials,
  type SimOAuth2Client,
  type SimTbaCredentials,
} from 'test/simulators/netsuite/netsuite-sim-auth';
import {
  runSuiteQl,
  SuiteQlError,
  type SqlCatalog,
  type SqlRow,
  type SqlTable,
} from 'test/simulators/netsuite/netsuite-suiteql-engine';

/** The internal ids of the item's `weightunit` select (1 lb, 2 oz, 3 kg, 4 g), as SuiteQL returns it. */
const NETSUITE_WEIGHT_UNIT_IDS: Readonly<Record<SimWeightUnit, string>> = {
  POUNDS: '1',
  OUNCES: '2',
  KILOGRAMS: '3',
  GRAMS: '4',
};
/**
 * A **simulated** Oracle NetSuite account for tests, the demo and the bench. It talks to no real NetSuite. It serves
 * the slice of REST web services the connector uses, with NetSuite's shapes and refusals:
 * - `PUT /services/rest/record/v1/{customer|salesOrder|creditMemo|returnAuthorization|customerDeposit|deposit}/eid:{externalId}`
 *   upserts (204 + Location); a customer deposit needs its `customer`, a `salesOrder` it holds and a positive `payment`;
 *   `PATCH …/{type}/{id}` updates, `GET …/{type}/{id|eid:…}` (`expandSubResources`, `fields`); item sublists are
 *   appended to unless `?replace=item` (as in NetSuite), lines keep `line` keys, and a sales order whose item lines
 *   are all closed (`isClosed`) reports status `cancelled`;
 * - `POST /services/rest/query/v1/suiteql` (`Prefer: transient`, limit ≤ 1000, offset, `hasMore`, a row cap per
 *   query) running a real interpreter of the SuiteQL subset the connector sends, over the shared catalog and the
 *   simulator's own documents;
 * - `GET /services/rest/record/v1/metadata-catalog` as a cheap authenticated probe;
 * - authentication checked for real: TBA (OAuth 1.0a HMAC-SHA256, realm, nonce, timestamp, signature recomputed from
 *   the known secrets → 401 `INVALID_LOGIN_ATTEMPT`) and OAuth 2.0 M2M (`POST /services/rest/auth/oauth2/v1/token`
 *   verifies the JWT assertion with the certificate's public key; bearer tokens expire → 401 `INVALID_LOGIN`);
 * - errors in NetSuite's RFC 7807-like body with `o:errorDetails`; throttling is 429 with Retry-After, an outage 503.
 *
 * External ids are unique per record type, as in NetSuite, so `PUT eid:` cannot duplicate; anything else a buggy
 * client could do twice, it can.
 */

const RECORD_PREFIX = '/services/rest/record/v1/';
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
const RECORD_TYPES = [
  'customer',
  'salesOrder',
  'creditMemo',
  'returnAuthorization',
  'customerDeposit',
  'deposit',
] as const;
type RecordType = (typeof RECORD_TYPES)[number];

/** Non-inventory items every simulated account has (referenced by the connector's options). */
export const NETSUITE_SIM_SPECIAL_ITEMS = {
  discount: { id: '90001', itemid: 'Shopify Discount', itemtype: 'Discount' },
  shippingRefund: { id: '90002', itemid: 'Shipping Refund', itemtype: 'NonInvtPart' },
  adjustment: { id: '90003', itemid: 'Refund Adjustment', itemtype: 'NonInvtPart' },
} as const;

interface SimLine {
  line: number;
  itemId: string;
  quantity: number | null;
  rate: number | null;
  amount: number | null;
  description: string | null;
  isClosed: boolean;
}

interface SimRecord {
  type: RecordType;
  id: string;
  externalId: string | null;
  fields: Record<string, unknown>;
  lines: SimLine[];
  writeCount: number;
  createdAt: number;
  lastModified: number;
  /**
   * The `orderStatus` NetSuite itself moved a sales order to by fulfilling or billing it (D, E, F, G): it wins over
   * the one a write sent, and the item sublist can no longer be replaced.
   */
  fulfilledStatus?: NetsuiteFulfilledStatus;
}

/** SalesOrderOrderStatus values reached by fulfilment or billing. */
export type NetsuiteFulfilledStatus = 'D' | 'E' | 'F' | 'G';
const ORDER_STATUS_NAMES: Readonly<Record<string, string>> = {
  A: 'Pending Approval',
  B: 'Pending Fulfillment',
  C: 'Cancelled',
  D: 'Partially Fulfilled',
  E: 'Pending Billing/Partially Fulfilled',
  F: 'Pending Billing',
  G: 'Billed',
  H: 'Closed',
};

const COMMON_TRANSACTION_FIELDS = ['entity', 'tranDate', 'otherRefNum', 'memo', 'subsidiary', 'location', 'currency'];
const ALLOWED_FIELDS: Record<RecordType, readonly string[]> = {
  customer: [
    'externalId',
    'isPerson',
    'firstName',
    'lastName',
    'companyName',
    'email',
    'phone',
    'subsidiary',
    'currency',
    'parent',
  ],
  salesOrder: [
    'externalId',
    ...COMMON_TRANSACTION_FIELDS,
    'orderStatus',
    'exchangeRate',
    'email',
    'shipMethod',
    'terms',
    'shippingCost',
    'billingAddress',
    'shippingAddress',
    'item',
  ],
  creditMemo: ['externalId', ...COMMON_TRANSACTION_FIELDS, 'createdFrom', 'item'],
  // Return authorization (REST record `returnAuthorization`, Return Authorizations feature): a non-posting
  // transaction created from a sales order; `orderStatus` A = Pending Approval, B = Pending Receipt.
  returnAuthorization: ['externalId', ...COMMON_TRANSACTION_FIELDS, 'createdFrom', 'orderStatus', 'item'],
  // NetSuite's customer deposit names its customer `customer` (not `entity`) and links the order with `salesOrder`.
  customerDeposit: [
    'externalId',
    'customer',
    'salesOrder',
    'payment',
    'paymentMethod',
    'paymentOption',
    'tranDate',
    'memo',
    'subsidiary',
    'currency',
    'exchangeRate',
    'account',
    'undepFunds',
  ],
  deposit: ['externalId', 'tranDate', 'account', 'memo', 'currency', 'subsidiary', 'other', 'cashBack'],
};

/** The account's payment methods (`paymentMethod` records), by internal id. */
export const NETSUITE_SIM_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  '1': 'Cash',
  '3': 'Shopify Payments',
  '8': 'Gift Card',
};

/** The sublists of a deposit: Other Deposits and Cash Back; each line names an account and a positive amount. */
const DEPOSIT_SUBLISTS = ['other', 'cashBack'] as const;
/**
 * The account's payment terms (`term` records, Setup > Accounting > Accounting Lists), by internal id, as a new
 * account has them.
 */
export const NETSUITE_SIM_TERMS: Readonly<Record<string, string>> = {
  '1': 'Net 15',
  '2': 'Net 30',
  '3': 'Net 60',
  '4': 'Due on receipt',
};

const LINE_FIELDS = ['line', 'item', 'quantity', 'rate', 'amount', 'description', 'isClosed'];

export interface NetsuiteSimulatedVendorSetup {
  accountId: string;
  tba: SimTbaCredentials;
  oauth2: SimOAuth2Client;
  /** Lifetime of issued OAuth 2.0 access tokens. */
  tokenTtlSeconds: number;
  /** Rows one SuiteQL query serves through paging (NetSuite: 100,000). */
  suiteQlMaxRows: number;
  /** The custom body field the account has for Shopify's updated_at. */
  sourceUpdatedAtField: string;
}

/** @description The NetSuite vendor plugged into the shared simulator core. */
export class NetsuiteSimulatedVendor implements SimulatedErpVendor {
  readonly name = 'netsuite';
  /** Token requests answered / refused (they bypass the governed counters). */
  readonly tokenStats = { issued: 0, refused: 0 };
  private records: SimRecord[] = [];
  private nextId = 5_000;
  private tokens = new Map<string, number>();
  private seenNonces = new Set<string>();
  private catalog?: SimulatedCatalog;

  constructor(readonly setup: NetsuiteSimulatedVendorSetup) {}

  /** Lets the SuiteQL tables see the catalog before the first governed request (the core passes it per request). */
  attachCatalog(catalog: SimulatedCatalog): void {
    this.catalog = catalog;
  }

  /** Makes every issued access token expire now (tests of refresh-on-401). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) {
      this.tokens.set(token, 0);
    }
  }

  handleUngoverned(request: SimRequest): Promise<SimResponse> | undefined {
    if (request.url.pathname !== TOKEN_PATH) {
      return undefined;
    }
    return this.token(request);
  }

  authenticate(request: SimRequest): SimResponse | undefined {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ') === true) {
      const expiresAt = this.tokens.get(authorization.slice('Bearer '.length).trim());
      return expiresAt !== undefined && expiresAt > Date.now() ? undefined : this.authFailure();
    }
    const problem = checkTbaSignature(
      {
        method: request.method,
        baseUrl: `${request.origin.toLowerCase()}${request.url.pathname}`,
        query: request.url.searchParams,
        authorization,
      },
      {
        realm: this.setup.accountId.toUpperCase().replace(/-/g, '_'),
        credentials: this.setup.tba,
        nowSeconds: Math.floor(Date.now() / 1_000),
        seenNonces: this.seenNonces,
      },
    );
    if (this.seenNonces.size > 100_000) {
      this.seenNonces.clear();
    }
    return problem === undefined ? undefined : errorResponse(401, 'INVALID_LOGIN_ATTEMPT', 'Invalid login attempt.');
  }

  authFailure(): SimResponse {
    return errorResponse(
      401,
      'INVALID_LOGIN',
      'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI.',
    );
  }

  throttled(_reason: 'concurrency' | 'rate', retryAfterSeconds: number): SimResponse {
    const response = errorResponse(
      429,
      'CONCURRENCY_LIMIT_EXCEEDED',
      'Concurrent request limit exceeded. Request blocked.',
    );
    return { ...response, headers: { ...response.headers, 'Retry-After': String(retryAfterSeconds) } };
  }

  unavailable(): SimResponse {
    return errorResponse(503, 'SERVICE_UNAVAILABLE', 'NetSuite is undergoing scheduled maintenance (simulated).');
  }

  serverError(): SimResponse {
    return errorResponse(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred (simulated).');
  }

  isWrite(request: SimRequest): boolean {
    // SuiteQL is a POST but reads; commit-then-drop is about writes.
    return ['PUT', 'PATCH', 'POST', 'DELETE'].includes(request.method) && request.url.pathname !== SUITEQL_PATH;
  }

  handle(request: SimRequest, context: SimContext): SimResponse {
    this.catalog = context.catalog;
    const path = request.url.pathname.replace(/\/+$/, '');
    if (path === SUITEQL_PATH) {
      return request.method === 'POST' ? this.suiteQl(request) : methodNotAllowed();
    }
    if (path === '/services/rest/record/v1/metadata-catalog') {
      return request.method === 'GET'
        ? {
            status: 200,
            body: {
              items: RECORD_TYPES.map((name) => ({
                name,
                links: [{ rel: 'canonical', href: `${request.origin}${RECORD_PREFIX}${name}` }],
              })),
            },
          }
        : methodNotAllowed();
    }
    const match = /^\/services\/rest\/record\/v1\/([A-Za-z]+)\/([^/]+)$/.exec(path);
    const type = RECORD_TYPES.find((candidate) => candidate === match?.[1]);
    if (match === null || type === undefined) {
      return errorResponse(404, 'INVALID_RECORD_TYPE', `The record type or resource '${path}' is not available.`);
    }
    const key = decodeURIComponent(match[2] ?? '');
    switch (request.method) {
      case 'GET':
        return this.read(request, type, key);
      case 'PUT':
        return key.startsWith('eid:')
          ? this.write(request, context, type, key, 'upsert')
          : errorResponse(405, 'INVALID_METHOD', 'PUT is only supported with an external id (eid:) key.');
      case 'PATCH':
        return this.write(request, context, type, key, 'update');
      default:
        return methodNotAllowed();
    }
  }

  orders(): SimulatedOrderView[] {
    return this.records
      .filter((record) => record.type === 'salesOrder')
      .map((record) => ({
        externalId: record.externalId ?? '',
        internalId: record.id,
        status: salesOrderStatus(record),
        sourceUpdatedAt: stringField(record.fields[this.setup.sourceUpdatedAtField]),
        total: this.total(record),
        writeCount: record.writeCount,
        lines: record.lines.flatMap((line) => {
          const item = this.catalog?.itemById(line.itemId);
          return item === undefined ? [] : [{ sku: item.sku, quantity: line.quantity ?? 0 }];
        }),
        subsidiary: refId(record.fields.subsidiary) ?? null,
        location: refId(record.fields.location) ?? null,
        ...(record.fields.currency === undefined ? {} : { currency: refId(record.fields.currency) ?? null }),
        ...(typeof record.fields.exchangeRate === 'number' ? { exchangeRate: record.fields.exchangeRate } : {}),
        ...(record.fields.otherRefNum === undefined
          ? {}
          : { purchaseOrderNumber: stringField(record.fields.otherRefNum) }),
        ...(record.fields.terms === undefined ? {} : { paymentTerms: refId(record.fields.terms) ?? null }),
      }));
  }

  counts(): { customers: number; salesOrders: number } {
    let customers = 0;
    let salesOrders = 0;
    for (const record of this.records) {
      if (record.type === 'customer') {
        customers++;
      } else if (record.type === 'salesOrder') {
        salesOrders++;
      }
    }
    return { customers, salesOrders };
  }

  customers(): SimulatedCustomerView[] {
    return this.records
      .filter((record) => record.type === 'customer')
      .map((record) => ({
        internalId: record.id,
        externalId: record.externalId,
        email: stringField(record.fields.email),
        writeCount: record.writeCount,
        ...(record.fields.isPerson === false ? { name: stringField(record.fields.companyName) } : {}),
        ...(record.fields.parent === undefined ? {} : { parentInternalId: refId(record.fields.parent) ?? null }),
      }));
  }

  /** Deposits, for tests: external id, bank account, and the Other Deposits and Cash Back lines as written. */
  deposits(): Array<{
    externalId: string | null;
    internalId: string;
    account: string | null;
    writeCount: number;
    other: unknown[];
    cashBack: unknown[];
  }> {
    return this.records
      .filter((record) => record.type === 'deposit')
      .map((record) => ({
        externalId: record.externalId,
        internalId: record.id,
        account: refId(record.fields.account) ?? null,
        writeCount: record.writeCount,
        other: sublistItems(record.fields.other),
        cashBack: sublistItems(record.fields.cashBack),
      }));
  }

  /** Credit memos, for tests: external id, internal id, createdFrom and line count. */
  creditMemos(): Array<{ externalId: string | null; internalId: string; createdFrom: string | null; lines: number }> {
    return this.records
      .filter((record) => record.type === 'creditMemo')
      .map((record) => ({
        externalId: record.externalId,
        internalId: record.id,
        createdFrom: refId(record.fields.createdFrom) ?? null,
        lines: record.lines.length,
      }));
  }

  /** Return authorizations, for tests: external id, internal id, createdFrom, status and lines. */
  returnAuthorizations(): Array<{
    externalId: string | null;
    internalId: string;
    createdFrom: string | null;
    orderStatus: string | null;
    lines: Array<Record<string, unknown>>;
  }> {
    return this.records
      .filter((record) => record.type === 'returnAuthorization')
      .map((record) => ({
        externalId: record.externalId,
        internalId: record.id,
        createdFrom: refId(record.fields.createdFrom) ?? null,
        orderStatus: typeof record.fields.orderStatus === 'string' ? record.fields.orderStatus : null,
        lines: record.lines.map((line) => ({ ...line })),
      }));
  }

  /** Customer deposits, for tests: external id, internal id, the sales order's internal id, payment and method. */
  customerDeposits(): Array<{
    externalId: string | null;
    internalId: string;
    salesOrder: string | null;
    customer: string | null;
    payment: number;
    paymentMethod: string | null;
    writeCount: number;
  }> {
    return this.records
      .filter((record) => record.type === 'customerDeposit')
      .map((record) => ({
        externalId: record.externalId,
        internalId: record.id,
        salesOrder: refId(record.fields.salesOrder) ?? null,
        customer: refId(record.fields.customer) ?? null,
        payment: Number(record.fields.payment),
        paymentMethod: refId(record.fields.paymentMethod) ?? null,
        writeCount: record.writeCount,
      }));
  }

  reset(): void {
    this.records = [];
    this.nextId = 5_000;
    this.tokens = new Map();
    this.seenNonces = new Set();
    this.tokenStats.issued = 0;
    this.tokenStats.refused = 0;
  }

  /**
   * A second sales order for the same Shopify order, as a user or another integration would enter it by hand: a copy
   * of the order with this external id, with its own internal id and no external id (NetSuite keeps external ids
   * unique per record type), the same `otherRefNum`. Returns the copy's internal id.
   */
  copySalesOrderWithoutExternalId(externalId: string): string {
    const original = this.find('salesOrder', `eid:${externalId}`);
    if (original === undefined) {
      throw new Error(`no sales order eid:${externalId}`);
    }
    const now = Date.now();
    const copy: SimRecord = {
      ...structuredClone(original),
      id: String(this.nextId++),
      externalId: null,
      writeCount: 1,
      createdAt: now,
      lastModified: now,
    };
    this.records.push(copy);
    return copy.id;
  }

  /**
   * Fulfils or bills the sales order with this external id, as a warehouse or the billing run would in the account:
   * its `orderStatus` reads `status` from then on, and replacing its item sublist is refused.
   */
  setFulfilledStatus(externalId: string, status: NetsuiteFulfilledStatus): void {
    const record = this.find('salesOrder', `eid:${externalId}`);
    if (record === undefined) {
      throw new Error(`no sales order eid:${externalId}`);
    }
    record.fulfilledStatus = status;
  }

  /** Deletes the sales order with this external id (as a user would in the UI). */
  deleteSalesOrder(externalId: string): void {
    const record = this.find('salesOrder', `eid:${externalId}`);
    if (record === undefined) {
      throw new Error(`no sales order eid:${externalId}`);
    }
    this.records = this.records.filter((candidate) => candidate !== record);
  }

  /**
   * NetSuite's duplicate merge: the survivor keeps its values and takes the duplicate's where it has none, the
   * duplicate's transactions move to it, and the duplicate is deleted. Without `into`, a deletion. Either way a write
   * naming the old internal id is refused from then on.
   */
  mergeCustomer(internalId: string, into?: string): void {
    const merged = this.find('customer', internalId);
    if (merged === undefined) {
      throw new Error(`no customer ${internalId}`);
    }
    const survivor = into === undefined ? undefined : this.find('customer', into);
    if (into !== undefined && survivor === undefined) {
      throw new Error(`no customer ${into}`);
    }
    this.records = this.records.filter((record) => record !== merged);
    if (survivor === undefined) {
      return;
    }
    for (const [name, value] of Object.entries(merged.fields)) {
      if (survivor.fields[name] === undefined || survivor.fields[name] === null || survivor.fields[name] === '') {
        survivor.fields[name] = value;
      }
    }
    survivor.lastModified = Math.max(Date.now(), survivor.lastModified + 1);
    for (const record of this.records) {
      if (record.type !== 'customer' && refId(record.fields.entity) === merged.id) {
        record.fields.entity = { id: survivor.id };
      }
    }
  }

  private async token(request: SimRequest): Promise<SimResponse> {
    if (request.method !== 'POST') {
      return { status: 405, body: { error: 'invalid_request' } };
    }
    const grant = await grantClientCredentials(new URLSearchParams(request.body.toString('utf8')), {
      tokenUrl: `${request.origin}${TOKEN_PATH}`,
      clients: [this.setup.oauth2],
      ttlSeconds: this.setup.tokenTtlSeconds,
      nowSeconds: Math.floor(Date.now() / 1_000),
    });
    if (!grant.ok) {
      this.tokenStats.refused++;
      return { status: grant.status, body: { error: grant.error } };
    }
    this.tokenStats.issued++;
    this.tokens.set(grant.accessToken, Date.now() + grant.expiresInSeconds * 1_000);
    return {
      status: 200,
      body: { access_token: grant.accessToken, token_type: 'bearer', expires_in: String(grant.expiresInSeconds) },
    };
  }

  private suiteQl(request: SimRequest): SimResponse {
    if (String(request.headers.prefer ?? '').toLowerCase() !== 'transient') {
      return errorResponse(400, 'INVALID_PARAMETER', "SuiteQL requests need the header 'Prefer: transient'.");
    }
    const limit = Number(request.url.searchParams.get('limit') ?? '1000');
    const offset = Number(request.url.searchParams.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      return errorResponse(400, 'INVALID_PARAMETER', 'The limit parameter must be an integer from 1 to 1000.');
    }
    if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) {
      return errorResponse(400, 'INVALID_PARAMETER', 'The offset parameter must be a non-negative multiple of limit.');
    }
    if (offset + limit > this.setup.suiteQlMaxRows) {
      return errorResponse(
        400,
        'INVALID_PARAMETER',
        `Invalid search query: a query returns at most ${this.setup.suiteQlMaxRows} results.`,
      );
    }
    const body = parseJsonBody(request.body);
    const q = body?.q;
    if (typeof q !== 'string') {
      return errorResponse(400, 'INVALID_CONTENT', "The request body must be a JSON object with a 'q' string.");
    }
    let rows: Array<Record<string, string | number>>;
    try {
      rows = runSuiteQl(q, this.tables());
    } catch (error) {
      if (error instanceof SuiteQlError) {
        return errorResponse(
          400,
          'INVALID_PARAMETER',
          `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${error.message}`,
        );
      }
      throw error;
    }
    const items = rows.slice(offset, offset + limit).map((row) => ({ links: [], ...row }));
    const hasMore = offset + limit < Math.min(rows.length, this.setup.suiteQlMaxRows);
    return {
      status: 200,
      body: {
        links: [{ rel: 'self', href: `${request.origin}${SUITEQL_PATH}?limit=${limit}&offset=${offset}` }],
        count: items.length,
        hasMore,
        items,
        offset,
        totalResults: rows.length,
      },
    };
  }

  private read(request: SimRequest, type: RecordType, key: string): SimResponse {
    const record = this.find(type, key);
    if (record === undefined) {
      return notFound();
    }
    const expand = request.url.searchParams.get('expandSubResources') === 'true';
    const full = this.toJson(request, record, expand);
    const fields = request.url.searchParams.get('fields');
    if (fields === null) {
      return { status: 200, body: full };
    }
    const wanted = fields.split(',').map((field) => field.trim());
    return {
      status: 200,
      body: Object.fromEntries(
        Object.entries(full).filter(([name]) => name === 'links' || name === 'id' || wanted.includes(name)),
      ),
    };
  }

  private write(
    request: SimRequest,
    context: SimContext,
    type: RecordType,
    key: string,
    mode: 'upsert' | 'update',
  ): SimResponse {
    const body = parseJsonBody(request.body);
    if (body === undefined) {
      return errorResponse(400, 'INVALID_CONTENT', 'Invalid content in the request body: not a JSON object.');
    }
    const problem = this.validate(type, body, mode === 'upsert');
    if (problem !== undefined) {
      return problem;
    }
    const externalId = key.startsWith('eid:') ? key.slice(4) : undefined;
    if (externalId !== undefined && !/^[A-Za-z0-9_-]+$/.test(externalId)) {
      return errorResponse(400, 'INVALID_KEY_OR_REF', `Invalid external id '${externalId}'.`, 'externalId');
    }
    let record = this.find(type, key);
    if (record === undefined && mode === 'update') {
      return notFound();
    }
    const created = record === undefined;
    const now = Date.now();
    if (record === undefined) {
      record = {
        type,
        id: String(this.nextId++),
        externalId: externalId ?? null,
        fields: {},
        lines: [],
        writeCount: 0,
        createdAt: now,
        lastModified: now,
      };
      this.records.push(record);
    }
    const replace = (request.url.searchParams.get('replace') ?? '').split(',').includes('item');
    if (record.fulfilledStatus !== undefined && 'item' in body) {
      return errorResponse(
        400,
        'USER_ERROR',
        `You cannot change the items of a sales order that is ${ORDER_STATUS_NAMES[record.fulfilledStatus] ?? 'fulfilled'}.`,
        'item',
      );
    }
    for (const [name, value] of Object.entries(body)) {
      if (name === 'item') {
        const items = (value as { items: Array<Record<string, unknown>> }).items;
        record.lines = applyLines(created || replace ? [] : record.lines, items);
      } else if (name !== 'externalId') {
        record.fields[name] = value;
      }
    }
    record.writeCount++;
    record.lastModified = Math.max(now, record.lastModified + 1);
    context.commit({
      type: type === 'creditMemo' ? 'refund' : type === 'customerDeposit' ? 'payment' : type,
      externalId: record.externalId ?? '',
      internalId: record.id,
      created,
      status: type === 'salesOrder' ? salesOrderStatus(record) : null,
      sourceUpdatedAt: type === 'salesOrder' ? stringField(record.fields[this.setup.sourceUpdatedAtField]) : null,
    });
    return { status: 204, headers: { Location: `${request.origin}${RECORD_PREFIX}${type}/${record.id}` } };
  }

  /** A customer deposit's refusals: its customer, a sales order the account holds, a positive payment, a known method. */
  private validateDeposit(body: Record<string, unknown>, upsert: boolean): SimResponse | undefined {
    if (upsert && refId(body.customer) === undefined) {
      return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Customer', 'customer');
    }
    if (body.customer !== undefined && this.find('customer', refId(body.customer) ?? '') === undefined) {
      return invalidReference(refId(body.customer) ?? '', 'customer', 'customer');
    }
    if (body.salesOrder !== undefined && this.find('salesOrder', refId(body.salesOrder) ?? '') === undefined) {
      return invalidReference(refId(body.salesOrder) ?? '', 'salesOrder', 'salesOrder');
    }
    if (upsert && (typeof body.payment !== 'number' || !(body.payment > 0))) {
      return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Payment Amount', 'payment');
    }
    if (
      body.paymentMethod !== undefined &&
      NETSUITE_SIM_PAYMENT_METHODS[refId(body.paymentMethod) ?? ''] === undefined
    ) {
      return invalidReference(refId(body.paymentMethod) ?? '', 'paymentMethod', 'paymentMethod');
    }
    return undefined;
  }

  /** NetSuite's refusals for what the connector could get wrong: unknown fields, references, missing values. */
  private validate(type: RecordType, body: Record<string, unknown>, upsert: boolean): SimResponse | undefined {
    if (upsert && ('id' in body || 'internalId' in body)) {
      return errorResponse(400, 'INVALID_CONTENT', 'Internal ids are not allowed in the body of an upsert.', 'id');
    }
    const allowed = [
      ...ALLOWED_FIELDS[type],
      ...(type === 'customer' || type === 'customerDeposit' ? [] : [this.setup.sourceUpdatedAtField]),
    ];
    const unknown = Object.keys(body).find((name) => !allowed.includes(name));
    if (unknown !== undefined) {
      return errorResponse(400, 'INVALID_CONTENT', `Invalid field '${unknown}' for record '${type}'.`, unknown);
    }
    if (type === 'customer') {
      const person = body.isPerson !== false;
      if (upsert && person && body.firstName === undefined && body.lastName === undefined) {
        return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Name', 'lastName');
      }
      if (upsert && !person && typeof body.companyName !== 'string') {
        return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Company Name', 'companyName');
      }
      if (body.parent !== undefined && this.find('customer', refId(body.parent) ?? '') === undefined) {
        return invalidReference(refId(body.parent) ?? '', 'parent', 'parent');
      }
      return undefined;
    }
    if (type === 'customerDeposit') {
      return this.validateDeposit(body, upsert);
    }
    if (type === 'deposit') {
      return validateDeposit(body, upsert);
    }
    if (body.terms !== undefined && NETSUITE_SIM_TERMS[refId(body.terms) ?? ''] === undefined) {
      return invalidReference(refId(body.terms) ?? '', 'terms', 'terms');
    }
    if (upsert && refId(body.entity) === undefined) {
      return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Customer', 'entity');
    }
    if (body.entity !== undefined && this.find('customer', refId(body.entity) ?? '') === undefined) {
      return invalidReference(refId(body.entity) ?? '', 'entity', 'entity');
    }
    if (body.createdFrom !== undefined && this.find('salesOrder', refId(body.createdFrom) ?? '') === undefined) {
      return errorResponse(400, 'INVALID_KEY_OR_REF', "Invalid value for field 'createdFrom'.", 'createdFrom');
    }
    const sublist: { items?: unknown } | null | undefined = body.item as { items?: unknown } | null | undefined;
    if (sublist !== undefined) {
      const items = sublist?.items;
      if (!Array.isArray(items)) {
        return errorResponse(400, 'INVALID_CONTENT', "The sublist 'item' needs an 'items' array.", 'item');
      }
      for (const [index, line] of (items as unknown[]).entries()) {
        const entry = (typeof line === 'object' && line !== null ? line : {}) as Record<string, unknown>;
        const bad = Object.keys(entry).find((name) => !LINE_FIELDS.includes(name));
        if (bad !== undefined) {
          return errorResponse(
            400,
            'INVALID_CONTENT',
            `Invalid field '${bad}' for sublist 'item'.`,
            `item.items[${index}]`,
          );
        }
        if (entry.line === undefined) {
          const itemId = refId(entry.item);
          if (itemId === undefined || !this.itemExists(itemId)) {
            return invalidReference(itemId ?? '', 'item', `item.items[${index}].item`);
          }
        }
      }
      if (upsert && items.length === 0) {
        return errorResponse(400, 'USER_ERROR', 'You must enter at least one line item for this transaction.', 'item');
      }
    }
    return undefined;
  }

  private itemExists(id: string): boolean {
    return (
      this.catalog?.itemById(id) !== undefined ||
      Object.values(NETSUITE_SIM_SPECIAL_ITEMS).some((special) => special.id === id)
    );
  }

  private find(type: RecordType, key: string): SimRecord | undefined {
    if (key.startsWith('eid:')) {
      const externalId = key.slice(4);
      return this.records.find((record) => record.type === type && record.externalId === externalId);
    }
    return this.records.find((record) => record.type === type && record.id === key);
  }

  private toJson(request: SimRequest, record: SimRecord, expand: boolean): Record<string, unknown> {
    const self = `${request.origin}${RECORD_PREFIX}${record.type}/${record.id}`;
    const json: Record<string, unknown> = {
      links: [{ rel: 'self', href: self }],
      id: record.id,
      externalId: record.externalId ?? undefined,
      lastModifiedDate: new Date(record.lastModified).toISOString(),
      ...record.fields,
    };
    if (record.type === 'salesOrder') {
      const status =
        record.fulfilledStatus ?? (typeof record.fields.orderStatus === 'string' ? record.fields.orderStatus : 'B');
      json.orderStatus = { id: status, refName: ORDER_STATUS_NAMES[status] ?? status };
    }
    if (record.type !== 'customer') {
      json.tranId = `${record.type === 'salesOrder' ? 'SO' : 'CM'}${record.id}`;
      json.item = expand
        ? {
            links: [{ rel: 'self', href: `${self}/item` }],
            items: record.lines.map((line) => ({
              links: [],
              line: line.line,
              item: { id: line.itemId, refName: this.catalog?.itemById(line.itemId)?.sku ?? line.itemId },
              quantity: line.quantity ?? undefined,
              rate: line.rate ?? undefined,
              amount: line.amount ?? undefined,
              description: line.description ?? undefined,
              isClosed: line.isClosed,
            })),
          }
        : { links: [{ rel: 'self', href: `${self}/item` }] };
    }
    return json;
  }

  private total(record: SimRecord): string | null {
    if (record.type === 'customer') {
      return null;
    }
    let cents = Math.round(Number(record.fields.shippingCost ?? 0) * 100);
    for (const line of record.lines) {
      cents += Math.round((line.amount ?? (line.rate ?? 0) * (line.quantity ?? 1)) * 100);
    }
    return (cents / 100).toFixed(2);
  }

  private tables(): SqlCatalog {
    const catalog = this.catalog;
    const customers = (): SqlRow[] =>
      this.records
        .filter((record) => record.type === 'customer')
        .map((record) => ({
          id: record.id,
          externalid: record.externalId,
          email: stringField(record.fields.email),
          firstname: stringField(record.fields.firstName),
          lastname: stringField(record.fields.lastName),
          companyname: stringField(record.fields.companyName),
          isinactive: 'F',
          lastmodifieddate: record.lastModified,
        }));
    const items = (): SqlRow[] => [
      ...(catalog?.listItems() ?? []).map((item) => ({
        id: item.internalId,
        itemid: item.sku,
        displayname: item.name,
        parent: item.parentSku === null ? null : (catalog?.item(item.parentSku)?.internalId ?? null),
        upccode: item.barcode,
        cost: Number(item.cost),
        weight: item.weight === null ? null : Number(item.weight.value),
        weightunit: item.weight === null ? null : NETSUITE_WEIGHT_UNIT_IDS[item.weight.unit],
        isinactive: item.active ? 'F' : 'T',
        itemtype: 'InvtPart',
        lastmodifieddate: Date.parse(item.lastModified),
      })),
      ...Object.values(NETSUITE_SIM_SPECIAL_ITEMS).map((special) => ({
        id: special.id,
        itemid: special.itemid,
        displayname: special.itemid,
        parent: null,
        upccode: null,
        cost: null,
        weight: null,
        weightunit: null,
        isinactive: 'F',
        itemtype: special.itemtype,
        lastmodifieddate: 0,
      })),
    ];
    const pricing = (): SqlRow[] =>
      (catalog?.listItems() ?? []).flatMap((item) => [
        { item: item.internalId, pricelevel: '1', currency: '1', unitprice: Number(item.price) },
        ...(item.compareAtPrice === null
          ? []
          : [
              {
                item: item.internalId,
                pricelevel: SIM_COMPARE_AT_PRICE_LEVEL,
                currency: '1',
                unitprice: Number(item.compareAtPrice),
              },
            ]),
      ]);
    const locations = (): SqlRow[] => (catalog?.locations ?? []).map((loc) => ({ id: loc.internalId, name: loc.name }));
    const stock = (): SqlRow[] =>
      (catalog?.listStock() ?? []).map((level) => ({
        item: catalog?.item(level.sku)?.internalId ?? null,
        location: catalog?.location(level.locationCode)?.internalId ?? null,
        quantityonhand: level.onHand,
        quantitycommitted: level.committed,
        quantityavailable: level.onHand - level.committed,
        lastquantityavailablechange: Date.parse(level.lastModified),
      }));
    const shipments = this.shipmentDocuments();
    const transactions = (): SqlRow[] => [
      ...this.records
        .filter((record) => record.type === 'salesOrder' || record.type === 'creditMemo')
        .map((record) => ({
          id: record.id,
          type: record.type === 'salesOrder' ? 'SalesOrd' : 'CustCred',
          externalid: record.externalId,
          tranid: `${record.type === 'salesOrder' ? 'SO' : 'CM'}${record.id}`,
          otherrefnum: stringField(record.fields.otherRefNum),
          entity: refId(record.fields.entity) ?? null,
          trandate: Date.parse(stringField(record.fields.tranDate) ?? '') || record.createdAt,
          createddate: record.createdAt,
          lastmodifieddate: record.lastModified,
          shipmethod: null,
          // The total in the transaction's currency, and that currency's internal id.
          foreigntotal: record.type === 'salesOrder' ? Number(this.total(record)) : null,
          currency: refId(record.fields.currency) ?? null,
        })),
      ...shipments.ghostOrders,
      ...shipments.headers,
    ];
    const transactionLines = (): SqlRow[] => [
      ...this.records
        .filter((record) => record.type === 'salesOrder' || record.type === 'creditMemo')
        .flatMap((record) => [
          {
            id: Number(record.id) * 1_000,
            transaction: record.id,
            mainline: 'T',
            item: null,
            quantity: null,
            createdfrom: refId(record.fields.createdFrom) ?? null,
          },
          ...record.lines.map((line) => ({
            id: Number(record.id) * 1_000 + line.line,
            transaction: record.id,
            mainline: 'F',
            item: line.itemId,
            quantity: line.quantity,
            createdfrom: null,
          })),
        ]),
      ...shipments.lines,
    ];
    const table = (columns: SqlTable['columns'], rows: () => SqlRow[]): SqlTable => ({ columns, rows });
    return {
      customer: table(
        {
          id: 'id',
          externalid: 'text',
          email: 'text',
          firstname: 'text',
          lastname: 'text',
          companyname: 'text',
          isinactive: 'bool',
          lastmodifieddate: 'timestamp',
        },
        customers,
      ),
      item: table(
        {
          id: 'id',
          itemid: 'text',
          displayname: 'text',
          parent: 'id',
          upccode: 'text',
          cost: 'number',
          weight: 'number',
          weightunit: 'id',
          isinactive: 'bool',
          itemtype: 'text',
          lastmodifieddate: 'timestamp',
        },
        items,
      ),
      pricing: table({ item: 'id', pricelevel: 'id', currency: 'id', unitprice: 'number' }, pricing),
      location: table({ id: 'id', name: 'text' }, locations),
      inventoryitemlocations: table(
        {
          item: 'id',
          location: 'id',
          quantityonhand: 'number',
          quantitycommitted: 'number',
          quantityavailable: 'number',
          lastquantityavailablechange: 'timestamp',
        },
        stock,
      ),
      transaction: table(
        {
          id: 'id',
          type: 'text',
          externalid: 'text',
          tranid: 'text',
          otherrefnum: 'text',
          entity: 'id',
          trandate: 'timestamp',
          createddate: 'timestamp',
          lastmodifieddate: 'timestamp',
          shipmethod: 'id',
          foreigntotal: 'number',
          currency: 'id',
        },
        transactions,
      ),
      // Shipping items (Lists > Accounting > Shipping Items): one per carrier name the catalog's shipments use.
      shipitem: table({ id: 'id', itemid: 'text' }, () => shipments.shipItems),
      transactionline: table(
        { id: 'id', transaction: 'id', mainline: 'bool', item: 'id', quantity: 'number', createdfrom: 'id' },
        transactionLines,
      ),
      itemfulfillmentpackage: table({ itemfulfillment: 'id', packagetrackingnumber: 'text' }, () => shipments.packages),
    };
  }

  /**
   * Item fulfilments from the catalog's shipments. A shipment of an order this account never received still needs
   * a sales order to come from (NetSuite has no fulfilment without one), so a stand-in order row is made for it.
   */
  private shipmentDocuments(): {
    headers: SqlRow[];
    lines: SqlRow[];
    packages: SqlRow[];
    ghostOrders: SqlRow[];
    shipItems: SqlRow[];
  } {
    const result = {
      headers: [] as SqlRow[],
      lines: [] as SqlRow[],
      packages: [] as SqlRow[],
      ghostOrders: [] as SqlRow[],
      shipItems: [] as SqlRow[],
    };
    const ghosts = new Map<string, string>();
    const shipItemIds = new Map<string, string>();
    const shipItemOf = (carrier: string | null): string | null => {
      if (carrier === null || carrier === '') {
        return null;
      }
      let id = shipItemIds.get(carrier);
      if (id === undefined) {
        id = String(95_000 + shipItemIds.size + 1);
        shipItemIds.set(carrier, id);
        result.shipItems.push({ id, itemid: carrier });
      }
      return id;
    };
    for (const shipment of this.catalog?.listShipments() ?? []) {
      const id = String(800_000 + Number(shipment.internalId));
      let orderId =
        this.find('salesOrder', `eid:${shipment.orderExternalId}`)?.id ?? ghosts.get(shipment.orderExternalId);
      if (orderId === undefined) {
        orderId = String(700_000 + ghosts.size + 1);
        ghosts.set(shipment.orderExternalId, orderId);
        result.ghostOrders.push({
          id: orderId,
          type: 'SalesOrd',
          externalid: shipment.orderExternalId,
          tranid: `SO${orderId}`,
          otherrefnum: null,
          entity: null,
          trandate: 0,
          createddate: 0,
          lastmodifieddate: 0,
          shipmethod: null,
        });
      }
      const shippedAt = Date.parse(shipment.shippedAt);
      result.headers.push({
        id,
        type: 'ItemShip',
        externalid: null,
        tranid: `IF${id}`,
        otherrefnum: null,
        entity: null,
        trandate: shippedAt,
        createddate: shippedAt,
        lastmodifieddate: Date.parse(shipment.lastModified),
        shipmethod: shipItemOf(shipment.carrier),
      });
      result.lines.push({
        id: Number(id) * 1_000,
        transaction: id,
        mainline: 'T',
        item: null,
        quantity: null,
        createdfrom: orderId,
      });
      shipment.lines.forEach((line, index) => {
        result.lines.push({
          id: Number(id) * 1_000 + index + 1,
          transaction: id,
          mainline: 'F',
          item: this.catalog?.item(line.sku)?.internalId ?? null,
          // NetSuite stores fulfilled quantities as negative numbers on the fulfilment's lines.
          quantity: -line.quantity,
          createdfrom: null,
        });
      });
      for (const tracking of shipment.trackingNumbers) {
        result.packages.push({ itemfulfillment: id, packagetrackingnumber: tracking });
      }
    }
    return result;
  }
}

/** @description What a test needs to start the simulator and point the real connector at it. */
export interface NetsuiteSimulatorHandle {
  server: ErpSimulatorServer;
  vendor: NetsuiteSimulatedVendor;
  credentials: {
    accountId: string;
    tba: SimTbaCredentials;
    oauth2: { clientId: string; certificateId: string; privateKeyPem: string };
  };
  /** Connector options for this simulator at `baseUrl` (`http://127.0.0.1:port`), with either auth kind. */
  connectorOptions(baseUrl: string, auth?: 'tba' | 'oauth2-m2m'): NetsuiteConnectorOptions;
}

export interface NetsuiteSimulatorOptions {
  config?: SimulatorConfigPatch;
  accountId?: string;
  tba?: Partial<SimTbaCredentials>;
  /** The M2M client; without keys, an RSA key pair is generated. */
  oauth2?: { clientId?: string; certificateId?: string; privateKeyPem?: string; publicKeyPem?: string };
  tokenTtlSeconds?: number;
  suiteQlMaxRows?: number;
  sourceUpdatedAtField?: string;
  random?: () => number;
}

/**
 * @description Creates a **simulated** NetSuite account (not started: call `server.listen()`), its credentials, and
 * connector options pointing at it.
 *
 * @example
 * const sim = createNetsuiteSimulator({ config: { latencyMs: 0 } });
 * const port = await sim.server.listen();
 * const connector = new NetsuiteConnector(sim.connectorOptions(`http://127.0.0.1:${port}`, 'oauth2-m2m'), context);
 */
export function createNetsuiteSimulator(options: NetsuiteSimulatorOptions = {}): NetsuiteSimulatorHandle {
  const accountId = options.accountId ?? '1234567_SB1';
  const tba: SimTbaCredentials = {
    consumerKey: options.tba?.consumerKey ?? 'sim-consumer-key',
    consumerSecret: options.tba?.consumerSecret ?? 'sim-consumer-secret',
    tokenId: options.tba?.tokenId ?? 'sim-token-id',
    tokenSecret: options.tba?.tokenSecret ?? 'sim-token-secret',
  };
  let privateKeyPem = options.oauth2?.privateKeyPem;
  let publicKey: KeyObject;
  if (options.oauth2?.publicKeyPem !== undefined) {
    publicKey = createPublicKey(options.oauth2.publicKeyPem);
  } else if (privateKeyPem !== undefined) {
    publicKey = createPublicKey(privateKeyPem);
  } else {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    publicKey = pair.publicKey;
  }
  const oauth2 = {
    clientId: options.oauth2?.clientId ?? 'sim-client-id',
    certificateId: options.oauth2?.certificateId ?? 'sim-certificate-id',
    privateKeyPem: privateKeyPem ?? '',
  };
  const sourceUpdatedAtField = options.sourceUpdatedAtField ?? 'custbody_shopify_updated_at';
  const suiteQlMaxRows = options.suiteQlMaxRows ?? 100_000;
  const vendor = new NetsuiteSimulatedVendor({
    accountId,
    tba,
    oauth2: { clientId: oauth2.clientId, certificateId: oauth2.certificateId, publicKey },
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3_600,
    suiteQlMaxRows,
    sourceUpdatedAtField,
  });
  const server = new ErpSimulatorServer(vendor, options.config, options.random);
  vendor.attachCatalog(server.catalog);
  return {
    server,
    vendor,
    credentials: { accountId, tba, oauth2 },
    connectorOptions: (baseUrl, auth = 'tba') => ({
      accountId,
      baseUrl,
      auth: auth === 'tba' ? { kind: 'tba', ...tba } : { kind: 'oauth2-m2m', ...oauth2, algorithm: 'PS256' },
      sourceUpdatedAtField,
      discountItemId: NETSUITE_SIM_SPECIAL_ITEMS.discount.id,
      shippingRefundItemId: NETSUITE_SIM_SPECIAL_ITEMS.shippingRefund.id,
      adjustmentItemId: NETSUITE_SIM_SPECIAL_ITEMS.adjustment.id,
      timeZone: 'UTC',
      suiteQlMaxRows,
    }),
  };
}

function applyLines(existing: SimLine[], items: Array<Record<string, unknown>>): SimLine[] {
  const lines = existing.map((line) => ({ ...line }));
  let next = lines.reduce((max, line) => Math.max(max, line.line), 0) + 1;
  for (const entry of items) {
    const key = typeof entry.line === 'number' ? entry.line : undefined;
    const target = key === undefined ? undefined : lines.find((line) => line.line === key);
    if (target !== undefined) {
      if (typeof entry.isClosed === 'boolean') {
        target.isClosed = entry.isClosed;
      }
      if (typeof entry.quantity === 'number') {
        target.quantity = entry.quantity;
      }
      continue;
    }
    lines.push({
      line: next++,
      itemId: refId(entry.item) ?? '',
      quantity: typeof entry.quantity === 'number' ? entry.quantity : null,
      rate: typeof entry.rate === 'number' ? entry.rate : null,
      amount: typeof entry.amount === 'number' ? entry.amount : null,
      description: typeof entry.description === 'string' ? entry.description : null,
      isClosed: entry.isClosed === true,
    });
  }
  return lines;
}

function salesOrderStatus(record: SimRecord): 'open' | 'cancelled' {
  return record.lines.length > 0 && record.lines.every((line) => line.isClosed) ? 'cancelled' : 'open';
}

/**
 * NetSuite's answer to a reference to a record that does not exist (a deleted or re-created item, a merged customer),
 * in the shape Oracle documents for REST web services ("Error Handling in REST Web Services": `INVALID_CONTENT`,
 * "You have entered an Invalid Field Value … for the following field: …", `o:errorPath` at the field).
 */
function invalidReference(id: string, field: string, path: string): SimResponse {
  return errorResponse(
    400,
    'INVALID_CONTENT',
    `Error while accessing resource: You have entered an Invalid Field Value ${id} for the following field: ${field}`,
    path,
  );
}

function refId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function stringField(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseJsonBody(body: Buffer): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    return typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function notFound(): SimResponse {
  return errorResponse(
    404,
    'NONEXISTENT_ID',
    'The record instance does not exist. Provide a valid record instance ID.',
  );
}

function methodNotAllowed(): SimResponse {
  return errorResponse(405, 'INVALID_METHOD', 'The HTTP method is not allowed for this resource.');
}

function sublistItems(value: unknown): unknown[] {
  const items = (value as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? items : [];
}

/** NetSuite's refusals of a deposit: no bank account, a malformed date, a sublist line without account or amount. */
function validateDeposit(body: Record<string, unknown>, upsert: boolean): SimResponse | undefined {
  if (upsert && refId(body.account) === undefined) {
    return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Account', 'account');
  }
  if (
    body.tranDate !== undefined &&
    (typeof body.tranDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.tranDate))
  ) {
    return errorResponse(400, 'INVALID_VALUE', "Invalid value for field 'tranDate'.", 'tranDate');
  }
  for (const name of DEPOSIT_SUBLISTS) {
    if (body[name] === undefined) {
      continue;
    }
    const list: unknown = body[name];
    const items: unknown =
      typeof list === 'object' && list !== null ? (list as Record<string, unknown>).items : undefined;
    if (!Array.isArray(items)) {
      return errorResponse(400, 'INVALID_CONTENT', `Invalid value for sublist '${name}'.`, name);
    }
    for (const line of items as Array<Record<string, unknown>>) {
      if (refId(line.account) === undefined) {
        return errorResponse(400, 'USER_ERROR', 'Please enter value(s) for: Account', `${name}.account`);
      }
      if (typeof line.amount !== 'number' || !(line.amount > 0)) {
        return errorResponse(400, 'INVALID_VALUE', "Invalid value for field 'amount'.", `${name}.amount`);
      }
    }
  }
  return undefined;
}
