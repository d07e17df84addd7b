import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SimulatedCatalog, parseCatalogPatch, type CatalogPatch } from 'test/simulators/common/simulated-catalog';
import { DEFAULT_SIMULATOR_CONFIG, validateConfig } from 'test/simulators/common/simulator-config';
import { SimulatorConfigError } from 'test/simulators/common/simulator-errors';
import { readBody, readControlJson } from 'test/simulators/common/simulator-http';
import type {
  ControlRouteHandler,
  RetryAfterStats,
  SimContext,
  SimRequest,
  SimResponse,
  SimulatedErpVendor,
  SimulatorConfig,
  SimulatorConfigPatch,
  SimulatorCounters,
  SimulatorLedgerEntry,
  SimulatorState,
} from 'test/simulators/common/simulator.types';

/**
 * The machinery every ERP simulator shares: an HTTP server with the faults our scenarios inject (a concurrency
 * limit, a per-minute request budget, latency, maintenance windows, 500s, commit-then-drop, creates committed
 * late), load statistics, a ledger of committed writes and the `/_control` API that tests, the demo and the bench
 * drive. A *vendor* plugs in the vendor's own API: paths, bodies, authentication and error shapes. These are
 * simulations for tests and the demo; they talk to no real ERP.
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
 *
 * A simulator with a control API of its own shapes (the sandbox ERP) answers its routes first through
 * {@link ErpSimulatorServer.handleControlWith}; the rest fall through to these.
 */

export type {
  CommitInput,
  ControlRequest,
  ControlRouteHandler,
  MaintenanceMode,
  RetryAfterStats,
  SimContext,
  SimRequest,
  SimResponse,
  SimulatedCustomerView,
  SimulatedErpVendor,
  SimulatedOrderView,
  SimulatorConfig,
  SimulatorConfigPatch,
  SimulatorCounters,
  SimulatorLedgerEntry,
  SimulatorState,
} from 'test/simulators/common/simulator.types';
export { DEFAULT_SIMULATOR_CONFIG, SimulatorConfigError, readBody };

const PER_SECOND_WINDOW = 120;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
  private controlHandler?: ControlRouteHandler;

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

  /** Clears data, ledger and stats (and the catalog unless `keepCatalog`); `config` is applied first. */
  reset(config?: SimulatorConfigPatch, options: { keepCatalog?: boolean } = {}): SimulatorState {
    if (config !== undefined) {
      this.configure(config);
    }
    this.vendor.reset();
    if (options.keepCatalog !== true) {
      this.catalog.reset();
    }
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

  /** Control routes `handler` answers come before the core's own (see the module comment). */
  handleControlWith(handler: ControlRouteHandler): void {
    this.controlHandler = handler;
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
      this.send(
        res,
        this.vendor.payloadTooLarge?.(MAX_BODY_BYTES) ?? { status: 413, body: { error: 'request body too large' } },
      );
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
    const limit = this.config.concurrencyLimit;
    if ((limit > 0 || this.vendor.zeroConcurrencyLimit === 'closed') && this.inFlight >= limit) {
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
      if (this.config.commitDelayMs > 0 && (this.vendor.isCreate?.(request) ?? request.method === 'POST')) {
        // Still working after the client may have given up: the record appears when the delay is over.
        this.counters.delayedCommits++;
        await this.sleep(this.config.commitDelayMs);
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
      const own = await this.controlHandler?.(route, { url, json: () => readControlJson(req) });
      if (own !== undefined) {
        return this.send(res, own);
      }
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
    delayedCommits: 0,
    error500: 0,
    unauthorized: 0,
    clientError: 0,
    clientGone: 0,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
