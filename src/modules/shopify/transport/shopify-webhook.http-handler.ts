import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertNever } from 'src/common/errors/app-error';
import { readRawBody, refuseUnread, sendJson } from 'src/common/http/raw-body.middleware';
import { BurstDetector } from 'src/common/lifecycle/burst-yield';
import { MetricsService } from 'src/common/observability/metrics.service';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { IngestWebhook } from 'src/modules/shopify/application/ingest-webhook.use-case';
import { IngestRejection } from 'src/modules/shopify/domain/ingest-outcome';
import { IngestWarmUp, WARM_UP_HEADER } from 'src/modules/shopify/transport/ingest-warm-up';

export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify';

/**
 * POST /webhooks/shopify, served by `node:http` itself, ahead of Express and Nest's router (see `serveAhead`): the
 * one route that takes a flash sale's 500 requests a second gets no framework work per request. It reads the raw
 * bytes with a cap, hands them to the use case (verify, make durable) and answers. Everything else the app serves
 * stays on Express. The route's OpenAPI description is `shopifyWebhookOpenApi`.
 */
@Injectable()
export class ShopifyWebhookHttpHandler {
  private readonly logger = new Logger(ShopifyWebhookHttpHandler.name);
  /** Requests between their first byte and their answer: each may hold a body of up to maxWebhookBodyBytes. */
  private inFlight = 0;
  private readonly maxInFlight: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ingest: IngestWebhook,
    private readonly metrics: MetricsService,
    private readonly warmUp: IngestWarmUp,
    private readonly bursts: BurstDetector,
  ) {
    this.maxInFlight = config.shopify.maxWebhooksInFlight;
  }

  /** POST on the path, as Express would route it: any case, an optional trailing slash, any query string. */
  matches(req: IncomingMessage): boolean {
    if (req.method !== 'POST' || req.url === undefined) {
      return false;
    }
    const end = req.url.indexOf('?');
    let path = end === -1 ? req.url : req.url.slice(0, end);
    if (path.length > 1 && path.endsWith('/')) {
      path = path.slice(0, -1);
    }
    return path.length === SHOPIFY_WEBHOOK_PATH.length && path.toLowerCase() === SHOPIFY_WEBHOOK_PATH;
  }

  /**
   * Never throws: a failure nobody foresaw is logged and answered 503, so that Shopify delivers it again. Past
   * WEBHOOK_MAX_IN_FLIGHT requests at once, a request is answered 503 with Retry-After before a byte of its body is
   * kept (Shopify retries it), so that a flood holds at most that many bodies in memory. The check is one counter.
   */
  handle(req: IncomingMessage, res: ServerResponse): void {
    // First, so that the ERP side hears of a sale's first webhook before that webhook's message can reach it. The
    // warm-up's webhooks are no burst: counted, they would make the sale that follows it look like its continuation.
    if (!this.warmUp.running) {
      this.bursts.arrived();
    }
    if (this.inFlight >= this.maxInFlight) {
      this.busy(req, res);
      return;
    }
    this.inFlight++;
    this.receive(req, res).catch((error: unknown) => {
      this.logger.error({ err: String(error) }, 'webhook could not be handled');
      if (!res.headersSent) {
        sendJson(res, 503, { statusCode: 503, message: 'temporarily unable to store the event' });
      }
    });
  }

  private busy(req: IncomingMessage, res: ServerResponse): void {
    this.metrics.webhooksReceived.inc({ topic: 'unverified', status: 503 });
    refuseUnread(
      req,
      res,
      this.config.shopify.maxWebhookBodyBytes,
      503,
      { statusCode: 503, message: 'too many webhooks in flight, retry later' },
      { 'Retry-After': '1' },
    );
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Decremented however the request ends (answered, refused, failed): the in-flight cap counts exactly.
    try {
      const receivedAt = Date.now();
      const rawBody = await readRawBody(req, res, this.config.shopify.maxWebhookBodyBytes);
      if (rawBody === undefined) {
        return;
      }
      const warmUp = this.warmUp.admits(req.headers[WARM_UP_HEADER]);
      const result = await this.ingest.execute({ rawBody, headers: req.headers, receivedAt, warmUp });
      switch (result.kind) {
        case 'accepted':
          this.metrics.webhookAckSeconds.observe({ durability: result.durability }, (Date.now() - receivedAt) / 1000);
          this.metrics.webhooksReceived.inc({ topic: result.topic, status: 200 });
          sendJson(res, 200, { ok: true, eventId: result.eventId, durability: result.durability });
          return;
        case 'rejected': {
          const status = statusOf(result.reason);
          // The topic of a rejected request is unverified input: never a metric label (unbounded cardinality).
          this.metrics.webhooksReceived.inc({ topic: 'unverified', status });
          sendJson(res, status, { statusCode: status, message: result.detail });
          return;
        }
        case 'unavailable':
          this.metrics.webhooksReceived.inc({ topic: result.topic, status: 503 });
          sendJson(res, 503, { statusCode: 503, message: 'temporarily unable to store the event' });
          return;
        default:
          assertNever(result, 'unexpected ingest outcome');
      }
    } finally {
      this.inFlight--;
    }
  }
}

/**
 * The status of a refused webhook: a 4xx says the request itself is at fault; 401 and 404 apart, so that a rotated
 * secret or a webhook pointed at the wrong deployment is plain in Shopify's delivery log.
 */
export function statusOf(reason: IngestRejection): 400 | 401 | 404 {
  switch (reason) {
    case IngestRejection.Malformed:
      return 400;
    case IngestRejection.Unauthenticated:
      return 401;
    case IngestRejection.UnknownShop:
      return 404;
    default:
      return assertNever(reason, 'unexpected ingest rejection');
  }
}
