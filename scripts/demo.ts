/**
 * `npm run demo [-- --orders 2000 --rate 200 --erp sandbox|netsuite|business-central|cin7 --concurrency 5 --latency 150]`
 *
 * Starts the middleware as a child process on the built-in sandbox ERP (`--erp sandbox`, the default) or, with
 * `--erp netsuite|business-central|cin7`, on that vendor's simulator (its own process, scripts/erp-simulator.ts)
 * through the real connector, plays a flash sale of signed
 * `orders/create` webhooks into its real HTTP endpoint (open loop, Shopify-like retries), shows progress, and ends
 * with a summary judged by the exact ledger: it exits 0 only if every order is in the ERP exactly once.
 *
 * `runFlashSale` and the sandbox helpers are exported for `npm run bench`.
 */
import { MultiBar, Presets } from 'cli-progress';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ALL_QUEUE_NAMES, declareTopology } from 'src/common/messaging/topology';
import { BUSINESS_CENTRAL_DEFAULT_LIMITS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import type { SimulatorLedgerEntry, SimulatorState } from 'test/simulators/common/erp-simulator';
import {
  type SandboxErpConfigPatch,
  SandboxErpServer,
  type SandboxErpState,
  type SandboxLedgerEntry,
  type SandboxStoredRecordView,
} from 'test/simulators/sandbox/sandbox-erp.server';
import { isSimulatedErp, SIMULATED_ERPS, type SimulatedErpName } from 'test/simulators/vendor-simulators';
import { runAckLoopInWorker } from 'test/support/ack-generator';
import { type AppProcess, freePort, startApp } from 'test/support/app-process';
import { checkLedger, formatLedgerVerdict, type GeneratedEvent, type LedgerReport } from 'test/support/ledger';
import { type OpenLoopResult } from 'test/support/open-loop';
import { formatMs } from 'test/support/percentiles';
import {
  type AckHistogram,
  fetchAckHistogram,
  type ServerAckSummary,
  subtractHistograms,
  summariseAckHistogram,
} from 'test/support/server-ack-histogram';
import {
  checkServices,
  closeRabbit,
  ensureDatabase,
  ensureVhost,
  flushRedisDb,
  formatServicesReport,
  openRabbit,
  purgeQueues,
  type ServiceUrls,
  withBrokerTimeout,
} from 'test/support/services';
import { type SimulatorProcess, startSimulatorProcess } from 'test/support/simulator-process';
import { DEFAULT_RETRY_DELAYS_MS, type Delivery, type SendOutcome, WebhookSender } from 'test/support/webhook-sender';
import { buildWebhookRequest, type WebhookRequest } from 'test/support/webhook-signer';

export const DEMO_SHOP = 'demo-store.myshopify.com';
const DEMO_DATABASE = 'erp_sync_demo';
/** A Redis db index of its own, so that flushing it never touches the tests' or a developer's data. */
const DEMO_REDIS_DB = 14;
/** A SKU outside the sandbox catalog (SKU-0001…SKU-0500): the ERP rejects it, so the order must be dead-lettered. */
export const UNKNOWN_SKU = 'SKU-9999';

// ---- services --------------------------------------------------------------------------------------------------

/**
 * This machine's services (or DATABASE_URL / RABBITMQ_URL / REDIS_URL's servers) with a database, a Redis db index
 * and a RabbitMQ vhost of the run's own, so that it neither disturbs nor is disturbed by a test suite or another app.
 */
export function localServiceUrls(database: string, redisDb: number): ServiceUrls {
  const pg = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  pg.pathname = `/${database}`;
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redis.pathname = `/${redisDb}`;
  const rabbit = new URL(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  rabbit.pathname = `/${database}`;
  return { databaseUrl: pg.toString(), rabbitmqUrl: rabbit.toString(), redisUrl: redis.toString() };
}

/**
 * A fresh database, an empty Redis db and the app's topology with empty queues, so that a run is judged on its own
 * events only. The topology is declared here with the app's own `declareTopology` (identical arguments, so the
 * app's declaration is a no-op) so that an app process is never the first to declare it in a fresh vhost.
 */
export async function resetInfrastructure(urls: ServiceUrls): Promise<void> {
  await ensureDatabase(urls.databaseUrl, { reset: true });
  await flushRedisDb(urls.redisUrl);
  const rabbit = openRabbit(urls.rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
    await withBrokerTimeout(declareTopology(rabbit), 'topology declaration', 30_000);
  } finally {
    await closeRabbit(rabbit);
  }
  await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
}

export function appEnv(
  urls: ServiceUrls,
  options: {
    secret: string;
    adminKey: string;
    sandboxUrl: string;
    erpConcurrency: number;
    extra?: Record<string, string>;
  },
): Record<string, string> {
  return {
    DATABASE_URL: urls.databaseUrl,
    RABBITMQ_URL: urls.rabbitmqUrl,
    REDIS_URL: urls.redisUrl,
    SHOPIFY_SHOP_DOMAIN: DEMO_SHOP,
    SHOPIFY_WEBHOOK_SECRET: options.secret,
    ERP_CONNECTOR: 'sandbox',
    SANDBOX_ERP_URL: options.sandboxUrl,
    ERP_MAX_CONCURRENCY: String(options.erpConcurrency),
    ADMIN_API_KEYS: options.adminKey,
    LOG_LEVEL: 'info',
    ...options.extra,
  };
}

// ---- sandbox ERP control API -----------------------------------------------------------------------------------

/** The sandbox ERP's control API over HTTP (the same view a test has of a sandbox in another process). */
export class SandboxControl {
  constructor(readonly baseUrl: string) {}

  state(): Promise<SandboxErpState> {
    return this.request<SandboxErpState>('GET', '/_control/state');
  }

  orders(): Promise<SandboxStoredRecordView[]> {
    return this.request<SandboxStoredRecordView[]>('GET', '/_control/orders');
  }

  ledger(): Promise<SandboxLedgerEntry[]> {
    return this.request<SandboxLedgerEntry[]>('GET', '/_control/ledger');
  }

  async configure(patch: SandboxErpConfigPatch): Promise<void> {
    await this.request('POST', '/_control/config', patch);
  }

  async reset(): Promise<void> {
    await this.request('POST', '/_control/reset', {});
  }

  private async request<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      throw new Error(`sandbox ERP ${method} ${route} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }
}

/**
 * A vendor simulator's control API (test/simulators/common) seen through the sandbox's shapes, so that the flash
 * sale and its ledger run unchanged on either: counters map to the sandbox's names, and order views carry the
 * simulators' `sourceUpdatedAt` as the sandbox's `custbody_source_updated_at`.
 */
export class SimulatorSandboxControl extends SandboxControl {
  constructor(
    baseUrl: string,
    readonly erp: SimulatedErpName,
  ) {
    super(baseUrl);
  }

  async simulatorState(): Promise<SimulatorState> {
    return this.get<SimulatorState>('/_control/state');
  }

  override async state(): Promise<SandboxErpState> {
    const s = await this.simulatorState();
    const c = s.stats.counters;
    return {
      config: { ...s.config, authRequired: true },
      stats: {
        counters: {
          ok: c.ok,
          created: 0,
          updated: 0,
          throttled429: c.throttled,
          unavailable503: c.unavailable,
          refused: c.refused,
          hung: c.hung,
          dropped: c.dropped,
          error500: c.error500,
          badRequest400: c.clientError,
          unauthorized401: c.unauthorized,
          notFound404: 0,
          otherClientError: 0,
          clientGone: c.clientGone,
        },
        peakConcurrency: s.stats.peakConcurrency,
        inFlight: s.stats.inFlight,
        perSecond: s.stats.perSecond,
        requests: s.stats.requests,
        retryAfter: s.stats.retryAfter,
      },
      counts: s.counts,
      catalogSize: 0,
    };
  }

  override async orders(): Promise<SandboxStoredRecordView[]> {
    const views = await this.get<
      Array<{
        externalId: string;
        internalId: string;
        status: string;
        sourceUpdatedAt: string | null;
        writeCount: number;
      }>
    >('/_control/orders');
    return views.map((v) => ({
      ...v,
      custbody_source_updated_at: v.sourceUpdatedAt,
      createdAt: '',
      updatedAt: '',
    }));
  }

  override async ledger(): Promise<SandboxLedgerEntry[]> {
    const entries = await this.get<SimulatorLedgerEntry[]>('/_control/ledger');
    return entries.map((e) => ({ ...e, type: e.type as SandboxLedgerEntry['type'], payloadHash: '' }));
  }

  private async get<T>(route: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      throw new Error(`${this.erp} simulator GET ${route} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    return (await res.json()) as T;
  }
}

// ---- dead letters (the app's admin API) ------------------------------------------------------------------------

type DeadLetterItem = Record<string, unknown>;

function deadLetterOrderId(item: DeadLetterItem): string | undefined {
  const headers = (item.headers ?? {}) as Record<string, unknown>;
  for (const value of [item.shopifyId, item.shopify_id, item.resourceId, item.orderId, headers['x-resource-id']]) {
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value);
    }
  }
  return undefined;
}

