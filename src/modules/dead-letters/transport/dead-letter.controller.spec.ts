import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG } from 'src/config/app-config';
import { DEAD_LETTER_PUBLISHER } from 'src/modules/dead-letters/application/dead-letter-publisher.port';
import type { RetryDeadLetterResult } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { DeadLettersAdminModule } from 'src/modules/dead-letters/dead-letters.module';
import type { DeadLetterRow, DeadLetterStatus } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterController } from 'src/modules/dead-letters/transport/dead-letter.controller';
import request from 'supertest';
import { TEST_ADMIN_KEY, testConfig } from 'test/support/test-config';
import { DataSource } from 'typeorm';

const CUSTOMER_EMAIL = 'jane.doe@example.com';

function deadLetter(id: number, status: DeadLetterStatus = 'dead'): DeadLetterRow {
  return {
    id: String(id),
    messageId: `msg-${id}`,
    eventId: `evt-${id}`,
    webhookId: `wh-${id}`,
    entity: 'order',
    topic: 'orders/create',
    shop: 'test-store.myshopify.com',
    shopifyId: String(5000 + id),
    routingKey: 'orders.p3',
    headers: { 'x-customer-email': CUSTOMER_EMAIL },
    body: Buffer.from(JSON.stringify({ id: 5000 + id, email: CUSTOMER_EMAIL })),
    reason: 'unknown SKU',
    lastError: 'SKU ABC-1 not found',
    attempts: 1,
    status,
    createdAt: new Date('2026-01-02T03:04:05.000Z'),
    retriedAt: status === 'retried' ? new Date('2026-01-02T04:00:00.000Z') : null,
    retriedBy: status === 'retried' ? 'api-key:ops (#7)' : null,
    discardedAt: null,
    discardedBy: null,
  };
}

class FakeDeadLetterRepository {
  rows: DeadLetterRow[] = [1, 2, 3].map((id) => deadLetter(id));
  listCalls: Array<{ filter: { status?: DeadLetterStatus }; first: number; after?: string }> = [];

  list(filter: { status?: DeadLetterStatus }, first: number, after?: string): Promise<DeadLetterRow[]> {
    this.listCalls.push({ filter, first, after });
    return Promise.resolve(
      this.rows
        .filter(
          (r) =>
            (filter.status === undefined || r.status === filter.status) &&
            (after === undefined || Number(r.id) < Number(after)),
        )
        .sort((a, b) => Number(b.id) - Number(a.id))
        .slice(0, first),
    );
  }

  count(filter: { status?: DeadLetterStatus }): Promise<number> {
    return Promise.resolve(this.rows.filter((r) => filter.status === undefined || r.status === filter.status).length);
  }

  findById(id: string): Promise<DeadLetterRow | null> {
    return Promise.resolve(this.rows.find((r) => r.id === id) ?? null);
  }
}

class FakeRetryDeadLetter {
  outcomes = new Map<string, RetryDeadLetterResult>([
    ['1', { outcome: 'retried', deadLetter: deadLetter(1, 'retried') }],
    ['2', { outcome: 'already_retried', deadLetter: deadLetter(2, 'retried') }],
  ]);

  execute(id: string): Promise<RetryDeadLetterResult> {
    return Promise.resolve(this.outcomes.get(id) ?? { outcome: 'not_found' });
  }
}

/** Stands in for the app's global infrastructure; nothing here is reached once the repository is a fake. */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useValue: testConfig('unit', 0) },
    { provide: DataSource, useValue: {} },
  ],
  exports: [APP_CONFIG, DataSource],
})
class FakeInfrastructureModule {}

