import { Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { ShopifyAdminClients } from 'src/modules/shopify/admin/shopify-admin-clients';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { ShopDirectory, ShopsModule } from 'src/modules/shops';

/**
 * Provides `ShopifyAdminClients` (the Admin GraphQL client of each shop, each with its own Redis-shared cost bucket)
 * to the modules that write to Shopify. Relies on the global RedisModule and ObservabilityModule.
 */
@Module({
  imports: [ShopsModule],
  providers: [
    {
      provide: ShopifyAdminClients,
      inject: [REDIS_CLIENT, MetricsService, ShopDirectory],
      useFactory: (redis: Redis, metrics: MetricsService, shops: ShopDirectory): ShopifyAdminClients => {
        const logger = new Logger('ShopifyCostBucket');
        return new ShopifyAdminClients(
          ({ domain, adminApiUrl, accessToken }) => {
            if (!accessToken) {
              new Logger('ShopifyAdminClient').warn(
                `shop ${domain} has no Admin API token: its Shopify Admin API calls fail with SHOPIFY_NOT_CONFIGURED`,
              );
            }
            const bucket = new RedisCostBucket(redis, domain, {
              onFallback: (error) =>
                logger.warn(`Redis unavailable, using this process's own conservative bucket: ${String(error)}`),
            });
            return new ShopifyAdminClient({ adminApiUrl, accessToken, shopDomain: domain }, bucket, metrics);
          },
          (domain) => shops.find(domain),
        );
      },
    },
  ],
  exports: [ShopifyAdminClients],
})
export class ShopifyAdminModule {}
