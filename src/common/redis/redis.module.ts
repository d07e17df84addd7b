import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { BullRedisConnections } from 'src/common/redis/bull-redis-connections';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** The app's own Redis client, bounded: see `RedisModule`. */
export function createRedisClient(config: AppConfig['redis']): Redis {
  return new Redis(config.url, {
    // Fail commands fast while Redis is down instead of queueing them without bound.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 3_000,
    // A connection that is up but answers nothing (a stalled Redis, a half-open socket) fails each command after
    // this instead of holding its caller (a lease, a limiter token, a lock) forever. The app sends no blocking command.
    commandTimeout: config.commandTimeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
  });
}

/**
 * One Redis client per process for leases, limiter state and caches (Redis keeps nothing we cannot rebuild), and
 * the connections Bull's queues open (`BullRedisConnections`), every one with a command timeout.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Redis => {
        const logger = new Logger('Redis');
        const client = createRedisClient(config.redis);
        client.on('error', (error: Error) => logger.warn(`redis error: ${error.message}`));
        return client;
      },
    },
    {
      provide: BullRedisConnections,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): BullRedisConnections => new BullRedisConnections(config.redis.commandTimeoutMs),
    },
  ],
  exports: [REDIS_CLIENT, BullRedisConnections],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: Redis,
    private readonly bull: BullRedisConnections,
  ) {}

  /** Global modules shut down after the feature modules, so every Bull queue has closed by now. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client.quit().catch(() => this.client.disconnect()), this.bull.closeAll()]);
  }
}
