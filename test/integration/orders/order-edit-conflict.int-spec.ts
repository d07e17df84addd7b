import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { OrderEditDiff } from 'src/modules/orders/domain/diff-order-edit';
import {
  OrderEditConflictRepository,
  type NewOrderEditConflict,
} from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { TEST_SHOP, serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.orderEditConflicts.database;

const diff = (to: number): OrderEditDiff => ({
  lines: [
    {
      externalLineId: '11',
      sku: 'SKU-1',
      description: 'Item 1',
      from: 2,
      to,
      fromTotal: '20.00',
      toTotal: `${to}0.00`,
    },
  ],
  shipping: null,
});

const conflict = (overrides: Partial<NewOrderEditConflict> = {}): NewOrderEditConflict => ({
  shop: TEST_SHOP,
  shopifyOrderId: '5001',
  orderName: '#1001',
  erpId: 'SO-1',
  erpState: 'orderStatus D (Partially Fulfilled)',
  diff: diff(3),
  sourceUpdatedAt: '2026-12-01T10:00:00Z',
  eventId: 'ev-1',
  ...overrides,
});

/** The order edit conflicts on real PostgreSQL: one open conflict per order, later edits joining it, resolution. */
describe(OrderEditConflictRepository.name, () => {
  const urls = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let sut: OrderEditConflictRepository;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    sut = new OrderEditConflictRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('keeps one open conflict per order: a later edit updates it, an older one is only counted', async () => {
    const first = await sut.record(conflict());
    expect(first).toMatchObject({ shopifyOrderId: '5001', edits: 1, diff: diff(3), resolvedAt: null });

    const later = await sut.record(
      conflict({
        diff: diff(5),
        sourceUpdatedAt: '2026-12-01T11:00:00Z',
        eventId: 'ev-2',
        erpState: 'orderStatus G (Billed)',
      }),
    );
    expect(later).toMatchObject({
      id: first.id,
      edits: 2,
      diff: diff(5),
      eventId: 'ev-2',
      erpState: 'orderStatus G (Billed)',
    });

    // A redelivered older edit (out of order) does not take the conflict back.
    const older = await sut.record(
      conflict({ diff: diff(4), sourceUpdatedAt: '2026-12-01T10:30:00Z', eventId: 'ev-3' }),
    );
    expect(older).toMatchObject({ id: first.id, edits: 3, diff: diff(5), eventId: 'ev-2' });
    expect(older.sourceUpdatedAt).toEqual(new Date('2026-12-01T11:00:00Z'));

    const open = await sut.list({ shop: TEST_SHOP, state: 'open', limit: 10 });
    expect(open.map((c) => c.id)).toEqual([first.id]);
    expect(await sut.list({ shop: 'other.myshopify.com', state: 'all', limit: 10 })).toEqual([]);
  });

  it('resolves a conflict once, with who and why; the next edit of the order opens a new one', async () => {
    const open = await sut.record(conflict({ shopifyOrderId: '6001' }));
    const resolved = await sut.resolve(open.id, 'ops-key', 'credited in the ERP');
    expect(resolved).toMatchObject({ id: open.id, resolvedBy: 'ops-key', resolutionNote: 'credited in the ERP' });
    expect(resolved?.resolvedAt).toBeInstanceOf(Date);
    expect(await sut.resolve(open.id, 'someone-else', null)).toBeNull();
    expect((await sut.find(open.id))?.resolvedBy).toBe('ops-key');

    const again = await sut.record(conflict({ shopifyOrderId: '6001', eventId: 'ev-9' }));
    expect(again.id).not.toBe(open.id);
    const mine = (state: 'open' | 'resolved' | 'all') =>
      sut.list({ shop: TEST_SHOP, state, limit: 10 }).then((rows) => rows.filter((c) => c.shopifyOrderId === '6001'));
    expect((await mine('open')).map((c) => c.id)).toEqual([again.id]);
    expect((await mine('resolved')).map((c) => c.id)).toEqual([open.id]);
    expect(await mine('all')).toHaveLength(2);
  });
});