describe(DeadLetterController.name, () => {
  let app: INestApplication;
  let repository: FakeDeadLetterRepository;

  const get = (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
  const post = (path: string) =>
    request(app.getHttpServer()).post(path).set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);

  beforeAll(async () => {
    repository = new FakeDeadLetterRepository();
    const moduleRef = await Test.createTestingModule({ imports: [FakeInfrastructureModule, DeadLettersAdminModule] })
      .overrideProvider(DeadLetterRepository)
      .useValue(repository)
      .overrideProvider(RetryDeadLetter)
      .useValue(new FakeRetryDeadLetter())
      // Never reached: the retry use case above is a fake.
      .overrideProvider(DEAD_LETTER_PUBLISHER)
      .useValue({})
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    repository.listCalls = [];
  });

  describe('without a valid API key', () => {
    it.each([
      ['GET', '/admin/dead-letters'],
      ['GET', '/admin/dead-letters/1'],
      ['POST', '/admin/dead-letters/1/retry'],
      ['POST', '/admin/dead-letters/bulk-retry'],
      ['POST', '/admin/dead-letters/bulk-discard'],
      ['POST', '/admin/dead-letters/1/edit-and-retry'],
      ['GET', '/admin/dead-letters/1/actions'],
    ])('%s %s answers 401', async (method, path) => {
      const server = app.getHttpServer();
      const missing = method === 'GET' ? request(server).get(path) : request(server).post(path);
      const wrong = (method === 'GET' ? request(server).get(path) : request(server).post(path)).set(
        'Authorization',
        'Bearer wrong-key',
      );

      const [res1, res2] = await Promise.all([missing, wrong]);

      expect(res1.status).toBe(401);
      expect(res2.status).toBe(401);
      expect(res2.body.message).toBe('missing or invalid API key');
      expect(JSON.stringify(res2.body)).not.toContain('wrong-key');
    });
  });

  describe('GET /admin/dead-letters', () => {
    it('lists dead ones newest first with the defaults', async () => {
      const res = await get('/admin/dead-letters');

      expect(res.status).toBe(200);
      expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(['3', '2', '1']);
      expect(res.body.total).toBe(3);
      expect(res.body.nextCursor).toBeNull();
      expect(repository.listCalls).toEqual([{ filter: { status: 'dead' }, first: 51, after: undefined }]);
      expect(res.body.items[0]).toEqual({
        id: '3',
        messageId: 'msg-3',
        eventId: 'evt-3',
        webhookId: 'wh-3',
        entity: 'order',
        topic: 'orders/create',
        shop: 'test-store.myshopify.com',
        shopifyId: '5003',
        reason: 'unknown SKU',
        lastError: 'SKU ABC-1 not found',
        errorClass: null,
        attempts: 1,
        status: 'dead',
        createdAt: '2026-01-02T03:04:05.000Z',
        retriedAt: null,
        retriedBy: null,
        discardedAt: null,
        discardedBy: null,
      });
    });

    it('pages with nextCursor', async () => {
      const first = await get('/admin/dead-letters?first=2');
      expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(['3', '2']);
      expect(first.body.nextCursor).toBe(Buffer.from('2').toString('base64'));

      const second = await get(`/admin/dead-letters?first=2&after=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body.items.map((item: { id: string }) => item.id)).toEqual(['1']);
      expect(second.body.nextCursor).toBeNull();
      expect(repository.listCalls[1]).toEqual({ filter: { status: 'dead' }, first: 3, after: '2' });
    });

    it.each([
      ['first=100000', 'first must not be greater than 200'],
      ['first=0', 'first must not be less than 1'],
      ['first=abc', 'first must be an integer number'],
      ['status=bogus', 'status must be one of the following values: dead, retried, discarded'],
      ['body=1', 'property body should not exist'],
    ])('answers 400 to ?%s', async (query, message) => {
      const res = await get(`/admin/dead-letters?${query}`);

      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      expect(repository.listCalls).toHaveLength(0);
    });

    it('answers 400 to a cursor it did not issue', async () => {
      const res = await get(`/admin/dead-letters?after=${encodeURIComponent("1' OR 1=1")}`);

      expect(res.status).toBe(400);
      expect(repository.listCalls).toHaveLength(0);
    });
  });

  describe('GET /admin/dead-letters/:id', () => {
    it('answers one dead letter', async () => {
      const res = await get('/admin/dead-letters/2');

      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: '2', status: 'dead', reason: 'unknown SKU' }));
    });

    it('answers 404 for an unknown id', async () => {
      expect((await get('/admin/dead-letters/99')).status).toBe(404);
      expect((await get('/admin/dead-letters/not-a-number')).status).toBe(404);
    });
  });

  describe('POST /admin/dead-letters/:id/retry', () => {
    it('answers 200 with the retried dead letter', async () => {
      const res = await post('/admin/dead-letters/1/retry');

      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ id: '1', status: 'retried', retriedAt: '2026-01-02T04:00:00.000Z' }),
      );
    });

    it('answers 409 when it was already retried', async () => {
      const res = await post('/admin/dead-letters/2/retry');

      expect(res.status).toBe(409);
      expect(res.body.message).toBe('dead letter was already retried');
    });

    it('answers 404 for an unknown id', async () => {
      expect((await post('/admin/dead-letters/99/retry')).status).toBe(404);
    });
  });

  describe('bulk and edit input', () => {
    const send = (path: string, body: object) => post(path).send(body);

    it.each([
      [{ filter: { ids: ['1 OR 1=1'] } }, 'filter.each id must be a dead letter id (digits)'],
      [{ filter: { createdFrom: 'yesterday' } }, 'filter.createdFrom must be a Date instance'],
      [{ filter: { status: 'gone' } }, 'filter.status must be one of the following values: dead, retried, discarded'],
      [{ filter: { topic: 'orders/create' }, limit: 501 }, 'limit must not be greater than 500'],
      [{ filter: { topic: 'orders/create' }, everything: true }, 'property everything should not exist'],
    ])('refuses a bad bulk body %j with 400, naming the field', async (body, message) => {
      const res = await send('/admin/dead-letters/bulk-retry', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
    });

    it('refuses a filter that names nothing but a shop with 400', async () => {
      const res = await send('/admin/dead-letters/bulk-discard', { filter: { shop: 'test-store.myshopify.com' } });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^filter must name ids or at least one of/);
    });

    it('refuses an edit without a payload string with 400', async () => {
      for (const body of [{}, { payload: { id: 1 } }]) {
        const res = await send('/admin/dead-letters/1/edit-and-retry', body);
        expect(res.status).toBe(400);
        expect(res.body.message).toContain('payload must be a string');
      }
    });
  });

  it('never returns the message body or headers', async () => {
    const responses = await Promise.all([
      get('/admin/dead-letters?status=dead'),
      get('/admin/dead-letters/1'),
      post('/admin/dead-letters/1/retry'),
    ]);

    for (const res of responses) {
      expect(res.status).toBe(200);
      const items: Array<Record<string, unknown>> = res.body.items ?? [res.body];
      for (const item of items) {
        expect(item).not.toHaveProperty('body');
        expect(item).not.toHaveProperty('headers');
        expect(item).not.toHaveProperty('routingKey');
      }
      expect(res.text).not.toContain(CUSTOMER_EMAIL);
    }
  });
});
