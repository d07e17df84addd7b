import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.deadLetterList;
const { DATABASE_URL } = serviceUrls(DB, 0);
const BODY_BYTES = 1024 * 1024;

/**
 * Listing dead letters (REST `GET /admin/dead-letters` and GraphQL `deadLetters` both read `DeadLetterRepository.list`)
 * reads the columns a list shows and never the messages: a page of 50 dead letters of up to 2 MiB each would otherwise
 * move 100 MiB from PostgreSQL into the process to show a table. One dead letter (its retry) still reads its body.
 */
describe('dead-letter list (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let repository: DeadLetterRepository;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    repository = new DeadLetterRepository(dataSource);
    for (let i = 1; i <= 3; i++) {
      await dataSource.query(
        `INSERT INTO dead_letter (message_id, event_id, entity, topic, shop, shopify_id, routing_key, headers, body, reason, attempts)
         VALUES ($1, $2, 'order', 'orders/create', 'test-store.myshopify.com', $3, 'orders.p00', $4, $5, 'unknown SKU', 1)`,
        [
          `m-${i}`,
          `e-${i}`,
          String(1000 + i),
          JSON.stringify({ 'x-customer-email': 'someone@example.com' }),
          Buffer.alloc(BODY_BYTES, 'x'),
        ],
      );
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('selects no body, headers or routing key: only what the list shows', async () => {
    const sent: string[] = [];
    const original = dataSource.query.bind(dataSource);
    const query = jest
      .spyOn(dataSource, 'query')
      .mockImplementation((sql: string, params?: unknown[]) => (sent.push(sql), original(sql, params)));
    const rows = await repository.list({ status: 'dead' }, 10).finally(() => query.mockRestore());
    expect(rows.map((r) => r.shopifyId)).toEqual(['1003', '1002', '1001']);
    expect(rows[0]).toMatchObject({
      messageId: 'm-3',
      eventId: 'e-3',
      reason: 'unknown SKU',
      attempts: 1,
      status: 'dead',
    });
    for (const row of rows) {
      expect(row).not.toHaveProperty('body');
      expect(row).not.toHaveProperty('headers');
      expect(row).not.toHaveProperty('routingKey');
    }
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toMatch(/\*|\bbody\b|\bheaders\b/);
  });

  it('still reads the whole message of one dead letter (what a retry publishes)', async () => {
    const [newest] = await repository.list({}, 1);
    const one = await repository.findById(newest?.id ?? '');
    expect(one?.body).toHaveLength(BODY_BYTES);
    expect(one?.headers).toEqual({ 'x-customer-email': 'someone@example.com' });
    expect(one?.routingKey).toBe('orders.p00');
  });
});