/** Every dead letter the app lists (status dead, the default), paging with `nextCursor`, as Shopify order ids. */
export async function fetchDeadLetters(
  appUrl: string,
  adminKey: string,
): Promise<{ total: number; orderIds: string[] }> {
  const seen = new Map<string, string | undefined>();
  let total = 0;
  let after: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    // 200 is the endpoint's largest page.
    const query = new URLSearchParams({ first: '200' });
    if (after !== null) {
      query.set('after', after);
    }
    const res = await fetch(`${appUrl}/admin/dead-letters?${query.toString()}`, {
      headers: { Authorization: `Bearer ${adminKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      throw new Error(`GET /admin/dead-letters answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
    const body = (await res.json()) as { items?: DeadLetterItem[]; total?: number; nextCursor?: string | null };
    const items = body.items ?? [];
    total = body.total ?? items.length;
    for (const item of items) {
      const id = item.id ?? item.messageId;
      const key = typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(item);
      seen.set(key, deadLetterOrderId(item));
    }
    after = body.nextCursor ?? null;
    if (after === null || items.length === 0) {
      break;
    }
  }
  const orderIds = [...seen.values()].filter((id): id is string => id !== undefined);
  return { total: Math.max(total, seen.size), orderIds };
}

// ---- the flash sale ----------------------------------------------------------------------------------------------

export interface FlashProgress {
  phase: 'sending' | 'retrying' | 'draining' | 'done';
  elapsedMs: number;
  total: number;
  /** First attempts answered. */
  answered: number;
  /** Deliveries that ended 2xx (first try or after retries). */
  accepted: number;
  inErp: number;
  deadLetters: number;
  throttled429: number;
}

export interface FlashSaleOptions {
  appUrl: string;
  sandbox: SandboxControl;
  secret: string;
  adminKey: string;
  orders: number;
  ratePerSecond: number;
  /** Seeds of the order factory start here; give each run in one database its own range. */
  seedBase?: number;
  /** Share of orders (0–100) carrying a SKU the ERP does not know; they must end in the dead letters. */
  badSkuPercent?: number;
  lineCount?: number;
  retryDelaysMs?: readonly number[];
  maxSockets?: number;
  /**
   * Orders delivered first, at the same rate, before the `orders` that are timed: a flash sale reaches a service that
   * has been running, not one that has just started (JIT-compiled code, connection pools, caches). They are real
   * orders, judged by the same ledger, sent in the same open loop just before the timed ones; only their ack latency
   * is reported apart (`ack.warmupLatencyMs`). Default 0.
   */
  warmupOrders?: number;
  /** How long to wait, after the last delivery, for every accepted order to reach the ERP or the dead letters. */
  drainTimeoutMs: number;
  onProgress?: (progress: FlashProgress) => void;
}

export interface DrainStats {
  /** Committed ERP writes (customers and sales orders) during the run. */
  erpWrites: number;
  salesOrderWrites: number;
  firstWriteAt?: number;
  lastWriteAt?: number;
  /** Committed writes per second between the first and the last write. */
  writesPerSecond: number;
  /** Sales orders created per second between the first and the last write. */
  ordersPerSecond: number;
  /** From the first scheduled webhook to the last ERP write. */
  completedAfterStartMs: number;
}

export interface FlashSaleResult {
  events: GeneratedEvent[];
  finalStatuses: number[];
  deliveries: Delivery[];
  /** First attempts of the timed orders, open-loop from their scheduled send time (warm-up not included). */
  ack: OpenLoopResult<SendOutcome>;
  /**
   * The app's own view of the timed orders' acks: `erp_sync_webhook_ack_seconds` (controller entry → durable) over
   * the timed sale, from /metrics before and after it. Undefined if /metrics could not be read.
   */
  serverAck?: ServerAckSummary;
  acceptedFirstAttempt: number;
  /** Deliveries that needed more than one attempt. */
  retried: number;
  meanBodyBytes: number;
  state: SandboxErpState;
  ledger: LedgerReport;
  deadLetters: number;
  drain: DrainStats;
  timedOut: boolean;
  startedAtEpochMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds every delivery up front, so that generating orders costs nothing while the clock runs. */
export function buildFlashSale(
  options: Pick<FlashSaleOptions, 'orders' | 'secret' | 'seedBase' | 'badSkuPercent' | 'lineCount'>,
): { events: GeneratedEvent[]; requests: WebhookRequest[] } {
  const events: GeneratedEvent[] = [];
  const requests: WebhookRequest[] = [];
  const badEvery = options.badSkuPercent && options.badSkuPercent > 0 ? 100 / options.badSkuPercent : 0;
  let nextBad = badEvery > 0 ? badEvery / 2 : Number.POSITIVE_INFINITY;
  for (let i = 0; i < options.orders; i++) {
    const bad = i + 1 >= nextBad;
    if (bad) {
      nextBad += badEvery;
    }
    const order = buildShopifyOrder(bad ? { line_items: [{ sku: UNKNOWN_SKU }] } : {}, {
      seed: (options.seedBase ?? 1) + i,
      lineCount: bad ? undefined : options.lineCount,
    });
    const req = buildWebhookRequest({
      topic: 'orders/create',
      order: serialiseOrder(order),
      secret: options.secret,
      shop: DEMO_SHOP,
    });
    requests.push(req);
    events.push({
      orderId: String(order.id),
      eventId: req.eventId,
      webhookId: req.webhookId,
      topic: 'orders/create',
      updatedAt: order.updated_at,
      expectedStatus: order.cancelled_at ? 'cancelled' : 'open',
      validSkus: !bad,
    });
  }
  return { events, requests };
}

export function drainStats(ledger: readonly SandboxLedgerEntry[], startedAtEpochMs: number): DrainStats {
  const times = ledger.map((e) => e.at).sort((a, b) => a - b);
  const salesOrders = ledger.filter((e) => e.type === 'salesOrder');
  const created = salesOrders.filter((e) => e.created).length;
  const first = times[0];
  const last = times[times.length - 1];
  const spanS = first !== undefined && last !== undefined ? (last - first) / 1000 : 0;
  return {
    erpWrites: ledger.length,
    salesOrderWrites: salesOrders.length,
    firstWriteAt: first,
    lastWriteAt: last,
    writesPerSecond: spanS > 0 ? (ledger.length - 1) / spanS : 0,
    ordersPerSecond: spanS > 0 ? (created - 1) / spanS : 0,
    completedAfterStartMs: last !== undefined ? last - startedAtEpochMs : 0,
  };
}

/**
 * Plays `orders` signed orders/create webhooks at `ratePerSecond` into the app, re-sending failures like Shopify,
 * then waits until every accepted order is in the ERP or dead-lettered, and judges the run with the exact ledger.
 */
/** A first attempt the generator has no outcome for (the send threw): treated as unanswered, so it is re-sent. */
function failedAttempt(): SendOutcome {
  const now = performance.now();
  return { status: 0, ok: false, timedOut: false, error: 'no outcome', startedAt: now, endedAt: now };
}

export async function runFlashSale(options: FlashSaleOptions): Promise<FlashSaleResult> {
  const warmupCount = Math.max(0, Math.floor(options.warmupOrders ?? 0));
  const { events, requests } = buildFlashSale({ ...options, orders: options.orders + warmupCount });
  const n = events.length;
  const sender = new WebhookSender({ url: `${options.appUrl}/webhooks/shopify`, maxSockets: options.maxSockets });
  const deliveries: Promise<Delivery>[] = new Array<Promise<Delivery>>(n);
  const finalStatuses: number[] = new Array<number>(n);
  const progress: FlashProgress = {
    phase: 'sending',
    elapsedMs: 0,
    total: n,
    answered: 0,
    accepted: 0,
    inErp: 0,
    deadLetters: 0,
    throttled429: 0,
  };
  const startedAt = performance.now();
  const startedAtEpochMs = Date.now();
  const expectsDeadLetters = events.some((e) => !e.validSkus);

  let polling = false;
  let lastDeadLetterPoll = 0;
  const poll = async (): Promise<void> => {
    if (polling) {
      return;
    }
    polling = true;
    try {
      const state = await options.sandbox.state();
      progress.inErp = state.counts.salesOrders;
      progress.throttled429 = state.stats.counters.throttled429;
      if (expectsDeadLetters && performance.now() - lastDeadLetterPoll > 1_000) {
        lastDeadLetterPoll = performance.now();
        progress.deadLetters = (await fetchDeadLetters(options.appUrl, options.adminKey)).total;
      }
    } catch {
      // A missed poll only delays the display; the final check below does not depend on it.
    } finally {
      polling = false;
      progress.elapsedMs = performance.now() - startedAt;
      options.onProgress?.({ ...progress });
    }
  };
  const poller = setInterval(() => void poll(), 250);

  try {
    // First attempts: open loop from a worker thread that does nothing else (see ack-generator.ts), so that the
    // ack latency is the app's and not this thread's polling and bookkeeping.
    // Warm-up and timed orders go out as one open loop from one generator thread, so that the timed ones meet warm
    // connections on both sides; the app's histogram is read when the first timed webhook is sent, and at the end.
    let metricsBefore: Promise<AckHistogram | undefined> = Promise.resolve(undefined);
    const ack = await runAckLoopInWorker({
      url: `${options.appUrl}/webhooks/shopify`,
      requests,
      ratePerSecond: options.ratePerSecond,
      maxSockets: options.maxSockets,
      warmupCount,
      onMeasuredStart: () => {
        metricsBefore = fetchAckHistogram(options.appUrl);
      },
      onAnswered: (answered) => {
        progress.answered = answered;
      },
    });
    const [before, after] = await Promise.all([metricsBefore, fetchAckHistogram(options.appUrl)]);
    const serverAck = before && after ? summariseAckHistogram(subtractHistograms(after, before)) : undefined;
    progress.answered = n;
    // Re-deliveries, as Shopify makes them: only for first attempts that were not answered 2xx.
    const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let i = 0; i < n; i++) {
      const first = ack.results[i] ?? failedAttempt();
      finalStatuses[i] = first.status;
      if (first.ok) {
        progress.accepted++;
        deliveries[i] = Promise.resolve({ final: first, attempts: [first] });
        continue;
      }
      deliveries[i] = sleep(retryDelays[0] ?? 1_000)
        .then(() => sender.sendWithRetries(requests[i], { retryDelaysMs: retryDelays.slice(1) }))
        .then((delivery) => {
          finalStatuses[i] = delivery.final.status;
          if (delivery.final.ok) {
            progress.accepted++;
          }
          return { final: delivery.final, attempts: [first, ...delivery.attempts] };
        });
    }
    progress.phase = 'retrying';
    const settled = await Promise.all(deliveries);
    sender.close();

    const acceptedValid = events.filter((e, i) => e.validSkus && finalStatuses[i] >= 200 && finalStatuses[i] < 300);
    const acceptedInvalid = events.filter((e, i) => !e.validSkus && finalStatuses[i] >= 200 && finalStatuses[i] < 300);
    const expectedInErp = new Set(acceptedValid.map((e) => e.orderId)).size;
    const expectedDead = new Set(acceptedInvalid.map((e) => e.orderId)).size;

    progress.phase = 'draining';
    const deadline = Date.now() + options.drainTimeoutMs;
    let timedOut = false;
    for (;;) {
      const state = await options.sandbox.state();
      const dead = expectedDead > 0 ? (await fetchDeadLetters(options.appUrl, options.adminKey)).total : 0;
      if (state.counts.salesOrders >= expectedInErp && dead >= expectedDead) {
        break;
      }
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      await sleep(250);
    }
    // A moment for anything still in flight (a duplicate would show up here), then the final, exact picture.
    await sleep(1_000);
    clearInterval(poller);
    const [state, erpOrders, erpLedger, deadLetters] = await Promise.all([
      options.sandbox.state(),
      options.sandbox.orders(),
      options.sandbox.ledger(),
      fetchDeadLetters(options.appUrl, options.adminKey).catch(() => ({ total: 0, orderIds: [] as string[] })),
    ]);
    const ledger = checkLedger({
      events,
      finalStatuses,
      erpOrders: erpOrders.map((o) => ({
        externalId: o.externalId,
        status: String(o.status),
        custbody_source_updated_at:
          typeof o.custbody_source_updated_at === 'string' ? o.custbody_source_updated_at : null,
        writeCount: o.writeCount,
      })),
      erpLedger,
      deadLetteredOrderIds: deadLetters.orderIds,
    });
    progress.phase = 'done';
    progress.inErp = state.counts.salesOrders;
    progress.deadLetters = deadLetters.total;
    progress.elapsedMs = performance.now() - startedAt;
    options.onProgress?.({ ...progress });

    return {
      events,
      finalStatuses,
      deliveries: settled,
      ack,
      serverAck,
      acceptedFirstAttempt: ack.results.filter((r) => r?.ok).length,
      retried: settled.filter((d) => d.attempts.length > 1).length,
      meanBodyBytes: requests.reduce((sum, r) => sum + r.body.length, 0) / Math.max(1, n),
      state,
      ledger,
      deadLetters: deadLetters.total,
      drain: drainStats(erpLedger, startedAtEpochMs),
      timedOut,
      startedAtEpochMs,
    };
  } finally {
    clearInterval(poller);
    sender.close();
  }
}

/** ERP writes per second the sandbox can take at most: its concurrency limit over its mean latency. */
export function theoreticalWritesPerSecond(limit: number, latencyMs: number): number {
  return limit / (latencyMs / 1000);
}

/** A generous wait for the backlog: twice the theoretical drain time of two writes per order, plus a minute. */
export function defaultDrainTimeoutMs(orders: number, limit: number, latencyMs: number): number {
  return Math.ceil((orders / theoreticalWritesPerSecond(limit, latencyMs)) * 2 * 1000 + 60_000);
}

// ---- terminal output ---------------------------------------------------------------------------------------------

/** Two bars on a terminal; one line every 2 s in a CI log (no cursor tricks in a file). */
class ProgressView {
  private readonly bars?: MultiBar;
  private readonly accepted?: ReturnType<MultiBar['create']>;
  private readonly inErp?: ReturnType<MultiBar['create']>;
  private lastLine = 0;
  private stopped = false;

  constructor(
    private readonly total: number,
    tty: boolean,
  ) {
    if (tty) {
      this.bars = new MultiBar(
        {
          format: ' {label} |{bar}| {value}/{total} {note}',
          hideCursor: true,
          clearOnComplete: false,
          barsize: 40,
        },
        Presets.shades_classic,
      );
      this.accepted = this.bars.create(total, 0, { label: 'webhooks accepted', note: '' });
      this.inErp = this.bars.create(total, 0, { label: 'orders in the ERP', note: '' });
    }
  }

  update(p: FlashProgress): void {
    if (this.stopped) {
      return;
    }
    const seconds = (p.elapsedMs / 1000).toFixed(1);
    if (this.bars && this.accepted && this.inErp) {
      this.accepted.update(p.accepted, { note: p.phase === 'sending' ? `(${p.answered} answered)` : '' });
      this.inErp.update(p.inErp, {
        note: `${p.deadLetters > 0 ? `+${p.deadLetters} dead-lettered ` : ''}${p.throttled429 > 0 ? `${p.throttled429} × 429 ` : ''}${seconds} s`,
      });
      return;
    }
    if (p.phase === 'done' || p.elapsedMs - this.lastLine >= 2_000) {
      this.lastLine = p.elapsedMs;
      console.log(
        `[${seconds.padStart(6)} s] ${p.phase.padEnd(8)} webhooks accepted ${p.accepted}/${this.total} · ` +
          `orders in the ERP ${p.inErp}/${this.total} · dead letters ${p.deadLetters} · 429s ${p.throttled429}`,
      );
    }
  }

  stop(): void {
    this.stopped = true;
    this.bars?.stop();
  }
}

function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : '–';
}

// ---- main ----------------------------------------------------------------------------------------------------------

interface DemoFlags {
  erp: 'sandbox' | SimulatedErpName;
  /** Cin7 only: the simulator's per-minute request budget (the vendor's is 60). */
  erpRpm: number | undefined;
  orders: number;
  rate: number;
  concurrency: number;
  latency: number;
  jitter: number;
  badSkuPercent: number;
}

function readFlags(argv: string[]): DemoFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string', default: '2000' },
      rate: { type: 'string', default: '200' },
      erp: { type: 'string', default: 'sandbox' },
      'erp-rpm': { type: 'string' },
      concurrency: { type: 'string', default: '5' },
      latency: { type: 'string', default: '150' },
      jitter: { type: 'string', default: '30' },
      'bad-sku-percent': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'npm run demo -- [--orders 2000] [--rate 200] [--erp sandbox|netsuite|business-central|cin7] [--erp-rpm N (cin7)] ' +
        '[--concurrency 5] [--latency 150] [--jitter 30] [--bad-sku-percent 0]',
    );
    process.exit(0);
  }
  const erp = values.erp;
  if (erp !== 'sandbox' && !isSimulatedErp(erp)) {
    throw new UsageError(`--erp ${erp}: choose sandbox (the built-in sandbox ERP) or ${SIMULATED_ERPS.join(', ')}`);
  }
  const num = (name: string, raw: string, min: number, max: number): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max) {
      throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${raw}"`);
    }
    return v;
  };
  if (values['erp-rpm'] !== undefined && erp !== 'cin7') {
    throw new UsageError("--erp-rpm is the Cin7 simulator's per-minute budget: use it with --erp cin7");
  }
  return {
    erp,
    erpRpm: values['erp-rpm'] === undefined ? undefined : Math.floor(num('erp-rpm', values['erp-rpm'], 1, 1_000_000)),
    orders: Math.floor(num('orders', values.orders, 1, 1_000_000)),
    rate: num('rate', values.rate, 0.1, 100_000),
    concurrency: Math.floor(num('concurrency', values.concurrency, 1, 1000)),
    latency: num('latency', values.latency, 1, 60_000),
    jitter: num('jitter', values.jitter, 0, 60_000),
    badSkuPercent: num('bad-sku-percent', values['bad-sku-percent'], 0, 100),
  };
}

