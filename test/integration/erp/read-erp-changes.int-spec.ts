import Redis from 'ioredis';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ReadErpChanges } from 'src/modules/erp/application/read-erp-changes.use-case';
import { NetsuiteConnector } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import { ErpCustomerXrefRepository } from 'src/modules/erp/persistence/erp-customer-xref.repository';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { createNetsuiteSimulator } from 'test/simulators/netsuite/netsuite-simulator';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

/**
 * The change reader on the real PostgreSQL and Redis, against the NetSuite simulator through the real connector: a
 * price, cost, barcode or stock change in the ERP is read as a delta since the stored watermark, unchanged records
 * are not reported again, and a failed read keeps the watermark.
 */
describe('ReadErpChanges (NetSuite simulator, real PostgreSQL and Redis)', () => {
  const { database, redisDb } = INTEGRATION_RESOURCES.readErpChanges;
  const urls = serviceUrls(database, redisDb);
  const sim = createNetsuiteSimulator({ config: { latencyMs: 0, latencyJitterMs: 0 } });
  let dataSource: DataSource;
  let redis: Redis;
  let gate: ErpWriteGate;
  let reader: ReadErpChanges;
  let audit: AuditWriter;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    redis = new Redis(urls.REDIS_URL);
    await redis.flushdb();
    const port = await sim.server.listen();
    gate = new ErpWriteGate(redis, {
      connector: 'netsuite',
      maxConcurrency: 5,
      requestTimeoutMs: 5_000,
      maxCircuitWaitMs: 1_000,
      maxThrottleRetries: 5,
    });
    const locks = new RedisKeyedLock(redis, new ErpCreateDoubtRepository(dataSource), 20_000);
    const connector = new NetsuiteConnector(
      // The simulator compares SuiteQL timestamps in UTC, like an integration user whose time zone is UTC.
      { ...sim.connectorOptions(`http://127.0.0.1:${port}`), timeZone: 'UTC' },
      {
        gate,
        locks,
        items: new ErpItemXrefRepository(dataSource, 'netsuite'),
        customers: new ErpCustomerXrefRepository(dataSource, 'netsuite'),
        requestTimeoutMs: 5_000,
      },
    );
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    reader = new ReadErpChanges(connector, gate, locks, new ErpChangeRepository(dataSource), audit);
  });

  afterAll(async () => {
    gate.shutdown();
    await audit.flush();
    await sim.server.close();
    await redis.quit();
    await dataSource.destroy();
  });

  it('reads everything first, then only what changed since the watermark', async () => {
    // 700 items: more than one page of 500.
    sim.server.catalog.apply({
      items: Array.from({ length: 200 }, (_, i) => ({ sku: `SKU-X${String(i).padStart(3, '0')}`, price: '5.00' })),
    });
    const first = await reader.execute('items');
    expect(first.read).toBeGreaterThanOrEqual(700);
    expect(first.changed).toBe(first.read);
    expect(first.pages).toBeGreaterThan(1);

    sim.server.catalog.apply({
      items: [
        { sku: 'SKU-0007', price: '99.95' },
        { sku: 'SKU-0008', cost: '12.34' },
        { sku: 'SKU-0009', barcode: '4006381333931' },
      ],
    });
    const second = await reader.execute('items');
    // The watermark is inclusive and SuiteQL compares whole seconds, so records of the watermark's second come back;
    // the rest of the catalog does not, and only the three changes count as changed.
    expect(second.read).toBeLessThan(first.read);
    expect(second.changed).toBe(3);
    const rows: Array<{ sku: string; price: string; cost: string; barcode: string | null }> = await dataSource.query(
      `SELECT sku, price::text, cost::text, barcode FROM erp_item_xref
        WHERE connector = 'netsuite' AND sku IN ('SKU-0007', 'SKU-0008', 'SKU-0009') ORDER BY sku`,
    );
    expect(rows.map((r) => [r.sku, Number(r.price), Number(r.cost), r.barcode])).toEqual([
      ['SKU-0007', 99.95, expect.any(Number), null],
      ['SKU-0008', expect.any(Number), 12.34, null],
      ['SKU-0009', expect.any(Number), expect.any(Number), '4006381333931'],
    ]);
  });

  it('reads a stock change per location as a delta', async () => {
    await reader.execute('inventory');
    sim.server.catalog.apply({ stock: [{ sku: 'SKU-0042', locationCode: 'EAST', onHand: 17 }] });
    const run = await reader.execute('inventory');
    expect(run.changed).toBe(1);
    const rows: Array<{ on_hand: string }> = await dataSource.query(
      `SELECT on_hand::text FROM erp_inventory_level WHERE connector = 'netsuite' AND sku = 'SKU-0042' AND on_hand = 17`,
    );
    expect(rows).toHaveLength(1);
  });

  it('keeps the watermark when a read fails, so the next run reads the same changes', async () => {
    const before: Array<{ watermark: string }> = await dataSource.query(
      "SELECT watermark FROM erp_sync_watermark WHERE connector = 'netsuite' AND stream = 'items'",
    );
    sim.server.catalog.apply({ items: [{ sku: 'SKU-0100', price: '1.00' }] });
    sim.server.configure({ rejectAuth: true });
    // Refused credentials are a configuration error: the gate holds ERP calls (circuit open) instead of sending them,
    // and the read gives up after maxCircuitWaitMs.
    await expect(reader.execute('items')).rejects.toMatchObject({ kind: 'transient', code: 'CIRCUIT_OPEN' });
    sim.server.configure({ rejectAuth: false });
    // The app's connection check (ErpConnectionMonitor) finds the credentials work again and ends the pause.
    gate.configurationWorks();
    const after: Array<{ watermark: string; last_error: string | null }> = await dataSource.query(
      "SELECT watermark, last_error FROM erp_sync_watermark WHERE connector = 'netsuite' AND stream = 'items'",
    );
    expect(after[0]?.watermark).toBe(before[0]?.watermark);
    expect(after[0]?.last_error).toBeTruthy();
    const retry = await reader.execute('items');
    expect(retry.changed).toBe(1);
  });
});
