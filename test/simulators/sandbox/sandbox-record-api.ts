import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  SimContext,
  SimRequest,
  SimResponse,
  SimulatedCustomerView,
  SimulatedErpVendor,
  SimulatedOrderView,
} from 'test/simulators/common/erp-simulator';
import { errorResponse } from 'test/simulators/netsuite/netsuite-error-response';
import { SuiteQlError, runSuiteQl, type SqlRow } from 'test/simulators/netsuite/netsuite-suiteql-engine';
import type { SandboxRecordType, SandboxStoredRecordView } from 'test/simulators/sandbox/sandbox-erp.types';
import {
  isObject,
  validateCreditMemo,
  validateCustomer,
  validateCustomerDeposit,
  validateDeposit,
  validateReturnAuthorization,
  validateSalesOrder,
  type RecordProblem,
} from 'test/simulators/sandbox/sandbox-record-validation';

/** Counters only the record API can keep (the simulator core counts throttles, outages, drops, 500s, 401s). */
export interface SandboxRecordCounters {
  created: number;
  updated: number;
  badRequest400: number;
  notFound404: number;
}

interface StoredRecord {
  internalId: string;
  externalId: string;
  writeCount: number;
  createdAt: number;
  updatedAt: number;
  body: Record<string, unknown>;
  /** Set when the sandbox "ships" the sales order (`POST /_control/orders/ship`): NetSuite's orderStatus D or F. */
  shippedStatus?: 'D' | 'F';
}

/** NetSuite's SalesOrderOrderStatus names of the statuses the sandbox reports. */
const ORDER_STATUS_NAMES = { B: 'Pending Fulfillment', C: 'Cancelled', D: 'Partially Fulfilled', F: 'Pending Billing' };

type RecordStore = Record<SandboxRecordType, Map<string, StoredRecord>>;

const RECORD_API_PREFIX = '/services/rest/record/v1/';
const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
const METADATA_CATALOG_PATH = '/services/rest/record/v1/metadata-catalog';
const RECORD_PATH =
  /^\/services\/rest\/record\/v1\/(customer|salesOrder|creditMemo|returnAuthorization|customerDeposit|deposit)\/([^/]+)$/;
const RECORD_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=singular-resource; charset=utf-8';
const RECORD_TYPES: readonly SandboxRecordType[] = [
  'customer',
  'salesOrder',
  'creditMemo',
  'returnAuthorization',
  'customerDeposit',
  'deposit',
];
const LOGIN_AUDIT_HINT =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

/**
 * @description The sandbox ERP's record API as a vendor of the simulator core: **a simulation** of the parts of
 * NetSuite's REST record API (v1) this product uses. `PUT …/{customer|salesOrder|creditMemo|returnAuthorization|customerDeposit|deposit}/eid:{externalId}`
 * upserts (204 + `Location`), `GET …/{type}/{eid:id|internalId}` reads back, `GET …/metadata-catalog` answers the
 * connection check; every answer and error is in NetSuite's shapes. The core supplies the server, limits, latency
 * and faults; this class only stores records in memory and checks their bodies.
 */
export class SandboxRecordApi implements SimulatedErpVendor {
  readonly name = 'sandbox';
  readonly zeroConcurrencyLimit = 'closed';
  private records: RecordStore = emptyStore();
  /** Sales orders without an external id: copies of ours, as a user or another integration would enter them. */
  private copies: StoredRecord[] = [];
  private nextInternalId: Record<SandboxRecordType, number> = {
    customer: 1,
    salesOrder: 1,
    creditMemo: 1,
    returnAuthorization: 1,
    customerDeposit: 1,
    deposit: 1,
  };
  private counters: SandboxRecordCounters = emptyCounters();

  constructor(private authToken: string | undefined) {}

  get authRequired(): boolean {
    return this.authToken !== undefined;
  }

  setAuthToken(token: string | undefined): void {
    this.authToken = token;
  }

  /** Anything outside the record API is not the ERP's: a plain 404 that counts as no record request. */
  handleUngoverned(request: SimRequest): SimResponse | undefined {
    if (request.url.pathname.startsWith(RECORD_API_PREFIX) || request.url.pathname === SUITEQL_PATH) {
      return undefined;
    }
    return { status: 404, body: { error: `no route for ${request.method} ${request.url.pathname}` } };
  }