/**
 * Cin7 Core allows 60 requests a minute; at 3–6 requests per order a demo of thousands of orders would take hours.
 * Unless `--erp-rpm` says otherwise, the Cin7 demo lifts the simulator's budget to 6,000 a minute and paces the app
 * with ERP_MAX_RPS=100 to match, and says so. Other ERPs keep the simulator's defaults.
 */
function simulatorBudget(flags: DemoFlags): { requestsPerMinute: number; maxRps: number; note: string } | undefined {
  if (flags.erp !== 'cin7') {
    return undefined;
  }
  const requestsPerMinute = flags.erpRpm ?? 6_000;
  const maxRps = Math.max(1, Math.floor(requestsPerMinute / 60));
  return {
    requestsPerMinute,
    maxRps,
    note:
      requestsPerMinute === 60
        ? "Cin7 Core's real budget: 60 requests per minute (ERP_MAX_RPS=1). Expect about 4 s per order."
        : `Note: Cin7 Core's real budget is 60 requests per minute. This demo lifts the simulator's to ${requestsPerMinute}/min ` +
          `and sets ERP_MAX_RPS=${maxRps} to match (--erp-rpm 60 for the vendor's limit).`,
  };
}

/** Governed requests the simulator served per second over the drain, against the limit's theoretical maximum. */
function erpRequestRate(state: SandboxErpState, drain: DrainStats, theoretical: number): string {
  const c = state.stats.counters;
  const served = c.ok + c.badRequest400 + c.unauthorized401 + c.dropped + c.error500;
  const spanS =
    drain.firstWriteAt !== undefined && drain.lastWriteAt !== undefined
      ? (drain.lastWriteAt - drain.firstWriteAt) / 1000
      : 0;
  const rate = spanS > 0 ? served / spanS : 0;
  return `${rate.toFixed(1)} requests/s vs ${theoretical.toFixed(1)} theoretical (${pct(rate, theoretical)}); ${served} requests, ${(served / Math.max(1, state.counts.salesOrders)).toFixed(1)} per order`;
}

