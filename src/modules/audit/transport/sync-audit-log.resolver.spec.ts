import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { INestApplication } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { GRAPHQL_LIMITS, buildGraphqlOptions } from 'src/common/graphql/graphql-options';
import { APP_CONFIG } from 'src/config/app-config';
import { AuditStatus } from 'src/modules/audit/domain/audit.types';
import {
  AuditLogRepository,
  type AuditLogFilter,
  type AuditLogRow,
} from 'src/modules/audit/persistence/audit-log.repository';
import { SyncAuditLogResolver } from 'src/modules/audit/transport/sync-audit-log.resolver';
import request from 'supertest';
import { TEST_ADMIN_KEY, testConfig } from 'test/support/test-config';

function row(id: number, overrides: Partial<AuditLogRow> = {}): AuditLogRow {
  return {
    id: String(id),
    eventId: `evt-${id}`,
    entity: 'order',
    topic: 'orders/create',
    shop: 'test-store.myshopify.com',
    shopifyId: String(1000 + id),
    erpId: null,
    status: AuditStatus.Received,
    reason: null,
    attempt: 0,
    latencyMs: 3,
    error: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
    ...overrides,
  };
}

/** Keyset pagination like the real repository: newest (highest id) first, `after` excluded. */
class FakeAuditLogRepository {
  rows: AuditLogRow[] = [1, 2, 3, 4, 5].map((id) => row(id));
  calls: Array<{ filter: AuditLogFilter; first: number; after?: string }> = [];
  failWith?: Error;

  find(filter: AuditLogFilter, first: number, after?: string): Promise<AuditLogRow[]> {
    this.calls.push({ filter, first, after });
    if (this.failWith) {
      return Promise.reject(this.failWith);
    }
    return Promise.resolve(
      this.rows
        .filter((r) => after === undefined || Number(r.id) < Number(after))
        .sort((a, b) => Number(b.id) - Number(a.id))
        .slice(0, first),
    );
  }
}

