import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { IngestWebhook } from 'src/modules/shopify/application/ingest-webhook.use-case';
import { OutboxRelay } from 'src/modules/shopify/application/outbox-relay.service';
import { WEBHOOK_EVENT_PUBLISHER } from 'src/modules/shopify/application/webhook-event-publisher.port';
import { IngestOutboxRepository } from 'src/modules/shopify/persistence/ingest-outbox.repository';
import { IngestWarmUp } from 'src/modules/shopify/transport/ingest-warm-up';
import { ShopifyWebhookHttpHandler } from 'src/modules/shopify/transport/shopify-webhook.http-handler';
import { RabbitWebhookEventPublisher } from 'src/modules/shopify/transport/webhook-event.publisher';
import { ShopsModule } from 'src/modules/shops';

/**
 * Shopify webhook ingest (api role): verify, make durable, relay the outbox. Its route is not a Nest controller:
 * `createApp` serves it with `ShopifyWebhookHttpHandler` ahead of Express.
 */
@Module({
  imports: [AuditModule, ShopsModule],
  providers: [
    { provide: WEBHOOK_EVENT_PUBLISHER, useClass: RabbitWebhookEventPublisher },
    IngestWebhook,
    IngestOutboxRepository,
    OutboxRelay,
    ShopifyWebhookHttpHandler,
    IngestWarmUp,
  ],
  exports: [ShopifyWebhookHttpHandler, IngestWarmUp],
})
export class ShopifyIngestModule {}
