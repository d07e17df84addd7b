import { ClientError, GraphQLClient } from 'graphql-request';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testRabbitmqUrl } from 'test/support/integration-resources';
import { orders, Scenario } from 'test/support/scenario';
import { ensureVhosts } from 'test/support/services';
import { TEST_ADMIN_KEY, TEST_SECRET, TEST_SHOP } from 'test/support/test-config';
import { buildWebhookRequest } from 'test/support/webhook-signer';

/**
 * Two Shopify stores in one deployment (issue #16): the environment's shop (NetSuite subsidiary 1) and one added
 * through the admin GraphQL API (subsidiary 2, location 7, its own webhook secret), an api and a worker process,
 * flash-sale webhooks of both interleaved. Every order lands in its shop's subsidiary exactly once (the exact
 * ledger); a webhook signed with one shop's secret but claiming the other is refused; no secret appears in any API
 * answer, in the captured logs or in PostgreSQL in clear.
 */
const SHOP_B = 'expansion-store.myshopify.com';
const SECRET_B = `shpss_${randomBytes(16).toString('hex')}`;
const TOKEN_B = `shpat_${randomBytes(16).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const PER_SHOP = 150;
/**
 * A vhost of its own rather than its jest worker's: this scenario's queues are shared with no other suite, whichever
 * runs beside it on the machine.
 */
const VHOST = 'erp-sync-test-shops';

describe('two shops in one deployment (NetSuite)', () => {
  const scenario = new Scenario({
    name: 'shops',
    database: 'erp_sync_e2e_shops',
    redisDb: 7,
    erp: 'netsuite',
    simulator: { concurrencyLimit: 5, latencyMs: 20, latencyJitterMs: 5, requestsPerMinute: 0 },
    env: { SECRETS_ENCRYPTION_KEY: ENCRYPTION_KEY, NETSUITE_SUBSIDIARY_ID: '1', RABBITMQ_URL: testRabbitmqUrl(VHOST) },
  });
  /** Every answer of the admin API, as text: searched for the secrets at the end. */
  const answers: string[] = [];
  let graphql: GraphQLClient;

  async function gql<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    try {
      const data = await graphql.request<T>(document, variables);
      answers.push(JSON.stringify(data));
      return data;
    } catch (error: unknown) {
      if (error instanceof ClientError) {
        answers.push(JSON.stringify(error.response));
      }
      throw error;
    }
  }

  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${scenario.ingestUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, json: JSON.parse(text) as unknown };
  }

  beforeAll(async () => {
    await ensureVhosts(testRabbitmqUrl(), [VHOST]);
    await scenario.setup();
    await scenario.start('api');
    await scenario.start('worker');
    graphql = new GraphQLClient(`${scenario.ingestUrl}/graphql`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
  });

  afterAll(async () => {
    await scenario.teardown();
  });

  it('adds a shop through GraphQL with field-level validation; secrets are write-only', async () => {
    const add = `mutation ($shop: String!, $input: ShopSettingsInput!) {
      addShop(shop: $shop, input: $input) {
        shop enabled currency bootstrap erpScope { netsuiteSubsidiaryId netsuiteLocationId }
        secrets { webhookSecret webhookSecretPrevious adminAccessToken }
      }
    }`;
    const refused = await gql(add, {
      shop: SHOP_B,
      input: { webhookSecret: 'short', currency: 'euro', erpScope: { netsuiteSubsidiaryId: 'two' } },
    }).then(
      () => undefined,
      (error: unknown) => (error as ClientError).response.errors?.[0]?.extensions,
    );
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((refused as { fieldErrors: Array<{ field: string }> }).fieldErrors.map((e) => e.field).sort()).toEqual([
      'currency',
      'erpScope.netsuiteSubsidiaryId',
      'webhookSecret',
    ]);

    const added = await gql<{ addShop: unknown }>(add, {
      shop: 'Expansion-Store.myshopify.com',
      input: {
        currency: 'EUR',
        erpScope: { netsuiteSubsidiaryId: '2', netsuiteLocationId: '7' },
        webhookSecret: SECRET_B,
        adminAccessToken: TOKEN_B,
      },
    });
    expect(added.addShop).toEqual({
      shop: SHOP_B,
      enabled: true,
      currency: 'EUR',
      bootstrap: false,
      erpScope: { netsuiteSubsidiaryId: '2', netsuiteLocationId: '7' },
      secrets: { webhookSecret: 'STORED', webhookSecretPrevious: 'UNSET', adminAccessToken: 'STORED' },
    });

    const listed = await gql<{ shops: Array<{ shop: string; bootstrap: boolean; secrets: unknown }> }>(
      '{ shops { shop bootstrap secrets { webhookSecret adminAccessToken } } }',
    );
    expect(listed.shops).toEqual([
      { shop: SHOP_B, bootstrap: false, secrets: { webhookSecret: 'STORED', adminAccessToken: 'STORED' } },
      { shop: TEST_SHOP, bootstrap: true, secrets: { webhookSecret: 'ENVIRONMENT', adminAccessToken: 'UNSET' } },
    ]);
    const viaRest = await rest('GET', `/admin/shops/${SHOP_B}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.json).toMatchObject({ shop: SHOP_B, secrets: { webhookSecret: 'stored' } });
    const badRest = await rest('PATCH', `/admin/shops/${SHOP_B}`, { erpScope: { netsuiteLocationId: 'x' } });
    expect(badRest).toEqual({
      status: 400,
      json: expect.objectContaining({
        fieldErrors: [{ field: 'erpScope.netsuiteLocationId', message: 'must be a NetSuite internal id (digits)' }],
      }) as unknown,
    });
  });

  it('routes each webhook to its shop: another shop secret is 401, a disabled shop is 401', async () => {
    const body = JSON.stringify({
      id: 1,
      admin_graphql_api_id: 'gid://shopify/Order/1',
      updated_at: '2026-01-01T00:00:00Z',
    });
    const post = async (shop: string, secret: string): Promise<number> => {
      const request = buildWebhookRequest({ topic: 'orders/create', order: body, secret, shop });
      const res = await fetch(`${scenario.ingestUrl}/webhooks/shopify`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      return res.status;
    };
    // Signed with shop A's secret, claiming shop B (and the reverse).
    expect(await post(SHOP_B, TEST_SECRET)).toBe(401);
    expect(await post(TEST_SHOP, SECRET_B)).toBe(401);
    expect(await post('unknown-store.myshopify.com', SECRET_B)).toBe(404);

    await gql(
      `mutation { addShop(shop: "paused-store.myshopify.com", input: { webhookSecret: "${SECRET_B}-c", erpScope: { netsuiteSubsidiaryId: "3" } }) { shop } }`,
    );
    await gql('mutation { disableShop(shop: "paused-store.myshopify.com") { enabled } }');
    expect(await post('paused-store.myshopify.com', `${SECRET_B}-c`)).toBe(401);
  });

  it('flash sale of both shops interleaved: every order in its own subsidiary, exactly once', async () => {
    const a = orders(PER_SHOP, 200_000);
    const b = orders(PER_SHOP, 300_000);
    for (let i = 0; i < PER_SHOP; i++) {
      scenario.plan(a[i], 'orders/create');
      scenario.plan(b[i], 'orders/create', { shop: SHOP_B, secret: SECRET_B });
    }
    await scenario.sendAll(150);
    await scenario.drain(120_000);
    const report = await scenario.ledger();
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.failed + report.rejected).toBe(0);
    expect(await scenario.deadLetteredOrderIds()).toEqual([]);

    const inErp = (await scenario.erpOrders()) as Array<{ externalId: string; subsidiary?: string; location?: string }>;
    const where = new Map(inErp.map((o) => [o.externalId, `${o.subsidiary ?? '-'}/${o.location ?? '-'}`]));
    expect(inErp).toHaveLength(2 * PER_SHOP);
    expect(a.filter((o) => where.get(String(o.id)) !== '1/-')).toEqual([]);
    expect(b.filter((o) => where.get(String(o.id)) !== '2/7')).toEqual([]);

    // Per shop on every row the pipeline keeps.
    const shops = await scenario.sql<{ shop: string; n: string }>(
      'SELECT shop, count(*)::text AS n FROM order_sync_state GROUP BY shop ORDER BY shop',
    );
    expect(shops).toEqual([
      { shop: SHOP_B, n: String(PER_SHOP) },
      { shop: TEST_SHOP, n: String(PER_SHOP) },
    ]);
    const audited = await scenario.sql<{ shop: string }>(
      `SELECT DISTINCT shop FROM sync_audit_log WHERE status = 'succeeded' ORDER BY shop`,
    );
    expect(audited.map((r) => r.shop)).toEqual([SHOP_B, TEST_SHOP]);
  });

  it('re-encrypts on demand, and no secret is in any answer, log line or column in clear', async () => {
    const rotated = await gql<{ rotateSecretsEncryptionKey: { reEncrypted: number; alreadyCurrent: number } }>(
      'mutation { rotateSecretsEncryptionKey { keyId reEncrypted alreadyCurrent } }',
    );
    expect(rotated.rotateSecretsEncryptionKey).toEqual(expect.objectContaining({ reEncrypted: 0, alreadyCurrent: 3 }));
    const logs = scenario.apps.map((app) => readFileSync(app.logFile, 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    const stored = JSON.stringify(await scenario.sql('SELECT * FROM shops'));
    const secrets = [SECRET_B, TOKEN_B, `${SECRET_B}-c`, TEST_SECRET, ENCRYPTION_KEY];
    for (const secret of secrets) {
      expect({ secret, inAnswers: answers.some((text) => text.includes(secret)) }).toEqual({
        secret,
        inAnswers: false,
      });
      expect({ secret, inLogs: logs.includes(secret) }).toEqual({ secret, inLogs: false });
      expect({ secret, inDatabase: stored.includes(secret) }).toEqual({ secret, inDatabase: false });
    }
    expect(answers.length).toBeGreaterThan(5);
  });
});
