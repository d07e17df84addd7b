import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { assertNever } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig, type ErpConnectorName } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { SANDBOX_DEFAULT_LIMITS, SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { ERP_WRITE_GATE, MAX_CIRCUIT_WAIT_MS, MAX_THROTTLE_RETRIES } from 'src/modules/erp/erp.constants';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import { RedisKeyedLock } from 'src/modules/erp/support/redis-keyed-lock';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { DataSource } from 'typeorm';

/** The vendor's default limits, used where ERP_MAX_CONCURRENCY / ERP_MAX_RPS are unset. */
export function defaultLimitsFor(connector: ErpConnectorName): { maxConcurrency: number; maxRps?: number } {
  switch (connector) {
    case 'sandbox':
      return SANDBOX_DEFAULT_LIMITS;
    case 'netsuite':
    case 'business-central':
    case 'cin7':
      return { maxConcurrency: 5 };
    default:
      return assertNever(connector);
  }
}

/** Builds the connector named by ERP_CONNECTOR. Each vendor's adapter is the only code that knows its API. */
export function createErpConnector(config: AppConfig, context: ErpConnectorContext): ErpPort {
  const { erp } = config;
  switch (erp.connector) {
    case 'sandbox':
      return new SandboxErpConnector({ baseUrl: erp.sandbox.url }, context);
    case 'netsuite':
    case 'business-central':
    case 'cin7':
      // TODO(#3): the real connectors; until then refuse to start rather than pretend.
      throw new Error(`ERP_CONNECTOR=${erp.connector} is not available yet in this version (tracked in issue #3)`);
    default:
      return assertNever(erp.connector);
  }
}

@Module({})
export class ErpModule implements OnApplicationShutdown {
  constructor(@Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate) {}

  static forRoot(): DynamicModule {
    return {
      module: ErpModule,
      imports: [AuditModule],
      providers: [
        {
          provide: ERP_PORT,
          inject: [APP_CONFIG, REDIS_CLIENT, DataSource, ERP_WRITE_GATE],
          useFactory: (config: AppConfig, redis: Redis, dataSource: DataSource, gate: ErpWriteGate) =>
            createErpConnector(config, {
              gate,
              // A lock outlives a lookup-then-create of a few requests, each bounded by the request timeout.
              locks: new RedisKeyedLock(redis, config.erp.requestTimeoutMs * 4),
              items: new ErpItemXrefRepository(dataSource, config.erp.connector),
              requestTimeoutMs: config.erp.requestTimeoutMs,
            }),
        },
        {
          provide: ERP_WRITE_GATE,
          inject: [APP_CONFIG, REDIS_CLIENT, MetricsService],
          useFactory: (config: AppConfig, redis: Redis, metrics: MetricsService) =>
            new ErpWriteGate(
              redis,
              {
                connector: config.erp.connector,
                maxConcurrency: config.erp.maxConcurrency ?? defaultLimitsFor(config.erp.connector).maxConcurrency,
                maxRps: config.erp.maxRps ?? defaultLimitsFor(config.erp.connector).maxRps,
                requestTimeoutMs: config.erp.requestTimeoutMs,
                maxCircuitWaitMs: MAX_CIRCUIT_WAIT_MS,
                maxThrottleRetries: MAX_THROTTLE_RETRIES,
              },
              metrics,
            ),
        },
        ErpMessageRunner,
      ],
      exports: [ERP_PORT, ERP_WRITE_GATE, ErpMessageRunner],
      global: false,
    };
  }

  onApplicationShutdown(): void {
    this.gate.shutdown();
  }
}
