import { Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { SHOPIFY_ADMIN } from 'src/modules/shopify/admin/shopify-admin.port';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';

/**
 * Provides `SHOPIFY_ADMIN` (the Admin GraphQL client with the Redis-shared cost bucket) to the modules that write
 * to Shopify. Relies on the global RedisModule and ObservabilityModule.
 */
@Module({
  providers: [
    {
      provide: SHOPIFY_ADMIN,
      inject: [APP_CONFIG, REDIS_CLIENT, MetricsService],
      useFactory: (config: AppConfig, redis: Redis, metrics: MetricsService): ShopifyAdminClient => {
        const logger = new Logger('ShopifyCostBucket');
        if (!config.shopify.adminAccessToken) {
          new Logger('ShopifyAdminClient').warn(
            'SHOPIFY_ADMIN_ACCESS_TOKEN is not set: every Shopify Admin API call of this role will fail with SHOPIFY_NOT_CONFIGURED',
          );
        }
        const bucket = new RedisCostBucket(redis, config.shopify.shopDomain, {
          onFallback: (error) =>
            logger.warn(`Redis unavailable, using this process's own conservative bucket: ${String(error)}`),
        });
        return new ShopifyAdminClient(
          { adminApiUrl: config.shopify.adminApiUrl, accessToken: config.shopify.adminAccessToken },
          bucket,
          metrics,
        );
      },
    },
  ],
  exports: [SHOPIFY_ADMIN],
})
export class ShopifyAdminModule {}
