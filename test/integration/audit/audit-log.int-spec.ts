import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditLogRepository, AuditStatus, AuditWriter } from 'src/modules/audit';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.auditLog.database, 0);

describe('AuditLogRepository (real PostgreSQL, real migrations)', () => {
  let dataSource: DataSource;
  let repository: AuditLogRepository;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    repository = new AuditLogRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('runs the migrations idempotently', async () => {
    await expect(runMigrationsLocked(DATABASE_URL)).resolves.toEqual([]);
  });

  it('writes a batch in one statement, nulls included, and filters and pages it newest first', async () => {
    const at = new Date('2026-11-01T10:00:00Z');
    await repository.insertMany(
      Array.from({ length: 2_500 }, (_, i) => ({
        eventId: `ev-${i}`,
        entity: 'order' as const,
        topic: 'orders/create',
        shop: 's.myshopify.com',
        shopifyId: String(1000 + (i % 10)),
        status: i % 2 ? AuditStatus.Queued : AuditStatus.Received,
        attempt: i % 3,
        latencyMs: i % 5 === 0 ? undefined : 12.6,
        error: i === 7 ? "it's got 'quotes', commas, and {braces}" : undefined,
        at: new Date(at.getTime() + i),
      })),
    );
    const page1 = await repository.find({ shopifyId: '1007', status: AuditStatus.Queued }, 100);
    expect(page1).toHaveLength(100);
    expect(page1.every((r) => r.shopifyId === '1007' && r.status === 'queued')).toBe(true);
    expect(Number(page1[0]?.id)).toBeGreaterThan(Number(page1[1]?.id));
    // 250 rows match (every i ending in 7 is odd, so queued): pages of 100, 100, 50, with no overlap.
    const page2 = await repository.find({ shopifyId: '1007', status: AuditStatus.Queued }, 100, page1.at(-1)?.id);
    const page3 = await repository.find({ shopifyId: '1007', status: AuditStatus.Queued }, 100, page2.at(-1)?.id);
    expect([page2.length, page3.length]).toEqual([100, 50]);
    expect(new Set([...page1, ...page2, ...page3].map((r) => r.id)).size).toBe(250);
    const seven = await repository.find({ eventId: 'ev-7' }, 10);
    expect(seven[0]).toMatchObject({ error: "it's got 'quotes', commas, and {braces}", attempt: 1, latencyMs: 13 });
    const zero = await repository.find({ eventId: 'ev-0' }, 10);
    expect(zero[0]).toMatchObject({ latencyMs: null, error: null, erpId: null });
    const window = await repository.find({ from: new Date(at.getTime() + 10), to: new Date(at.getTime() + 20) }, 50);
    expect(window).toHaveLength(10);
  });

  it('a batch PostgreSQL refuses is split to find the poison rows: stored escaped, the others as they were, never retried', async () => {
    const writer = new AuditWriter(repository);
    const inserts = jest.spyOn(repository, 'insertMany');
    const entries = Array.from({ length: 50 }, (_, i) => ({
      eventId: `poison-batch-${i}`,
      entity: 'order' as const,
      shop: 's.myshopify.com',
      status: AuditStatus.RetryScheduled,
      reason: 'transient; retry in 1000 ms',
      attempt: 1,
    }));
    // An ERP's error text with NUL bytes (PostgreSQL: invalid byte sequence for encoding "UTF8": 0x00), a reason
    // cut in the middle of an emoji, an attempt count beyond `integer`: each alone fails the whole INSERT.
    Object.assign(entries[7] ?? {}, { error: 'HTTP 500: <html>\u0000\u0000</html>' });
    Object.assign(entries[31] ?? {}, { reason: 'SKU 🎁'.slice(0, 5), attempt: 2 ** 40 });
    for (const entry of entries) {
      writer.record(entry);
    }
    await writer.flush();
    const calls = inserts.mock.calls.length;
    inserts.mockRestore();

    const stored = await dataSource.query<Array<{ event_id: string; reason: string; attempt: number; error: string }>>(
      `SELECT event_id, reason, attempt, error FROM sync_audit_log WHERE event_id LIKE 'poison-batch-%' ORDER BY id`,
    );
    expect(stored.map((r) => r.event_id)).toEqual(entries.map((e) => e.eventId));
    expect(stored[7]?.error).toBe('HTTP 500: <html>\\u0000\\u0000</html>');
    expect(stored[31]).toMatchObject({ reason: 'SKU \\ud83c', attempt: 2_147_483_647 });
    expect(stored[8]).toMatchObject({ reason: 'transient; retry in 1000 ms', attempt: 1, error: null });
    // Found by halving (a few dozen statements for 50 rows), not one INSERT per row; nothing left to retry.
    expect(calls).toBeLessThan(30);
    const again = jest.spyOn(repository, 'insertMany');
    await writer.flush();
    expect(again).not.toHaveBeenCalled();
    again.mockRestore();
  });
});
