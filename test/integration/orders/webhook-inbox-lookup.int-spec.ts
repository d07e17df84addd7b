import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { TEST_SHOP, serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.webhookInboxLookup.database;
const ROWS = 30_000;

/** A plan node of `EXPLAIN (FORMAT JSON)`. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The writer's "was this delivery processed?" lookup stays an index lookup however large the inbox grows (7 days of
 * a busy shop's deliveries) and however stale PostgreSQL's statistics are. Found by the 30-minute soak: written as
 * `webhook_id = $3 OR event_id = $4`, the lookup was planned as a scan of every row of the shop and topic (80 ms at
 * 120,000 rows), and the writers fell behind a 100/s load.
 */
describe('the webhook inbox lookup on a large inbox (real PostgreSQL)', () => {
  const urls = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let repository: OrderSyncStateRepository;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    repository = new OrderSyncStateRepository(dataSource);
    // One shop and topic, as a single-store deployment has them; the statistics are those of the empty table.
    await dataSource.query('ANALYZE webhook_inbox');
    await dataSource.query(
      `INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, resource_id, outcome)
       SELECT $1, 'orders/create', 'wh-' || n, 'ev-' || n, n::text, 'succeeded' FROM generate_series(1, $2) AS n`,
      [TEST_SHOP, ROWS],
    );
  }, 60_000);

  afterAll(async () => {
    await dataSource.destroy();
  });

  const key = (webhookId: string, eventId: string): InboxKey => ({
    shop: TEST_SHOP,
    topic: 'orders/create',
    webhookId,
    eventId,
    resourceId: '1',
  });

  it('finds a delivery by its webhook id or its event id', async () => {
    expect((await repository.findDelivery(key('wh-20000', 'ev-new'))).processedOutcome).toBe('succeeded');
    expect((await repository.findDelivery(key('wh-new', 'ev-123'))).processedOutcome).toBe('succeeded');
    expect((await repository.findDelivery(key('wh-new', 'ev-new'))).processedOutcome).toBeNull();
    expect(await repository.processedOutcome(key('wh-new', 'ev-29999'))).toBe('succeeded');
  });

  it('reads each id through its unique index, never filtering the rows of the shop and topic', async () => {
    const logged: string[] = [];
    const query = dataSource.query.bind(dataSource);
    // The statements the repository sends, as it sends them.
    const spy = jest.spyOn(dataSource, 'query').mockImplementation((sql: string, parameters?: unknown[]) => {
      logged.push(sql);
      return query(sql, parameters);
    });
    try {
      await repository.findDelivery(key('wh-new', 'ev-new'));
      await repository.processedOutcome(key('wh-new', 'ev-new'));
    } finally {
      spy.mockRestore();
    }
    expect(logged).toHaveLength(2);
    for (const sql of logged) {
      const parameters = sql.includes('$5')
        ? [TEST_SHOP, 'orders/create', 'wh-new', 'ev-new', '1']
        : [TEST_SHOP, 'orders/create', 'wh-new', 'ev-new'];
      const rows = await dataSource.query<Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
        parameters,
      );
      const plan = nodes(rows[0]?.['QUERY PLAN'][0]?.Plan ?? { 'Node Type': 'none' });
      const inboxScans = plan.filter((n) => n['Index Name']?.startsWith('webhook_inbox') === true);
      expect(inboxScans.map((n) => n['Index Name']).sort()).toEqual([
        'webhook_inbox_event_id_uq',
        'webhook_inbox_webhook_id_uq',
      ]);
      const filtered = plan.reduce((sum, n) => sum + (n['Rows Removed by Filter'] ?? 0), 0);
      expect(filtered).toBe(0);
    }
  });
});
