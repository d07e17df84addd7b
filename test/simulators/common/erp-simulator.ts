import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SimulatedCatalog, parseCatalogPatch, type CatalogPatch } from 'test/simulators/common/simulated-catalog';
import { SimulatorConfigError } from 'test/simulators/common/simulator-errors';

/**
 * The machinery every ERP simulator shares: an HTTP server with the faults our scenarios inject (a concurrency
 * limit, a per-minute request budget, latency, maintenance windows, 500s, commit-then-drop), load statistics, a
 * ledger of committed writes and the `/_control` API that tests, the demo and the bench drive. A *vendor* plugs in
 * the vendor's own API: paths, bodies, authentication and error shapes. These are simulations for tests and the
 * demo; they talk to no real ERP.
 *
 * Control API (no auth, same on every simulator):
 * - `GET /_control/state` → {@link SimulatorState}
 * - `GET /_control/orders` → {@link SimulatedOrderView}[] (every sales document, duplicates included)
 * - `GET /_control/customers` → {@link SimulatedCustomerView}[]
 * - `GET /_control/ledger[?afterSeq=n]` → {@link SimulatorLedgerEntry}[]
 * - `POST /_control/config` {@link SimulatorConfigPatch} → config
 * - `POST /_control/reset` `{ config?: SimulatorConfigPatch }` → state (data, ledger and stats cleared)
 * - `POST /_control/catalog` {@link CatalogPatch} → item / stock / shipment changes, each bumping lastModified
 * - `GET /_control/catalog` → the catalog
 */

export type MaintenanceMode = 'off' | '503' | 'refuse' | 'hang';

/** @description Fault settings; all can be changed at runtime through `POST /_control/config`. */
export interface SimulatorConfig {
  /** Governed requests allowed in flight at once; beyond it the vendor's throttle answer. 0 = unlimited. */
  concurrencyLimit: number;
  /** Governed requests accepted per rolling minute; beyond it the vendor's throttle answer. 0 = unlimited. */
  requestsPerMinute: number;
  latencyMs: number;
  latencyJitterMs: number;
  /** Retry-After (seconds) sent with throttle answers when the vendor sends one. */
  retryAfterSeconds: number;
  maintenance: MaintenanceMode;
  /** Share (0..1) of writes committed whose answer is dropped (connection reset). */
  commitThenDropRate: number;
  /** Share (0..1) of accepted requests answered with the vendor's 500, nothing committed. */
  errorRate: number;
  /** Answer every governed request with the vendor's auth failure (expired / revoked credentials). */
  rejectAuth: boolean;
  /** Requests arriving this soon after a throttle answer were in flight already: not counted as early (ms). */
  retryAfterGraceMs: number;
}

export type SimulatorConfigPatch = Partial<SimulatorConfig>;

/** @description A request as the vendor sees it. */
export interface SimRequest {
  method: string;
  url: URL;
  /** Header names lower-cased (Node's convention). */
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** `http://host:port` of this simulator as the client addressed it, for Location headers and links. */
  origin: string;
}

/** @description A response the vendor wants sent. A string body is sent as-is; anything else as JSON. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** @description One committed write: the oracle that tests compare with what they sent. */
export interface SimulatorLedgerEntry {
  seq: number;
  /** `customer`, `salesOrder`, `refund`, … */
  type: string;
  /** The Shopify-side key the record carries (external id, externalDocumentNumber, ExternalID). */
  externalId: string;
  internalId: string;
  created: boolean;
  status: string | null;
  sourceUpdatedAt: string | null;
  at: number;
  inFlightAtStart: number;
  responseDropped: boolean;
}

export type CommitInput = Omit<SimulatorLedgerEntry, 'seq' | 'at' | 'inFlightAtStart' | 'responseDropped'>;

/** @description A sales document in the vendor-neutral shape the ledger oracle reads. */
export interface SimulatedOrderView {
  externalId: string;
  internalId: string;
  /** `open` or `cancelled`. */
  status: string;
  /** Shopify's `updated_at` of the state written, where the connector stores it; else null. */
  sourceUpdatedAt: string | null;
  total: string | null;
  writeCount: number;
  lines: Array<{ sku: string; quantity: number }>;
}

