import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';

/** Any 64-bit constant: serialises migrations when several replicas (api, workers) start at once. */
const MIGRATION_LOCK_ID = 7_420_026_101;

/** Runs pending migrations under a PostgreSQL advisory lock; returns the names applied. */
export async function runMigrationsLocked(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  try {
    // Locked and unlocked on one session of its own (a pooled query could unlock on another connection).
    return await new AdvisoryLocks(dataSource).exclusive(MIGRATION_LOCK_ID, async () => {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    });
  } finally {
    await dataSource.destroy();
  }
}
