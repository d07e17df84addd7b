import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { Connection } from 'rabbitmq-client';
import { RABBIT_CONNECTION, RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { ORDER_QUEUES, queueDepths } from 'src/common/messaging/topology';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Liveness says the process runs; readiness says PostgreSQL, RabbitMQ (and its work queues) and Redis answer. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    @Inject(RABBIT_CONNECTION) private readonly rabbit: Connection,
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly rabbitConsumer: Connection,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgresql', { timeout: CHECK_TIMEOUT_MS }),
      () => this.checkRabbit(),
      () => this.checkRedis(),
    ]);
  }

  private async checkRabbit() {
    const session = this.indicators.check('rabbitmq');
    if (!this.rabbit.ready) {
      return session.down({ message: 'not connected' });
    }
    if (!this.rabbitConsumer.ready) {
      return session.down({ message: 'consumer connection not connected' });
    }
    try {
      // A quorum queue can come back leaderless after a broker crash (docs/reliability.md): a passive declare
      // of each work queue proves it is available, not just that the socket is open.
      await withTimeout(queueDepths(this.rabbit, ORDER_QUEUES), 'queue check');
      return session.up();
    } catch (error: unknown) {
      return session.down({ message: error instanceof Error ? error.message : 'queue check failed' });
    }
  }

  private async checkRedis() {
    const session = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), 'redis ping');
      return session.up();
    } catch (error: unknown) {
      return session.down({ message: error instanceof Error ? error.message : 'ping failed' });
    }
  }
}