const PAGE = `query Page($first: Int, $after: String, $filter: SyncAuditLogFilter) {
  syncAuditLogs(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id eventId status createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe(SyncAuditLogResolver.name, () => {
  let app: INestApplication;
  let repository: FakeAuditLogRepository;

  const post = (body: unknown, key: string | null = TEST_ADMIN_KEY) => {
    const req = request(app.getHttpServer()).post('/graphql').set('Content-Type', 'application/json');
    return key === null ? req.send(body as object) : req.set('Authorization', `Bearer ${key}`).send(body as object);
  };

  beforeAll(async () => {
    repository = new FakeAuditLogRepository();
    const moduleRef = await Test.createTestingModule({
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...buildGraphqlOptions({ production: true }),
        }),
      ],
      providers: [
        SyncAuditLogResolver,
        { provide: AuditLogRepository, useValue: repository },
        { provide: APP_CONFIG, useValue: testConfig('unit', 0) },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    repository.calls = [];
    repository.failWith = undefined;
  });

  it('refuses a request without an API key, without calling the repository', async () => {
    const res = await post({ query: PAGE }, null);

    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: 'missing or invalid API key', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(repository.calls).toHaveLength(0);
  });

  it('refuses a wrong API key', async () => {
    const res = await post({ query: PAGE }, 'not-the-key');

    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.body)).not.toContain('not-the-key');
  });

  it('pages newest first with cursors, asking for one row more than the page', async () => {
    const first = await post({ query: PAGE, variables: { first: 2 } });

    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data.syncAuditLogs;
    expect(page1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['5', '4']);
    expect(page1.edges[1].cursor).toBe(Buffer.from('4').toString('base64'));
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1].cursor });
    expect(page1.edges[0].node).toEqual({
      id: '5',
      eventId: 'evt-5',
      status: 'Received',
      createdAt: '2026-01-01T00:00:05.000Z',
    });
    expect(repository.calls[0]).toEqual({ filter: {}, first: 3, after: undefined });

    const second = await post({ query: PAGE, variables: { first: 2, after: page1.pageInfo.endCursor } });
    const page2 = second.body.data.syncAuditLogs;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['3', '2']);
    expect(page2.pageInfo.hasNextPage).toBe(true);
    expect(repository.calls[1].after).toBe('4');

    const third = await post({ query: PAGE, variables: { first: 2, after: page2.pageInfo.endCursor } });
    expect(third.body.data.syncAuditLogs.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(['1']);
    expect(third.body.data.syncAuditLogs.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: Buffer.from('1').toString('base64'),
    });
  });

  it('uses 50 as the default page size and passes the filter through, dates parsed', async () => {
    const res = await post({
      query: PAGE,
      variables: { filter: { status: 'DeadLettered', shopifyId: '1001', from: '2026-01-01T00:00:00Z' } },
    });

    expect(res.body.errors).toBeUndefined();
    expect(repository.calls[0]).toEqual({
      filter: expect.objectContaining({
        status: AuditStatus.DeadLettered,
        shopifyId: '1001',
        from: new Date('2026-01-01T00:00:00Z'),
      }),
      first: 51,
      after: undefined,
    });
  });

  it('rejects first: 100000 with a clear error', async () => {
    const res = await post({ query: PAGE, variables: { first: 100_000 } });

    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'first must not be greater than 200',
        extensions: {
          code: 'BAD_USER_INPUT',
          fieldErrors: [{ field: 'first', message: 'must not be greater than 200' }],
        },
      }),
    ]);
    expect(repository.calls).toHaveLength(0);
  });

  it('rejects first: 0 and a forged cursor', async () => {
    const zero = await post({ query: PAGE, variables: { first: 0 } });
    const forged = await post({ query: PAGE, variables: { after: "1' OR '1'='1" } });

    expect(zero.body.errors[0]).toEqual(
      expect.objectContaining({
        message: 'first must not be less than 1',
        extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'first', message: 'must not be less than 1' }] },
      }),
    );
    expect(forged.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(repository.calls).toHaveLength(0);
  });

  it('hides the message of an internal error but keeps its code', async () => {
    repository.failWith = new Error('connect ECONNREFUSED 10.0.0.5:5432');

    const res = await post({ query: PAGE });

    expect(res.body.errors).toEqual([
      { message: 'Internal server error', path: ['syncAuditLogs'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });

  it('rejects a depth-20 query before any resolver runs', async () => {
    const nested = 'a { '.repeat(19) + 'b' + ' }'.repeat(19);
    const res = await post({ query: `{ ${nested} }` });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toContain(
      `Syntax Error: Query depth limit of ${GRAPHQL_LIMITS.maxDepth} exceeded, found 20.`,
    );
    expect(repository.calls).toHaveLength(0);
  });

  it('rejects 1,000 aliases', async () => {
    const aliases = Array.from({ length: 1_000 }, (_, i) => `a${i}: syncAuditLogs { pageInfo { hasNextPage } }`);
    const started = Date.now();

    const res = await post({ query: `{ ${aliases.join(' ')} }` });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        // graphql-js 16 spells it "more that N tokens".
        message: expect.stringContaining(`${GRAPHQL_LIMITS.maxTokens} tokens`),
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      }),
    ]);
    expect(repository.calls).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('admits the widest legitimate page: first: 200 as a literal with every field selected', async () => {
    const res = await post({
      query: `{ syncAuditLogs(first: 200) {
        edges { cursor node { id eventId entity topic shop shopifyId erpId status reason attempt latencyMs error createdAt } }
        pageInfo { hasNextPage endCursor }
      } }`,
    });

    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(repository.calls[0].first).toBe(201);
  });

  it('rejects more aliases than the limit even in a short query', async () => {
    const aliases = Array.from(
      { length: GRAPHQL_LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: syncAuditLogs { pageInfo { hasNextPage } }`,
    );
    const res = await post({ query: `{ ${aliases.join(' ')} }` });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toContain(
      `Syntax Error: Aliases limit of ${GRAPHQL_LIMITS.maxAliases} exceeded, found ${GRAPHQL_LIMITS.maxAliases + 1}.`,
    );
  });

  it('answers a malformed query with 400, not 500', async () => {
    const res = await post({ query: 'query books / { books { title } }' });

    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('rejects a batched (array) request', async () => {
    const res = await post([{ query: PAGE }, { query: PAGE }]);

    expect(res.status).toBe(400);
    expect(repository.calls).toHaveLength(0);
  });

  it('refuses introspection in production', async () => {
    const res = await post({ query: '{ __schema { types { name } } }' });

    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a simple cross-site request (CSRF prevention)', async () => {
    const res = await request(app.getHttpServer())
      .get('/graphql')
      .query({ query: '{ __typename }' })
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);

    expect(res.status).toBe(400);
  });
});

describe(buildGraphqlOptions.name, () => {
  it('allows introspection outside production only', () => {
    expect(buildGraphqlOptions({ production: false }).introspection).toBe(true);
    expect(buildGraphqlOptions({ production: true }).introspection).toBe(false);
  });
});
