import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the simulated ERP misbehaves as a whole (a maintenance window or an outage). */
export type SandboxMaintenanceMode = 'off' | '503' | 'refuse' | 'hang';

/** @description Tunables of the simulated ERP; every field can be changed at runtime through the control API. */
export interface SandboxErpConfig {
  /** Accepted record requests allowed in flight at once; the next one gets 429 (NetSuite's account concurrency). */
  concurrencyLimit: number;
  /** Mean time an accepted request takes before it commits and answers. */
  latencyMs: number;
  /** Uniform jitter around `latencyMs` (±). */
  latencyJitterMs: number;
  /** Value of the `Retry-After` header on 429 answers. */
  retryAfterSeconds: number;
  /** `503`: answer 503 without Retry-After; `refuse`: reset the connection unanswered; `hang`: never answer. */
  maintenance: SandboxMaintenanceMode;
  /** Share (0..1) of writes that are committed but whose answer is dropped by resetting the connection. */
  commitThenDropRate: number;
  /** Share (0..1) of accepted requests answered 500 without committing anything. */
  errorRate: number;
}

/** @description The configuration as the control API shows it: the token itself is never echoed. */
export interface SandboxErpPublicConfig extends SandboxErpConfig {
  authRequired: boolean;
}

/** @description A partial configuration change; `authToken: null` turns authentication off. */
export type SandboxErpConfigPatch = Partial<SandboxErpConfig> & { authToken?: string | null };

/** @description Constructor options of {@link SandboxErpServer}. */
export interface SandboxErpServerOptions {
  concurrencyLimit?: number;
  latencyMs?: number;
  latencyJitterMs?: number;
  retryAfterSeconds?: number;
  /** Item SKUs that sales order lines may reference; default `SKU-0001` … `SKU-0500`. */
  catalog?: string[];
  /** When set, every record request needs `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** Random source for latency jitter and fault rates; injectable for deterministic tests. */
  random?: () => number;
}

/** The record types the simulation stores. */
export type SandboxRecordType = 'customer' | 'salesOrder' | 'creditMemo';

/** @description One committed write, in commit order: the oracle that tests compare their expectations with. */
export interface SandboxLedgerEntry {
  seq: number;
  type: SandboxRecordType;
  externalId: string;
  internalId: string;
  /** True when this write created the record, false when it updated an existing one. */
  created: boolean;
  /** Sales order status after the write; null for customers. */
  status: string | null;
  /** `custbody_source_updated_at` of the written sales order; null for customers. */
  sourceUpdatedAt: string | null;
  /** sha256 (hex) of the request body bytes. */
  payloadHash: string;
  /** Commit time, ms since the epoch. */
  at: number;
  /** Accepted requests in flight when this one was accepted, itself included. */
  inFlightAtStart: number;
  /** True when the write was committed but its answer was deliberately dropped (commit-then-drop). */
  responseDropped: boolean;
}

/** Outcome counters of record requests. */
export interface SandboxErpCounters {
  /** Answered 2xx. */
  ok: number;
  /** Writes that created a record (including dropped answers). */
  created: number;
  /** Writes that updated a record (including dropped answers). */
  updated: number;
  throttled429: number;
  unavailable503: number;
  refused: number;
  hung: number;
  /** Committed, then the connection was reset instead of answering. */
  dropped: number;
  error500: number;
  badRequest400: number;
  unauthorized401: number;
  notFound404: number;
  /** Other 4xx: 405 wrong method, 413 body too large. */
  otherClientError: number;
  /** The client went away before the answer could be written. */
  clientGone: number;
}

/** @description Load statistics of the record API. */
export interface SandboxErpStats {
  counters: SandboxErpCounters;
  /** Highest number of accepted requests in flight at once since the last reset. */
  peakConcurrency: number;
  inFlight: number;
  /** Accepted requests per wall-clock second, for the last 120 s, oldest first. */
  perSecond: Array<{ second: number; accepted: number }>;
  /** Record requests received, whatever their outcome. */
  requests: number;
}

