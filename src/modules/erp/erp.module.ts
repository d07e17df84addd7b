import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { assertNever } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { APP_CONFIG, type AppConfig, type ErpConnectorName } from 'src/config/app-config';
import { AuditModule } from 'src/modules/audit';
import { ReadErpChanges } from 'src/modules/erp/application/read-erp-changes.use-case';
import { BusinessCentralConnector } from 'src/modules/erp/connectors/business-central/business-central.connector';
import { BUSINESS_CENTRAL_DEFAULT_LIMITS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { Cin7Connector } from 'src/modules/erp/connectors/cin7/cin7.connector';
import { CIN7_DEFAULT_LIMITS } from 'src/modules/erp/connectors/cin7/cin7.constants';
import type { NetsuiteJwtAlgorithm } from 'src/modules/erp/connectors/netsuite/netsuite.auth';
import { NetsuiteConnector } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import { NETSUITE_DEFAULT_LIMITS } from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { SANDBOX_DEFAULT_LIMITS, SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import {
  ERP_KEYED_LOCK,
  ERP_WRITE_GATE,
  MAX_CIRCUIT_WAIT_MS,
  MAX_THROTTLE_RETRIES,
} from 'src/modules/erp/erp.constants';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import type { ErpConnectorContext, ErpKeyedLock } from 'src/modules/erp/port/erp-connector-context';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { DataSource } from 'typeorm';

/** With ERP_MAX_CONCURRENCY unset, the learnt limit never goes above this. */
export const DISCOVERY_CAP = 20;

/** The vendor's default limits, used where ERP_MAX_CONCURRENCY / ERP_MAX_RPS are unset. */
export function defaultLimitsFor(connector: ErpConnectorName): { maxConcurrency: number; maxRps?: number } {
  switch (connector) {
    case 'sandbox':
      return SANDBOX_DEFAULT_LIMITS;
    case 'netsuite':
      return NETSUITE_DEFAULT_LIMITS;
    case 'business-central':
      return BUSINESS_CENTRAL_DEFAULT_LIMITS;
    case 'cin7':
      return CIN7_DEFAULT_LIMITS;
    default:
      return assertNever(connector);
  }
}

/**
 * Builds the connector named by ERP_CONNECTOR from its validated variables (env.schema.ts checks that the required
 * ones are present for the selected connector). Each vendor's adapter is the only code that knows its API.
 */
export function createErpConnector(config: AppConfig, context: ErpConnectorContext): ErpPort {
  const { erp } = config;
  const v = erp.vendor;
  const need = (name: string): string => {
    const value = v[name];
    if (value === undefined || value === '') {
      throw new Error(`${name} is required for ERP_CONNECTOR=${erp.connector}`);
    }
    return value;
  };
  switch (erp.connector) {
    case 'sandbox':
      return new SandboxErpConnector({ baseUrl: erp.sandbox.url }, context);
    case 'netsuite':
      return new NetsuiteConnector(
        {
          accountId: need('NETSUITE_ACCOUNT_ID'),
          baseUrl: v.NETSUITE_BASE_URL,
          tokenUrl: v.NETSUITE_TOKEN_URL,
          auth:
            v.NETSUITE_AUTH === 'tba'
              ? {
                  kind: 'tba',
                  consumerKey: need('NETSUITE_CONSUMER_KEY'),
                  consumerSecret: need('NETSUITE_CONSUMER_SECRET'),
                  tokenId: need('NETSUITE_TOKEN_ID'),
                  tokenSecret: need('NETSUITE_TOKEN_SECRET'),
                }
              : {
                  kind: 'oauth2-m2m',
                  clientId: need('NETSUITE_CLIENT_ID'),
                  certificateId: need('NETSUITE_CERTIFICATE_ID'),
                  privateKeyPem: need('NETSUITE_PRIVATE_KEY').replace(/\\n/g, '\n'),
                  algorithm: v.NETSUITE_JWT_ALGORITHM as NetsuiteJwtAlgorithm | undefined,
                },
          sourceUpdatedAtField: v.NETSUITE_SOURCE_UPDATED_AT_FIELD,
          subsidiaryId: v.NETSUITE_SUBSIDIARY_ID,
          locationId: v.NETSUITE_LOCATION_ID,
          currencyIds:
            v.NETSUITE_CURRENCY_IDS === undefined
              ? undefined
              : Object.fromEntries(
                  v.NETSUITE_CURRENCY_IDS.split(',').map((pair) => pair.split('=') as [string, string]),
                ),
          discountItemId: v.NETSUITE_DISCOUNT_ITEM_ID,
          shipMethodId: v.NETSUITE_SHIP_METHOD_ID,
          shippingRefundItemId: v.NETSUITE_SHIPPING_REFUND_ITEM_ID,
          adjustmentItemId: v.NETSUITE_ADJUSTMENT_ITEM_ID,
          timeZone: v.NETSUITE_TIME_ZONE,
          priceLevelId: v.NETSUITE_PRICE_LEVEL_ID,
        },
        context,
      );
    case 'business-central':
      return new BusinessCentralConnector(
        {
          tenantId: need('BC_TENANT_ID'),
          environment: need('BC_ENVIRONMENT'),
          companyId: need('BC_COMPANY_ID'),
          clientId: need('BC_CLIENT_ID'),
          clientSecret: need('BC_CLIENT_SECRET'),
          apiBaseUrl: v.BC_API_BASE_URL,
          tokenUrl: v.BC_TOKEN_URL,
          shippingAccountNumber: need('BC_SHIPPING_ACCOUNT_NO'),
          refundAccountNumber: v.BC_REFUND_ACCOUNT_NO,
          localCurrencyCode: v.BC_LOCAL_CURRENCY_CODE,
          inventoryLocationCode: v.BC_INVENTORY_LOCATION_CODE,
          trackingNumberField: v.BC_TRACKING_NUMBER_FIELD,
          carrierField: v.BC_CARRIER_FIELD,
        },
        context,
      );
    case 'cin7':
      return new Cin7Connector(
        {
          accountId: need('CIN7_ACCOUNT_ID'),
          applicationKey: need('CIN7_APPLICATION_KEY'),
          baseUrl: v.CIN7_BASE_URL,
          location: need('CIN7_LOCATION'),
          taxRule: need('CIN7_TAX_RULE'),
          paymentTerm: need('CIN7_PAYMENT_TERM'),
          accountReceivable: need('CIN7_ACCOUNT_RECEIVABLE'),
          revenueAccount: need('CIN7_REVENUE_ACCOUNT'),
          customerPriceTier: v.CIN7_CUSTOMER_PRICE_TIER,
          sellingPriceTier: v.CIN7_SELLING_PRICE_TIER,
          orderStatus: v.CIN7_ORDER_STATUS as 'AUTHORISED' | 'DRAFT' | undefined,
          creditNoteStatus: v.CIN7_CREDIT_NOTE_STATUS as 'AUTHORISED' | 'DRAFT' | undefined,
        },
        context,
      );
    default:
      return assertNever(erp.connector);
  }
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
        createErpConnector(config, {
          gate,
          locks,
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
    {
      provide: ERP_KEYED_LOCK,
      inject: [APP_CONFIG, REDIS_CLIENT],
      // A lock outlives a lookup-then-create of a few requests, each bounded by the request timeout.
      useFactory: (config: AppConfig, redis: Redis) => new RedisKeyedLock(redis, config.erp.requestTimeoutMs * 4),
    },
    ErpMessageRunner,
    ErpChangeRepository,
    ReadErpChanges,
  ],
  exports: [ERP_PORT, ERP_WRITE_GATE, ERP_KEYED_LOCK, ErpMessageRunner, ReadErpChanges],
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
