import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** One Redis client per process for leases, limiter state and caches. Redis keeps nothing we cannot rebuild. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis => {
        const logger = new Logger('Redis');
        const client = new Redis(config.redis.url, {
          // Fail commands fast while Redis is down instead of queueing them without bound.
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectTimeout: 3_000,
          retryStrategy: (times) => Math.min(times * 200, 2_000),
          lazyConnect: false,
        });
        client.on('error', (error: Error) => logger.warn(`redis error: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