/** @description A customer in the vendor-neutral shape. */
export interface SimulatedCustomerView {
  internalId: string;
  externalId: string | null;
  email: string | null;
  writeCount: number;
}

/** Passed to a vendor handler: commit records, and learn whether this write's answer will be dropped. */
export interface SimContext {
  commit(entry: CommitInput): void;
  catalog: SimulatedCatalog;
}

/** @description What a vendor simulator implements; the server does the rest. */
export interface SimulatedErpVendor {
  readonly name: string;
  /**
   * Requests outside the vendor's governed API (an OAuth token endpoint): answered without faults, limits or
   * latency. Return undefined when the request is not one of them.
   */
  handleUngoverned?(request: SimRequest): SimResponse | Promise<SimResponse> | undefined;
  /** Checks credentials; returns the vendor's refusal, or undefined when the request is authentic. */
  authenticate(request: SimRequest): SimResponse | undefined;
  /** The vendor's auth failure, for `rejectAuth`. */
  authFailure(): SimResponse;
  /** The vendor's throttle answer (NetSuite 429, Business Central 429, Cin7 503). */
  throttled(reason: 'concurrency' | 'rate', retryAfterSeconds: number): SimResponse;
  unavailable(): SimResponse;
  serverError(): SimResponse;
  /** True for requests that may commit (POST, PUT, PATCH, DELETE): commit-then-drop applies to them. */
  isWrite(request: SimRequest): boolean;
  handle(request: SimRequest, context: SimContext): SimResponse | Promise<SimResponse>;
  orders(): SimulatedOrderView[];
  customers(): SimulatedCustomerView[];
  /**
   * How many of each the vendor holds, cheaply: harnesses poll the state several times a second during a drain, and
   * building every order's view just to count them slowed the simulator's answers as its data grew.
   */
  counts(): { customers: number; salesOrders: number };
  /** Clears the vendor's own documents (the catalog is cleared by the server). */
  reset(): void;
}

/** @description Counters of governed requests by outcome. */
export interface SimulatorCounters {
  ok: number;
  throttled: number;
  unavailable: number;
  refused: number;
  hung: number;
  dropped: number;
  error500: number;
  unauthorized: number;
  clientError: number;
  clientGone: number;
}

/**
 * @description How well clients kept to the Retry-After of throttle answers (only answers that carry the header
 * count). A *retry* is a request identical to a throttled one (method, path, query and body); a request that arrives
 * within `retryAfterGraceMs` of a throttle answer was already on its way and is not counted as early.
 */
export interface RetryAfterStats {
  /** Throttle answers sent with a Retry-After header. */
  throttleAnswers: number;
  /** Re-sends of a throttled request that arrived before its Retry-After had passed. */
  earlyRetries: number;
  /** Any request that arrived inside a Retry-After window (past the grace) of any throttle answer. */
  earlyRequests: number;
  /** How early the earliest such request was, in ms. */
  maxEarlyMs: number;
}

/** @description What `GET /_control/state` answers. */
export interface SimulatorState {
  vendor: string;
  config: SimulatorConfig;
  stats: {
    counters: SimulatorCounters;
    peakConcurrency: number;
    inFlight: number;
    requests: number;
    perSecond: Array<{ second: number; accepted: number }>;
    retryAfter: RetryAfterStats;
  };
  counts: { customers: number; salesOrders: number };
}

const PER_SECOND_WINDOW = 120;
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAINTENANCE_MODES: readonly MaintenanceMode[] = ['off', '503', 'refuse', 'hang'];

export { SimulatorConfigError };

export const DEFAULT_SIMULATOR_CONFIG: SimulatorConfig = {
  concurrencyLimit: 5,
  requestsPerMinute: 0,
  latencyMs: 150,
  latencyJitterMs: 30,
  retryAfterSeconds: 1,
  maintenance: 'off',
  commitThenDropRate: 0,
  errorRate: 0,
  rejectAuth: false,
  retryAfterGraceMs: 100,
};

