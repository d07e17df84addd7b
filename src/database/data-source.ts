import { InitialSchema1767225600000 } from 'src/database/migrations/1767225600000-InitialSchema';
import { ErpChangeTables1767312000000 } from 'src/database/migrations/1767312000000-ErpChangeTables';
import { ProductSync1767398400000 } from 'src/database/migrations/1767398400000-ProductSync';
import { InventorySync1767484800000 } from 'src/database/migrations/1767484800000-InventorySync';
import { FulfilmentsAndReconciliation1767571200000 } from 'src/database/migrations/1767571200000-FulfilmentsAndReconciliation';
import { ErpShipmentShippingOrder1767657600000 } from 'src/database/migrations/1767657600000-ErpShipmentShippingOrder';
import { ErpCustomerXref1767747600000 } from 'src/database/migrations/1767747600000-ErpCustomerXref';
import { IngestOutboxClaims1767834000000 } from 'src/database/migrations/1767834000000-IngestOutboxClaims';
import { WebhookInboxResourceIndex1768006800000 } from 'src/database/migrations/1768006800000-WebhookInboxResourceIndex';
import { OrderErpWriteStarted1768093200000 } from 'src/database/migrations/1768093200000-OrderErpWriteStarted';
import { ErpCreateDoubt1768179600000 } from 'src/database/migrations/1768179600000-ErpCreateDoubt';
import { Shops1768200000000 } from 'src/database/migrations/1768200000000-Shops';
import { AdminApiKeys1768210000000 } from 'src/database/migrations/1768210000000-AdminApiKeys';
import { MappingConfiguration1768220000000 } from 'src/database/migrations/1768220000000-MappingConfiguration';
import { FulfilmentTrackingSent1768230000000 } from 'src/database/migrations/1768230000000-FulfilmentTrackingSent';
import { OrderShopLookup1768250000000 } from 'src/database/migrations/1768250000000-OrderShopLookup';
import { PerShopCatalogue1768251000000 } from 'src/database/migrations/1768251000000-PerShopCatalogue';
import { FlowPause1768270000000 } from 'src/database/migrations/1768270000000-FlowPause';
import { AlertEpisode1768271000000 } from 'src/database/migrations/1768271000000-AlertEpisode';
import { OrderErpDocumentNumber1768280000000 } from 'src/database/migrations/1768280000000-OrderErpDocumentNumber';
import { OrderTraceIndexes1768290000000 } from 'src/database/migrations/1768290000000-OrderTraceIndexes';
import { DeadLetterOperatorActions1768300000000 } from 'src/database/migrations/1768300000000-DeadLetterOperatorActions';
import { OrderReplay1768310000000 } from 'src/database/migrations/1768310000000-OrderReplay';
import { AlertEpisodeChannels1768340000000 } from 'src/database/migrations/1768340000000-AlertEpisodeChannels';
import { ErpFeedLastSuccess1768341000000 } from 'src/database/migrations/1768341000000-ErpFeedLastSuccess';
import { ErpItemCompareAtWeight1768350000000 } from 'src/database/migrations/1768350000000-ErpItemCompareAtWeight';
import { WebhookInboxOrderId1768360000000 } from 'src/database/migrations/1768360000000-WebhookInboxOrderId';
import { ErpFeedFirstRun1768361000000 } from 'src/database/migrations/1768361000000-ErpFeedFirstRun';
import { OrderTriggerAndHold1768370000000 } from 'src/database/migrations/1768370000000-OrderTriggerAndHold';
import { ShopifyPayouts1768400000000 } from 'src/database/migrations/1768400000000-ShopifyPayouts';
import { OrderEditConflict1768410000000 } from 'src/database/migrations/1768410000000-OrderEditConflict';
import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * The bounds of the app's own statements (README "Reliability choices"). Migrations and the CLI run without them: a
 * migration may rewrite a large table, and start-up waits on the migration lock for as long as another replica holds it.
 */
export interface DataSourceBounds {
  /** PostgreSQL's `statement_timeout`, set for every pooled connection; 0 = none. */
  statementTimeoutMs: number;
  /** How long a query waits for a connection from the pool (a new connection included) before it fails. */
  connectTimeoutMs: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** The single DataSource definition for the app, the migration runner and tests. Never `synchronize`. */
export function dataSourceOptions(url: string, bounds?: DataSourceBounds): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: [
      InitialSchema1767225600000,
      ErpChangeTables1767312000000,
      ProductSync1767398400000,
      InventorySync1767484800000,
      FulfilmentsAndReconciliation1767571200000,
      ErpShipmentShippingOrder1767657600000,
      ErpCustomerXref1767747600000,
      IngestOutboxClaims1767834000000,
      WebhookInboxResourceIndex1768006800000,
      OrderErpWriteStarted1768093200000,
      ErpCreateDoubt1768179600000,
      Shops1768200000000,
      AdminApiKeys1768210000000,
      MappingConfiguration1768220000000,
      FulfilmentTrackingSent1768230000000,
      OrderShopLookup1768250000000,
      PerShopCatalogue1768251000000,
      FlowPause1768270000000,
      AlertEpisode1768271000000,
      OrderErpDocumentNumber1768280000000,
      OrderTraceIndexes1768290000000,
      DeadLetterOperatorActions1768300000000,
      OrderReplay1768310000000,
      AlertEpisodeChannels1768340000000,
      ErpFeedLastSuccess1768341000000,
      ErpItemCompareAtWeight1768350000000,
      WebhookInboxOrderId1768360000000,
      ErpFeedFirstRun1768361000000,
      OrderTriggerAndHold1768370000000,
      OrderEditConflict1768410000000,
      ShopifyPayouts1768400000000,
    ],
    migrationsTableName: 'schema_migrations',
    entities: [],
    extra: {
      // Small pool: every process (api, worker) has its own; PostgreSQL's default max_connections is 100.
      max: 10,
      connectionTimeoutMillis: bounds?.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // Sent in the start-up packet of each connection: a runaway query or a lock wait is cancelled by the server
      // (SQLSTATE 57014) instead of holding a pooled connection, and whatever waits on it, indefinitely; and a
      // transaction left open (idle) as long is ended, so that it cannot hold row locks behind everyone else.
      ...(bounds !== undefined && bounds.statementTimeoutMs > 0
        ? {
            statement_timeout: bounds.statementTimeoutMs,
            idle_in_transaction_session_timeout: bounds.statementTimeoutMs,
          }
        : {}),
    },
  };
}

/** The app's own DataSource (AppModule): bounded by DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS. */
export function appDataSourceOptions(database: { url: string } & DataSourceBounds): DataSourceOptions {
  return dataSourceOptions(database.url, {
    statementTimeoutMs: database.statementTimeoutMs,
    connectTimeoutMs: database.connectTimeoutMs,
  });
}

export function createDataSource(url: string, bounds?: DataSourceBounds): DataSource {
  return new DataSource(dataSourceOptions(url, bounds));
}