  authenticate(request: SimRequest): SimResponse | undefined {
    if (this.authToken === undefined) {
      return undefined;
    }
    // Compare digests so that the comparison takes the same time whatever the lengths.
    const expected = createHash('sha256').update(`Bearer ${this.authToken}`).digest();
    const actual = createHash('sha256')
      .update(request.headers.authorization ?? '')
      .digest();
    return timingSafeEqual(expected, actual) ? undefined : this.authFailure();
  }

  authFailure(): SimResponse {
    return errorResponse(401, 'INVALID_LOGIN_ATTEMPT', LOGIN_AUDIT_HINT);
  }

  /** NetSuite's account concurrency governance: rejected at once, never counted as in flight. */
  throttled(_reason: 'concurrency' | 'rate', retryAfterSeconds: number): SimResponse {
    return errorResponse(
      429,
      'CONCURRENCY_LIMIT_EXCEEDED',
      'Concurrent request limit exceeded. Request blocked.',
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }

  unavailable(): SimResponse {
    return errorResponse(
      503,
      'SERVICE_UNAVAILABLE',
      'The sandbox ERP is in a simulated maintenance window. Try again later.',
    );
  }

  serverError(): SimResponse {
    return errorResponse(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred. Error ID: sandbox-simulated-500');
  }

  payloadTooLarge(maxBytes: number): SimResponse {
    return errorResponse(413, 'INVALID_CONTENT', `The request body exceeds ${maxBytes} bytes.`);
  }

  /** Only an upsert commits; the core drops the answer of a committed one at `commitThenDropRate`. */
  isWrite(request: SimRequest): boolean {
    return request.method === 'PUT';
  }

  handle(request: SimRequest, context: SimContext): SimResponse {
    const pathname = request.url.pathname;
    if (pathname === SUITEQL_PATH) {
      return request.method === 'POST' ? this.suiteQl(request) : this.methodNotAllowed('POST');
    }
    if (pathname === METADATA_CATALOG_PATH || pathname.startsWith(`${METADATA_CATALOG_PATH}/`)) {
      return request.method === 'GET' ? metadataCatalog(request.origin) : this.methodNotAllowed('GET');
    }
    const match = RECORD_PATH.exec(pathname);
    const reference = match === null ? undefined : safeDecode(match[2] ?? '');
    if (match === null || reference === undefined) {
      return this.notFound('INVALID_URL', `Invalid request URL: the sandbox ERP does not serve ${pathname}.`);
    }
    const type = match[1] as SandboxRecordType;
    const externalId = reference.startsWith('eid:') ? reference.slice(4) : undefined;
    if (request.method === 'GET') {
      return this.read(request.origin, type, externalId, reference);
    }
    if (request.method !== 'PUT') {
      return this.methodNotAllowed('GET, PUT');
    }
    if (externalId === undefined || externalId === '') {
      // NetSuite accepts PUT only with an external id (upsert); updates by internal id are PATCH, not simulated.
      return this.badRequest({
        detail: 'PUT is supported only with an external id: use …/eid:{externalId}.',
        code: 'INVALID_REQUEST',
      });
    }
    return this.upsert(request, context, type, externalId);
  }

  orders(): SimulatedOrderView[] {
    return [...this.records.salesOrder.values()].map((record) => ({
      externalId: record.externalId,
      internalId: record.internalId,
      status: String(record.body.status),
      sourceUpdatedAt: stringOrNull(record.body.custbody_source_updated_at),
      total: typeof record.body.total === 'number' ? String(record.body.total) : null,
      writeCount: record.writeCount,
      lines: salesOrderLines(record.body),
      ...(record.body.otherRefNum === undefined ? {} : { purchaseOrderNumber: stringOrNull(record.body.otherRefNum) }),
      ...(record.body.custbody_payment_terms === undefined
        ? {}
        : { paymentTerms: stringOrNull(record.body.custbody_payment_terms) }),
    }));
  }

  customers(): SimulatedCustomerView[] {
    return [...this.records.customer.values()].map((record) => ({
      internalId: record.internalId,
      externalId: record.externalId,
      email: stringOrNull(record.body.email),
      writeCount: record.writeCount,
      ...(record.body.isPerson === false ? { name: stringOrNull(record.body.companyName) } : {}),
      ...(record.body.parent === undefined ? {} : { parentInternalId: parentExternalId(record.body) }),
    }));
  }

  /** Customer deposits (the sandbox's payments against sales orders), for tests. */
  customerDeposits(): Array<{ externalId: string; salesOrder: string; payment: number; writeCount: number }> {
    return [...this.records.customerDeposit.values()].map((record) => ({
      externalId: record.externalId,
      salesOrder: isObject(record.body.salesOrder) ? String(record.body.salesOrder.externalId) : '',
      payment: Number(record.body.payment),
      writeCount: record.writeCount,
    }));
  }

  counts(): { customers: number; salesOrders: number } {
    return { customers: this.records.customer.size, salesOrders: this.records.salesOrder.size };
  }

  reset(): void {
    this.records = emptyStore();
    this.copies = [];
    this.nextInternalId = {
      customer: 1,
      salesOrder: 1,
      creditMemo: 1,
      returnAuthorization: 1,
      customerDeposit: 1,
      deposit: 1,
    };
    this.counters = emptyCounters();
  }

  outcomeCounters(): SandboxRecordCounters {
    return { ...this.counters };
  }

  /** The records of one type as the control API lists them: the last body written plus bookkeeping. */
  listRecords(type: SandboxRecordType): SandboxStoredRecordView[] {
    return [...this.records[type].values()].map((record) => ({
      ...record.body,
      internalId: record.internalId,
      externalId: record.externalId,
      writeCount: record.writeCount,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
    }));
  }

  /** Deletes the sales orders with these external ids, as a user would in the ERP; returns how many existed. */
  deleteSalesOrders(externalIds: readonly string[]): number {
    return externalIds.filter((externalId) => this.records.salesOrder.delete(externalId)).length;
  }

  /**
   * A second sales order for each of these orders, as a user or another integration would enter it: the same body
   * (reference, date, total), its own internal id and no external id (external ids are unique per record type).
   */
  copySalesOrders(externalIds: readonly string[]): number {
    const now = Date.now();
    for (const externalId of externalIds) {
      const original = this.records.salesOrder.get(externalId);
      if (original === undefined) {
        throw new Error(`no sales order with external id ${externalId}`);
      }
      this.copies.push({
        ...structuredClone(original),
        internalId: String(this.nextInternalId.salesOrder++),
        externalId: '',
        writeCount: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
    return externalIds.length;
  }

  /** The copies without external id, as {@link listRecords} shows records. */
  listCopies(): SandboxStoredRecordView[] {
    return this.copies.map((record) => ({
      ...record.body,
      internalId: record.internalId,
      externalId: record.externalId,
      writeCount: record.writeCount,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
    }));
  }

  /**
   * Ships these sales orders, as the ERP's warehouse would (`partially` D, else in full F): their `orderStatus` reads
   * so from then on (a write keeps it), and a write that changes their item lines is refused. Returns how many existed.
   */
  shipSalesOrders(externalIds: readonly string[], partially = false): number {
    const found = externalIds.flatMap((externalId) => this.records.salesOrder.get(externalId) ?? []);
    for (const record of found) {
      record.shippedStatus = partially ? 'D' : 'F';
      record.updatedAt = Date.now();
    }
    return found.length;
  }

  /** Sets a sales order's total, as a user editing it in the ERP would. */
  setSalesOrderTotal(externalId: string, total: number): void {
    const record = this.records.salesOrder.get(externalId);
    if (record === undefined) {
      throw new Error(`no sales order with external id ${externalId}`);
    }
    record.body = { ...record.body, total };
    record.updatedAt = Date.now();
  }

  /**
   * NetSuite's SuiteQL (`POST …/query/v1/suiteql`, `Prefer: transient`, `limit` ≤ 1000, `offset` a multiple of it,
   * `hasMore`) over the one table the sandbox has: `transaction`, its sales orders (ours and copies).
   */
  private suiteQl(request: SimRequest): SimResponse {
    if (String(request.headers.prefer ?? '').toLowerCase() !== 'transient') {
      return this.badRequest({
        detail: "SuiteQL requests need the header 'Prefer: transient'.",
        code: 'INVALID_PARAMETER',
      });
    }
    const limit = Number(request.url.searchParams.get('limit') ?? '1000');
    const offset = Number(request.url.searchParams.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000 || !Number.isInteger(offset) || offset % limit !== 0) {
      return this.badRequest({
        detail: 'limit must be 1 to 1000 and offset a non-negative multiple of it.',
        code: 'INVALID_PARAMETER',
      });
    }
    let q: unknown;
    try {
      q = (JSON.parse(request.body.toString('utf8')) as { q?: unknown }).q;
    } catch {
      q = undefined;
    }
    if (typeof q !== 'string') {
      return this.badRequest({
        detail: "The request body must be a JSON object with a 'q' string.",
        code: 'INVALID_CONTENT',
      });
    }
    const toRow = (record: StoredRecord): SqlRow => ({
      id: record.internalId,
      type: 'SalesOrd',
      externalid: record.externalId === '' ? null : record.externalId,
      tranid: stringOrNull(record.body.tranId),
      otherrefnum: stringOrNull(record.body.otherRefNum),
      trandate: Date.parse(stringOrNull(record.body.tranDate) ?? '') || record.createdAt,
      foreigntotal: typeof record.body.total === 'number' ? record.body.total : null,
      currency: stringOrNull(record.body.currency),
    });
    let rows: Array<Record<string, string | number>>;
    try {
      rows = runSuiteQl(q, {
        transaction: {
          columns: {
            id: 'id',
            type: 'text',
            externalid: 'text',
            tranid: 'text',
            otherrefnum: 'text',
            trandate: 'timestamp',
            foreigntotal: 'number',
            currency: 'text',
          },
          rows: () => [...this.records.salesOrder.values(), ...this.copies].map(toRow),
        },
      });
    } catch (error) {
      if (error instanceof SuiteQlError) {
        return this.badRequest({ detail: `Invalid search query: ${error.message}`, code: 'INVALID_PARAMETER' });
      }
      throw error;
    }
    const items = rows.slice(offset, offset + limit).map((row) => ({ links: [], ...row }));
    return {
      status: 200,
      body: {
        links: [],
        count: items.length,
        hasMore: offset + limit < rows.length,
        items,
        offset,
        totalResults: rows.length,
      },
    };
  }

  private read(
    origin: string,
    type: SandboxRecordType,
    externalId: string | undefined,
    reference: string,
  ): SimResponse {
    const record =
      externalId !== undefined
        ? this.records[type].get(externalId)
        : [...this.records[type].values()].find((candidate) => candidate.internalId === reference);
    if (record === undefined) {
      return this.notFound('NONEXISTENT_ID', 'The record instance does not exist. Provide a valid record instance ID.');
    }
    return {
      status: 200,
      headers: { 'Content-Type': RECORD_CONTENT_TYPE },
      body: JSON.stringify({
        links: [{ rel: 'self', href: `${origin}${RECORD_API_PREFIX}${type}/${record.internalId}` }],
        ...record.body,
        ...(type === 'salesOrder' ? { orderStatus: orderStatusOf(record) } : {}),
        id: record.internalId,
        externalId: record.externalId,
        createdDate: new Date(record.createdAt).toISOString(),
        lastModifiedDate: new Date(record.updatedAt).toISOString(),
      }),
    };
  }

  private upsert(request: SimRequest, context: SimContext, type: SandboxRecordType, externalId: string): SimResponse {
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      return this.badRequest({
        detail: 'Invalid content in the request body: malformed JSON.',
        code: 'INVALID_CONTENT',
      });
    }
    if (!isObject(json)) {
      return this.badRequest({
        detail: 'Invalid content in the request body: a JSON object is expected.',
        code: 'INVALID_CONTENT',
      });
    }
    const problem =
      type === 'salesOrder'
        ? validateSalesOrder(json, externalId, (sku) => context.catalog.item(sku) !== undefined)
        : type === 'creditMemo'
          ? validateCreditMemo(json, externalId)
          : type === 'returnAuthorization'
            ? validateReturnAuthorization(json, externalId, (sku) => context.catalog.item(sku) !== undefined)
            : type === 'customerDeposit'
              ? validateCustomerDeposit(json, externalId, (id) => this.records.salesOrder.has(id))
              : type === 'deposit'
                ? validateDeposit(json, externalId)
                : validateCustomer(json, externalId);
    if (problem !== undefined) {
      return this.badRequest(problem);
    }
    const shipped = type === 'salesOrder' ? this.records.salesOrder.get(externalId) : undefined;
    if (shipped?.shippedStatus !== undefined && !sameLines(shipped.body, json)) {
      return this.badRequest({
        detail: `You cannot change the items of a sales order that is ${ORDER_STATUS_NAMES[shipped.shippedStatus]}.`,
        code: 'USER_ERROR',
        path: 'item',
      });
    }
    const record = this.store(type, externalId, json);
    context.commit({
      type,
      externalId,
      internalId: record.internalId,
      created: record.writeCount === 1,
      status: type === 'salesOrder' ? String(json.status) : null,
      sourceUpdatedAt: type === 'salesOrder' ? String(json.custbody_source_updated_at) : null,
      payloadHash: createHash('sha256').update(request.body).digest('hex'),
    });
    // When the core drops this answer, the write above stays durable: only the answer is lost, as in a proxy.
    return { status: 204, headers: { Location: `${request.origin}${RECORD_API_PREFIX}${type}/${record.internalId}` } };
  }

  private store(type: SandboxRecordType, externalId: string, body: Record<string, unknown>): StoredRecord {
    const now = Date.now();
    const existing = this.records[type].get(externalId);
    const record: StoredRecord = existing ?? {
      internalId: String(this.nextInternalId[type]++),
      externalId,
      writeCount: 0,
      createdAt: now,
      updatedAt: now,
      body,
    };
    record.writeCount++;
    record.updatedAt = now;
    record.body = body;
    this.records[type].set(externalId, record);
    if (existing === undefined) {
      this.counters.created++;
    } else {
      this.counters.updated++;
    }
    return record;
  }

  private badRequest(problem: RecordProblem): SimResponse {
    this.counters.badRequest400++;
    return errorResponse(400, problem.code, problem.detail, problem.path);
  }

  private notFound(code: string, detail: string): SimResponse {
    this.counters.notFound404++;
    return errorResponse(404, code, detail);
  }

  private methodNotAllowed(allow: string): SimResponse {
    return errorResponse(405, 'INVALID_REQUEST', 'The HTTP method is not supported here.', undefined, {
      Allow: allow,
    });
  }
}

function metadataCatalog(origin: string): SimResponse {
  return {
    status: 200,
    body: {
      items: RECORD_TYPES.map((name) => ({
        name,
        links: [{ rel: 'canonical', href: `${origin}${RECORD_API_PREFIX}${name}` }],
      })),
    },
  };
}

function salesOrderLines(body: Record<string, unknown>): Array<{ sku: string; quantity: number }> {
  const item = body.item;
  const lines = isObject(item) && Array.isArray(item.items) ? (item.items as unknown[]) : [];
  return lines.filter(isObject).map((line) => ({
    sku: isObject(line.item) ? String(line.item.externalId) : '',
    quantity: typeof line.quantity === 'number' ? line.quantity : 0,
  }));
}

/** What GET answers as the order's `orderStatus`, in NetSuite's select-field shape. */
function orderStatusOf(record: StoredRecord): { id: string; refName: string } {
  const id = record.shippedStatus ?? (record.body.status === 'cancelled' ? 'C' : 'B');
  return { id, refName: ORDER_STATUS_NAMES[id] };
}

function sameLines(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return JSON.stringify(salesOrderLines(before)) === JSON.stringify(salesOrderLines(after));
}

function emptyStore(): RecordStore {
  return {
    customer: new Map(),
    salesOrder: new Map(),
    creditMemo: new Map(),
    returnAuthorization: new Map(),
    customerDeposit: new Map(),
    deposit: new Map(),
  };
}

function emptyCounters(): SandboxRecordCounters {
  return { created: 0, updated: 0, badRequest400: 0, notFound404: 0 };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The external id of a customer's `parent` (the simulation references customers by external id). */
function parentExternalId(body: Record<string, unknown>): string | null {
  const parent = body.parent;
  return typeof parent === 'object' &&
    parent !== null &&
    typeof (parent as { externalId?: unknown }).externalId === 'string'
    ? (parent as { externalId: string }).externalId
    : null;
}
