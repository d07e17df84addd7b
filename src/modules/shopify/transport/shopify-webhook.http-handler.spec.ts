import type { IncomingMessage } from 'node:http';
import { BurstDetector } from 'src/common/lifecycle/burst-yield';
import type { MetricsService } from 'src/common/observability/metrics.service';
import type { AppConfig } from 'src/config/app-config';
import type { IngestWebhook } from 'src/modules/shopify/application/ingest-webhook.use-case';
import { IngestRejection } from 'src/modules/shopify/domain/ingest-outcome';
import type { IngestWarmUp } from 'src/modules/shopify/transport/ingest-warm-up';
import { ShopifyWebhookHttpHandler, statusOf } from 'src/modules/shopify/transport/shopify-webhook.http-handler';

describe('ShopifyWebhookHttpHandler.matches', () => {
  const config = { shopify: { maxWebhooksInFlight: 1 } } as AppConfig;
  const handler = new ShopifyWebhookHttpHandler(
    config,
    {} as IngestWebhook,
    {} as MetricsService,
    {} as IngestWarmUp,
    new BurstDetector(),
  );
  const req = (method: string, url: string) => ({ method, url }) as IncomingMessage;

  it.each(['/webhooks/shopify', '/webhooks/shopify/', '/Webhooks/Shopify', '/webhooks/shopify?x=1'])(
    'takes POST %s, as Express would route it',
    (url) => expect(handler.matches(req('POST', url))).toBe(true),
  );

  it.each([
    ['GET', '/webhooks/shopify'],
    ['POST', '/webhooks/shopifyx'],
    ['POST', '/webhooks/shopify/orders'],
    ['POST', '/webhooks/erp/sandbox'],
    ['POST', '/webhooks'],
  ])('leaves %s %s to Express', (method, url) => expect(handler.matches(req(method, url))).toBe(false));
});

describe(statusOf.name, () => {
  it.each([
    [IngestRejection.Malformed, 400],
    [IngestRejection.Unauthenticated, 401],
    [IngestRejection.UnknownShop, 404],
  ])('answers a webhook rejected as %s with %d', (reason, status) => expect(statusOf(reason)).toBe(status));
});
