import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsService } from 'src/common/observability/metrics.service';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import {
  WEBHOOK_EVENT_PUBLISHER,
  type WebhookEventPublisher,
} from 'src/modules/shopify/application/webhook-event-publisher.port';
import { signShopifyBody } from 'src/modules/shopify/domain/verify-shopify-hmac';
import { SHOPIFY_WEBHOOK_PATH } from 'src/modules/shopify/transport/shopify-webhook.http-handler';

/** Warm-up requests in flight at once: enough sockets to exercise connection set-up as a sale's first second does. */
const CONCURRENCY = 32;
/** A confirmed publish nobody receives: the default exchange drops a message no queue is named after. */
const DISCARD_ROUTING_KEY = 'erp-sync.warm-up.discarded';
const WARM_UP_BUDGET_MS = 20_000;

export interface IngestWarmUpReport {
  requests: number;
  publishes: number;
  ms: number;
}

/**
 * Runs the webhook route's code before the service says it is ready, so that the first webhooks of a sale meet
 * compiled code instead of paying V8's interpreter and compiler on the hot path (issue #15: a cold start answered
 * the first second of a 500/s sale in up to 4.6 s). Nothing it does reaches a queue, the database or an ERP:
 *
 * - `requests` signed webhooks through the route's own request listener, on a loopback server of its own (the
 *   service's port is not open yet). Each is a correctly signed `orders/create` whose body is a JSON *array* of an
 *   order: verified, decoded and parsed like a real one, then refused 400 (not a JSON object) before anything is kept.
 * - `requests` confirmed publishes through the webhook publisher (lingering included) to the default exchange under
 *   a routing key no queue has: the broker confirms and drops them.
 *
 * The webhook counter is reset afterwards: the warm-up's refusals are not webhooks anyone sent.
 */
@Injectable()
export class IngestWarmUp {
  private readonly logger = new Logger(IngestWarmUp.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_EVENT_PUBLISHER) private readonly publisher: WebhookEventPublisher,
    private readonly metrics: MetricsService,
  ) {}

  /** Never throws: a warm-up that fails only leaves the code colder (logged). */
  async run(server: Server, requests: number): Promise<IngestWarmUpReport> {
    const started = performance.now();
    const report: IngestWarmUpReport = { requests: 0, publishes: 0, ms: 0 };
    if (requests <= 0) {
      return report;
    }
    const deadline = Date.now() + WARM_UP_BUDGET_MS;
    try {
      report.requests = await this.requestsThroughRoute(server, requests, deadline);
      report.publishes = await this.discardedPublishes(requests, deadline);
    } catch (error: unknown) {
      this.logger.warn({ err: String(error) }, 'ingest warm-up failed; the first webhooks may be slower');
    } finally {
      this.metrics.webhooksReceived.reset();
    }
    report.ms = Math.round(performance.now() - started);
    this.logger.log(report, 'ingest warmed up');
    return report;
  }

  private async requestsThroughRoute(server: Server, count: number, deadline: number): Promise<number> {
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
    const secret = this.config.shopify.webhookSecrets[0] ?? '';
    let sent = 0;
    const next = async (): Promise<void> => {
      while (sent < count && Date.now() < deadline) {
        const body = warmUpBody(sent++);
        await post(agent, port, body, {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': 'orders/create',
          'X-Shopify-Shop-Domain': this.config.shopify.shopDomain,
          'X-Shopify-Hmac-Sha256': signShopifyBody(body, secret),
          'X-Shopify-Webhook-Id': randomUUID(),
          'X-Shopify-Event-Id': randomUUID(),
          'X-Shopify-Api-Version': this.config.shopify.apiVersion,
          'X-Shopify-Triggered-At': new Date().toISOString(),
        });
      }
    };
    try {
      await Promise.all(Array.from({ length: CONCURRENCY }, next));
    } finally {
      agent.destroy();
      loopback.closeAllConnections();
      await new Promise<void>((resolve) => loopback.close(() => resolve()));
    }
    return sent;
  }

  private async discardedPublishes(count: number, deadline: number): Promise<number> {
    let confirmed = 0;
    for (let i = 0; i < count && Date.now() < deadline && this.publisher.connected; i += CONCURRENCY) {
      const burst = Array.from({ length: Math.min(CONCURRENCY, count - i) }, (_, j) =>
        this.publisher.publish({
          exchange: '',
          routingKey: DISCARD_ROUTING_KEY,
          messageId: randomUUID(),
          headers: { 'x-warm-up': i + j },
          body: warmUpBody(i + j),
        }),
      );
      await Promise.all(burst);
      confirmed += burst.length;
    }
    return confirmed;
  }
}

function post(agent: Agent, port: number, body: Buffer, headers: Record<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: SHOPIFY_WEBHOOK_PATH, method: 'POST', agent, headers },
      (res) => {
        res.resume();
        res.once('end', resolve);
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/** An order the size and shape of a small real one, wrapped in an array so that ingest refuses it after parsing. */
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
  const order = {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#W${i}`,
    email: `warm-up-${i}@example.com`,
    created_at: '2026-01-01T00:00:00-05:00',
    updated_at: '2026-01-01T00:00:00-05:00',
    currency: 'CAD',
    financial_status: 'paid',
    fulfillment_status: null,
    subtotal_price: '59.97',
    total_tax: '7.80',
    total_price: '67.77',
    total_discounts: '0.00',
    taxes_included: false,
    tags: '',
    note_attributes: [],
    customer: { id: 6_000_000_000 + i, email: `warm-up-${i}@example.com`, first_name: 'Warm', last_name: 'Up' },
    billing_address: address,
    shipping_address: address,
    line_items: [lineItem(1), lineItem(2), lineItem(3)],
    shipping_lines: [{ title: 'Standard', price: '0.00', code: 'STANDARD', tax_lines: [] }],
    discount_codes: [],
  };
  return Buffer.from(JSON.stringify([order]));
}