/** @description What `GET /_control/state` answers. */
export interface SandboxErpState {
  config: SandboxErpPublicConfig;
  stats: SandboxErpStats;
  counts: { customers: number; salesOrders: number };
  catalogSize: number;
}

/** @description A stored record as the control API lists it: the last body written plus bookkeeping. */
export type SandboxStoredRecordView = Record<string, unknown> & {
  internalId: string;
  externalId: string;
  writeCount: number;
  createdAt: string;
  updatedAt: string;
};

/** @description Everything the simulation holds, copied, for in-process test assertions. */
export interface SandboxErpSnapshot extends SandboxErpState {
  customers: SandboxStoredRecordView[];
  salesOrders: SandboxStoredRecordView[];
  ledger: SandboxLedgerEntry[];
}

/** @description Options of a reset: records, ledger and stats are always cleared. */
export interface SandboxResetOptions {
  /** Also return the configuration (and auth token) to the constructor's values. */
  resetConfig?: boolean;
  /** Also return the item catalog to the constructor's. */
  resetCatalog?: boolean;
  /** Applied after the reset. */
  config?: SandboxErpConfigPatch;
}

interface StoredRecord {
  internalId: string;
  externalId: string;
  writeCount: number;
  createdAt: number;
  updatedAt: number;
  body: Record<string, unknown>;
}

interface NetsuiteErrorSpec {
  status: number;
  title: string;
  detail: string;
  code: string;
  path?: string;
}

type JsonObject = Record<string, unknown>;

const RECORD_API_PREFIX = '/services/rest/record/v1/';
const METADATA_CATALOG_PATH = '/services/rest/record/v1/metadata-catalog';
const RECORD_PATH = /^\/services\/rest\/record\/v1\/(customer|salesOrder|creditMemo)\/([^/]+)$/;
/** NetSuite allows 104 MB; a simulation needs far less, and a smaller cap keeps a runaway test from eating memory. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const PER_SECOND_WINDOW = 120;
const ERROR_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=error; charset=utf-8';
const RECORD_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=singular-resource; charset=utf-8';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const ERROR_TYPE_URL: Record<number, string> = {
  400: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
  401: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  404: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5',
  405: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6',
  413: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.14',
  429: 'https://www.rfc-editor.org/rfc/rfc6585.html#section-4',
  500: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.1',
  503: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.6.4',
};
const MAINTENANCE_MODES: readonly SandboxMaintenanceMode[] = ['off', '503', 'refuse', 'hang'];
const SALES_ORDER_STATUSES = ['open', 'cancelled'];

/** Thrown by `configure()` for a bad value; the control API answers it with 400. */
class SandboxConfigError extends Error {}

/**
 * @description **A simulation, not an ERP.** The built-in sandbox ERP is an in-memory HTTP server that imitates
 * the parts of Oracle NetSuite's REST record API (v1) that this product uses, including how NetSuite behaves under
 * load: upsert by external id (`PUT …/customer|salesOrder/eid:{id}` → 204 + `Location`), NetSuite's RFC 7807-style
 * error bodies, an account-wide concurrency limit answered with 429 + `Retry-After`, and injectable faults
 * (maintenance 503, refused or hung connections, 500s, and commits whose answer is dropped). It keeps a ledger of
 * every committed write so that tests can check "nothing lost, nothing duplicated, latest state wins" exactly.
 * It stores nothing on disk, performs no accounting, and must never be mistaken for a real ERP.
 *
 * Control API (no auth): `GET /_control/state`, `GET /_control/orders`, `GET /_control/customers`,
 * `GET /_control/ledger[?afterSeq=n]`, `POST /_control/config`, `POST /_control/reset`, `POST /_control/items`.
 *
 * @example
 * const sandbox = new SandboxErpServer({ concurrencyLimit: 5, latencyMs: 100 });
 * const port = await sandbox.listen();
 * // … point SandboxErpConnector at `http://127.0.0.1:${port}` …
 * expect(sandbox.snapshot().ledger).toHaveLength(1);
 * await sandbox.close();
 */