/** Timer and clock granularity: a request this close to the end of its Retry-After is on time. */
const RETRY_AFTER_TOLERANCE_MS = 5;
/** Throttle answers older than this no longer matter for the Retry-After check. */
const RETRY_AFTER_MEMORY_MS = 120_000;

interface ThrottleAnswer {
  at: number;
  until: number;
  fingerprint: string;
}

/** @description Hosts one vendor simulation; see the module comment for the control API. */
export class ErpSimulatorServer {
  readonly catalog = new SimulatedCatalog();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hung = new Set<ServerResponse>();
  private readonly initialConfig: SimulatorConfig;
  private config: SimulatorConfig;
  private ledger: SimulatorLedgerEntry[] = [];
  private counters = emptyCounters();
  private perSecond = new Map<number, number>();
  private minuteWindow: number[] = [];
  private requests = 0;
  private inFlight = 0;
  private peakConcurrency = 0;
  private throttleAnswers: ThrottleAnswer[] = [];
  private retryAfter = emptyRetryAfterStats();

  constructor(
    readonly vendor: SimulatedErpVendor,
    config: SimulatorConfigPatch = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialConfig = validateConfig({ ...DEFAULT_SIMULATOR_CONFIG, ...config });
    this.config = { ...this.initialConfig };
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.send(res, { status: 500, body: { error: `simulator bug: ${String(error)}` } });
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    this.hung.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
  }

  configure(patch: SimulatorConfigPatch): SimulatorConfig {
    const next = validateConfig({ ...this.config, ...stripUndefined(patch) });
    const wasHanging = this.config.maintenance === 'hang';
    this.config = next;
    if (wasHanging && next.maintenance !== 'hang') {
      for (const res of this.hung) {
        this.send(res, this.vendor.unavailable());
      }
      this.hung.clear();
    }
    return { ...this.config };
  }

  reset(config?: SimulatorConfigPatch): SimulatorState {
    if (config !== undefined) {
      this.configure(config);
    }
    this.vendor.reset();
    this.catalog.reset();
    this.ledger = [];
    this.counters = emptyCounters();
    this.perSecond = new Map();
    this.minuteWindow = [];
    this.requests = 0;
    this.peakConcurrency = this.inFlight;
    this.throttleAnswers = [];
    this.retryAfter = emptyRetryAfterStats();
    return this.state();
  }

  state(): SimulatorState {
    return {
      vendor: this.vendor.name,
      config: { ...this.config },
      stats: {
        counters: { ...this.counters },
        peakConcurrency: this.peakConcurrency,
        inFlight: this.inFlight,
        requests: this.requests,
        perSecond: [...this.perSecond.entries()]
          .filter(([second]) => second > Math.floor(Date.now() / 1000) - PER_SECOND_WINDOW)
          .sort(([a], [b]) => a - b)
          .map(([second, accepted]) => ({ second, accepted })),
        retryAfter: { ...this.retryAfter },
      },
      counts: this.vendor.counts(),
    };
  }

  ledgerEntries(afterSeq = 0): SimulatorLedgerEntry[] {
    return this.ledger.filter((entry) => entry.seq > afterSeq).map((entry) => ({ ...entry }));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    if (url.pathname === '/_control' || url.pathname.startsWith('/_control/')) {
      await this.handleControl(req, res, url);
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES).catch(() => undefined);
    if (body === undefined) {
      this.counters.clientGone++;
      return;
    }
    if (body === 'too-large') {
      this.counters.clientError++;
      this.send(res, { status: 413, body: { error: 'request body too large' } });
      return;
    }
    const request: SimRequest = {
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body,
      origin: `http://${req.headers.host ?? '127.0.0.1'}`,
    };
    const ungoverned = this.vendor.handleUngoverned?.(request);
    if (ungoverned !== undefined) {
      this.send(res, await ungoverned);
      return;
    }
    await this.handleGoverned(req, res, request);
  }