/** An error whose message is the whole story: printed without a stack trace. */
class UsageError extends Error {}

/**
 * The run's own vhost where this machine can make one (rabbitmqctl on the PATH, as on a local install); otherwise
 * (RabbitMQ in a container, say) the broker's default vhost, which is fine as long as no other app uses it.
 */
export async function isolatedRabbitUrl(urls: ServiceUrls): Promise<ServiceUrls> {
  try {
    await ensureVhost(urls.rabbitmqUrl);
    return urls;
  } catch {
    const fallback = new URL(urls.rabbitmqUrl);
    fallback.pathname = '';
    console.log(
      '(rabbitmqctl is not available here: using the default RabbitMQ vhost; stop other apps using it first)',
    );
    return { ...urls, rabbitmqUrl: fallback.toString() };
  }
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  const services = await checkServices(localServiceUrls(DEMO_DATABASE, DEMO_REDIS_DB));
  if (!services.ok) {
    console.error(`The demo needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  const urls = await isolatedRabbitUrl(localServiceUrls(DEMO_DATABASE, DEMO_REDIS_DB));

  const cleanups: Array<() => Promise<unknown>> = [];
  let view: ProgressView | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        await step().catch(() => undefined);
      }
    })());
  const onSignal = (signal: NodeJS.Signals): void => {
    view?.stop();
    console.error(`\n${signal}: stopping the app and the sandbox ERP…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    console.log(
      `Preparing: fresh database ${DEMO_DATABASE}, Redis db ${DEMO_REDIS_DB}, RabbitMQ vhost ${DEMO_DATABASE} with empty queues…`,
    );
    await resetInfrastructure(urls);

    let sandboxUrl: string;
    let control: SandboxControl;
    let simulator: SimulatorProcess | undefined;
    let erpEnv: Record<string, string> = {};
    let erpLabel = 'Sandbox ERP';
    if (flags.erp === 'sandbox') {
      const sandbox = new SandboxErpServer({
        concurrencyLimit: flags.concurrency,
        latencyMs: flags.latency,
        latencyJitterMs: flags.jitter,
        retryAfterSeconds: 1,
      });
      const sandboxPort = await sandbox.listen(0);
      cleanups.push(() => sandbox.close());
      sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
      control = new SandboxControl(sandboxUrl);
    } else {
      const budget = simulatorBudget(flags);
      simulator = await startSimulatorProcess(flags.erp, {
        config: {
          concurrencyLimit: flags.concurrency,
          latencyMs: Math.round(flags.latency),
          latencyJitterMs: Math.round(flags.jitter),
          retryAfterSeconds: 1,
          ...(budget === undefined ? {} : { requestsPerMinute: budget.requestsPerMinute }),
        },
      });
      const sim = simulator;
      cleanups.push(() => sim.stop());
      sandboxUrl = sim.url;
      control = new SimulatorSandboxControl(sim.url, flags.erp);
      erpEnv = { ...sim.appEnv, ...(budget === undefined ? {} : { ERP_MAX_RPS: String(budget.maxRps) }) };
      erpLabel = `${flags.erp} simulator (the real ${flags.erp} connector, authentication checked)`;
      if (budget !== undefined) {
        console.log(budget.note);
      }
    }

    const secret = `shpss_demo_${randomBytes(12).toString('hex')}`;
    const adminKey = `demo-admin-${randomBytes(12).toString('hex')}`;
    const logFile = path.join(os.tmpdir(), `erp-sync-demo-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    console.log(`Starting the middleware (APP_ROLE=all); its logs go to ${logFile}`);
    const app: AppProcess = await startApp({
      env: appEnv(urls, { secret, adminKey, sandboxUrl, erpConcurrency: flags.concurrency, extra: erpEnv }),
      role: 'all',
      port: await freePort(),
      logFile,
    });
    cleanups.push(() => app.stop());

    const theoretical = theoreticalWritesPerSecond(flags.concurrency, flags.latency);
    // Business Central's connector default of 20 requests/s (6,000 per 5 minutes) binds below 5 × 150 ms.
    const bcRps = BUSINESS_CENTRAL_DEFAULT_LIMITS.maxRps;
    const requestCeiling =
      flags.erp === 'business-central' && bcRps !== undefined ? Math.min(theoretical, bcRps) : theoretical;
    if (requestCeiling < theoretical) {
      console.log(
        `Business Central's default ERP_MAX_RPS is ${bcRps} (6,000 requests per 5 minutes): at most ${requestCeiling} requests/s.`,
      );
    }
    console.log(
      `\nFlash sale: ${flags.orders} signed orders/create webhooks at ${flags.rate}/s → ${app.url}/webhooks/shopify\n` +
        `${erpLabel} at ${sandboxUrl}: ${flags.concurrency} concurrent requests, ${flags.latency} ± ${flags.jitter} ms each ` +
        `(at most ${theoretical.toFixed(1)} ${simulator === undefined ? 'writes' : 'requests'}/s)\n`,
    );

    // A vendor connector makes 3–7 requests per new order (customer lookup and create, order lookup and write).
    const drainTimeoutMs = defaultDrainTimeoutMs(
      flags.erp === 'sandbox' ? flags.orders : flags.orders * 4,
      flags.concurrency,
      flags.latency,
    );
    view = new ProgressView(flags.orders, process.stdout.isTTY === true);
    const progressView = view;
    const result = await runFlashSale({
      appUrl: app.url,
      sandbox: control,
      secret,
      adminKey,
      orders: flags.orders,
      ratePerSecond: flags.rate,
      badSkuPercent: flags.badSkuPercent,
      drainTimeoutMs: drainTimeoutMs,
      onProgress: (p) => progressView.update(p),
    });
    view.stop();

    const l = result.ledger;
    const { drain, state, ack } = result;
    const writesPerOrder = drain.salesOrderWrites > 0 ? drain.erpWrites / drain.salesOrderWrites : 0;
    console.log(`\nSummary\n${'─'.repeat(7)}`);
    console.log(
      table([
        ['orders sent', `${l.sent} (mean body ${Math.round(result.meanBodyBytes)} bytes)`],
        [
          'accepted (200)',
          `${l.accepted} (${result.acceptedFirstAttempt} on the first attempt, ${result.retried} after retries)` +
            (l.rejected + l.failed > 0 ? `; rejected ${l.rejected}, failed ${l.failed}` : ''),
        ],
        ['in the ERP', `${state.counts.salesOrders} of ${l.orders.expectedInErp} expected`],
        ['duplicates', String(l.duplicatedRecords.length)],
        ['dead letters', `${result.deadLetters} (${l.orders.expectedDeadLettered} expected)`],
        [
          'ack latency p50 / p99',
          `${formatMs(ack.latencyMs.p50)} / ${formatMs(ack.latencyMs.p99)} ms (max ${formatMs(ack.latencyMs.max)} ms; ` +
            `open loop from the scheduled send time; generator lag p99 ${formatMs(ack.lagMs.p99)} ms)`,
        ],
        ['ERP peak concurrency', `${state.stats.peakConcurrency} (limit ${flags.concurrency})`],
        ['ERP 429s seen', String(state.stats.counters.throttled429)],
        [
          'ERP drain rate',
          `${drain.writesPerSecond.toFixed(1)} writes/s vs ${theoretical.toFixed(1)} theoretical ` +
            `(${pct(drain.writesPerSecond, theoretical)}); ${drain.ordersPerSecond.toFixed(1)} orders/s at ` +
            `${writesPerOrder.toFixed(1)} writes per order`,
        ],
        ...(simulator === undefined
          ? []
          : ([['ERP request rate', erpRequestRate(state, drain, requestCeiling)]] as Array<[string, string]>)),
        ['done after', `${(drain.completedAfterStartMs / 1000).toFixed(1)} s`],
        ['ledger', formatLedgerVerdict(l)],
      ]),
    );
    for (const problem of l.problems) {
      console.log(`  ✗ ${problem}`);
    }
    if (result.timedOut) {
      console.log(`  ✗ gave up waiting for the ERP after ${Math.round(drainTimeoutMs / 1000)} s`);
    }
    const exactlyOnce = l.ok && !result.timedOut && state.counts.salesOrders === l.orders.expectedInErp;
    console.log(
      exactlyOnce
        ? `\n✓ Every order is in the ERP exactly once.`
        : `\n✗ Not every order is in the ERP exactly once (app log: ${logFile}).`,
    );
    return exactlyOnce ? 0 : 1;
  } catch (err) {
    view?.stop();
    console.error(`\n✗ ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof UsageError ? err.message : err);
      process.exit(1);
    },
  );
}
