import { Controller, Get, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { Connection } from 'rabbitmq-client';
import { errorMessage } from 'src/common/errors/app-error';
import { ReadinessChecks, type ReadinessCheck } from 'src/common/health/readiness-checks';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';
import { RABBIT_CONNECTION, RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { ORDER_QUEUES, queueDepths } from 'src/common/messaging/topology';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * The work-queue check opens a channel and passively declares every order queue; probes (a load balancer, the
 * orchestrator, a curl loop) may ask every second, so its answer is kept this long and shared by concurrent callers.
 */
const QUEUE_CHECK_TTL_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness says the process runs; readiness says PostgreSQL, RabbitMQ (and its work queues) and Redis answer, plus
 * what feature modules add (the ERP connection). /health/ready needs no key, so a failing check says a fixed phrase
 * and the error itself goes to the logs, once when the check goes down. Once a shutdown has begun, readiness fails
 * at once (503, checking nothing else), so load balancers stop sending before the listener closes.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  /** Checks whose failure was logged; logged again only after they were up in between. */
  private readonly down = new Set<string>();
  private queueCheck?: { at: number; available: boolean };
  private queueCheckRunning?: Promise<boolean>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly registered: ReadinessChecks,
    private readonly shutdown: ShutdownState,
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
    if (this.shutdown.isDraining) {
      // Terminus' answer for a failed check, without its error line per probe: shutting down is no failure.
      const lifecycle = { status: 'down', message: 'shutting down' };
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { lifecycle },
        details: { lifecycle },
      });
    }
    return this.health.check([
      () => this.checkPostgres(),
      () => this.checkRabbit(),
      () => this.checkRedis(),
      ...this.registered.entries().map(
        ([name, check]) =>
          () =>
            this.checkRegistered(name, check),
      ),
    ]);
  }

  private async checkPostgres() {
    const session = this.indicators.check('postgresql');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 'PostgreSQL ping');
      return this.up('postgresql', session.up());
    } catch (error: unknown) {
      return this.failed('postgresql', error, session.down({ message: 'not answering' }));
    }
  }

  private async checkRabbit() {
    const session = this.indicators.check('rabbitmq');
    if (!this.rabbit.ready) {
      return this.failed('rabbitmq', 'publishing connection closed', session.down({ message: 'not connected' }));
    }
    if (!this.rabbitConsumer.ready) {
      return this.failed(
        'rabbitmq',
        'consumer connection closed',
        session.down({ message: 'consumer connection not connected' }),
      );
    }
    // A quorum queue can come back leaderless after a broker crash (docs/reliability.md): a passive declare of each
    // work queue proves it is available, not just that the socket is open.
    return (await this.workQueuesAvailable())
      ? this.up('rabbitmq', session.up())
      : session.down({ message: 'work queues unavailable' });
  }

  private async checkRedis() {
    const session = this.indicators.check('redis');
    try {
      await withTimeout(this.redis.ping(), 'Redis ping');
      return this.up('redis', session.up());
    } catch (error: unknown) {
      return this.failed('redis', error, session.down({ message: 'not answering' }));
    }
  }

  private async checkRegistered(name: string, check: ReadinessCheck) {
    const session = this.indicators.check(name);
    try {
      const report = await withTimeout(Promise.resolve(check()), `${name} check`);
      return report.ready ? this.up(name, session.up(report.details)) : session.down(report.details);
    } catch (error: unknown) {
      return this.failed(name, error, session.down({ message: 'check failed' }));
    }
  }

  /** The order queues' passive declares, run at most once per QUEUE_CHECK_TTL_MS, failures logged. */
  private workQueuesAvailable(): Promise<boolean> {
    const cached = this.queueCheck;
    if (cached !== undefined && Date.now() - cached.at < QUEUE_CHECK_TTL_MS) {
      return Promise.resolve(cached.available);
    }
    this.queueCheckRunning ??= withTimeout(queueDepths(this.rabbit, ORDER_QUEUES), 'work-queue check')
      .then(
        () => this.up('rabbitmq', true),
        (error: unknown) => this.failed('rabbitmq', error, false),
      )
      .then((available) => {
        this.queueCheck = { at: Date.now(), available };
        this.queueCheckRunning = undefined;
        return available;
      });
    return this.queueCheckRunning;
  }

  private up<T>(name: string, result: T): T {
    this.down.delete(name);
    return result;
  }

  private failed<T>(name: string, error: unknown, result: T): T {
    if (!this.down.has(name)) {
      this.down.add(name);
      this.logger.warn({ check: name, err: errorMessage(error) }, 'readiness check failed');
    }
    return result;
  }
}