  private async handleGoverned(req: IncomingMessage, res: ServerResponse, request: SimRequest): Promise<void> {
    this.requests++;
    const fingerprint = requestFingerprint(request);
    this.checkRetryAfter(fingerprint);
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
        this.counters.unavailable++;
        this.send(res, this.vendor.unavailable());
        return;
      case 'off':
        break;
    }
    const refusal = this.config.rejectAuth ? this.vendor.authFailure() : this.vendor.authenticate(request);
    if (refusal !== undefined) {
      this.counters.unauthorized++;
      this.send(res, refusal);
      return;
    }
    if (this.config.concurrencyLimit > 0 && this.inFlight >= this.config.concurrencyLimit) {
      this.sendThrottled(res, 'concurrency', fingerprint);
      return;
    }
    if (!this.takeMinuteBudget()) {
      this.sendThrottled(res, 'rate', fingerprint);
      return;
    }
    const inFlightAtStart = ++this.inFlight;
    this.peakConcurrency = Math.max(this.peakConcurrency, inFlightAtStart);
    const second = Math.floor(Date.now() / 1000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    this.perSecond.delete(second - PER_SECOND_WINDOW);
    try {
      await this.sleep(this.nextLatencyMs());
      if (this.config.errorRate > 0 && this.random() < this.config.errorRate) {
        this.counters.error500++;
        this.send(res, this.vendor.serverError());
        return;
      }
      const drop =
        this.vendor.isWrite(request) &&
        this.config.commitThenDropRate > 0 &&
        this.random() < this.config.commitThenDropRate;
      const context: SimContext = {
        catalog: this.catalog,
        commit: (entry) => {
          this.ledger.push({
            ...entry,
            seq: this.ledger.length + 1,
            at: Date.now(),
            inFlightAtStart,
            responseDropped: drop,
          });
        },
      };
      const response = await this.vendor.handle(request, context);
      if (drop && response.status < 300) {
        this.counters.dropped++;
        req.socket.destroy();
        return;
      }
      if (response.status < 400) {
        this.counters.ok++;
      } else {
        this.counters.clientError++;
      }
      this.send(res, response);
    } finally {
      this.inFlight--;
    }
  }