export class SandboxErpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hung = new Set<ServerResponse>();
  private readonly random: () => number;
  private readonly initialConfig: SandboxErpConfig;
  private readonly initialAuthToken: string | undefined;
  private readonly initialCatalog: readonly string[];

  private config: SandboxErpConfig;
  private authToken: string | undefined;
  private catalog: Set<string>;
  private records: Record<SandboxRecordType, Map<string, StoredRecord>> = {
    customer: new Map(),
    salesOrder: new Map(),
    creditMemo: new Map(),
  };
  private nextInternalId: Record<SandboxRecordType, number> = { customer: 1, salesOrder: 1, creditMemo: 1 };
  private ledger: SandboxLedgerEntry[] = [];
  private counters: SandboxErpCounters = emptyCounters();
  private perSecond = new Map<number, number>();
  private requests = 0;
  private inFlight = 0;
  private peakConcurrency = 0;

  constructor(options: SandboxErpServerOptions = {}) {
    this.initialConfig = {
      concurrencyLimit: options.concurrencyLimit ?? 5,
      latencyMs: options.latencyMs ?? 150,
      latencyJitterMs: options.latencyJitterMs ?? 30,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      maintenance: 'off',
      commitThenDropRate: 0,
      errorRate: 0,
    };
    validateConfig(this.initialConfig);
    this.initialAuthToken = options.authToken;
    this.initialCatalog = options.catalog ?? defaultCatalog();
    this.config = { ...this.initialConfig };
    this.authToken = this.initialAuthToken;
    this.catalog = new Set(this.initialCatalog);
    this.random = options.random ?? Math.random;

    this.server = createServer((req, res) => {
      this.route(req, res).catch(() => {
        // Only a bug in the simulation gets here; answer rather than leave the client hanging.
        this.sendJson(res, 500, { error: 'sandbox ERP internal error' });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the bound port (pass 0 for an ephemeral one). */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops listening and destroys every open connection, hung or idle, so that test processes can exit. */
  close(): Promise<void> {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.hung.clear();
    return new Promise((resolve) => {
      // The callback's error (server not listening) is irrelevant: either way nothing is left open.
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
  }

  /** Changes the configuration; throws on an invalid value. Leaving `hang` answers every hung request with 503. */
  configure(patch: SandboxErpConfigPatch): SandboxErpPublicConfig {
    const { authToken, ...rest } = patch;
    const next = { ...this.config, ...stripUndefined(rest) };
    validateConfig(next);
    if (authToken !== undefined && authToken !== null && (typeof authToken !== 'string' || authToken === '')) {
      throw new SandboxConfigError('authToken must be a non-empty string or null');
    }
    const wasHanging = this.config.maintenance === 'hang';
    this.config = next;
    if (authToken !== undefined) {
      this.authToken = authToken ?? undefined;
    }
    if (wasHanging && next.maintenance !== 'hang') {
      this.releaseHung();
    }
    return this.publicConfig();
  }

  /** Clears records, ledger and stats (in-flight requests keep running); config and catalog stay unless asked. */
  reset(options: SandboxResetOptions = {}): SandboxErpState {
    // Config first, so that an invalid patch fails before any data is cleared.
    if (options.resetConfig === true) {
      this.configure({ ...this.initialConfig, authToken: this.initialAuthToken ?? null });
    }
    if (options.config !== undefined) {
      this.configure(options.config);
    }
    this.records = { customer: new Map(), salesOrder: new Map(), creditMemo: new Map() };
    this.nextInternalId = { customer: 1, salesOrder: 1, creditMemo: 1 };
    this.ledger = [];
    this.counters = emptyCounters();
    this.perSecond = new Map();
    this.requests = 0;
    this.peakConcurrency = this.inFlight;
    if (options.resetCatalog === true) {
      this.catalog = new Set(this.initialCatalog);
    }
    return this.state();
  }

  /** Adds SKUs to the item catalog; returns the catalog size. */
  addItems(skus: readonly string[]): number {
    for (const sku of skus) {
      this.catalog.add(sku);
    }
    return this.catalog.size;
  }

  /** Config, stats and record counts, as `GET /_control/state` answers them. */
  state(): SandboxErpState {
    return {
      config: this.publicConfig(),
      stats: {
        counters: { ...this.counters },
        peakConcurrency: this.peakConcurrency,
        inFlight: this.inFlight,
        perSecond: this.perSecondSeries(),
        requests: this.requests,
      },
      counts: { customers: this.records.customer.size, salesOrders: this.records.salesOrder.size },
      catalogSize: this.catalog.size,
    };
  }

  /** A deep copy of everything held, for assertions in tests that run the server in-process. */
  snapshot(): SandboxErpSnapshot {
    return structuredClone({
      ...this.state(),
      customers: this.listRecords('customer'),
      salesOrders: this.listRecords('salesOrder'),
      ledger: this.ledger,
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname === '/_control' || url.pathname.startsWith('/_control/')) {
      await this.handleControl(req, res, url);
    } else if (url.pathname.startsWith(RECORD_API_PREFIX)) {
      await this.handleRecordRequest(req, res, url.pathname);
    } else {
      this.sendJson(res, 404, { error: `no route for ${req.method ?? 'GET'} ${url.pathname}` });
    }
  }

  // ---- record API ------------------------------------------------------------------------------------------------

  private async handleRecordRequest(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    this.requests++;
    switch (this.config.maintenance) {
      case 'refuse':
        this.counters.refused++;
        req.socket.destroy();
        return;
      case 'hang':
        this.counters.hung++;
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      case '503':
        this.counters.unavailable503++;
        this.sendError(res, serviceUnavailable());
        return;
      case 'off':
        break;
    }
    if (!this.isAuthorized(req)) {
      this.counters.unauthorized401++;
      this.sendError(res, {
        status: 401,
        title: 'Unauthorized',
        detail:
          'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
        code: 'INVALID_LOGIN_ATTEMPT',
      });
      return;
    }
    // Rejected requests are answered at once and never count as in flight, as with NetSuite's concurrency governance.
    if (this.inFlight >= this.config.concurrencyLimit) {
      this.counters.throttled429++;
      this.sendError(
        res,
        {
          status: 429,
          title: 'Too Many Requests',
          detail: 'Concurrent request limit exceeded. Request blocked.',
          code: 'CONCURRENCY_LIMIT_EXCEEDED',
        },
        { 'Retry-After': String(this.config.retryAfterSeconds) },
      );
      return;
    }

    const inFlightAtStart = ++this.inFlight;
    this.peakConcurrency = Math.max(this.peakConcurrency, inFlightAtStart);
    this.countAccepted();
    try {
      let body: Buffer | 'too-large';
      try {
        [body] = await Promise.all([readBody(req, MAX_BODY_BYTES), this.sleep(this.nextLatencyMs())]);
      } catch {
        // The client went away before its body arrived: there is nothing to process.
        this.counters.clientGone++;
        return;
      }
      if (body === 'too-large') {
        this.counters.otherClientError++;
        this.sendError(res, {
          status: 413,
          title: 'Content Too Large',
          detail: `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
          code: 'INVALID_CONTENT',
        });
        return;
      }
      if (this.config.errorRate > 0 && this.random() < this.config.errorRate) {
        this.counters.error500++;
        this.sendError(res, {
          status: 500,
          title: 'Internal Server Error',
          detail: 'An unexpected error occurred. Error ID: sandbox-simulated-500',
          code: 'UNEXPECTED_ERROR',
        });
        return;
      }
      this.serveRecord(req, res, pathname, body, inFlightAtStart);
    } finally {
      this.inFlight--;
    }
  }

  private serveRecord(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    body: Buffer,
    inFlightAtStart: number,
  ): void {
    const method = req.method ?? 'GET';
    if (pathname === METADATA_CATALOG_PATH || pathname.startsWith(`${METADATA_CATALOG_PATH}/`)) {
      if (method !== 'GET') {
        this.methodNotAllowed(res, 'GET');
        return;
      }
      this.counters.ok++;
      this.sendJson(res, 200, {
        items: (['customer', 'salesOrder', 'creditMemo'] as const).map((name) => ({
          name,
          links: [{ rel: 'canonical', href: `${this.baseUrl(req)}${RECORD_API_PREFIX}${name}` }],
        })),
      });
      return;
    }
    const match = RECORD_PATH.exec(pathname);
    const reference = match === null ? undefined : safeDecode(match[2] ?? '');
    if (match === null || reference === undefined) {
      this.counters.notFound404++;
      this.sendError(res, {
        status: 404,
        title: 'Not Found',
        detail: `Invalid request URL: the sandbox ERP does not serve ${pathname}.`,
        code: 'INVALID_URL',
      });
      return;
    }
    const type = match[1] as SandboxRecordType;
    const externalId = reference.startsWith('eid:') ? reference.slice(4) : undefined;

    if (method === 'GET') {
      const record =
        externalId !== undefined ? this.records[type].get(externalId) : this.findByInternalId(type, reference);
      if (record === undefined) {
        this.counters.notFound404++;
        this.sendError(res, {
          status: 404,
          title: 'Not Found',
          detail: 'The record instance does not exist. Provide a valid record instance ID.',
          code: 'NONEXISTENT_ID',
        });
        return;
      }
      this.counters.ok++;
      this.send(res, 200, JSON.stringify(this.toRestRepresentation(req, type, record)), {
        'Content-Type': RECORD_CONTENT_TYPE,
      });
      return;
    }
    if (method !== 'PUT') {
      this.methodNotAllowed(res, 'GET, PUT');
      return;
    }
    if (externalId === undefined || externalId === '') {
      // NetSuite accepts PUT only with an external id (upsert); updates by internal id are PATCH, not simulated.
      this.badRequest(res, {
        detail: 'PUT is supported only with an external id: use …/eid:{externalId}.',
        code: 'INVALID_REQUEST',
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      this.badRequest(res, { detail: 'Invalid content in the request body: malformed JSON.', code: 'INVALID_CONTENT' });
      return;
    }
    if (!isObject(json)) {
      this.badRequest(res, {
        detail: 'Invalid content in the request body: a JSON object is expected.',
        code: 'INVALID_CONTENT',
      });
      return;
    }
    const invalid =
      type === 'salesOrder'
        ? this.validateSalesOrder(json, externalId)
        : type === 'creditMemo'
          ? validateCreditMemo(json, externalId)
          : validateCustomer(json, externalId);
    if (invalid !== undefined) {
      this.badRequest(res, invalid);
      return;
    }

    const drop = this.config.commitThenDropRate > 0 && this.random() < this.config.commitThenDropRate;
    const record = this.commit(type, externalId, json, body, inFlightAtStart, drop);
    if (drop) {
      this.counters.dropped++;
      // The write is durable; only the answer is lost, as when a response dies in a proxy or on the network.
      req.socket.destroy();
      return;
    }
    this.counters.ok++;
    this.send(res, 204, undefined, {
      Location: `${this.baseUrl(req)}${RECORD_API_PREFIX}${type}/${record.internalId}`,
    });
  }

  private commit(
    type: SandboxRecordType,
    externalId: string,
    body: JsonObject,
    raw: Buffer,
    inFlightAtStart: number,
    responseDropped: boolean,
  ): StoredRecord {
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
    this.ledger.push({
      seq: this.ledger.length + 1,
      type,
      externalId,
      internalId: record.internalId,
      created: existing === undefined,
      status: type === 'salesOrder' ? String(body.status) : null,
      sourceUpdatedAt: type === 'salesOrder' ? String(body.custbody_source_updated_at) : null,
      payloadHash: createHash('sha256').update(raw).digest('hex'),
      at: now,
      inFlightAtStart,
      responseDropped,
    });
    return record;
  }

  /** Checks what NetSuite would reject for a sales order; returns the first problem, as NetSuite does. */
  private validateSalesOrder(
    body: JsonObject,
    externalId: string,
  ): Omit<NetsuiteErrorSpec, 'status' | 'title'> | undefined {
    for (const field of ['externalId', 'tranId', 'tranDate', 'currency', 'status', 'custbody_source_updated_at']) {
      if (typeof body[field] !== 'string' || body[field] === '') {
        return missing(field);
      }
    }
    if (body.externalId !== externalId) {
      return invalidValue('externalId');
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(String(body.tranDate))) {
      return invalidValue('tranDate');
    }
    if (!SALES_ORDER_STATUSES.includes(String(body.status))) {
      return invalidValue('status');
    }
    if (Number.isNaN(Date.parse(String(body.custbody_source_updated_at)))) {
      return invalidValue('custbody_source_updated_at');
    }
    // The customer is referenced, not checked for existence: the app caches customer ids across sandbox resets,
    // and a reference check would turn every reset into a wave of permanent failures that real use never sees.
    const entity = body.entity;
    if (!isObject(entity) || typeof entity.externalId !== 'string' || entity.externalId === '') {
      return missing('entity');
    }
    if (typeof body.total !== 'number' || !Number.isFinite(body.total)) {
      return missing('total');
    }
    const item = body.item;
    if (!isObject(item) || !Array.isArray(item.items)) {
      return missing('item');
    }
    for (const line of item.items as unknown[]) {
      if (!isObject(line) || !isObject(line.item) || typeof line.item.externalId !== 'string') {
        return missing('item');
      }
      if (typeof line.quantity !== 'number' || !Number.isFinite(line.quantity)) {
        return invalidValue('quantity');
      }
      for (const amountField of ['rate', 'amount']) {
        const amount = line[amountField];
        if (amount !== undefined && (typeof amount !== 'number' || !Number.isFinite(amount))) {
          return invalidValue(amountField);
        }
      }
      if (!this.catalog.has(line.item.externalId)) {
        return {
          detail: `Invalid value for field 'item': unknown item SKU '${line.item.externalId}'`,
          code: 'INVALID_KEY_OR_REF',
          path: 'item',
        };
      }
    }
    return undefined;
  }

  private isAuthorized(req: IncomingMessage): boolean {
    if (this.authToken === undefined) {
      return true;
    }
    const header = req.headers.authorization ?? '';
    // Compare digests so that the comparison takes the same time whatever the lengths.
    const expected = createHash('sha256').update(`Bearer ${this.authToken}`).digest();
    const actual = createHash('sha256').update(header).digest();
    return timingSafeEqual(expected, actual);
  }

  private releaseHung(): void {
    // Hung requests were never processed; answering 503 keeps "nothing committed" true for them.
    for (const res of this.hung) {
      this.sendError(res, serviceUnavailable());
    }
    this.hung.clear();
  }

  private nextLatencyMs(): number {
    const { latencyMs, latencyJitterMs } = this.config;
    const jitter = latencyJitterMs === 0 ? 0 : (this.random() * 2 - 1) * latencyJitterMs;
    return Math.max(0, Math.round(latencyMs + jitter));
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private countAccepted(): void {
    const second = Math.floor(Date.now() / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    for (const key of this.perSecond.keys()) {
      if (key <= second - PER_SECOND_WINDOW) {
        this.perSecond.delete(key);
      }
    }
  }

  private perSecondSeries(): Array<{ second: number; accepted: number }> {
    const oldest = Math.floor(Date.now() / 1000) - PER_SECOND_WINDOW;
    return [...this.perSecond.entries()]
      .filter(([second]) => second > oldest)
      .sort(([a], [b]) => a - b)
      .map(([second, accepted]) => ({ second, accepted }));
  }

  private findByInternalId(type: SandboxRecordType, internalId: string): StoredRecord | undefined {
    for (const record of this.records[type].values()) {
      if (record.internalId === internalId) {
        return record;
      }
    }
    return undefined;
  }

  private toRestRepresentation(req: IncomingMessage, type: SandboxRecordType, record: StoredRecord): JsonObject {
    return {
      links: [{ rel: 'self', href: `${this.baseUrl(req)}${RECORD_API_PREFIX}${type}/${record.internalId}` }],
      ...record.body,
      id: record.internalId,
      externalId: record.externalId,
      createdDate: new Date(record.createdAt).toISOString(),
      lastModifiedDate: new Date(record.updatedAt).toISOString(),
    };
  }

  private listRecords(type: SandboxRecordType): SandboxStoredRecordView[] {
    return [...this.records[type].values()].map((record) => ({
      ...record.body,
      internalId: record.internalId,
      externalId: record.externalId,
      writeCount: record.writeCount,
      createdAt: new Date(record.createdAt).toISOString(),
      updatedAt: new Date(record.updatedAt).toISOString(),
    }));
  }

  private publicConfig(): SandboxErpPublicConfig {
    return { ...this.config, authRequired: this.authToken !== undefined };
  }

  private baseUrl(req: IncomingMessage): string {
    const address = this.server.address() as AddressInfo | null;
    return `http://${req.headers.host ?? `127.0.0.1:${address?.port ?? 0}`}`;
  }

  // ---- control API -----------------------------------------------------------------------------------------------

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
    try {
      switch (route) {
        case 'GET /_control/state':
          this.sendJson(res, 200, this.state());
          return;
        case 'GET /_control/orders':
          this.sendJson(res, 200, this.listRecords('salesOrder'));
          return;
        case 'GET /_control/customers':
          this.sendJson(res, 200, this.listRecords('customer'));
          return;
        case 'GET /_control/ledger': {
          const afterSeq = Number(url.searchParams.get('afterSeq') ?? '0');
          this.sendJson(
            res,
            200,
            this.ledger.filter((entry) => entry.seq > (Number.isFinite(afterSeq) ? afterSeq : 0)),
          );
          return;
        }
        case 'POST /_control/config': {
          const patch = await readControlJson(req);
          this.sendJson(res, 200, this.configure(patch));
          return;
        }
        case 'POST /_control/reset': {
          const options = await readControlJson(req);
          const unknown = Object.keys(options).filter(
            (key) => !['resetConfig', 'resetCatalog', 'config'].includes(key),
          );
          if (unknown.length > 0 || (options.config !== undefined && !isObject(options.config))) {
            throw new SandboxConfigError(
              'body must be {"resetConfig"?: boolean, "resetCatalog"?: boolean, "config"?: {…}}',
            );
          }
          this.sendJson(res, 200, this.reset(options));
          return;
        }
        case 'POST /_control/items': {
          const body = await readControlJson(req);
          const skus = body.skus;
          if (!Array.isArray(skus) || !skus.every((sku): sku is string => typeof sku === 'string' && sku !== '')) {
            throw new SandboxConfigError('body must be {"skus": ["SKU-…", …]} with non-empty strings');
          }
          const catalogSize = this.addItems(skus);
          this.sendJson(res, 200, { added: skus.length, catalogSize });
          return;
        }
        default:
          this.sendJson(res, 404, { error: `unknown control route ${route}` });
      }
    } catch (error) {
      if (error instanceof SandboxConfigError) {
        this.sendJson(res, 400, { error: error.message });
        return;
      }
      throw error;
    }
  }

  // ---- answers ---------------------------------------------------------------------------------------------------

  private badRequest(res: ServerResponse, spec: Omit<NetsuiteErrorSpec, 'status' | 'title'>): void {
    this.counters.badRequest400++;
    this.sendError(res, { status: 400, title: 'Bad Request', ...spec });
  }

  private methodNotAllowed(res: ServerResponse, allow: string): void {
    this.counters.otherClientError++;
    this.sendError(
      res,
      {
        status: 405,
        title: 'Method Not Allowed',
        detail: 'The HTTP method is not supported here.',
        code: 'INVALID_REQUEST',
      },
      { Allow: allow },
    );
  }

  private sendError(res: ServerResponse, spec: NetsuiteErrorSpec, headers: Record<string, string> = {}): void {
    const detail: JsonObject = { detail: spec.detail, 'o:errorCode': spec.code };
    if (spec.path !== undefined) {
      detail['o:errorPath'] = spec.path;
    }
    const body = {
      type: ERROR_TYPE_URL[spec.status] ?? ERROR_TYPE_URL[400],
      title: spec.title,
      status: spec.status,
      'o:errorDetails': [detail],
    };
    this.send(res, spec.status, JSON.stringify(body), { 'Content-Type': ERROR_CONTENT_TYPE, ...headers });
  }

  private sendJson(res: ServerResponse, status: number, value: unknown): void {
    this.send(res, status, JSON.stringify(value), { 'Content-Type': JSON_CONTENT_TYPE });
  }

  private send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string>): void {
    if (res.headersSent || res.destroyed || res.socket === null || res.socket.destroyed) {
      this.counters.clientGone++;
      return;
    }
    res.writeHead(status, body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}

function emptyCounters(): SandboxErpCounters {
  return {
    ok: 0,
    created: 0,
    updated: 0,
    throttled429: 0,
    unavailable503: 0,
    refused: 0,
    hung: 0,
    dropped: 0,
    error500: 0,
    badRequest400: 0,
    unauthorized401: 0,
    notFound404: 0,
    otherClientError: 0,
    clientGone: 0,
  };
}

function defaultCatalog(): string[] {
  return Array.from({ length: 500 }, (_, index) => `SKU-${String(index + 1).padStart(4, '0')}`);
}

function serviceUnavailable(): NetsuiteErrorSpec {
  return {
    status: 503,
    title: 'Service Unavailable',
    detail: 'The sandbox ERP is in a simulated maintenance window. Try again later.',
    code: 'SERVICE_UNAVAILABLE',
  };
}

function validateConfig(config: SandboxErpConfig): void {
  const problems: string[] = [];
  for (const field of ['concurrencyLimit', 'latencyMs', 'latencyJitterMs', 'retryAfterSeconds'] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      problems.push(`${field} must be a non-negative integer`);
    }
  }
  for (const field of ['commitThenDropRate', 'errorRate'] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      problems.push(`${field} must be a number from 0 to 1`);
    }
  }
  if (!MAINTENANCE_MODES.includes(config.maintenance)) {
    problems.push(`maintenance must be one of ${MAINTENANCE_MODES.join(', ')}`);
  }
  const known = new Set<string>([
    'concurrencyLimit',
    'latencyMs',
    'latencyJitterMs',
    'retryAfterSeconds',
    'maintenance',
    'commitThenDropRate',
    'errorRate',
  ]);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) {
      problems.push(`unknown setting ${key}`);
    }
  }
  if (problems.length > 0) {
    throw new SandboxConfigError(problems.join('; '));
  }
}

function validateCustomer(
  body: JsonObject,
  externalId: string,
): Omit<NetsuiteErrorSpec, 'status' | 'title'> | undefined {
  if (typeof body.externalId !== 'string' || body.externalId === '') {
    return missing('externalId');
  }
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  if (body.email !== undefined && typeof body.email !== 'string') {
    return invalidValue('email');
  }
  return undefined;
}

function validateCreditMemo(
  body: JsonObject,
  externalId: string,
): Omit<NetsuiteErrorSpec, 'status' | 'title'> | undefined {
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  const createdFrom = body.createdFrom;
  if (!isObject(createdFrom) || typeof createdFrom.externalId !== 'string' || createdFrom.externalId === '') {
    return missing('createdFrom');
  }
  if (typeof body.total !== 'number' || !Number.isFinite(body.total)) {
    return missing('total');
  }
  return undefined;
}

function missing(field: string): Omit<NetsuiteErrorSpec, 'status' | 'title'> {
  return { detail: `Please enter value(s) for: ${field}`, code: 'USER_ERROR', path: field };
}

function invalidValue(field: string): Omit<NetsuiteErrorSpec, 'status' | 'title'> {
  return { detail: `Invalid value for field '${field}'.`, code: 'INVALID_VALUE', path: field };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Reads a request body up to `limit` bytes; rejects when the client goes away first. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the limit so the 413 can still be answered on this connection.
      if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      ended = true;
      resolve(size > limit ? 'too-large' : Buffer.concat(chunks));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) {
        reject(new Error('client closed the connection before the body ended'));
      }
    });
  });
}

async function readControlJson(req: IncomingMessage): Promise<JsonObject> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === 'too-large') {
    throw new SandboxConfigError('body too large');
  }
  const text = body.toString('utf8').trim();
  if (text === '') {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SandboxConfigError('body is not valid JSON');
  }
  if (!isObject(json)) {
    throw new SandboxConfigError('body must be a JSON object');
  }
  return json;
}
