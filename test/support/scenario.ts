import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ALL_QUEUE_NAMES } from 'src/common/messaging/topology';
import { buildShopifyOrder, serialiseOrder, type BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import type { SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { createVendorSimulator, type SimulatedErpName, type VendorSimulator } from 'test/simulators/vendor-simulators';
import { freePort, startApp, type AppProcess } from 'test/support/app-process';
import { erpControl, type ErpControl } from 'test/support/erp-control';
import { jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';
import {
  checkLedger,
  type ErpLedgerEntry,
  type ErpOrderRecord,
  type GeneratedEvent,
  type LedgerOptions,
  type LedgerReport,
} from 'test/support/ledger';
import { ensureDatabase, flushRedisDb, purgeQueues } from 'test/support/services';
import { TEST_SECRET, TEST_SHOP, testEnv } from 'test/support/test-config';
import { DEFAULT_RETRY_DELAYS_MS, WebhookSender, type Delivery } from 'test/support/webhook-sender';
import { buildWebhookRequest, type WebhookRequest } from 'test/support/webhook-signer';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `check` holds (polling every `everyMs`) and resolves with how long that took; throws, naming `what`,
 * after `timeoutMs`. Scenarios wait for the condition a fault or a phase stands for, never for a fixed time.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) {
      return Date.now() - started;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(everyMs);
  }
}

/** A webhook the scenario will send, with what the ledger needs to judge it. */
export interface PlannedDelivery {
  event: GeneratedEvent;
  request: WebhookRequest;
}

export interface ScenarioOptions {
  name: string;
  database: string;
  redisDb: number;
  /** The ERP the app writes to: the built-in sandbox (default) or a vendor simulator, through its real connector. */
  erp?: 'sandbox' | SimulatedErpName;
  sandbox?: ConstructorParameters<typeof SandboxErpServer>[0];
  /** Fault settings of the vendor simulator (with `erp` other than sandbox). */
  simulator?: SimulatorConfigPatch;
  /** NetSuite only: the authentication the app uses against the simulator. */
  netsuiteAuth?: 'oauth2-m2m' | 'tba';
  env?: Record<string, string>;
  /** Defaults for every ledger check of this scenario (e.g. `cancelKeepsStamp` for Cin7). */
  ledgerOptions?: LedgerOptions;
}

/**
 * One end-to-end scenario: a fresh database, Redis db and purged queues (on its jest worker's vhost); the ERP (the sandbox, or a vendor simulator
 * the app reaches through its real connector, credentials and base-URL variables) in this process; the middleware
 * as real child processes (built with `npm run build`); signed webhooks over HTTP; the exact ledger, read from the
 * ERP's `/_control` API.
 */
export class Scenario {
  readonly erp: 'sandbox' | SimulatedErpName;
  readonly sandbox?: SandboxErpServer;
  readonly simulator?: VendorSimulator;
  /** Base URL of the ERP (sandbox or simulator). */
  erpUrl = '';
  private erpControlClient?: ErpControl;
  readonly apps: Array<AppProcess & { role: 'all' | 'api' | 'worker' }> = [];
  private started = 0;
  private readonly logDir: string;
  private sender?: WebhookSender;
  private pg?: Client;
  readonly deliveries: PlannedDelivery[] = [];
  readonly outcomes: Array<Delivery | undefined> = [];

  constructor(readonly options: ScenarioOptions) {
    this.erp = options.erp ?? 'sandbox';
    if (this.erp === 'sandbox') {
      this.sandbox = new SandboxErpServer({
        concurrencyLimit: 5,
        latencyMs: 40,
        latencyJitterMs: 10,
        ...options.sandbox,
      });
    } else {
      this.simulator = createVendorSimulator(this.erp, {
        config: { concurrencyLimit: 5, latencyMs: 40, latencyJitterMs: 10, ...options.simulator },
        netsuiteAuth: options.netsuiteAuth,
      });
    }
    this.logDir = join(process.cwd(), 'dist', 'e2e-logs', options.name);
    mkdirSync(this.logDir, { recursive: true });
  }

  /** The sandbox's URL (kept for the sandbox scenarios; the same as `erpUrl`). */
  get sandboxUrl(): string {
    return this.erpUrl;
  }

  /** The ERP's control API, in the vendor-neutral shape. */
  get control(): ErpControl {
    this.erpControlClient ??= erpControl(this.erp, this.erpUrl);
    return this.erpControlClient;
  }

  get env(): Record<string, string> {
    const erpEnv = this.simulator === undefined ? { SANDBOX_ERP_URL: this.erpUrl } : this.simulator.appEnv(this.erpUrl);
    return testEnv(this.options.database, this.options.redisDb, {
      // The jest worker's vhost: scenarios of two workers never share the topology's queues.
      RABBITMQ_URL: testRabbitmqUrl(jestWorkerVhost()),
      ...erpEnv,
      ERP_MAX_CONCURRENCY: '5',
      LOG_LEVEL: 'info',
      ...this.options.env,
    });
  }

  async setup(): Promise<void> {
    const env = this.env;
    await ensureDatabase(env.DATABASE_URL ?? '', { reset: true });
    await flushRedisDb(env.REDIS_URL ?? '');
    await purgeQueues(env.RABBITMQ_URL ?? '', [...ALL_QUEUE_NAMES]);
    const port = await (this.sandbox ?? this.simulator?.server)?.listen(0);
    this.erpUrl = `http://127.0.0.1:${port}`;
    this.pg = new Client({ connectionString: env.DATABASE_URL });
    await this.pg.connect();
  }

  /** Starts one middleware process of a role; the first `api`-capable one receives the webhooks. */
  async start(role: 'all' | 'api' | 'worker', extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    // Numbered before any await: processes started together get a log file each.
    const logFile = join(this.logDir, `${role}-${this.started++}.log`);
    const port = await freePort();
    const app = await startApp({
      env: { ...this.env, APP_ROLE: role, PORT: String(port), ...extraEnv },
      port,
      logFile,
    });
    this.apps.push(Object.assign(app, { role }));
    if (role !== 'worker' && this.sender === undefined) {
      this.sender = new WebhookSender({ url: `${app.url}/webhooks/shopify`, maxSockets: 32 });
    }
    return app;
  }

  get ingestUrl(): string {
    const app = this.apps.find((a) => a.role !== 'worker');
    return app?.url ?? '';
  }

  /** Plans one delivery of `order` as `topic`; pass `reuse` to send the same webhook again (a Shopify retry). */
  plan(
    order: BuiltShopifyOrder,
    topic: string,
    opts: { webhookId?: string; eventId?: string; validSkus?: boolean; shop?: string; secret?: string } = {},
  ) {
    const request = buildWebhookRequest({
      topic,
      order: serialiseOrder(order),
      secret: opts.secret ?? TEST_SECRET,
      shop: opts.shop ?? TEST_SHOP,
      webhookId: opts.webhookId,
      eventId: opts.eventId,
    });
    const planned: PlannedDelivery = {
      request,
      event: {
        orderId: String(order.id),
        eventId: request.eventId,
        webhookId: request.webhookId,
        topic,
        updatedAt: order.updated_at,
        expectedStatus: order.cancelled_at ? 'cancelled' : 'open',
        validSkus: opts.validSkus ?? true,
      },
    };
    this.deliveries.push(planned);
    return planned;
  }

  /** Sends every planned delivery not yet sent, at `ratePerSecond`, each with Shopify-like retries. */
  async sendAll(ratePerSecond: number, retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): Promise<void> {
    const first = this.outcomes.length;
    const pending: Promise<void>[] = [];
    const t0 = Date.now();
    for (let i = first; i < this.deliveries.length; i++) {
      const due = t0 + ((i - first) * 1000) / ratePerSecond;
      const wait = due - Date.now();
      if (wait > 1) {
        await sleep(wait);
      }
      pending.push(this.send(i, retryDelaysMs));
    }
    await Promise.all(pending);
  }

  /**
   * A steady stream for the length of a fault: plans and sends `nextOrder(n)` as `orders/create` every
   * 1/`ratePerSecond` s until `stop` resolves, then waits for every answer (retries included). Resolves with the
   * number of orders streamed. Work arrives for as long as the fault lasts, and no longer.
   */
  async streamOrders(
    ratePerSecond: number,
    stop: Promise<unknown>,
    nextOrder: (n: number) => BuiltShopifyOrder,
    retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
  ): Promise<number> {
    let stopped = false;
    void stop.then(() => (stopped = true));
    const pending: Promise<void>[] = [];
    const t0 = Date.now();
    let n = 0;
    while (!stopped) {
      this.plan(nextOrder(n), 'orders/create');
      pending.push(this.send(this.deliveries.length - 1, retryDelaysMs));
      n++;
      await Promise.race([sleep(Math.max(0, t0 + (n * 1000) / ratePerSecond - Date.now())), stop]);
    }
    await Promise.all(pending);
    return n;
  }

  /** Sends planned delivery `i` with Shopify-like retries; its outcome lands in `outcomes[i]`. */
  private send(i: number, retryDelaysMs: readonly number[]): Promise<void> {
    const sender = this.sender;
    const planned = this.deliveries[i];
    if (!sender) {
      throw new Error('start an api or all process first');
    }
    if (!planned) {
      return Promise.resolve();
    }
    this.outcomes[i] = undefined;
    return sender.sendWithRetries(planned.request, { retryDelaysMs }).then((d) => {
      this.outcomes[i] = d;
    });
  }

  async erpOrders(): Promise<ErpOrderRecord[]> {
    return this.control.orders();
  }

  async erpLedger(): Promise<ErpLedgerEntry[]> {
    return this.control.ledger();
  }

  /** The ERP's own `/_control/state` body (sandbox and simulators differ; `control.state()` is the neutral view). */
  async erpState(): Promise<{ stats: { counters: Record<string, number>; peakConcurrency: number } }> {
    return (await (await fetch(`${this.erpUrl}/_control/state`)).json()) as {
      stats: { counters: Record<string, number>; peakConcurrency: number };
    };
  }

  async configureErp(config: Record<string, unknown>): Promise<void> {
    await this.control.configure(config);
  }

  async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (!this.pg) {
      throw new Error('setup() first');
    }
    return (await this.pg.query<T>(text, params)).rows;
  }

  async deadLetteredOrderIds(): Promise<string[]> {
    const rows = await this.sql<{ shopify_id: string }>(`SELECT shopify_id FROM dead_letter WHERE status = 'dead'`);
    return rows.map((r) => r.shopify_id);
  }

  /** Waits until every order expected in the ERP is there and every expected dead letter recorded, or times out. */
  async drain(timeoutMs: number, extraCheck: () => Promise<boolean> = () => Promise.resolve(true)): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.ledger();
      if (
        (report.lost.length === 0 &&
          report.missingDeadLetters.length === 0 &&
          report.notLatest.length === 0 &&
          (await extraCheck())) ||
        Date.now() > deadline
      ) {
        return;
      }
      await sleep(500);
    }
  }

  async ledger(options: LedgerOptions = {}): Promise<LedgerReport> {
    return checkLedger(
      {
        events: this.deliveries.map((d) => d.event),
        finalStatuses: this.outcomes.map((o) => o?.final.status),
        erpOrders: await this.erpOrders(),
        erpLedger: await this.erpLedger(),
        deadLetteredOrderIds: await this.deadLetteredOrderIds(),
      },
      { ...this.options.ledgerOptions, ...options },
    );
  }

  /** Audit statuses recorded for one Shopify order id, oldest first. */
  async auditTrail(shopifyId: string): Promise<string[]> {
    const rows = await this.sql<{ status: string }>(
      'SELECT status FROM sync_audit_log WHERE shopify_id = $1 ORDER BY id',
      [shopifyId],
    );
    return rows.map((r) => r.status);
  }

  /** Closes the harness's own PostgreSQL connection before a database restart. */
  async teardownDatabaseClient(): Promise<void> {
    await this.pg?.end().catch(() => undefined);
    this.pg = undefined;
  }

  async reconnectDatabaseClient(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new Client({ connectionString: this.env.DATABASE_URL });
      try {
        await client.connect();
        this.pg = client;
        return;
      } catch (error: unknown) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) {
          throw error;
        }
        await sleep(500);
      }
    }
  }

  async teardown(): Promise<void> {
    this.sender?.close();
    await Promise.all(this.apps.map((a) => a.stop().catch(() => undefined)));
    await (this.sandbox ?? this.simulator?.server)?.close();
    await this.pg?.end();
  }
}

