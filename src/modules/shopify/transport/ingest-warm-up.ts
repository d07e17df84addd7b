import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsService } from 'src/common/observability/metrics.service';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { signShopifyBody } from 'src/modules/shopify/domain/verify-shopify-hmac';
import { ShopDirectory } from 'src/modules/shops';

/** Warm-up requests in flight at once: many sockets, as a sale's first second opens them. */
const CONCURRENCY = 32;
/**
 * One warm-up request in this many comes on a connection of its own, closed after the answer: a sale's first second
 * is mostly new connections (a sender's pool fills up), so the accept and connection set-up path is compiled too.
 */
const NEW_CONNECTION_EVERY = 3;
/** A warm-up never holds a start longer than this. */
const BUDGET_MS = 15_000;
/** The header a warm-up request carries: this process's one-time pass, never valid once the port is open. */
export const WARM_UP_HEADER = 'x-erp-sync-warm-up';

export interface IngestWarmUpReport {
  requests: number;
  accepted: number;
  /** Requests sent on a connection of their own. */
  newConnections: number;
  /** A full garbage collection ran after the warm-up (`--expose-gc`, as `npm start` and the image run Node). */
  collected?: boolean;
  ms: number;
}

/**
 * Runs the webhook route before the service listens, so that the first webhooks of a flash sale meet compiled code
 * and an open broker channel instead of V8's interpreter (issue #15: a cold start answered the first second of a
 * 500/s sale in up to 1.3 s, the seconds after it in 30–50 ms). `WEBHOOK_WARM_UP_REQUESTS` signed `orders/create`
 * webhooks of a shop the service serves go through the route's own request listener on a loopback server of its
 * own; each carries this process's one-time pass, so ingest verifies, parses and publishes it with a confirm as it
 * would a real one, but to a routing key no queue has (the broker drops it), with no audit row and no outbox row.
 * The pass is forgotten when the warm-up ends; the webhook metrics are reset so that /metrics counts real webhooks.
 */
@Injectable()
export class IngestWarmUp {
  private readonly logger = new Logger(IngestWarmUp.name);
  private pass?: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shops: ShopDirectory,
    private readonly metrics: MetricsService,
  ) {}

  /** True while the warm-up runs: the port is not open yet, so every webhook the route sees is one of it. */
  get running(): boolean {
    return this.pass !== undefined;
  }

  /** True for a request of the warm-up under way (the route then publishes it nowhere). */
  admits(value: string | string[] | undefined): boolean {
    if (this.pass === undefined || typeof value !== 'string') {
      return false;
    }
    const given = Buffer.from(value);
    return given.length === this.pass.length && timingSafeEqual(given, this.pass);
  }

  /** Never throws: a warm-up that fails only leaves the code colder (logged). */
  async run(server: Server): Promise<IngestWarmUpReport> {
    const started = performance.now();
    const report: IngestWarmUpReport = { requests: 0, accepted: 0, newConnections: 0, ms: 0 };
    const count = this.config.shopify.warmUpRequests;
    const shop = (await this.shops.enabled())[0];
    const secret = shop?.webhookSecrets[0]?.reveal();
    if (count <= 0 || shop === undefined || secret === undefined) {
      return report;
    }
    const pass = randomBytes(24).toString('hex');
    this.pass = Buffer.from(pass);
    try {
      await throughRoute(server, count, Date.now() + BUDGET_MS, (i) => {
        const body = warmUpBody(i);
        report.requests++;
        const newConnection = i % NEW_CONNECTION_EVERY === 0;
        report.newConnections += newConnection ? 1 : 0;
        return {
          body,
          newConnection,
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'orders/create',
            'x-shopify-shop-domain': shop.domain,
            'x-shopify-hmac-sha256': signShopifyBody(body, secret),
            'x-shopify-webhook-id': `warm-up-${i}`,
            [WARM_UP_HEADER]: pass,
          },
        };
      }).then((accepted) => (report.accepted = accepted));
    } catch (error: unknown) {
      this.logger.warn({ err: String(error) }, 'ingest warm-up failed; the first webhooks may be slower');
    } finally {
      this.pass = undefined;
      this.metrics.webhooksReceived.reset();
      this.metrics.webhookAckSeconds.reset();
      report.collected = collectGarbage();
    }
    report.ms = Math.round(performance.now() - started);
    this.logger.log(report, 'ingest warmed up');
    return report;
  }
}

/**
 * A full collection now, before the port opens, when Node runs with `--expose-gc`: start-up and the warm-up leave
 * the old generation near the limit V8 set for it at start, and a cold sale's first second otherwise met its first
 * mark-compact (a 12 ms pause and more in steps, measured with `--trace-gc`) exactly while it was busiest.
 */
function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') {
    return false;
  }
  gc();
  return true;
}

/** Sends `count` requests through the server's request listeners on a loopback port; resolves to the 200s. */
async function throughRoute(
  server: Server,
  count: number,
  deadline: number,
  next: (i: number) => { body: Buffer; headers: Record<string, string>; newConnection: boolean },
): Promise<number> {
  const loopback = createServer();
  for (const listener of server.listeners('request') as RequestListener[]) {
    loopback.on('request', listener);
  }
  await new Promise<void>((resolve, reject) => {
    loopback.once('error', reject);
    loopback.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = loopback.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  let accepted = 0;
  const lane = async (): Promise<void> => {
    while (sent < count && Date.now() < deadline) {
      const { body, headers, newConnection } = next(sent++);
      // `agent: false`: a connection of its own, closed once answered.
      if ((await post(newConnection ? false : agent, port, body, headers)) === 200) {
        accepted++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  } finally {
    agent.destroy();
    loopback.closeAllConnections();
    await new Promise<void>((resolve) => loopback.close(() => resolve()));
  }
  return accepted;
}

function post(agent: Agent | false, port: number, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/webhooks/shopify', method: 'POST', agent, headers },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** An order the size and shape of a small real one (three lines, taxes, addresses), a new id each time. */
function warmUpBody(i: number): Buffer {
  const id = 9_000_000_000_000 + i;
  const address = {
    first_name: 'Warm',
    last_name: 'Up',
    address1: '1 Example Street',
    city: 'Ottawa',
    province_code: 'ON',
    zip: 'K1A 0A1',
    country_code: 'CA',
    phone: '+16135550100',
  };
  const lineItem = (n: number): Record<string, unknown> => ({
    id: id * 10 + n,
    variant_id: 40_000_000_000 + n,
    product_id: 7_000_000_000 + n,
    sku: `WARM-UP-${n}`,
    title: `Warm-up item ${n}`,
    quantity: n + 1,
    price: '19.99',
    total_discount: '0.00',
    taxable: true,
    requires_shipping: true,
    tax_lines: [{ title: 'HST', price: '2.60', rate: 0.13 }],
    discount_allocations: [],
    properties: [],
  });
  return Buffer.from(
    JSON.stringify({
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#W${i}`,
      email: `warm-up-${i}@example.com`,
      created_at: '2026-01-01T00:00:00-05:00',
      updated_at: '2026-01-01T00:00:00-05:00',
      currency: 'CAD',
      financial_status: 'paid',
      subtotal_price: '59.97',
      total_tax: '7.80',
      total_price: '67.77',
      customer: { id: 6_000_000_000 + i, email: `warm-up-${i}@example.com`, first_name: 'Warm', last_name: 'Up' },
      billing_address: address,
      shipping_address: address,
      line_items: [lineItem(1), lineItem(2), lineItem(3)],
      shipping_lines: [{ title: 'Standard', price: '0.00', code: 'STANDARD', tax_lines: [] }],
    }),
  );
}
