import { ClientError, GraphQLClient } from 'graphql-request';
import { readFileSync } from 'node:fs';
import { FLOW_PAUSES_MAX_AGE_MS } from 'src/modules/flows';
import { SHOPS_REFRESH_INTERVAL_MS } from 'src/modules/shops';
import { buildShopifyOrder } from 'test/factories/shopify-order.factory';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { payoutsExtension } from 'test/simulators/shopify/payouts-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { Scenario, nthOrder, orders, sleep, until, updated } from 'test/support/scenario';
import { TEST_ADMIN_KEY, TEST_SECRET, TEST_SHOP } from 'test/support/test-config';

/**
 * The admin API over HTTP, as an operations team uses it: a real GraphQL client (graphql-request) and plain REST
 * calls against the app as a child process, on real PostgreSQL, RabbitMQ and Redis. Keys are created through the
 * API itself, from the bootstrap key of ADMIN_API_KEYS; each test asserts what one role or one shop scope may do.
 * Every answer and every log line of the run is kept, and the last test searches them for each secret the run knew.
 * The mapping block drives the configuration half on the same app: 200 past orders through the pipeline, then the
 * impact of a draft, the change seen in the preview and in the sandbox ERP, an operator's roll back, and an ownership
 * change.
 */

const SHOP_A = TEST_SHOP;
const SHOP_B = 'second-store.myshopify.com';

/** Shop B's secrets, given to the API once when the shop is added. */
const SHOP_B_SECRETS = {
  webhookSecret: 'shpss_shop_b_webhook_secret_e2e_41d7',
  webhookSecretPrevious: 'shpss_shop_b_previous_secret_e2e_93c2',
  adminAccessToken: 'shpat_shop_b_admin_token_e2e_6e0f5a',
};

/** Secrets the app holds from its environment; none may ever appear in an answer or a log line. */
const ENV_SECRETS = {
  SHOPIFY_WEBHOOK_SECRET_PREVIOUS: 'shpss_previous_secret_e2e_7f3a9c',
  ERP_PUSH_SECRET: 'erp-push-secret-e2e-5b8d2e41c9',
  METRICS_API_KEY: 'metrics-key-e2e-0123456789abcdef0123',
  SECRETS_ENCRYPTION_KEY: 'ZTJlLWFkbWluLWFwaS1zZWNyZXRzLWtleS0zMi1ieXQ=',
  SHOPIFY_ADMIN_ACCESS_TOKEN: 'shpat_shop_a_admin_token_e2e_2c9d41',
};

interface Answer {
  what: string;
  status: number;
  body: string;
}

interface GraphqlErrorShape {
  message: string;
  extensions?: { code?: string; fieldErrors?: Array<{ field: string; message: string }> };
}

interface ApiKeyNode {
  id: string;
  name: string;
  role: string;
  shops: string[] | null;
  prefix: string;
  revokedAt: string | null;
}

const API_KEY_FIELDS = 'id name role shops prefix createdBy createdAt lastUsedAt revokedAt';

