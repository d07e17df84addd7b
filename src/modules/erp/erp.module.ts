import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { assertNever } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { ERP_WRITE_GATE, MAX_CIRCUIT_WAIT_MS, MAX_THROTTLE_RETRIES } from 'src/modules/erp/erp.constants';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';

/** Builds the connector named by ERP_CONNECTOR. Each vendor's adapter is the only code that knows its API. */
export function createErpConnector(config: AppConfig): ErpPort {
  const { erp } = config;
  switch (erp.connector) {
    case 'sandbox':
      return new SandboxErpConnector({ baseUrl: erp.sandbox.url, requestTimeoutMs: erp.requestTimeoutMs });
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
        { provide: ERP_PORT, inject: [APP_CONFIG], useFactory: createErpConnector },
        {
          provide: ERP_WRITE_GATE,
          inject: [APP_CONFIG, REDIS_CLIENT, ERP_PORT, MetricsService],
          useFactory: (config: AppConfig, redis: Redis, port: ErpPort, metrics: MetricsService) =>
            new ErpWriteGate(
              redis,
              {
                connector: port.name,
                maxConcurrency: config.erp.maxConcurrency ?? port.defaultLimits.maxConcurrency,
                maxRps: config.erp.maxRps ?? port.defaultLimits.maxRps,
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
