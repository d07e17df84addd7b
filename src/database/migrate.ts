import { createDataSource } from 'src/database/data-source';

/** Any 64-bit constant: serialises migrations when several replicas (api, workers) start at once. */
const MIGRATION_LOCK_ID = 7_420_026_101;

/** Runs pending migrations under a PostgreSQL advisory lock; returns the names applied. */
export async function runMigrationsLocked(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await dataSource.destroy();
  }
}
