import Redis from 'ioredis';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import { ErpCustomerXrefRepository } from 'src/modules/erp/persistence/erp-customer-xref.repository';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';

export interface ErpTestContextOptions {
  maxConcurrency?: number;
  maxRps?: number;
  requestTimeoutMs?: number;
  /** Connector name the SKU cross-reference rows are kept under. */
  connector?: string;
}

/**
 * A connector context on the real infrastructure, as the worker builds it: the Redis-backed gate and lock and the
 * PostgreSQL SKU cross-reference, in a fresh database (migrations run) and a Redis db of its own.
 */
export async function createErpTestContext(options: ErpTestContextOptions = {}): Promise<{
  context: ErpConnectorContext;
  gate: ErpWriteGate;
  /** The durable record of creates in doubt the context's lock keeps (erp_create_doubt), for other locks to share. */
  doubts: ErpCreateDoubtRepository;
  close(): Promise<void>;
}> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const connector = options.connector ?? 'test';
  const urls = serviceUrls(
    `erp_sync_contract_${connector.replace(/[^a-z0-9]/g, '_')}`,
    INTEGRATION_RESOURCES.erpContracts.redisDb,
  );
  await ensureDatabase(urls.DATABASE_URL, { reset: true });
  await runMigrationsLocked(urls.DATABASE_URL);
  const dataSource = createDataSource(urls.DATABASE_URL);
  await dataSource.initialize();
  const redis = new Redis(urls.REDIS_URL, { maxRetriesPerRequest: 2 });
  const prefix = `erp-test:${process.pid}:${Date.now()}`;
  const doubts = new ErpCreateDoubtRepository(dataSource);
  const gate = new ErpWriteGate(redis, {
    connector,
    maxConcurrency: options.maxConcurrency ?? 5,
    maxRps: options.maxRps,
    requestTimeoutMs,
    maxCircuitWaitMs: 30_000,
    maxThrottleRetries: 20,
    keyPrefix: prefix,
  });
  const context: ErpConnectorContext = {
    gate,
    locks: new RedisKeyedLock(redis, doubts, requestTimeoutMs * 3, `${prefix}:lock`),
    items: new ErpItemXrefRepository(dataSource, connector),
    customers: new ErpCustomerXrefRepository(dataSource, connector),
    requestTimeoutMs,
  };
  return {
    context,
    gate,
    doubts,
    close: async () => {
      gate.shutdown();
      await redis.quit();
      await dataSource.destroy();
    },
  };
}

/**
 * Deletes every key under `prefix` in `redis`'s db: what FLUSHDB, a failover to an empty replica or a restart without
 * persistence does to the state a lock (or gate) built with that prefix keeps in Redis, without touching the keys of
 * the other suites sharing the db.
 */
export async function wipeRedisKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) {
      deleted += await redis.del(...keys);
    }
  } while (cursor !== '0');
  return deleted;
}
