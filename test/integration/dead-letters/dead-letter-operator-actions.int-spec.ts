import { Connection, type Publisher } from 'rabbitmq-client';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { MessageHeader, WEBHOOK_EXCHANGE, declareTopology } from 'src/common/messaging/topology';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditLogRepository, AuditWriter } from 'src/modules/audit';
import { BulkDiscardDeadLetters } from 'src/modules/dead-letters/application/bulk-discard-dead-letters.use-case';
import { BulkRetryDeadLetters } from 'src/modules/dead-letters/application/bulk-retry-dead-letters.use-case';
import { DeadLetterReplay } from 'src/modules/dead-letters/application/dead-letter-replay';
import { EditAndRetryDeadLetter } from 'src/modules/dead-letters/application/edit-and-retry-dead-letter.use-case';
import { ReadDeadLetterActions } from 'src/modules/dead-letters/application/read-dead-letter-actions.query';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { REDACTED } from 'src/modules/dead-letters/domain/diff-payload';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { RabbitDeadLetterPublisher } from 'src/modules/dead-letters/transport/dead-letter.publisher';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import { INTEGRATION_RESOURCES, jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.deadLetterOperatorActions.database, 0);
const SHOP_A = 'shop-a.myshopify.com';
const SHOP_B = 'shop-b.myshopify.com';
const OPERATOR = 'api-key:ops (#7)';
/**
 * Where every dead letter of this suite was going: a classic queue of its own on the webhook exchange, read with
 * basic.get (an order partition, a quorum queue with a single active consumer, refuses basic.get).
 */
const QUEUE = 'it.dead-letter-actions';

interface Letter {
  shop?: string;
  topic?: string;
  reason?: string;
  lastError?: string;
  errorClass?: string;
  createdAt?: string;
  body?: string;
  shopifyId?: string;
}

/**
 * The operator's dead-letter actions on real PostgreSQL (real migrations) and the real broker (the topology on this
 * worker's vhost): bulk retry and discard by filter, bounded and idempotent; edit-and-retry decoded as the order
 * consumer decodes, sent once with the edit; each dead letter's own trail and the audit log.
 */