/** `count` distinct orders from the factory, seeded so a run is repeatable. */
export function orders(count: number, seedBase: number, overrides: Parameters<typeof buildShopifyOrder>[0] = {}) {
  return Array.from({ length: count }, (_, i) => nthOrder(seedBase, i, overrides));
}

/** The `n`th of `orders(…, seedBase)`, for a stream that does not know its length in advance. */
export function nthOrder(seedBase: number, n: number, overrides: Parameters<typeof buildShopifyOrder>[0] = {}) {
  return buildShopifyOrder(overrides, { seed: seedBase + n, lineCount: 1 + (n % 3) });
}

/** A later version of the same order (Shopify's orders/updated), `minutes` after the original. */
export function updated(
  order: BuiltShopifyOrder,
  minutes: number,
  changes: Partial<BuiltShopifyOrder> = {},
): BuiltShopifyOrder {
  const at = new Date(Date.parse(order.updated_at) + minutes * 60_000).toISOString();
  return { ...order, ...changes, updated_at: at };
}

export function cancelled(order: BuiltShopifyOrder, minutes: number): BuiltShopifyOrder {
  const at = new Date(Date.parse(order.updated_at) + minutes * 60_000).toISOString();
  return { ...order, updated_at: at, cancelled_at: at, cancel_reason: 'customer' };
}
