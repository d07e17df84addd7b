import { InitialSchema1767225600000 } from 'src/database/migrations/1767225600000-InitialSchema';
import { ErpChangeTables1767312000000 } from 'src/database/migrations/1767312000000-ErpChangeTables';
import { ProductSync1767398400000 } from 'src/database/migrations/1767398400000-ProductSync';
import { InventorySync1767484800000 } from 'src/database/migrations/1767484800000-InventorySync';
import { FulfilmentsAndReconciliation1767571200000 } from 'src/database/migrations/1767571200000-FulfilmentsAndReconciliation';
import { ErpShipmentShippingOrder1767657600000 } from 'src/database/migrations/1767657600000-ErpShipmentShippingOrder';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** The single DataSource definition for the app, the migration runner and tests. Never `synchronize`. */
export function dataSourceOptions(url: string): DataSourceOptions {
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
    ],
    migrationsTableName: 'schema_migrations',
    entities: [],
    // Small pool: every process (api, worker) has its own; PostgreSQL's default max_connections is 100.
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
