import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { ReadErpChanges } from 'src/modules/erp/application/read-erp-changes.use-case';
import { createErpConnector, defaultLimitsFor, gateConcurrencyFor } from 'src/modules/erp/erp-connector.factory';
import { ErpConnectorsByScope } from 'src/modules/erp/erp-connectors-by-scope';
import {
  ERP_KEYED_LOCK,
  ERP_WRITE_GATE,
  MAX_CIRCUIT_WAIT_MS,
  MAX_THROTTLE_RETRIES,
} from 'src/modules/erp/erp.constants';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import { ErpCustomerXrefRepository } from 'src/modules/erp/persistence/erp-customer-xref.repository';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import type { ErpConnectorContext, ErpKeyedLock } from 'src/modules/erp/port/erp-connector-context';
import { ERP_PORTS_BY_SCOPE } from 'src/modules/erp/port/erp-scope';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import { ErpConnectionMonitor } from 'src/modules/erp/writer/erp-connection.monitor';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { DataSource } from 'typeorm';

/** What the machinery lends a connector; cross-references under `namespace`. */
function connectorContext(
  config: AppConfig,
  dataSource: DataSource,
  gate: ErpWriteGate,
  locks: ErpKeyedLock,
  namespace: string,
): ErpConnectorContext {
  return {
    gate,
    locks,
    items: new ErpItemXrefRepository(dataSource, namespace),
    customers: new ErpCustomerXrefRepository(dataSource, namespace),
    requestTimeoutMs: config.erp.requestTimeoutMs,
  };
}

/**
 * The ERP port, its connector and the write machinery, one instance per process (a static module: every importer
 * shares the same gate, lock and connector).
 */
@Module({
  imports: [AuditModule],
  providers: [
    {
      provide: ERP_PORT,
      inject: [APP_CONFIG, DataSource, ERP_WRITE_GATE, ERP_KEYED_LOCK],
      useFactory: (config: AppConfig, dataSource: DataSource, gate: ErpWriteGate, locks: ErpKeyedLock) =>
        createErpConnector(config.erp, connectorContext(config, dataSource, gate, locks, config.erp.connector)),
    },
    {
      // Per shop: the connector of the shop's ERP scope (subsidiary, company, location); same gate, same locks.
      provide: ERP_PORTS_BY_SCOPE,
      inject: [APP_CONFIG, DataSource, ERP_WRITE_GATE, ERP_KEYED_LOCK, ERP_PORT],
      useFactory: (config: AppConfig, dataSource: DataSource, gate: ErpWriteGate, locks: ErpKeyedLock, port: ErpPort) =>
        new ErpConnectorsByScope(config.erp, port, (namespace) =>
          connectorContext(config, dataSource, gate, locks, namespace),
        ),
    },
    {
      provide: ERP_WRITE_GATE,
      inject: [APP_CONFIG, REDIS_CLIENT, MetricsService],
      useFactory: (config: AppConfig, redis: Redis, metrics: MetricsService) => {
        const concurrency = gateConcurrencyFor(config.erp.connector, config.erp.maxConcurrency);
        return new ErpWriteGate(
          redis,
          {
            connector: config.erp.connector,
            maxConcurrency: concurrency.max,
            initialConcurrency: concurrency.initial,
            maxRps: config.erp.maxRps ?? defaultLimitsFor(config.erp.connector).maxRps,
            requestTimeoutMs: config.erp.requestTimeoutMs,
            maxCircuitWaitMs: MAX_CIRCUIT_WAIT_MS,
            maxThrottleRetries: MAX_THROTTLE_RETRIES,
            // While the ERP is down or refuses our settings: one probe per interval (ERP_PROBE_INTERVAL_SECONDS).
            breaker: { resetTimeoutMs: config.erp.probeIntervalMs },
            maxRetryAfterMs: config.erp.maxRetryAfterMs,
          },
          metrics,
        );
      },
    },
    {
      provide: ERP_KEYED_LOCK,
      inject: [APP_CONFIG, REDIS_CLIENT, ErpCreateDoubtRepository],
      // A lease outlives a lookup-then-create of a few requests, each bounded by the request timeout; it is renewed
      // while held (waits for a Retry-After or for a create in doubt to settle). Creates in doubt are kept in
      // PostgreSQL, Redis holding a copy.
      useFactory: (config: AppConfig, redis: Redis, doubts: ErpCreateDoubtRepository) =>
        new RedisKeyedLock(redis, doubts, config.erp.requestTimeoutMs * 4, undefined, {
          createSettleMs: config.erp.createSettleMs,
        }),
    },
    ErpCreateDoubtRepository,
    ErpMessageRunner,
    ErpConnectionMonitor,
    ErpChangeRepository,
    ReadErpChanges,
  ],
  exports: [ERP_PORT, ERP_PORTS_BY_SCOPE, ERP_WRITE_GATE, ERP_KEYED_LOCK, ErpMessageRunner, ReadErpChanges],
})
export class ErpModule implements OnApplicationShutdown {
  constructor(@Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate) {}

  /** Kept for readability at import sites; the module is static. */
  static forRoot(): typeof ErpModule {
    return ErpModule;
  }

  onApplicationShutdown(): void {
    this.gate.shutdown();
  }
}
