import { Inject, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { rawBodyWithLimit } from 'src/common/http/raw-body.middleware';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { IngestWebhook } from 'src/modules/shopify/application/ingest-webhook.use-case';
import { OutboxRelay } from 'src/modules/shopify/application/outbox-relay.service';
import { IngestOutboxRepository } from 'src/modules/shopify/persistence/ingest-outbox.repository';
import { ShopifyWebhookController } from 'src/modules/shopify/transport/shopify-webhook.controller';

/** Shopify webhook ingest (api role): verify, make durable, relay the outbox. */
@Module({
  imports: [AuditModule],
  controllers: [ShopifyWebhookController],
  providers: [IngestWebhook, IngestOutboxRepository, OutboxRelay],
})
export class ShopifyIngestModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(rawBodyWithLimit(this.config.shopify.maxWebhookBodyBytes))
      .forRoutes({ path: 'webhooks/shopify', method: RequestMethod.POST });
  }
}