describe('dead-letter operator actions (real PostgreSQL and RabbitMQ)', () => {
  let dataSource: DataSource;
  let rabbit: Connection;
  let publisher: Publisher;
  let repository: DeadLetterRepository;
  let audit: AuditWriter;
  let bulkRetry: BulkRetryDeadLetters;
  let bulkDiscard: BulkDiscardDeadLetters;
  let edit: EditAndRetryDeadLetter;
  let retry: RetryDeadLetter;
  let trail: ReadDeadLetterActions;
  let sequence = 0;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    await rabbit.queueDeclare({ queue: QUEUE, durable: false, autoDelete: false });
    await rabbit.queueBind({ queue: QUEUE, exchange: WEBHOOK_EXCHANGE, routingKey: QUEUE });
    publisher = rabbit.createPublisher({ confirm: true });
    repository = new DeadLetterRepository(dataSource);
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    const replay = new DeadLetterReplay(
      repository,
      new RabbitDeadLetterPublisher(new MandatoryPublisher(publisher)),
      audit,
    );
    bulkRetry = new BulkRetryDeadLetters(repository, replay);
    bulkDiscard = new BulkDiscardDeadLetters(repository, audit);
    edit = new EditAndRetryDeadLetter(repository, replay);
    retry = new RetryDeadLetter(repository, replay);
    trail = new ReadDeadLetterActions(repository);
  });

  beforeEach(async () => {
    // What the last test audited is written before the tables are emptied, not into the next test's.
    await audit.flush();
    await dataSource.query('TRUNCATE dead_letter, dead_letter_action, sync_audit_log');
    await rabbit.queuePurge({ queue: QUEUE });
  });

  afterAll(async () => {
    await rabbit?.queueDelete({ queue: QUEUE });
    await publisher?.close();
    await rabbit?.close();
    await dataSource?.destroy();
  });

  async function deadLetter(letter: Letter = {}): Promise<string> {
    sequence++;
    const [row] = await dataSource.query<Array<{ id: string }>>(
      `INSERT INTO dead_letter (message_id, event_id, webhook_id, entity, topic, shop, shopify_id, routing_key, headers,
         body, reason, last_error, error_class, attempts, created_at)
       VALUES ($1, $2, $3, 'order', $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, COALESCE($13::timestamptz, now()))
       RETURNING id`,
      [
        `m-${sequence}`,
        `e-${sequence}`,
        `w-${sequence}`,
        letter.topic ?? 'orders/create',
        letter.shop ?? SHOP_A,
        letter.shopifyId ?? String(7_000 + sequence),
        QUEUE,
        JSON.stringify({
          [MessageHeader.Shop]: letter.shop ?? SHOP_A,
          [MessageHeader.EventId]: `e-${sequence}`,
          [MessageHeader.DeadLetterReason]: letter.reason ?? 'unknown SKU',
          [MessageHeader.DeadLetterErrorClass]: letter.errorClass ?? 'ORDER_MISSING_SKU',
          [MessageHeader.Attempt]: 3,
        }),
        Buffer.from(letter.body ?? `{"id":${7_000 + sequence}}`),
        letter.reason ?? 'unknown SKU',
        letter.lastError ?? null,
        letter.errorClass ?? 'ORDER_MISSING_SKU',
        letter.createdAt ?? null,
      ],
    );
    return String(row?.id);
  }

  /** Every message now in the partition queue (taken off it). */
  async function published(): Promise<Array<{ headers: Record<string, unknown>; body: string }>> {
    const messages: Array<{ headers: Record<string, unknown>; body: string }> = [];
    for (;;) {
      const message = await rabbit.basicGet({ queue: QUEUE, noAck: true });
      if (message === undefined) {
        return messages;
      }
      const body = Buffer.isBuffer(message.body) ? message.body.toString('utf8') : JSON.stringify(message.body);
      messages.push({ headers: message.headers ?? {}, body });
    }
  }

  async function statusOf(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await dataSource.query<Array<Record<string, unknown>>>(
      'SELECT status, retried_by, discarded_by, discarded_at FROM dead_letter WHERE id = $1',
      [id],
    );
    return row;
  }

  async function auditReasons(): Promise<string[]> {
    await audit.flush();
    const rows = await dataSource.query<Array<{ reason: string }>>('SELECT reason FROM sync_audit_log ORDER BY id');
    return rows.map((r) => r.reason);
  }

  describe('bulk retry', () => {
    it('retries exactly the dead letters the filter selects, once each, and a repeat sends nothing', async () => {
      const sku = [await deadLetter({ reason: 'unknown SKU ABC' }), await deadLetter({ lastError: 'Unknown sku XYZ' })];
      await deadLetter({ reason: 'customer missing', errorClass: 'ORDER_INVALID_PAYLOAD' });
      await deadLetter({ reason: 'unknown SKU', shop: SHOP_B });
      await deadLetter({ reason: 'unknown SKU', topic: 'refunds/create' });

      const selection = { reasonContains: 'UNKNOWN sku', topic: 'orders/create', shops: [SHOP_A] };
      const first = await bulkRetry.execute(selection, 100, OPERATOR);
      expect(first).toEqual({ outcome: 'done', report: { matched: 2, changed: 2, skipped: [], hasMore: false } });
      const sent = await published();
      expect(sent.map((m) => m.body).sort()).toEqual([`{"id":${7_001}}`, `{"id":${7_002}}`].sort());
      for (const message of sent) {
        expect(message.headers[MessageHeader.Attempt]).toBe(0);
        expect(message.headers[MessageHeader.DeadLetterReason]).toBeUndefined();
        expect(message.headers[MessageHeader.DeadLetterErrorClass]).toBeUndefined();
      }
      for (const id of sku) {
        expect(await statusOf(id)).toMatchObject({ status: 'retried', retried_by: OPERATOR });
      }

      // Again by the same filter: nothing is dead any more. By the ids: each skipped as already retried.
      expect(await bulkRetry.execute(selection, 100, OPERATOR)).toMatchObject({
        report: { matched: 0, changed: 0, skipped: [] },
      });
      expect(await bulkRetry.execute({ ids: [...sku, '999999'] }, 100, OPERATOR)).toEqual({
        outcome: 'done',
        report: {
          matched: 3,
          changed: 0,
          skipped: [
            { reason: 'not_found', count: 1, ids: ['999999'] },
            { reason: 'already_retried', count: 2, ids: sku },
          ],
          hasMore: false,
        },
      });
      expect(await published()).toEqual([]);
      expect((await trail.execute(sku[0] ?? ''))?.map((a) => [a.action, a.actor])).toEqual([['retried', OPERATOR]]);
      // One audit row each; a bulk retry may record them in either order.
      expect((await auditReasons()).sort()).toEqual(sku.map((id) => `dead letter ${id} retried by ${OPERATOR}`).sort());
    });

    it('selects by error class and by date range', async () => {
      const old = await deadLetter({ createdAt: '2026-11-01T10:00:00Z' });
      const recent = await deadLetter({ createdAt: '2026-12-05T10:00:00Z' });
      const otherClass = await deadLetter({ createdAt: '2026-12-05T11:00:00Z', errorClass: 'UNEXPECTED' });
      const report = await bulkRetry.execute(
        {
          errorClass: 'ORDER_MISSING_SKU',
          createdFrom: new Date('2026-12-01T00:00:00Z'),
          createdTo: new Date('2026-12-06T00:00:00Z'),
        },
        100,
        OPERATOR,
      );
      expect(report).toMatchObject({ report: { matched: 1, changed: 1 } });
      expect((await statusOf(recent))?.status).toBe('retried');
      expect((await statusOf(old))?.status).toBe('dead');
      expect((await statusOf(otherClass))?.status).toBe('dead');
    });

    it('takes a bounded batch, oldest first, and says when more match', async () => {
      const ids = [await deadLetter(), await deadLetter(), await deadLetter()];
      const first = await bulkRetry.execute({ topic: 'orders/create' }, 2, OPERATOR);
      expect(first).toMatchObject({ report: { matched: 2, changed: 2, hasMore: true } });
      expect((await statusOf(ids[2] ?? ''))?.status).toBe('dead');
      const second = await bulkRetry.execute({ topic: 'orders/create' }, 2, OPERATOR);
      expect(second).toMatchObject({ report: { matched: 1, changed: 1, hasMore: false } });
      expect(await published()).toHaveLength(3);
    });

    it('sends each dead letter once when two operators retry the same ones at the same moment', async () => {
      const ids = await Promise.all(Array.from({ length: 10 }, () => deadLetter()));
      const [a, b] = await Promise.all([
        bulkRetry.execute({ ids }, 100, 'api-key:a (#1)'),
        bulkRetry.execute({ ids }, 100, 'api-key:b (#2)'),
      ]);
      const changed = (r: typeof a) => (r.outcome === 'done' ? r.report.changed : -1);
      expect(changed(a) + changed(b)).toBe(10);
      expect(await published()).toHaveLength(10);
      const actions = await dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM dead_letter_action');
      expect(Number(actions[0]?.n)).toBe(10);
    });

    it('refuses a filter that would take every dead letter (shops and status alone)', async () => {
      await deadLetter();
      expect(await bulkRetry.execute({ shops: [SHOP_A], status: 'dead' }, 100, OPERATOR)).toEqual({
        outcome: 'unfocused',
      });
      expect(await published()).toEqual([]);
    });
  });

  describe('bulk discard', () => {
    it('keeps each discarded row with who, when and why; a discarded one is never retried', async () => {
      const ids = [await deadLetter({ reason: 'test order' }), await deadLetter({ reason: 'test order' })];
      const retried = await deadLetter({ reason: 'test order' });
      await retry.execute(retried, undefined, OPERATOR);
      await published();

      const discarded = await bulkDiscard.execute({ ids: [...ids, retried] }, 100, OPERATOR, 'staging noise');
      expect(discarded).toEqual({
        outcome: 'done',
        report: {
          matched: 3,
          changed: 2,
          skipped: [{ reason: 'already_retried', count: 1, ids: [retried] }],
          hasMore: false,
        },
      });
      for (const id of ids) {
        expect(await statusOf(id)).toMatchObject({
          status: 'discarded',
          discarded_by: OPERATOR,
          discarded_at: expect.any(Date),
        });
        const [action] = (await trail.execute(id)) ?? [];
        expect(action).toMatchObject({ action: 'discarded', actor: OPERATOR, note: 'staging noise' });
      }
      const count = await dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM dead_letter');
      expect(Number(count[0]?.n)).toBe(3);

      // Discarded: neither a bulk retry, a single retry nor an edit sends it; discarding again changes nothing.
      expect(await bulkRetry.execute({ ids }, 100, OPERATOR)).toMatchObject({
        report: { changed: 0, skipped: [{ reason: 'already_discarded', count: 2 }] },
      });
      expect(await retry.execute(ids[0] ?? '', undefined, OPERATOR)).toMatchObject({ outcome: 'discarded' });
      expect(await bulkDiscard.execute({ ids }, 100, OPERATOR)).toMatchObject({
        report: { changed: 0, skipped: [{ reason: 'already_discarded', count: 2 }] },
      });
      expect(await published()).toEqual([]);
      expect((await auditReasons()).filter((r) => r.includes('discarded'))).toEqual(
        ids.map((id) => `dead letter ${id} discarded by ${OPERATOR}: staging noise`),
      );
    });
  });

  it('retention deletes dead letters retried or discarded long ago with their trails, and keeps a recent one', async () => {
    const [retried, discarded, recent] = [await deadLetter(), await deadLetter(), await deadLetter()];
    await bulkRetry.execute({ ids: [retried] }, 10, OPERATOR);
    await bulkDiscard.execute({ ids: [discarded, recent] }, 10, OPERATOR);
    await dataSource.query(
      `UPDATE dead_letter SET retried_at = now() - interval '40 days', discarded_at = now() - interval '40 days'
        WHERE id IN ($1, $2)`,
      [retried, discarded],
    );
    expect(await repository.pruneSettled(30)).toBe(2);
    const left = await dataSource.query<Array<{ id: string; status: string }>>('SELECT id, status FROM dead_letter');
    expect(left.map((r) => [String(r.id), r.status])).toEqual([[recent, 'discarded']]);
    const trails = await dataSource.query<Array<{ id: string }>>('SELECT dead_letter_id AS id FROM dead_letter_action');
    expect(trails.map((r) => String(r.id))).toEqual([recent]);
  });

  describe('edit and retry', () => {
    const order = buildShopifyOrder(
      { id: 5_612_345_678_901, email: 'jane.doe@example.com', line_items: [{ sku: null }] },
      { seed: 18, lineCount: 1 },
    );
    const stored = serialiseOrder(order);
    const orderId = '5612345678901';

    it('refuses what the order consumer would refuse, naming the field, and changes nothing', async () => {
      const id = await deadLetter({ body: stored, shopifyId: orderId, reason: 'line item has no SKU' });
      const badPrice = JSON.stringify({ ...order, line_items: [{ ...order.line_items[0], price: 'ten' }] });
      const refused = await edit.execute({ id, payload: badPrice, actor: OPERATOR });
      expect(refused).toEqual({ outcome: 'invalid_payload', message: expect.stringContaining('line_items[0].price') });
      expect(await edit.execute({ id, payload: '{"id": 5612345678901,', actor: OPERATOR })).toEqual({
        outcome: 'invalid_payload',
        message: 'message body is not valid JSON',
      });
      const otherOrder = JSON.stringify({ ...order, id: 1, admin_graphql_api_id: 'gid://shopify/Order/1' });
      expect(await edit.execute({ id, payload: otherOrder, actor: OPERATOR })).toEqual({
        outcome: 'invalid_payload',
        message: expect.stringContaining('may not change which resource') as unknown,
      });
      expect(await edit.execute({ id, payload: stored, actor: OPERATOR })).toEqual({ outcome: 'unchanged' });
      expect(await statusOf(id)).toMatchObject({ status: 'dead', retried_by: null });
      expect(await trail.execute(id)).toEqual([]);
      expect(await published()).toEqual([]);
      expect(await auditReasons()).toEqual([]);
    });

    it('sends the edited payload once, byte for byte; the trail and the audit name the editor and the paths', async () => {
      const id = await deadLetter({ body: stored, shopifyId: orderId, reason: 'line item has no SKU' });
      const fixed = {
        ...order,
        email: 'jane.d@example.com',
        line_items: [{ ...order.line_items[0], sku: 'SKU-0042' }],
      };
      const payload = serialiseOrder(fixed);
      const result = await edit.execute({ id, payload, actor: OPERATOR, shops: [SHOP_A] });
      expect(result).toMatchObject({ outcome: 'retried', deadLetter: { id, status: 'retried', retriedBy: OPERATOR } });

      const sent = await published();
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body).toBe(payload);
      expect(sent[0]?.headers[MessageHeader.ReplayOf]).toBe(id);
      expect(sent[0]?.headers[MessageHeader.EventId]).toBeDefined();

      const [action] = (await trail.execute(id)) ?? [];
      expect(action).toMatchObject({ action: 'edited_and_retried', actor: OPERATOR });
      expect(action?.changes).toEqual([
        { path: 'email', change: 'changed', before: REDACTED, after: REDACTED },
        { path: 'line_items[0].sku', change: 'changed', before: null, after: 'SKU-0042' },
      ]);
      expect(JSON.stringify(action)).not.toContain('jane');
      expect(await auditReasons()).toEqual([
        `dead letter ${id} edited by ${OPERATOR} and retried; changed email, line_items[0].sku`,
      ]);
      // The stored message is the original still.
      const [row] = await dataSource.query<Array<{ body: Buffer }>>('SELECT body FROM dead_letter WHERE id = $1', [id]);
      expect(row?.body.toString('utf8')).toBe(stored);

      // Once: an edit (or a retry) of a retried dead letter sends nothing.
      expect(await edit.execute({ id, payload, actor: OPERATOR })).toEqual({ outcome: 'already_retried' });
      expect(await retry.execute(id, undefined, OPERATOR)).toMatchObject({ outcome: 'already_retried' });
      expect(await published()).toEqual([]);
    });

    it("does not find another shop's dead letter for a key limited to one shop", async () => {
      const id = await deadLetter({ body: stored, shopifyId: orderId, shop: SHOP_B });
      const payload = serialiseOrder({ ...order, line_items: [{ ...order.line_items[0], sku: 'SKU-0042' }] });
      expect(await edit.execute({ id, payload, actor: OPERATOR, shops: [SHOP_A] })).toEqual({ outcome: 'not_found' });
      expect(await trail.execute(id, [SHOP_A])).toBeUndefined();
      expect(await published()).toEqual([]);
    });
  });
});