describe('admin API: roles, shops, validation, pagination and secrets (GraphQL client + REST)', () => {
  const scenario = new Scenario({
    name: 'admin-api',
    database: 'erp_sync_e2e_admin_api',
    redisDb: 11,
    // The product's default APP_ROLE=all (the ERP side in a child process): settings and pauses cross processes.
    // Payouts on (docs/payouts.md): the payouts test deposits into the sandbox ERP's bank account 101.
    env: {
      ...ENV_SECRETS,
      ERP_PROCESS: 'child',
      LOG_LEVEL: 'debug',
      PAYOUTS_ERP_BANK_ACCOUNT: '101',
      PAYOUTS_ERP_CLEARING_ACCOUNT: '102',
      PAYOUTS_ERP_FEE_ACCOUNT: '601',
    },
  });
  /** Shop A's Admin API (the replays read orders from it), reached through SHOPIFY_ADMIN_API_URL. */
  const shopify = new ShopifySimulator({ shopDomain: SHOP_A, accessToken: ENV_SECRETS.SHOPIFY_ADMIN_ACCESS_TOKEN });
  const shopifyOrders = ordersExtension(shopify.context);
  shopify.use(shopifyOrders.extension);
  /** Shop A's Shopify Payments payouts and balance transactions (the payouts job reads them). */
  const shopifyPayouts = payoutsExtension(shopify.context);
  shopify.use(shopifyPayouts.extension);
  /** Every answer of the run, in order, except the creation answers that carry a new key (listed apart). */
  const answers: Answer[] = [];
  const creationAnswers: Answer[] = [];
  /** Keys created in the run: each a secret everywhere but in its own creation answer. */
  const keys: Record<string, string> = {};
  let baseUrl = '';
  let shopADeadLetters: string[] = [];
  let shopBDeadLetter = '';

  /** A recording fetch: every answer is kept (its text, read from a clone) before the client sees it. */
  const recordingFetch =
    (what: string) =>
    async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      const body = await response.clone().text();
      const answer = { what, status: response.status, body };
      (/createApiKey|POST \/admin\/api-keys$/.test(what) && response.ok ? creationAnswers : answers).push(answer);
      return response;
    };

  const client = (key: string | null, what = 'graphql'): GraphQLClient =>
    new GraphQLClient(`${baseUrl}/graphql`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
      fetch: recordingFetch(what),
    });

  /** A GraphQL call expected to fail: its errors (the client throws ClientError with the answer). */
  async function errorsOf(
    key: string | null,
    document: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlErrorShape[]> {
    try {
      await client(key).request(document, variables);
    } catch (error: unknown) {
      if (error instanceof ClientError) {
        return error.response.errors ?? [];
      }
      throw error;
    }
    throw new Error('expected the request to fail');
  }

  const codesOf = async (key: string | null, document: string, variables?: Record<string, unknown>) =>
    (await errorsOf(key, document, variables)).map((e) => e.extensions?.code);

  async function rest(
    key: string | null,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) {
      headers.authorization = `Bearer ${key}`;
    }
    const response = await recordingFetch(`${method} ${path.split('?')[0]}`)(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function createKey(name: string, role: string, shops: string[] | null): Promise<string> {
    const created = await client(TEST_ADMIN_KEY, 'createApiKey').request<{
      createApiKey: { key: string; apiKey: ApiKeyNode };
    }>(
      `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${API_KEY_FIELDS} } } }`,
      { input: { name, role, shops } },
    );
    keys[name] = created.createApiKey.key;
    return created.createApiKey.key;
  }

  beforeAll(async () => {
    await scenario.setup();
    baseUrl = (await scenario.start('all', { SHOPIFY_ADMIN_API_URL: await shopify.start() })).url;

    // Shop A's dead letters come from the pipeline: signed orders whose SKUs the ERP does not know.
    const poison = orders(3, 160_000).map((o, i) => ({
      ...o,
      line_items: o.line_items.map((line) => ({ ...line, sku: `NO-SUCH-SKU-${i}` })),
    }));
    poison.forEach((o) => scenario.plan(o, 'orders/create', { validSkus: false }));
    await scenario.sendAll(20);
    await until(
      'three dead letters of shop A',
      async () => (await scenario.sql(`SELECT 1 FROM dead_letter WHERE shop = $1`, [SHOP_A])).length === 3,
      60_000,
    );
    shopADeadLetters = (
      await scenario.sql<{ id: string }>(`SELECT id FROM dead_letter WHERE shop = $1 ORDER BY id`, [SHOP_A])
    ).map((r) => String(r.id));
    // Shop B's rows, as a second shop of the deployment would have them.
    const [deadB] = await scenario.sql<{ id: string }>(
      `INSERT INTO dead_letter (message_id, event_id, entity, topic, shop, shopify_id, routing_key, headers, body, reason, attempts)
       VALUES ('m-shop-b', 'e-shop-b', 'order', 'orders/create', $1, '990001', 'orders.p00', '{}', $2, 'unknown SKU', 1)
       RETURNING id`,
      [SHOP_B, Buffer.from('{"id":990001}')],
    );
    shopBDeadLetter = String(deadB?.id);
    await scenario.sql(
      `INSERT INTO sync_audit_log (event_id, entity, topic, shop, shopify_id, status, attempt)
       SELECT 'e-shop-b-' || n, 'order', 'orders/create', $1, '99000' || n, 'received', 0 FROM generate_series(1, 4) n`,
      [SHOP_B],
    );
  }, 120_000);

  afterAll(async () => {
    await scenario.teardown();
    await shopify.stop();
  });

  it('an admin of ADMIN_API_KEYS creates keys with roles and shops; the key is answered once, stored as a hash', async () => {
    await createKey('viewer', 'VIEWER', null);
    await createKey('operator', 'OPERATOR', null);
    await createKey('admin', 'ADMIN', null);
    await createKey('viewer-a', 'VIEWER', [SHOP_A]);
    await createKey('operator-b', 'OPERATOR', ['Second-Store.myshopify.com']);
    // REST creates the same way, for the Swagger user.
    const created = await rest(TEST_ADMIN_KEY, 'POST', '/admin/api-keys', {
      name: 'rest-admin-a',
      role: 'admin',
      shops: [SHOP_A],
    });
    expect(created.status).toBe(201);
    keys['rest-admin-a'] = String(created.json.key);
    expect(created.json.apiKey).toMatchObject({ name: 'rest-admin-a', role: 'admin', shops: [SHOP_A] });

    const listed = await client(keys.admin ?? '').request<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(
      `{ apiKeys(first: 50) { edges { node { ${API_KEY_FIELDS} } } } }`,
    );
    const byName = Object.fromEntries(listed.apiKeys.edges.map(({ node }) => [node.name, node]));
    expect(byName['operator-b']).toMatchObject({ role: 'OPERATOR', shops: [SHOP_B], revokedAt: null });
    expect(byName['viewer-a']).toMatchObject({ role: 'VIEWER', shops: [SHOP_A] });
    expect(byName.viewer?.shops).toBeNull();
    for (const [name, key] of Object.entries(keys)) {
      expect(key).toMatch(/^esk_/);
      expect(byName[name]?.prefix).toBe(key.slice(0, 12));
    }
    const stored = await scenario.sql<{ row: string }>(`SELECT to_jsonb(k)::text AS row FROM admin_api_key k`);
    for (const key of Object.values(keys)) {
      expect(stored.map((r) => r.row).join('\n')).not.toContain(key.slice(12));
    }
  });

  it('an admin adds shop B with its secrets; no answer shows them', async () => {
    const added = await client(TEST_ADMIN_KEY).request<{
      addShop: { shop: string; secrets: Record<string, string> };
    }>(
      `mutation Add($shop: String!, $input: ShopSettingsInput!) {
        addShop(shop: $shop, input: $input) { shop secrets { webhookSecret webhookSecretPrevious adminAccessToken } }
      }`,
      {
        shop: SHOP_B,
        // An unreachable Admin API: nothing of this run may call a real shop.
        input: { currency: 'EUR', adminApiUrl: 'http://127.0.0.1:9/admin/api/2026-10/graphql.json', ...SHOP_B_SECRETS },
      },
    );
    expect(added.addShop).toEqual({
      shop: SHOP_B,
      secrets: { webhookSecret: 'STORED', webhookSecretPrevious: 'STORED', adminAccessToken: 'STORED' },
    });
  });

  it('refuses a request without a key, or with an unknown one, as UNAUTHENTICATED / 401', async () => {
    const query = '{ deadLetters { edges { node { id } } } }';
    expect(await codesOf(null, query)).toEqual(['UNAUTHENTICATED']);
    expect(await codesOf(`${keys.viewer ?? ''}x`, query)).toEqual(['UNAUTHENTICATED']);
    expect(await codesOf('esk_not-a-key-of-this-deployment-0123456789', query)).toEqual(['UNAUTHENTICATED']);
    expect((await rest(null, 'GET', '/admin/dead-letters')).status).toBe(401);
    expect((await rest('wrong-key-0123456789abcdef0123456789', 'GET', '/admin/api-keys')).status).toBe(401);
  });

  const UPDATE_SHOP =
    'mutation Update($shop: String!, $input: ShopSettingsInput!) { updateShop(shop: $shop, input: $input) { shop currency } }';

  const OWNERSHIP = 'query Policy($shop: String!) { ownershipPolicy(shop: $shop) { shop } }';
  const ACTIVATE_MAPPING =
    'mutation Activate($shop: String!, $version: Int!) { activateOrderMapping(shop: $shop, version: $version) { version } }';

  describe('roles', () => {
    const RETRY = 'mutation Retry($id: ID!) { retryDeadLetter(id: $id) { id status } }';

    it('a viewer reads, but cannot retry, trigger or change configuration (FORBIDDEN / 403)', async () => {
      const viewer = keys.viewer ?? '';
      const read = await client(viewer).request<{ deadLetters: { edges: unknown[] } }>(
        '{ deadLetters { edges { node { id shop } } } }',
      );
      expect(read.deadLetters.edges).toHaveLength(4);

      const refused = await errorsOf(viewer, RETRY, { id: shopADeadLetters[0] });
      expect(refused).toEqual([
        expect.objectContaining({
          message: 'this operation requires the operator role; the key has the viewer role',
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
      expect(await codesOf(viewer, 'mutation { startInventoryReconciliation { jobId } }')).toEqual(['FORBIDDEN']);
      expect(await codesOf(viewer, 'mutation { createApiKey(input: { name: "mine", role: ADMIN }) { key } }')).toEqual([
        'FORBIDDEN',
      ]);
      expect(await codesOf(viewer, '{ apiKeys { edges { node { id } } } }')).toEqual(['FORBIDDEN']);
      expect(await codesOf(viewer, UPDATE_SHOP, { shop: SHOP_A, input: { currency: 'GBP' } })).toEqual(['FORBIDDEN']);
      expect((await rest(viewer, 'PATCH', `/admin/shops/${SHOP_A}`, { currency: 'GBP' })).status).toBe(403);
      expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_B}/disable`)).status).toBe(403);
      // The mapping configuration: readable, not changeable (not even a roll back).
      await client(viewer).request(OWNERSHIP, { shop: SHOP_A });
      expect(await codesOf(viewer, ACTIVATE_MAPPING, { shop: SHOP_A, version: 1 })).toEqual(['FORBIDDEN']);
      expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_A}/mapping/versions/1/activate`)).status).toBe(403);
      expect((await rest(viewer, 'POST', `/admin/dead-letters/${shopADeadLetters[0]}/retry`)).status).toBe(403);
      expect((await rest(viewer, 'POST', '/admin/api-keys', { name: 'mine', role: 'admin' })).status).toBe(403);
      // Nothing was retried by the refused calls.
      const statuses = await scenario.sql<{ status: string }>(`SELECT status FROM dead_letter WHERE shop = $1`, [
        SHOP_A,
      ]);
      expect(statuses.map((r) => r.status)).toEqual(['dead', 'dead', 'dead']);
    });

    it('an operator retries (GraphQL and REST) and triggers work, but cannot manage keys', async () => {
      const operator = keys.operator ?? '';
      // The cause fixed first (the ERP now has the items), so that the retried orders land instead of dying again.
      await fetch(`${scenario.sandboxUrl}/_control/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ skus: [0, 1, 2].map((i) => `NO-SUCH-SKU-${i}`) }),
      });
      const retried = await client(operator).request<{ retryDeadLetter: { id: string; status: string } }>(RETRY, {
        id: shopADeadLetters[0],
      });
      expect(retried.retryDeadLetter).toEqual({ id: shopADeadLetters[0], status: 'RETRIED' });
      const viaRest = await rest(operator, 'POST', `/admin/dead-letters/${shopADeadLetters[1]}/retry`);
      expect(viaRest).toMatchObject({ status: 200, json: { id: shopADeadLetters[1], status: 'retried' } });
      const reconciliation = await client(operator).request<{ startInventoryReconciliation: { jobId: string } }>(
        'mutation { startInventoryReconciliation { jobId } }',
      );
      expect(reconciliation.startInventoryReconciliation.jobId).toMatch(/^\d+$/);

      expect(await codesOf(operator, `mutation { revokeApiKey(id: "1") { id } }`)).toEqual(['FORBIDDEN']);
      expect(await codesOf(operator, UPDATE_SHOP, { shop: SHOP_A, input: { currency: 'GBP' } })).toEqual(['FORBIDDEN']);
      expect(await codesOf(operator, ACTIVATE_MAPPING, { shop: SHOP_A, version: 1 })).toEqual(['FORBIDDEN']);
      expect((await rest(operator, 'GET', '/admin/api-keys')).status).toBe(403);
      await until(
        'both retried orders succeeded',
        async () =>
          (await scenario.sql(`SELECT 1 FROM sync_audit_log WHERE status = 'succeeded' AND shop = $1`, [SHOP_A]))
            .length === 2,
        60_000,
      );
      // The retries' own audit rows are batched (the audit writer's flush), so they may land after the successes.
      await until(
        'both retries audited',
        async () =>
          (await scenario.sql(`SELECT 1 FROM sync_audit_log WHERE status = 'replayed' AND shop = $1`, [SHOP_A]))
            .length >= 2,
        10_000,
      );
      const replayed = await scenario.sql(`SELECT 1 FROM sync_audit_log WHERE status = 'replayed' AND shop = $1`, [
        SHOP_A,
      ]);
      expect(replayed).toHaveLength(2);
    });

    it('an admin manages keys: a revoked key is refused from the next request on', async () => {
      const temporary = await createKey('temporary', 'VIEWER', null);
      const query = '{ syncAuditLogs(first: 1) { edges { node { id } } } }';
      await client(temporary).request(query);
      const { apiKeys } = await client(keys.admin ?? '').request<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(
        `{ apiKeys(first: 1) { edges { node { ${API_KEY_FIELDS} } } } }`,
      );
      const newest = apiKeys.edges[0]?.node;
      expect(newest?.name).toBe('temporary');

      const revoked = await client(keys.admin ?? '').request<{ revokeApiKey: ApiKeyNode }>(
        `mutation Revoke($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }`,
        { id: newest?.id },
      );
      expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
      expect(await codesOf(temporary, query)).toEqual(['UNAUTHENTICATED']);
      expect(await codesOf(keys.admin ?? '', `mutation { revokeApiKey(id: "${newest?.id}") { id } }`)).toEqual([
        'CONFLICT',
      ]);
      const again = await rest(TEST_ADMIN_KEY, 'POST', `/admin/api-keys/${newest?.id}/revoke`);
      expect(again.status).toBe(409);
      expect((await rest(TEST_ADMIN_KEY, 'POST', '/admin/api-keys/424242/revoke')).status).toBe(404);
    });
  });

  describe('shops', () => {
    const AUDIT = `query Audit($filter: SyncAuditLogFilter) {
      syncAuditLogs(first: 200, filter: $filter) { edges { node { shop } } }
    }`;
    const DEAD = 'query Dead($shop: String) { deadLetters(shop: $shop, status: DEAD) { edges { node { id shop } } } }';

    it('a key for shop A sees only shop A, with or without asking for it', async () => {
      const viewerA = keys['viewer-a'] ?? '';
      const audit = await client(viewerA).request<{ syncAuditLogs: { edges: Array<{ node: { shop: string } }> } }>(
        AUDIT,
      );
      expect(audit.syncAuditLogs.edges.length).toBeGreaterThan(0);
      expect(new Set(audit.syncAuditLogs.edges.map((e) => e.node.shop))).toEqual(new Set([SHOP_A]));
      const asked = await client(viewerA).request<{ syncAuditLogs: { edges: Array<{ node: { shop: string } }> } }>(
        AUDIT,
        { filter: { shop: 'TEST-STORE.myshopify.com' } },
      );
      expect(asked.syncAuditLogs.edges.length).toBeGreaterThan(0);
      expect(new Set(asked.syncAuditLogs.edges.map((e) => e.node.shop))).toEqual(new Set([SHOP_A]));

      const dead = await client(viewerA).request<{ deadLetters: { edges: Array<{ node: { shop: string } }> } }>(DEAD);
      expect(dead.deadLetters.edges.map((e) => e.node.shop)).toEqual([SHOP_A]);
      const restList = await rest(viewerA, 'GET', '/admin/dead-letters?status=dead');
      expect(restList.status).toBe(200);
      expect(restList.json).toMatchObject({ total: 1, items: [{ shop: SHOP_A }] });
      const shops = await client(viewerA).request<{ shops: Array<{ shop: string }> }>('{ shops { shop } }');
      expect(shops.shops).toEqual([{ shop: SHOP_A }]);
      const restShops = await rest(viewerA, 'GET', '/admin/shops');
      expect((restShops.json as unknown as Array<{ shop: string }>).map((x) => x.shop)).toEqual([SHOP_A]);

      // A key for every shop sees both.
      const all = await client(keys.viewer ?? '').request<{
        syncAuditLogs: { edges: Array<{ node: { shop: string } }> };
      }>(AUDIT);
      expect(new Set(all.syncAuditLogs.edges.map((e) => e.node.shop))).toEqual(new Set([SHOP_A, SHOP_B]));
    });

    it('a key for shop A asking for shop B is FORBIDDEN / 403, and gets nothing of it', async () => {
      const viewerA = keys['viewer-a'] ?? '';
      const refused = await errorsOf(viewerA, AUDIT, { filter: { shop: SHOP_B } });
      expect(refused).toEqual([
        expect.objectContaining({
          message: 'the key is not allowed to access the shop asked for',
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
      expect(await codesOf(viewerA, DEAD, { shop: SHOP_B })).toEqual(['FORBIDDEN']);
      expect((await rest(viewerA, 'GET', `/admin/dead-letters?shop=${SHOP_B}`)).status).toBe(403);
      expect((await rest(viewerA, 'GET', `/admin/dead-letters?shop=${SHOP_A}&shop=${SHOP_B}`)).status).toBe(403);
      expect(
        await codesOf(viewerA, 'query S($shop: String!) { shop(shop: $shop) { shop } }', { shop: SHOP_B }),
      ).toEqual(['FORBIDDEN']);
      expect((await rest(viewerA, 'GET', `/admin/shops/${SHOP_B}`)).status).toBe(403);
      expect(await codesOf(viewerA, OWNERSHIP, { shop: SHOP_B })).toEqual(['FORBIDDEN']);
      expect((await rest(viewerA, 'GET', `/admin/shops/${SHOP_B}/mapping`)).status).toBe(403);
      expect((await rest(viewerA, 'GET', `/admin/shops/${SHOP_B}/ownership-policy`)).status).toBe(403);
      // Another shop's dead letter by id: not found, as if it did not exist.
      expect((await rest(viewerA, 'GET', `/admin/dead-letters/${shopBDeadLetter}`)).status).toBe(404);
      expect((await rest(viewerA, 'GET', `/admin/dead-letters/${shopADeadLetters[2]}`)).status).toBe(200);
    });

    it("an operator for shop B cannot retry shop A's dead letter, nor act on every shop", async () => {
      const operatorB = keys['operator-b'] ?? '';
      const refused = await errorsOf(
        operatorB,
        'mutation { retryDeadLetter(id: "' + shopADeadLetters[2] + '") { id } }',
      );
      expect(refused.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      expect((await rest(operatorB, 'POST', `/admin/dead-letters/${shopADeadLetters[2]}/retry`)).status).toBe(404);
      expect(await codesOf(operatorB, 'mutation { startInventoryReconciliation { jobId } }')).toEqual(['FORBIDDEN']);
      const [row] = await scenario.sql<{ status: string }>('SELECT status FROM dead_letter WHERE id = $1', [
        shopADeadLetters[2],
      ]);
      expect(row?.status).toBe('dead');
    });

    it('an admin limited to shop A configures shop A, but not shop B, shops or keys', async () => {
      const adminA = keys['rest-admin-a'] ?? '';
      const changed = await client(adminA).request<{ updateShop: { shop: string; currency: string } }>(UPDATE_SHOP, {
        shop: SHOP_A,
        input: { currency: 'CHF' },
      });
      expect(changed.updateShop).toEqual({ shop: SHOP_A, currency: 'CHF' });
      expect(await codesOf(adminA, UPDATE_SHOP, { shop: SHOP_B, input: { currency: 'CHF' } })).toEqual(['FORBIDDEN']);
      expect((await rest(adminA, 'PATCH', `/admin/shops/${SHOP_B}`, { currency: 'CHF' })).status).toBe(403);
      expect((await rest(adminA, 'POST', `/admin/shops/${SHOP_B}/disable`)).status).toBe(403);
      expect(
        (await rest(adminA, 'POST', '/admin/shops/third-store.myshopify.com', { webhookSecret: 'x' })).status,
      ).toBe(403);
      const [shopB] = await scenario.sql<{ currency: string; enabled: boolean }>(
        'SELECT currency, enabled FROM shops WHERE shop_domain = $1',
        [SHOP_B],
      );
      expect(shopB).toEqual({ currency: 'EUR', enabled: true });
      expect(await codesOf(adminA, '{ apiKeys { edges { node { id } } } }')).toEqual(['FORBIDDEN']);
      expect((await rest(adminA, 'POST', '/admin/api-keys', { name: 'escalate', role: 'admin' })).status).toBe(403);
    });
  });

  it("pauses and resumes a shop's order flow: a viewer reads it, an operator pauses it; a paused order waits, then lands once", async () => {
    const FLOWS =
      'query Flows($shop: String!) { flows(shop: $shop) { flow paused pausedBy reason trigger schedule { job cron } } }';
    const viewer = keys.viewer ?? '';
    const operator = keys.operator ?? '';
    const read = await client(viewer).request<{
      flows: Array<{
        flow: string;
        paused: boolean;
        trigger: string;
        schedule: Array<{ job: string; cron: string | null }>;
      }>;
    }>(FLOWS, { shop: SHOP_A });
    expect(read.flows.map((f) => [f.flow, f.paused, f.trigger])).toEqual([
      ['ORDERS', false, 'continuous'],
      ['REFUNDS', false, 'continuous'],
      ['PRODUCTS', false, 'scheduled'],
      ['INVENTORY', false, 'scheduled'],
      ['FULFILMENTS', false, 'scheduled'],
      ['ORDER_RECONCILIATION', false, 'scheduled'],
      ['PAYOUTS', false, 'scheduled'],
    ]);
    // The schedules the app's scheduler registered in Redis (payouts are on: PAYOUTS_ERP_BANK_ACCOUNT is set).
    expect(read.flows[5]?.schedule).toEqual([{ job: 'reconcile-orders', cron: '*/10 * * * *' }]);
    expect(read.flows[6]?.schedule).toEqual([{ job: 'payouts.deposit', cron: '23 * * * *' }]);
    expect(
      await codesOf(viewer, 'mutation { pauseFlow(shop: "test-store.myshopify.com", flow: ORDERS) { paused } }'),
    ).toEqual(['FORBIDDEN']);
    expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_A}/flows/orders/pause`)).status).toBe(403);
    expect((await rest(keys['operator-b'] ?? '', 'POST', `/admin/shops/${SHOP_A}/flows/orders/pause`)).status).toBe(
      403,
    );
    expect((await rest(operator, 'POST', `/admin/shops/${SHOP_A}/flows/payments/pause`)).status).toBe(400);
    expect((await rest(viewer, 'GET', `/admin/shops/${SHOP_A}/flows`)).status).toBe(200);

    const paused = await rest(operator, 'POST', `/admin/shops/${SHOP_A}/flows/orders/pause`, {
      reason: 'ERP month-end',
    });
    expect(paused).toMatchObject({
      status: 200,
      json: {
        shop: SHOP_A,
        flow: 'orders',
        paused: true,
        pausedBy: expect.stringMatching(/^api-key:operator \(#\d+\)$/),
        reason: 'ERP month-end',
      },
    });

    // The pause holds in every process within FLOW_PAUSES_MAX_AGE_MS of the answer (each reads the pauses at most that
    // often; APP_ROLE=all writes to the ERP in its child process): the order is sent once that bound has passed.
    await sleep(FLOW_PAUSES_MAX_AGE_MS + 250);
    const metricsAuth = { authorization: `Bearer ${ENV_SECRETS.METRICS_API_KEY}` };
    const kept = async (): Promise<number> => {
      const text = await (await fetch(`${baseUrl}/metrics`, { headers: metricsAuth })).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('erp_sync_messages_processed_total{entity="order",outcome="paused"}'));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const [order] = orders(1, 171_000);
    if (order === undefined) {
      throw new Error('no order');
    }
    scenario.plan(order, 'orders/create');
    await scenario.sendAll(20);
    await until('the paused order is kept twice', async () => (await kept()) >= 2, 30_000);
    expect(await processed(String(order.id))).toBe(false);

    const resumed = await client(operator).request<{ resumeFlow: { flow: string; paused: boolean } }>(
      'mutation Resume($shop: String!) { resumeFlow(shop: $shop, flow: ORDERS) { flow paused } }',
      { shop: SHOP_A },
    );
    expect(resumed.resumeFlow).toEqual({ flow: 'ORDERS', paused: false });
    await until('the kept order lands after the resume', () => processed(String(order.id)), 30_000);
    const succeeded = await scenario.sql(
      `SELECT 1 FROM sync_audit_log WHERE shop = $1 AND shopify_id = $2 AND status = 'succeeded'`,
      [SHOP_A, String(order.id)],
    );
    expect(succeeded).toHaveLength(1);
  }, 120_000);

  /** True once the order was written to the ERP (audited `succeeded`). */
  async function processed(orderId: string): Promise<boolean> {
    const rows = await scenario.sql(
      `SELECT 1 FROM sync_audit_log WHERE shop = $1 AND shopify_id = $2 AND status = 'succeeded'`,
      [SHOP_A, orderId],
    );
    return rows.length > 0;
  }

  it('replays a date range of shop A over REST (operator; viewer 403): the ERP ends with each order once, some already there', async () => {
    const viewer = keys.viewer ?? '';
    const operator = keys.operator ?? '';
    // Twelve orders of a day long past (the scheduled reconciliation looks at the last 24 hours only).
    const day = Array.from({ length: 12 }, (_, i) => {
      const at = new Date(Date.parse('2026-10-01T09:00:00Z') + i * 60_000).toISOString();
      return buildShopifyOrder(
        { created_at: at, processed_at: at, updated_at: at },
        { seed: 178_000 + i, lineCount: 1 },
      );
    });
    day.forEach((order) => shopifyOrders.state.seedOrder(order as unknown as Record<string, unknown>));
    // Five came through their webhooks; the other seven never did.
    day.slice(0, 5).forEach((order) => scenario.plan(order, 'orders/create'));
    await scenario.sendAll(50);
    await until('five orders in the ERP', async () => (await writes(day)).filter((w) => w === 1).length === 5, 30_000);

    const range = { createdFrom: '2026-10-01T00:00:00Z', createdTo: '2026-10-01T23:59:59Z', ratePerSecond: 50 };
    expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_A}/order-replays`, range)).status).toBe(403);
    expect(
      (
        await rest(operator, 'POST', `/admin/shops/${SHOP_A}/order-replays`, {
          ...range,
          createdTo: '2026-09-01T00:00:00Z',
        })
      ).status,
    ).toBe(400);
    const started = await rest(operator, 'POST', `/admin/shops/${SHOP_A}/order-replays`, range);
    expect(started).toMatchObject({ status: 202, json: { shop: SHOP_A, status: 'QUEUED', force: false } });
    const id = String(started.json.id);
    const status = async (): Promise<Record<string, unknown>> =>
      (await rest(viewer, 'GET', `/admin/shops/${SHOP_A}/order-replays/${id}`)).json;
    await until('the replay is done', async () => (await status()).status === 'DONE', 30_000);
    expect(await status()).toMatchObject({ listed: 12, published: 12, processed: 12, applied: 7, notFound: 0 });
    expect(await writes(day)).toEqual(day.map(() => 1));

    // One order re-synced by an operator over GraphQL, forced (a mapping change, say): the same document, written again.
    const RESYNC = `mutation R($shop: String!, $orderId: String!) {
      resyncOrder(shop: $shop, orderId: $orderId, force: true) { orderId outcome force eventId }
    }`;
    const target = String(day[0]?.id);
    expect(await codesOf(viewer, RESYNC, { shop: SHOP_A, orderId: target })).toEqual(['FORBIDDEN']);
    const resync = await client(operator).request<{ resyncOrder: Record<string, unknown> }>(RESYNC, {
      shop: SHOP_A,
      orderId: target,
    });
    expect(resync.resyncOrder).toMatchObject({ orderId: target, outcome: 'PUBLISHED', force: true });
    await until('the forced re-sync written', async () => (await writes(day))[0] === 2, 30_000);
    const replay = await client(viewer).request<{ orderReplay: { status: string; applied: number } }>(
      'query S($shop: String!, $id: ID!) { orderReplay(shop: $shop, id: $id) { status applied } }',
      { shop: SHOP_A, id },
    );
    expect(replay.orderReplay).toEqual({ status: 'DONE', applied: 7 });
    const records = (await scenario.erpOrders()).filter((o) => day.some((d) => String(d.id) === o.externalId));
    expect(records).toHaveLength(12);
  }, 60_000);

  /** How many times the ERP wrote each of `of` (0: not there). */
  async function writes(of: ReadonlyArray<{ id: number | string }>): Promise<number[]> {
    const records = await scenario.erpOrders();
    return of.map((order) => records.find((r) => r.externalId === String(order.id))?.writeCount ?? 0);
  }

  it("deposits a shop's payouts now for an operator (REST; viewer 403): one deposit to the payout's net, once; the variance listed", async () => {
    const viewer = keys.viewer ?? '';
    const operator = keys.operator ?? '';
    // Two orders the order writer has written (the replayed day), each paid in full by a charge of the payout, and a
    // charge of an order never synced: one variance.
    const synced = await scenario.sql<{ id: string; name: string; total: string; currency: string }>(
      `SELECT shopify_order_id AS id, order_name AS name,
              COALESCE(source_payload #>> '{total_price_set,shop_money,amount}', source_payload ->> 'total_price') AS total,
              COALESCE(source_payload #>> '{total_price_set,shop_money,currency_code}', source_payload ->> 'currency') AS currency
         FROM order_sync_state WHERE shop = $1 AND status IS NOT NULL ORDER BY shopify_order_id LIMIT 2`,
      [SHOP_A],
    );
    expect(synced).toHaveLength(2);
    const currency = synced[0]?.currency ?? 'EUR';
    const paid = shopifyPayouts.state.addPayout({
      issuedAt: new Date(Date.now() - 86_400_000).toISOString(),
      currency,
      transactions: [
        ...synced.map((o) => ({ type: 'CHARGE', amount: o.total, fee: '1.25', orderId: o.id, orderName: o.name })),
        { type: 'CHARGE', amount: '20.00', fee: '0.88', orderId: '999000001', orderName: '#NEVER' },
      ],
    });
    const cents = (amount: string | number): number => Math.round(Number(amount) * 100);
    expect(cents(paid.net)).toBe(synced.reduce((sum, o) => sum + cents(o.total), 0) + 2000 - 250 - 88);

    const RUN = 'mutation Run($shop: String!) { depositPayoutsNow(shop: $shop) { shop jobId queuedAt } }';
    const path = `/admin/shops/${SHOP_A}/payouts`;
    expect((await rest(viewer, 'POST', `${path}/run`)).status).toBe(403);
    expect(await codesOf(viewer, RUN, { shop: SHOP_A })).toEqual(['FORBIDDEN']);
    expect((await rest(null, 'POST', `${path}/run`)).status).toBe(401);
    expect((await rest(operator, 'POST', '/admin/shops/nowhere.myshopify.com/payouts/run')).status).toBe(404);
    const started = await rest(operator, 'POST', `${path}/run`);
    expect(started).toMatchObject({ status: 202, json: { shop: SHOP_A, jobId: expect.stringMatching(/^\d+$/) } });

    type Listed = Array<{ payoutId: string; state: string; net: string; variances: Array<Record<string, unknown>> }>;
    const listed = async (): Promise<Listed> =>
      (await rest(viewer, 'GET', `${path}?limit=10`)).json as unknown as Listed;
    await until('the payout deposited', async () => (await listed()).some((p) => p.state === 'deposited'), 30_000);
    const deposits = scenario.sandbox?.snapshot().deposits ?? [];
    expect(deposits).toHaveLength(1);
    const [deposit] = deposits as unknown as Array<{
      externalId: string;
      writeCount: number;
      account: { id: string };
      other?: { items: Array<{ amount: number }> };
      cashBack?: { items: Array<{ amount: number }> };
    }>;
    expect(deposit).toMatchObject({ externalId: `shopify-payout-${paid.id}`, writeCount: 1, account: { id: '101' } });
    const sum = (items?: Array<{ amount: number }>): number => (items ?? []).reduce((s, l) => s + cents(l.amount), 0);
    expect(sum(deposit?.other?.items) - sum(deposit?.cashBack?.items)).toBe(cents(paid.net));
    const never = {
      type: 'CHARGE',
      orderId: '999000001',
      orderName: '#NEVER',
      reason: 'order-not-synced',
      payoutAmount: '20.00',
      syncedAmount: null,
    };
    expect(await listed()).toEqual([
      expect.objectContaining({
        payoutId: paid.id,
        state: 'deposited',
        net: paid.net,
        variances: [expect.objectContaining(never)],
      }),
    ]);
    await until(
      "the deposit's audit names the operator",
      async () =>
        (
          await scenario.sql<{ reason: string }>(
            `SELECT reason FROM sync_audit_log WHERE event_id = $1 AND status = 'succeeded'`,
            [`payout:${paid.id}`],
          )
        ).some((r) => /; 1 variance\(s\) with the synced orders; run by api-key:operator \(#\d+\)$/.test(r.reason)),
      10_000,
    );

    // Run again (GraphQL), with a payout Shopify is still adding to: that one is held; the deposit is not written again.
    const odd = shopifyPayouts.state.addPayout({
      currency,
      net: '9.99',
      transactions: [{ type: 'ADJUSTMENT', amount: '10.00', fee: '0.59' }],
    });
    const again = await client(operator).request<{ depositPayoutsNow: { shop: string; jobId: string } }>(RUN, {
      shop: SHOP_A,
    });
    expect(again.depositPayoutsNow).toMatchObject({ shop: SHOP_A, jobId: expect.stringMatching(/^\d+$/) });
    await until('the second run done', async () => (await listed()).some((p) => p.payoutId === odd.id), 30_000);
    expect((await listed()).map((p) => [p.payoutId, p.state])).toEqual([
      [odd.id, 'held'],
      [paid.id, 'deposited'],
    ]);
    expect(scenario.sandbox?.snapshot().deposits.map((d) => d.writeCount)).toEqual([1]);

    // The reads: GraphQL with the variance filter, and REST's refusals.
    const read = await client(viewer).request<{ payouts: Array<Record<string, unknown>> }>(
      `query ($shop: String!) { payouts(shop: $shop, withVariancesOnly: true) {
         payoutId state net erpId lines { kind account amount }
         variances { type orderId orderName reason payoutAmount syncedAmount } } }`,
      { shop: SHOP_A },
    );
    expect(read.payouts).toEqual([
      {
        payoutId: paid.id,
        state: 'deposited',
        net: paid.net,
        erpId: expect.any(String),
        lines: [
          { kind: 'sales', account: '102', amount: expect.any(String) },
          { kind: 'fees', account: '601', amount: '-3.38' },
        ],
        variances: [never],
      },
    ]);
    expect((await rest(viewer, 'GET', '/admin/shops/nowhere.myshopify.com/payouts')).status).toBe(404);
    expect((await rest(viewer, 'GET', `${path}?limit=0`)).status).toBe(400);
    expect((await rest(null, 'GET', path)).status).toBe(401);

    // A paused payouts flow refuses a run (409 / CONFLICT) and queues nothing; resumed, the flow is as before.
    expect((await rest(operator, 'POST', `/admin/shops/${SHOP_A}/flows/payouts/pause`)).status).toBe(200);
    const refused = await rest(operator, 'POST', `${path}/run`);
    expect(refused.status).toBe(409);
    expect(String(refused.json.message)).toMatch(/^the payouts flow of shop test-store\.myshopify\.com is paused/);
    expect(await codesOf(operator, RUN, { shop: SHOP_A })).toEqual(['CONFLICT']);
    expect((await rest(operator, 'POST', `/admin/shops/${SHOP_A}/flows/payouts/resume`)).status).toBe(200);
  }, 60_000);

  it('holds a high-risk order until an operator releases it (REST), and writes a paid-trigger order only once paid', async () => {
    const viewer = keys.viewer ?? '';
    const operator = keys.operator ?? '';
    const UPDATE = `mutation U($shop: String!, $input: ShopSettingsInput!) {
      updateShop(shop: $shop, input: $input) { orderTrigger holdHighRiskOrders }
    }`;
    const settings = await rest(TEST_ADMIN_KEY, 'PATCH', `/admin/shops/${SHOP_A}`, { holdHighRiskOrders: true });
    expect(settings).toMatchObject({ status: 200, json: { orderTrigger: 'created', holdHighRiskOrders: true } });
    expect((await rest(TEST_ADMIN_KEY, 'PATCH', `/admin/shops/${SHOP_A}`, { orderTrigger: 'shipped' })).status).toBe(
      400,
    );
    // Every process sees a shop's change within SHOPS_REFRESH_INTERVAL_MS (APP_ROLE=all writes in its ERP child).
    const settled = (): Promise<void> => sleep(SHOPS_REFRESH_INTERVAL_MS + 500);
    await settled();
    try {
      // Shopify rates this order HIGH: held, not written, listed; an operator releases it; it lands once.
      const risky = buildShopifyOrder({}, { seed: 179_001, lineCount: 1 });
      shopifyOrders.state.seedOrder(risky as unknown as Record<string, unknown>);
      shopifyOrders.state.setRisk(String(risky.admin_graphql_api_id), { recommendation: 'CANCEL', levels: ['HIGH'] });
      scenario.plan(risky, 'orders/create');
      await scenario.sendAll(20);
      const listed = async (): Promise<Array<Record<string, unknown>>> =>
        (await rest(viewer, 'GET', `/admin/shops/${SHOP_A}/held-orders`)).json.nodes as Array<Record<string, unknown>>;
      await until('the risky order is held', async () => (await listed()).length === 1, 30_000);
      expect((await listed())[0]).toMatchObject({
        orderId: String(risky.id),
        status: 'held',
        riskLevel: 'HIGH',
        riskRecommendation: 'CANCEL',
        reason: 'high risk: risk level HIGH, recommendation CANCEL',
      });
      const HELD = 'query H($shop: String!) { heldOrders(shop: $shop) { nodes { orderId status } } }';
      expect((await client(viewer).request<{ heldOrders: unknown }>(HELD, { shop: SHOP_A })).heldOrders).toEqual({
        nodes: [{ orderId: String(risky.id), status: 'HELD' }],
      });
      expect(await writes([risky])).toEqual([0]);
      expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_A}/held-orders/${risky.id}/release`)).status).toBe(403);
      const release = await rest(operator, 'POST', `/admin/shops/${SHOP_A}/held-orders/${risky.id}/release`, {
        note: 'verified by phone',
      });
      expect(release).toMatchObject({
        status: 200,
        json: { published: true, hold: { status: 'released', settledBy: expect.stringMatching(/operator/) } },
      });
      await until('the released order in the ERP', async () => (await writes([risky]))[0] === 1, 30_000);
      expect((await rest(operator, 'POST', `/admin/shops/${SHOP_A}/held-orders/${risky.id}/cancel`)).status).toBe(409);
      expect(await listed()).toEqual([]);

      // Trigger paid: the unpaid order waits (audited), orders/paid writes it.
      const changed = await client(TEST_ADMIN_KEY).request<{ updateShop: unknown }>(UPDATE, {
        shop: SHOP_A,
        input: { orderTrigger: 'paid', holdHighRiskOrders: false },
      });
      expect(changed.updateShop).toEqual({ orderTrigger: 'paid', holdHighRiskOrders: false });
      await settled();
      const unpaid = buildShopifyOrder(
        { financial_status: 'pending', updated_at: '2026-12-01T10:00:00Z' },
        { seed: 179_002, lineCount: 1 },
      );
      scenario.plan(unpaid, 'orders/create');
      await scenario.sendAll(20);
      const waiting = async (): Promise<boolean> =>
        (
          await scenario.sql(
            `SELECT 1 FROM sync_audit_log WHERE shop = $1 AND shopify_id = $2 AND status = 'skipped'
              AND reason = 'waiting for trigger paid: financial_status pending'`,
            [SHOP_A, String(unpaid.id)],
          )
        ).length === 1;
      await until('the unpaid order recorded as waiting', waiting, 30_000);
      expect(await writes([unpaid])).toEqual([0]);
      scenario.plan({ ...unpaid, financial_status: 'paid', updated_at: '2026-12-01T10:05:00Z' }, 'orders/paid');
      await scenario.sendAll(20);
      await until('the paid order in the ERP', async () => (await writes([unpaid]))[0] === 1, 30_000);
    } finally {
      await client(TEST_ADMIN_KEY).request(UPDATE, {
        shop: SHOP_A,
        input: { orderTrigger: null, holdHighRiskOrders: null },
      });
      await settled();
    }
  }, 90_000);

  it('traces a dead-lettered, retried order of shop A (viewer: by GID, webhook id, REST); a key for shop B is FORBIDDEN', async () => {
    const TRACE = `query Trace($shop: String!, $orderId: String, $webhookId: String) {
      orderTrace(shop: $shop, orderId: $orderId, webhookId: $webhookId) {
        orderId orderGid summary { stage deadLetters openDeadLetters erpId }
        hops { at kind outcome topic webhookId eventId } } }`;
    // The first dead letter of shop A, which an operator retried once its SKU was in the ERP (the roles block).
    const [letter] = await scenario.sql<{ shopify_id: string; webhook_id: string }>(
      'SELECT shopify_id, webhook_id FROM dead_letter WHERE id = $1',
      [shopADeadLetters[0]],
    );
    const orderId = String(letter?.shopify_id);
    interface Traced {
      orderTrace: {
        orderId: string;
        orderGid: string;
        summary: { stage: string; deadLetters: number; openDeadLetters: number; erpId: string | null };
        hops: Array<{ at: string; kind: string; outcome: string; webhookId: string | null }>;
      };
    }
    const viewerA = keys['viewer-a'] ?? '';
    const { orderTrace } = await client(viewerA).request<Traced>(TRACE, {
      shop: SHOP_A,
      orderId: `gid://shopify/Order/${orderId}`,
    });
    expect(orderTrace).toMatchObject({
      orderId,
      orderGid: `gid://shopify/Order/${orderId}`,
      summary: { stage: 'in_erp', deadLetters: 1, openDeadLetters: 0, erpId: expect.any(String) },
    });
    const kinds = orderTrace.hops.map((h) => `${h.kind}:${h.outcome}`);
    const order = [
      'message:queued',
      'message:dead_lettered',
      'dead_letter:dead',
      'dead_letter:retried',
      // The order state is written before the audit row that says the write succeeded.
      'erp_document:open',
      'message:succeeded',
    ].map((hop) => kinds.indexOf(hop));
    expect(order).not.toContain(-1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(orderTrace.hops.find((h) => h.kind === 'webhook')?.webhookId).toBe(letter?.webhook_id);
    const times = orderTrace.hops.map((h) => Date.parse(h.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const byWebhook = await client(viewerA).request<Traced>(TRACE, { shop: SHOP_A, webhookId: letter?.webhook_id });
    expect(byWebhook.orderTrace).toEqual(orderTrace);
    const overRest = await rest(viewerA, 'GET', `/admin/shops/${SHOP_A}/orders/${orderId}/trace`);
    expect(overRest).toMatchObject({ status: 200, json: { orderId, summary: { stage: 'in_erp' } } });

    const operatorB = keys['operator-b'] ?? '';
    expect(await codesOf(operatorB, TRACE, { shop: SHOP_A, orderId })).toEqual(['FORBIDDEN']);
    expect((await rest(operatorB, 'GET', `/admin/shops/${SHOP_A}/orders/${orderId}/trace`)).status).toBe(403);
    expect(await codesOf(viewerA, TRACE, { shop: SHOP_A, orderId: '1' })).toEqual(['NOT_FOUND']);
    expect(await codesOf(viewerA, TRACE, { shop: SHOP_A })).toEqual(['BAD_USER_INPUT']);
    expect((await rest(viewerA, 'GET', `/admin/shops/${SHOP_A}/orders/not-an-id/trace`)).status).toBe(400);
  });

  it('gap report: a viewer is answered a bad window field by field; only an operator may replay (FORBIDDEN / 403)', async () => {
    const viewer = keys.viewer ?? '';
    const reversed = 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z';
    const report = await rest(viewer, 'GET', `/admin/shops/${SHOP_A}/orders/gap-report?${reversed}`);
    expect(report).toMatchObject({ status: 400, json: { message: 'to must be after from' } });
    expect((await rest(viewer, 'GET', `/admin/shops/${SHOP_A}/orders/gap-report?to=2026-12-01T00:00:00Z`)).status).toBe(
      400,
    );
    const [tooLong] = await errorsOf(
      viewer,
      `{ orderGapReport(shop: "${SHOP_A}", from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { orders } }`,
    );
    expect(tooLong?.extensions?.code).toBe('BAD_USER_INPUT');
    const window = { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' };
    expect((await rest(viewer, 'POST', `/admin/shops/${SHOP_A}/orders/gap-report/replay-missing`, window)).status).toBe(
      403,
    );
    expect(
      await codesOf(
        viewer,
        `mutation { replayMissingOrders(shop: "${SHOP_A}", from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z") { replayed } }`,
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('answers invalid input field by field (GraphQL extensions.fields, REST message list)', async () => {
    const CREATE = 'mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }';
    const [invalid] = await errorsOf(keys.admin ?? '', CREATE, {
      input: { name: '', role: 'VIEWER', shops: ['shop-a.myshopify.com', 'not a shop'] },
    });
    expect(invalid?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [
        { field: 'name', message: 'should not be empty' },
        { field: 'shops', message: 'each value in shops must be a myshopify domain' },
      ],
    });
    const [badRole] = await errorsOf(keys.admin ?? '', CREATE, { input: { name: 'x', role: 'OWNER' } });
    expect(badRole?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badRole?.message).toContain('input.role');

    const [emptyShops] = await errorsOf(keys.admin ?? '', CREATE, { input: { name: 'x', role: 'VIEWER', shops: [] } });
    expect(emptyShops?.extensions?.fieldErrors).toEqual([
      { field: 'shops', message: 'must contain at least 1 elements' },
    ]);
    // The shops module's own rules answer the same way.
    const [badShop] = await errorsOf(keys.admin ?? '', UPDATE_SHOP, { shop: SHOP_B, input: { currency: 'euro' } });
    expect(badShop?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'currency', message: 'must be an ISO 4217 code in capitals, such as EUR' }],
    });

    const viaRest = await rest(TEST_ADMIN_KEY, 'POST', '/admin/api-keys', {
      name: 'y'.repeat(101),
      role: 'owner',
      extra: true,
    });
    expect(viaRest.status).toBe(400);
    expect(viaRest.json.message).toEqual(
      expect.arrayContaining([
        'property extra should not exist',
        'name must be shorter than or equal to 100 characters',
        'role must be one of the following values: viewer, operator, admin',
      ]),
    );
    const [page] = await errorsOf(
      keys.viewer ?? '',
      'query Page($first: Int) { deadLetters(first: $first) { edges { node { id } } } }',
      { first: 500 },
    );
    expect(page?.extensions?.fieldErrors).toEqual([{ field: 'first', message: 'must not be greater than 200' }]);
    // Nothing was created by the invalid calls.
    const names = await scenario.sql<{ name: string }>(`SELECT name FROM admin_api_key WHERE name IN ('', 'x', 'y')`);
    expect(names).toEqual([]);
  });

  it('pages through keys, audit rows and dead letters with cursors (GraphQL and REST)', async () => {
    const admin = keys.admin ?? '';
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const page: {
        apiKeys: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await client(admin).request(
        'query Page($after: String) { apiKeys(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      seen.push(...page.apiKeys.edges.map((e) => e.node.id));
      if (!page.apiKeys.pageInfo.hasNextPage) {
        break;
      }
      after = page.apiKeys.pageInfo.endCursor;
    }
    const all = await scenario.sql<{ id: string }>('SELECT id FROM admin_api_key ORDER BY id DESC');
    expect(seen).toEqual(all.map((r) => String(r.id)));

    const restSeen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await rest(
        TEST_ADMIN_KEY,
        'GET',
        `/admin/api-keys?first=3${cursor === null ? '' : `&after=${cursor}`}`,
      );
      restSeen.push(...(page.json.items as Array<{ id: string }>).map((k) => k.id));
      cursor = page.json.nextCursor as string | null;
    } while (cursor !== null && restSeen.length < 100);
    expect(restSeen).toEqual(seen);

    // Audit rows of shop B, one per page: the scope holds on every page. The four order rows seeded for it, by a
    // filter: the app's own per-shop jobs audit shop B too (its Admin API is unreachable here), at their own pace.
    const operatorB = keys['operator-b'] ?? '';
    const shopB: string[] = [];
    const shopBOrders: string[] = [];
    let auditAfter: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: {
        syncAuditLogs: {
          edges: Array<{ node: { id: string; shop: string; shopifyId: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } = await client(operatorB).request(
        'query P($after: String) { syncAuditLogs(first: 1, after: $after, filter: { entity: "order", status: Received }) { edges { node { id shop shopifyId } } pageInfo { hasNextPage endCursor } } }',
        { after: auditAfter },
      );
      shopB.push(...page.syncAuditLogs.edges.map((e) => e.node.shop));
      shopBOrders.push(...page.syncAuditLogs.edges.map((e) => e.node.shopifyId));
      if (!page.syncAuditLogs.pageInfo.hasNextPage) {
        break;
      }
      auditAfter = page.syncAuditLogs.pageInfo.endCursor;
    }
    expect(shopB).toEqual([SHOP_B, SHOP_B, SHOP_B, SHOP_B]);
    expect(shopBOrders.sort()).toEqual(['990001', '990002', '990003', '990004']);
    expect(await codesOf(admin, '{ apiKeys(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }')).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  describe('mapping configuration: impact preview, change, roll back, ownership (issue #16)', () => {
    const SAVE = `mutation Save($shop: String!, $config: OrderMappingConfigInput!, $activate: Boolean, $note: String) {
      saveOrderMapping(shop: $shop, config: $config, activate: $activate, note: $note) { version active createdBy }
    }`;
    const PREVIEW_ORDER = `query Preview($shop: String!, $orderId: String, $payload: String, $version: Int) {
      previewOrderMapping(shop: $shop, orderId: $orderId, payload: $payload, mappingVersion: $version) {
        mappingVersion wouldSend requests { operation method path body } decisions { kind subject outcome }
      }
    }`;
    const PREVIEW_CHANGE = `query Impact($shop: String!, $draft: Int!, $last: Int!) {
      previewMappingChange(shop: $shop, draftVersion: $draft, last: $last) {
        activeVersion draftVersion examined
        changed { orderId differences { request field active draft } }
        unmappable { orderId reason }
      }
    }`;
    const ROLLBACK =
      'mutation Back($shop: String!, $version: Int) { rollbackOrderMapping(shop: $shop, version: $version) { version active } }';
    const SET_ORDER_OWNER = `mutation Owner($shop: String!, $owner: SyncOwner!) {
      setOwnershipPolicy(shop: $shop, rules: [{ entity: ORDER, field: "order", owner: $owner }]) { shop }
    }`;
    /** The draft: PayPal payments to their own ERP payment method, and a memo saying so; other orders as before. */
    const PAYPAL_DRAFT = {
      paymentGateways: [{ gateway: 'paypal', paymentMethod: '9' }],
      fields: [
        {
          target: 'memo',
          source: {
            kind: 'LOOKUP',
            path: 'payment_gateway_names.0',
            table: [{ key: 'paypal', value: 'Paid with PayPal' }],
          },
        },
      ],
    };
    const PAST = 200;
    /** Every fifth past order was paid with PayPal, the others with Shopify Payments. */
    const paidWithPaypal = (i: number): boolean => i % 5 === 2;
    const past = orders(PAST, 170_000).map((o, i) => ({
      ...o,
      payment_gateway_names: [paidWithPaypal(i) ? 'paypal' : 'shopify_payments'],
    }));
    let draftVersion = 0;

    interface SandboxOrder {
      externalId: string;
      writeCount: number;
      memo?: string | null;
      paymentMethod?: { id: string };
    }
    const erpOrder = async (id: number | string): Promise<SandboxOrder | undefined> => {
      const all = (await (await fetch(`${scenario.sandboxUrl}/_control/orders`)).json()) as SandboxOrder[];
      return all.find((o) => o.externalId === String(id));
    };
    /** Sends one order webhook of shop A and waits until the ERP holds its `writes`-th write. */
    async function deliver(order: (typeof past)[number], topic: string, writes = 1): Promise<SandboxOrder> {
      scenario.plan(order, topic);
      await scenario.sendAll(50);
      let found: SandboxOrder | undefined;
      await until(
        `order ${order.id} written ${writes} time(s)`,
        async () => (found = await erpOrder(order.id))?.writeCount === writes,
        30_000,
      );
      return found as SandboxOrder;
    }
    const salesOrderBody = (preview: { requests: Array<{ operation: string; body: string | null }> }) =>
      JSON.parse(preview.requests.find((r) => r.operation === 'upsertSalesOrder')?.body ?? 'null') as Record<
        string,
        unknown
      >;

    beforeAll(async () => {
      // 200 past orders of shop A through the pipeline: the order writer keeps each payload, which the impact preview
      // replays.
      past.forEach((o) => scenario.plan(o, 'orders/create'));
      await scenario.sendAll(200);
      const ids = past.map((o) => String(o.id));
      await until(
        '200 past orders written',
        async () =>
          (
            await scenario.sql<{ n: number }>(
              `SELECT count(*)::int AS n FROM order_sync_state
                WHERE shop = $1 AND shopify_order_id = ANY($2) AND source_payload IS NOT NULL`,
              [SHOP_A, ids],
            )
          )[0]?.n === PAST,
        90_000,
      );
    }, 120_000);

    it('previewMappingChange over the last 200 orders shows exactly the PayPal orders, field by field', async () => {
      const admin = keys.admin ?? '';
      const saved = await client(admin).request<{ saveOrderMapping: { version: number; active: boolean } }>(SAVE, {
        shop: SHOP_A,
        config: PAYPAL_DRAFT,
        note: 'PayPal to its own payment method',
      });
      expect(saved.saveOrderMapping.active).toBe(false);
      draftVersion = saved.saveOrderMapping.version;

      const impact = await client(keys.viewer ?? '').request<{
        previewMappingChange: {
          activeVersion: number;
          draftVersion: number;
          examined: number;
          changed: Array<{
            orderId: string;
            differences: Array<{ field: string; active: string | null; draft: string | null }>;
          }>;
          unmappable: unknown[];
        };
      }>(PREVIEW_CHANGE, { shop: SHOP_A, draft: draftVersion, last: PAST });
      const preview = impact.previewMappingChange;
      expect(preview).toMatchObject({ activeVersion: 1, draftVersion, examined: PAST, unmappable: [] });
      const expected = past.filter((_, i) => paidWithPaypal(i)).map((o) => String(o.id));
      expect(expected).toHaveLength(40);
      expect(preview.changed.map((c) => c.orderId).sort()).toEqual([...expected].sort());
      for (const order of preview.changed) {
        expect(order.differences.map((d) => [d.field, d.draft]).sort()).toEqual([
          ['memo', '"Paid with PayPal"'],
          ['paymentMethod.id', '"9"'],
        ]);
      }
      // Nothing was sent: the ERP still holds each past order from its one write.
      expect((await erpOrder(expected[0] ?? ''))?.writeCount).toBe(1);
    });

    it('a mapping change alters the next ERP request (preview, then the ERP); a roll back by an operator restores it', async () => {
      const next = (n: number) => ({
        ...nthOrder(175_000, n),
        payment_gateway_names: ['paypal'],
      });
      // Previewed under the draft, before it is live: the exact request the writer would send.
      const first = next(0);
      const previewed = await client(keys.viewer ?? '').request<{
        previewOrderMapping: {
          mappingVersion: number;
          wouldSend: boolean;
          requests: Array<{ operation: string; body: string | null }>;
        };
      }>(PREVIEW_ORDER, { shop: SHOP_A, payload: JSON.stringify(first), version: draftVersion });
      expect(previewed.previewOrderMapping).toMatchObject({ mappingVersion: draftVersion, wouldSend: true });
      const previewBody = salesOrderBody(previewed.previewOrderMapping);
      expect(previewBody).toMatchObject({ memo: 'Paid with PayPal', paymentMethod: { id: '9' } });
      const underActive = await client(keys.viewer ?? '').request<{
        previewOrderMapping: { requests: Array<{ operation: string; body: string | null }> };
      }>(PREVIEW_ORDER, { shop: SHOP_A, payload: JSON.stringify(first) });
      expect(salesOrderBody(underActive.previewOrderMapping).paymentMethod).toBeUndefined();

      // Going live is an admin's: an operator may not activate a draft, nor roll back to one.
      const operator = keys.operator ?? '';
      expect(await codesOf(operator, ACTIVATE_MAPPING, { shop: SHOP_A, version: draftVersion })).toEqual(['FORBIDDEN']);
      const [draftRefused] = await errorsOf(operator, ROLLBACK, { shop: SHOP_A, version: draftVersion });
      expect(draftRefused?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fieldErrors: [
          { field: 'version', message: expect.stringContaining('activateOrderMapping (admin)') as unknown },
        ],
      });
      await client(keys.admin ?? '').request(ACTIVATE_MAPPING, { shop: SHOP_A, version: draftVersion });

      const written = await deliver(first, 'orders/create');
      expect(written).toMatchObject({ memo: previewBody.memo, paymentMethod: previewBody.paymentMethod });
      const [state] = await scenario.sql<{ mapping_version: number }>(
        'SELECT mapping_version FROM order_sync_state WHERE shop = $1 AND shopify_order_id = $2',
        [SHOP_A, String(first.id)],
      );
      expect(state?.mapping_version).toBe(draftVersion);

      // A viewer may not roll back; an operator may (GraphQL), to the version active before; the next order is as
      // before the change.
      expect(await codesOf(keys.viewer ?? '', ROLLBACK, { shop: SHOP_A })).toEqual(['FORBIDDEN']);
      expect((await rest(keys.viewer ?? '', 'POST', `/admin/shops/${SHOP_A}/mapping/rollback`, {})).status).toBe(403);
      expect(await codesOf(keys['operator-b'] ?? '', ROLLBACK, { shop: SHOP_A })).toEqual(['FORBIDDEN']);
      const back = await client(operator).request<{ rollbackOrderMapping: { version: number; active: boolean } }>(
        ROLLBACK,
        { shop: SHOP_A },
      );
      expect(back.rollbackOrderMapping).toEqual({ version: 1, active: true });
      const second = next(1);
      const restored = await deliver(second, 'orders/create');
      expect(restored.paymentMethod).toBeUndefined();
      expect(restored.memo ?? null).toBe(second.note);
      const [rolledBack] = await scenario.sql<{ mapping_version: number }>(
        'SELECT mapping_version FROM order_sync_state WHERE shop = $1 AND shopify_order_id = $2',
        [SHOP_A, String(second.id)],
      );
      expect(rolledBack?.mapping_version).toBe(1);

      // REST alike: back to the draft's version (active before), then back again to 1.
      const viaRest = await rest(operator, 'POST', `/admin/shops/${SHOP_A}/mapping/rollback`, {
        version: draftVersion,
      });
      expect(viaRest).toMatchObject({ status: 200, json: { version: draftVersion, active: true } });
      const again = await rest(operator, 'POST', `/admin/shops/${SHOP_A}/mapping/rollback`, {});
      expect(again).toMatchObject({ status: 200, json: { version: 1, active: true } });
      const history = await scenario.sql<{ version: number }>(
        'SELECT version FROM mapping_activation WHERE shop = $1 ORDER BY id',
        [SHOP_A],
      );
      expect(history.map((h) => h.version)).toEqual([1, draftVersion, 1, draftVersion, 1]);
    });

    it('an ownership change alters what the order writer touches: ERP-owned orders are not updated from Shopify', async () => {
      const order = past[0];
      expect((await erpOrder(order.id))?.writeCount).toBe(1);
      await client(keys.admin ?? '').request(SET_ORDER_OWNER, { shop: SHOP_A, owner: 'ERP' });

      const change = updated(order, 5, { note: 'changed in Shopify while the ERP owns the order' });
      const previewed = await client(keys.viewer ?? '').request<{
        previewOrderMapping: { wouldSend: boolean; decisions: Array<{ kind: string; outcome: string }> };
      }>(PREVIEW_ORDER, { shop: SHOP_A, payload: JSON.stringify(change) });
      expect(previewed.previewOrderMapping.wouldSend).toBe(false);
      expect(previewed.previewOrderMapping.decisions.filter((d) => d.kind === 'ownership')).toEqual([
        expect.objectContaining({ outcome: 'the ERP owns the order once created: not written' }),
      ]);

      scenario.plan(change, 'orders/updated');
      await scenario.sendAll(50);
      await until(
        'the update skipped as erp-owned',
        async () =>
          (
            await scenario.sql(
              `SELECT 1 FROM sync_audit_log WHERE shop = $1 AND shopify_id = $2 AND status = 'skipped' AND reason = 'erp-owned'`,
              [SHOP_A, String(order.id)],
            )
          ).length === 1,
      );
      expect(await erpOrder(order.id)).toMatchObject({ writeCount: 1 });

      // Shopify owns orders again: its next change is written.
      await client(keys.admin ?? '').request(SET_ORDER_OWNER, { shop: SHOP_A, owner: 'SHOPIFY' });
      const later = updated(order, 10, { note: 'changed in Shopify again' });
      const rewritten = await deliver(later, 'orders/updated', 2);
      expect(rewritten.memo).toBe('changed in Shopify again');
    });
  });

  describe('dead letters in bulk and edited (issue #18)', () => {
    const EDIT = `mutation Edit($id: ID!, $payload: String!) {
      editAndRetryDeadLetter(id: $id, payload: $payload) { deadLetter { id status retriedBy } changes { path } }
    }`;
    const BULK_RETRY = `mutation Bulk($filter: DeadLetterFilterInput!, $limit: Int) {
      bulkRetryDeadLetters(filter: $filter, limit: $limit) { matched retried discarded hasMore skipped { reason count ids } }
    }`;
    const BULK_DISCARD = `mutation Discard($filter: DeadLetterFilterInput!) {
      bulkDiscardDeadLetters(filter: $filter) { discarded }
    }`;
    /** Four orders of shop A with SKUs the ERP does not know: one for the edit, two for the bulk retry, one discarded. */
    const [typo, bulk0, bulk1, noise] = ['SKU-TYP0-18', 'BULK-NEW-18-0', 'BULK-NEW-18-1', 'NOISE-18'].map((sku, i) =>
      nthOrder(180_000, i, { line_items: [{ sku }] }),
    );
    const letterOf: Record<string, string> = {};

    interface ErpRecord {
      externalId: string;
      writeCount: number;
      item?: { items: Array<{ item: { externalId: string } }> };
    }
    const erpRecords = async (id: number | string): Promise<ErpRecord[]> =>
      ((await (await fetch(`${scenario.sandboxUrl}/_control/orders`)).json()) as ErpRecord[]).filter(
        (o) => o.externalId === String(id),
      );
    const statusOf = async (id: string): Promise<string | undefined> =>
      (await scenario.sql<{ status: string }>('SELECT status FROM dead_letter WHERE id = $1', [id]))[0]?.status;

    beforeAll(async () => {
      for (const order of [typo, bulk0, bulk1, noise].filter((o) => o !== undefined)) {
        scenario.plan(order, 'orders/create', { validSkus: false });
      }
      await scenario.sendAll(50);
      const ids = [typo, bulk0, bulk1, noise].map((o) => String(o?.id));
      await until(
        'four dead letters of the issue #18 orders',
        async () =>
          (await scenario.sql(`SELECT 1 FROM dead_letter WHERE shop = $1 AND shopify_id = ANY($2)`, [SHOP_A, ids]))
            .length === 4,
        30_000,
      );
      for (const row of await scenario.sql<{ id: string; shopify_id: string }>(
        'SELECT id, shopify_id FROM dead_letter WHERE shop = $1 AND shopify_id = ANY($2)',
        [SHOP_A, ids],
      )) {
        letterOf[row.shopify_id] = String(row.id);
      }
    }, 60_000);

    it('a viewer may not edit, retry or discard them (FORBIDDEN / 403), and nothing changes', async () => {
      const viewer = keys.viewer ?? '';
      const id = letterOf[String(typo?.id)] ?? '';
      expect(await codesOf(viewer, EDIT, { id, payload: '{}' })).toEqual(['FORBIDDEN']);
      expect(await codesOf(viewer, BULK_RETRY, { filter: { ids: [id] } })).toEqual(['FORBIDDEN']);
      expect(await codesOf(viewer, BULK_DISCARD, { filter: { ids: [id] } })).toEqual(['FORBIDDEN']);
      expect((await rest(viewer, 'POST', `/admin/dead-letters/${id}/edit-and-retry`, { payload: '{}' })).status).toBe(
        403,
      );
      expect((await rest(viewer, 'POST', '/admin/dead-letters/bulk-retry', { filter: { ids: [id] } })).status).toBe(
        403,
      );
      expect((await rest(viewer, 'POST', '/admin/dead-letters/bulk-discard', { filter: { ids: [id] } })).status).toBe(
        403,
      );
      for (const letter of Object.values(letterOf)) {
        expect(await statusOf(letter)).toBe('dead');
      }
    });

    it('an operator edits the bad order over REST: refused while invalid, then lands once in the ERP with the edit; trail and audit show the editor', async () => {
      const operator = keys.operator ?? '';
      const id = letterOf[String(typo?.id)] ?? '';
      const path = `/admin/dead-letters/${id}/edit-and-retry`;
      const first = typo?.line_items[0];
      const invalid = JSON.stringify({ ...typo, line_items: [{ ...first, price: 'ten' }] });
      const refused = await rest(operator, 'POST', path, { payload: invalid });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.json.message)).toContain('line_items[0].price');
      expect(await statusOf(id)).toBe('dead');

      const fixed = JSON.stringify({
        ...typo,
        line_items: [{ ...first, sku: 'SKU-0001' }, ...(typo?.line_items ?? []).slice(1)],
      });
      const edited = await rest(operator, 'POST', path, { payload: fixed });
      expect(edited).toMatchObject({
        status: 200,
        json: {
          deadLetter: { id, status: 'retried', retriedBy: expect.stringMatching(/^api-key:operator \(#\d+\)$/) },
          changes: [{ path: 'line_items[0].sku', change: 'changed', before: '"SKU-TYP0-18"', after: '"SKU-0001"' }],
        },
      });
      await until('the edited order is in the ERP', async () => (await erpRecords(typo?.id ?? 0)).length > 0, 30_000);
      const records = await erpRecords(typo?.id ?? 0);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ writeCount: 1 });
      expect(records[0]?.item?.items[0]?.item.externalId).toBe('SKU-0001');
      // Once: the same edit again is a conflict, and sends nothing.
      expect((await rest(operator, 'POST', path, { payload: fixed })).status).toBe(409);

      const trail = await client(keys.viewer ?? '').request<{
        deadLetterActions: Array<{ action: string; actor: string; changes: Array<{ path: string }> }>;
      }>('query T($id: ID!) { deadLetterActions(id: $id) { action actor changes { path } } }', { id });
      expect(trail.deadLetterActions).toEqual([
        {
          action: 'edited_and_retried',
          actor: expect.stringMatching(/^api-key:operator/) as unknown,
          changes: [{ path: 'line_items[0].sku' }],
        },
      ]);
      await until(
        'the edit audited, with its editor',
        async () =>
          (
            await scenario.sql<{ reason: string }>(
              `SELECT reason FROM sync_audit_log WHERE shop = $1 AND shopify_id = $2 AND status = 'replayed'`,
              [SHOP_A, String(typo?.id)],
            )
          ).some((r) =>
            /^dead letter \d+ edited by api-key:operator \(#\d+\) and retried; changed line_items\[0\]\.sku$/.test(
              r.reason,
            ),
          ),
        10_000,
      );
      expect(await erpRecords(typo?.id ?? 0)).toHaveLength(1);
    });

    it('an operator retries by filter (GraphQL), once, and discards over REST: the discarded row stays', async () => {
      const operator = keys.operator ?? '';
      await fetch(`${scenario.sandboxUrl}/_control/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ skus: ['BULK-NEW-18-0', 'BULK-NEW-18-1'] }),
      });
      const filter = { shop: SHOP_A, topic: 'orders/create', reasonContains: 'bulk-new-18' };
      const bulk = await client(operator).request<{ bulkRetryDeadLetters: Record<string, unknown> }>(BULK_RETRY, {
        filter,
      });
      expect(bulk.bulkRetryDeadLetters).toEqual({ matched: 2, retried: 2, discarded: 0, hasMore: false, skipped: [] });
      const again = await client(operator).request<{ bulkRetryDeadLetters: Record<string, unknown> }>(BULK_RETRY, {
        filter: { ids: [letterOf[String(bulk0?.id)], letterOf[String(bulk1?.id)]] },
      });
      expect(again.bulkRetryDeadLetters).toMatchObject({
        retried: 0,
        skipped: [{ reason: 'already_retried', count: 2 }],
      });
      // Without a focus (a shop alone would take every dead letter) it is refused.
      expect(
        (await rest(operator, 'POST', '/admin/dead-letters/bulk-retry', { filter: { shop: SHOP_A } })).status,
      ).toBe(400);

      const noiseId = letterOf[String(noise?.id)] ?? '';
      const discarded = await rest(operator, 'POST', '/admin/dead-letters/bulk-discard', {
        filter: { ids: [noiseId] },
        note: 'test order',
      });
      expect(discarded).toMatchObject({ status: 200, json: { discarded: 1, retried: 0, matched: 1 } });
      const [row] = await scenario.sql<{ status: string; discarded_by: string }>(
        'SELECT status, discarded_by FROM dead_letter WHERE id = $1',
        [noiseId],
      );
      expect(row).toMatchObject({ status: 'discarded', discarded_by: expect.stringMatching(/^api-key:operator/) });

      await until(
        'both bulk-retried orders in the ERP',
        async () => (await erpRecords(bulk0?.id ?? 0)).length + (await erpRecords(bulk1?.id ?? 0)).length === 2,
        30_000,
      );
      expect((await erpRecords(bulk0?.id ?? 0))[0]).toMatchObject({ writeCount: 1 });
      expect((await erpRecords(bulk1?.id ?? 0))[0]).toMatchObject({ writeCount: 1 });
      expect(await erpRecords(noise?.id ?? 0)).toEqual([]);
    });
  });

  it('re-syncs a stock location for an operator only, and names a location the shop does not stock (REST)', async () => {
    const path = `/admin/shops/${SHOP_A}/inventory/locations/NO-SUCH-LOCATION/resync`;
    expect((await rest(keys.viewer ?? '', 'POST', path)).status).toBe(403);
    const unknown = await rest(keys.operator ?? '', 'POST', path);
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toBe('the shop stocks no such location (its mapping pairs none)');
    expect(
      (await rest(keys.operator ?? '', 'POST', '/admin/shops/nope.myshopify.com/inventory/locations/1/resync')).status,
    ).toBe(404);
  });

  it('never shows a secret: no key, webhook secret or token in any answer or log line of the run', async () => {
    // Logs are written by the child process; stop it so that everything it logged is on disk.
    await Promise.all(scenario.apps.map((app) => app.stop()));
    const logs = scenario.apps.map((app) => readFileSync(app.logFile, 'utf8')).join('\n');
    expect(logs).toContain('admin API key created');
    expect(logs).toContain('admin API request forbidden');
    expect(answers.length).toBeGreaterThan(50);
    expect(creationAnswers.length).toBe(Object.keys(keys).length);

    const secrets: Record<string, string> = {
      ADMIN_API_KEYS: TEST_ADMIN_KEY,
      SHOPIFY_WEBHOOK_SECRET: TEST_SECRET,
      ...ENV_SECRETS,
      ...Object.fromEntries(Object.entries(SHOP_B_SECRETS).map(([name, value]) => [`shop B ${name}`, value])),
      ...Object.fromEntries(Object.entries(keys).map(([name, key]) => [`key ${name}`, key])),
      // What a key is but for its last character: the refused near-miss above.
      'near-miss of key viewer': `${keys.viewer ?? ''}x`,
    };
    const found: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      // The secret part of a key is what follows its shown prefix.
      const needle = secret.startsWith('esk_') ? secret.slice(12) : secret;
      if (logs.includes(needle)) {
        found.push(`${name} in the logs`);
      }
      for (const answer of answers) {
        if (answer.body.includes(needle)) {
          found.push(`${name} in the answer to ${answer.what} (${answer.status})`);
        }
      }
      for (const answer of creationAnswers) {
        if (answer.body.includes(needle) && !answer.body.includes(`"key":"${secret}"`)) {
          found.push(`${name} in a creation answer not its own`);
        }
      }
    }
    expect(found).toEqual([]);
    // The search can find: each creation answer holds its own key.
    for (const key of Object.values(keys)) {
      expect(creationAnswers.filter((a) => a.body.includes(key.slice(12)))).toHaveLength(1);
    }
  });
});