  private sendThrottled(res: ServerResponse, reason: 'concurrency' | 'rate', fingerprint: string): void {
    this.counters.throttled++;
    const answer = this.vendor.throttled(reason, this.config.retryAfterSeconds);
    const header = Object.entries(answer.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after');
    const seconds = header === undefined ? Number.NaN : Number(header[1]);
    if (Number.isFinite(seconds) && seconds > 0) {
      const at = Date.now();
      this.retryAfter.throttleAnswers++;
      this.throttleAnswers.push({ at, until: at + seconds * 1000, fingerprint });
    }
    this.send(res, answer);
  }

  /** Counts a request that arrives before the Retry-After of an earlier throttle answer has passed. */
  private checkRetryAfter(fingerprint: string): void {
    if (this.throttleAnswers.length === 0) {
      return;
    }
    const now = Date.now();
    while ((this.throttleAnswers[0]?.until ?? now) < now - RETRY_AFTER_MEMORY_MS) {
      this.throttleAnswers.shift();
    }
    let earliest = 0;
    let earlyRetry = false;
    for (const answer of this.throttleAnswers) {
      const early = answer.until - RETRY_AFTER_TOLERANCE_MS - now;
      if (early <= 0) {
        continue;
      }
      if (answer.fingerprint === fingerprint) {
        earlyRetry = true;
      }
      if (now > answer.at + this.config.retryAfterGraceMs) {
        earliest = Math.max(earliest, early);
      }
    }
    if (earlyRetry) {
      this.retryAfter.earlyRetries++;
    }
    if (earliest > 0) {
      this.retryAfter.earlyRequests++;
      this.retryAfter.maxEarlyMs = Math.max(this.retryAfter.maxEarlyMs, Math.round(earliest));
    }
  }

  private takeMinuteBudget(): boolean {
    if (this.config.requestsPerMinute <= 0) {
      return true;
    }
    const now = Date.now();
    while (this.minuteWindow.length > 0 && (this.minuteWindow[0] ?? 0) <= now - 60_000) {
      this.minuteWindow.shift();
    }
    if (this.minuteWindow.length >= this.config.requestsPerMinute) {
      return false;
    }
    this.minuteWindow.push(now);
    return true;
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
    try {
      switch (route) {
        case 'GET /_control/state':
          return this.send(res, { status: 200, body: this.state() });
        case 'GET /_control/orders':
          return this.send(res, { status: 200, body: this.vendor.orders() });
        case 'GET /_control/customers':
          return this.send(res, { status: 200, body: this.vendor.customers() });
        case 'GET /_control/ledger': {
          const afterSeq = Number(url.searchParams.get('afterSeq') ?? '0');
          return this.send(res, { status: 200, body: this.ledgerEntries(Number.isFinite(afterSeq) ? afterSeq : 0) });
        }
        case 'GET /_control/catalog':
          return this.send(res, { status: 200, body: this.catalog.snapshot() });
        case 'POST /_control/config':
          return this.send(res, {
            status: 200,
            body: this.configure(await readControlJson(req)),
          });
        case 'POST /_control/reset': {
          const body = await readControlJson(req);
          return this.send(res, { status: 200, body: this.reset(body.config as SimulatorConfigPatch | undefined) });
        }
        case 'POST /_control/catalog': {
          const patch: CatalogPatch = parseCatalogPatch(await readControlJson(req));
          return this.send(res, { status: 200, body: this.catalog.apply(patch) });
        }
        default:
          return this.send(res, { status: 404, body: { error: `unknown control route ${route}` } });
      }
    } catch (error) {
      if (error instanceof SimulatorConfigError) {
        return this.send(res, { status: 400, body: { error: error.message } });
      }
      throw error;
    }
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

  private send(res: ServerResponse, response: SimResponse): void {
    if (res.headersSent || res.destroyed || res.socket === null || res.socket.destroyed) {
      this.counters.clientGone++;
      return;
    }
    const headers = { ...response.headers };
    let text: string | undefined;
    if (typeof response.body === 'string') {
      text = response.body;
    } else if (response.body !== undefined) {
      text = JSON.stringify(response.body);
      headers['Content-Type'] ??= 'application/json; charset=utf-8';
    }
    if (text !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(text));
    }
    res.writeHead(response.status, headers);
    res.end(text);
  }
}

function validateConfig(config: SimulatorConfig): SimulatorConfig {
  const problems: string[] = [];
  for (const field of [
    'concurrencyLimit',
    'requestsPerMinute',
    'latencyMs',
    'latencyJitterMs',
    'retryAfterSeconds',
    'retryAfterGraceMs',
  ] as const) {
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
  if (typeof config.rejectAuth !== 'boolean') {
    problems.push('rejectAuth must be a boolean');
  }
  const unknown = Object.keys(config).filter((key) => !(key in DEFAULT_SIMULATOR_CONFIG));
  problems.push(...unknown.map((key) => `unknown setting ${key}`));
  if (problems.length > 0) {
    throw new SimulatorConfigError(problems.join('; '));
  }
  return config;
}

function emptyRetryAfterStats(): RetryAfterStats {
  return { throttleAnswers: 0, earlyRetries: 0, earlyRequests: 0, maxEarlyMs: 0 };
}

/** The same request sent again (a retry) has the same method, path, query and body; auth headers may differ. */
function requestFingerprint(request: SimRequest): string {
  const digest = createHash('sha1').update(request.body).digest('base64');
  return `${request.method} ${request.url.pathname}${request.url.search} ${digest}`;
}

function emptyCounters(): SimulatorCounters {
  return {
    ok: 0,
    throttled: 0,
    unavailable: 0,
    refused: 0,
    hung: 0,
    dropped: 0,
    error500: 0,
    unauthorized: 0,
    clientError: 0,
    clientGone: 0,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function readControlJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 50 * 1024 * 1024);
  if (body === 'too-large') {
    throw new SimulatorConfigError('control body too large');
  }
  if (body.length === 0) {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SimulatorConfigError('control body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimulatorConfigError('control body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Reads a request body up to `limit` bytes; rejects when the client goes away first. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) {
        reject(new Error('client went away'));
      }
    });
  });
}
