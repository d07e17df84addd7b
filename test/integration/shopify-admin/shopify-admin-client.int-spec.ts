import Redis from 'ioredis';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorKind } from 'src/common/errors/app-error';
import { paginate } from 'src/modules/shopify/admin/paginate';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { ShopifyAdminError, ShopifyAdminErrorCode } from 'src/modules/shopify/admin/shopify-admin.errors';
import { shopifyDocument } from 'src/modules/shopify/admin/shopify-admin.port';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

/**
 * The client against the Shopify simulator with the cost bucket in the machine's real Redis (db 3; this Redis has
 * 16 databases): several
 * clients (as several processes would) share one bucket, so a burst never fires into a throttle.
 */
const REDIS_DB = INTEGRATION_RESOURCES.shopifyAdminClient.redisDb;
const SHOP = 'bucket-test.myshopify.com';
const { REDIS_URL } = serviceUrls('unused', REDIS_DB);

interface ProductsPage {
  products: { nodes: { id: string; title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
// 2 + 98 × 1 = 100 points requested; with ≥ 98 products the actual cost is the same.
const HUNDRED_POINTS = shopifyDocument<ProductsPage, { after?: string | null }>(
  'TestHundredPoints',
  'query TestHundredPoints($after: String) { products(first: 98, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } } }',
);
const PAGE_OF_TEN = shopifyDocument<ProductsPage, { after?: string | null }>(
  'TestPageOfTen',
  'query TestPageOfTen($after: String) { products(first: 10, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } } }',
);
/** Requests of 100 points in the bursts: 0.5 s each at the 200 pts/s these tests give the simulator. */
const BURST = 12;
const TOO_EXPENSIVE = shopifyDocument<unknown, Record<string, never>>(
  'TestTooExpensive',
  'query TestTooExpensive { products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }',
);

describe('ShopifyAdminClient with the Redis-shared cost bucket (simulator)', () => {
  const sim = new ShopifySimulator({ restoreRate: 200, bulkDelayMs: 20 });
  const redisClients: Redis[] = [];
  let url: string;
  /** Times a bucket fell back to its local model (Redis errors): must stay 0 where the shared bucket is tested. */
  let fallbacks = 0;

  const newClient = (
    options: { token?: string; redis?: Redis; maxTransientAttempts?: number } = {},
  ): ShopifyAdminClient => {
    const redis = options.redis ?? new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    redisClients.push(redis);
    return new ShopifyAdminClient(
      {
        adminApiUrl: url,
        accessToken: options.token ?? sim.accessToken,
        maxTransientAttempts: options.maxTransientAttempts,
      },
      new RedisCostBucket(redis, SHOP, { onFallback: () => (fallbacks += 1) }),
    );
  };

  beforeAll(async () => {
    url = await sim.start();
  });

  beforeEach(async () => {
    sim.reset();
    sim.setRestoreRate(200);
    for (let i = 0; i < 100; i += 1) {
      sim.catalog.addProduct({ title: `P${i}`, variants: [{ sku: `SKU-${i}` }] });
    }
    const r = new Redis(REDIS_URL);
    await r.flushdb();
    await r.quit();
    fallbacks = 0;
  });

  const sharedStateExists = async (): Promise<boolean> => {
    const r = new Redis(REDIS_URL);
    const exists = await r.exists(`shopify:bucket:{${SHOP}}:state`);
    await r.quit();
    return exists === 1;
  };

  afterAll(async () => {
    await sim.stop();
    await Promise.all(redisClients.map((r) => r.quit().catch(() => r.disconnect())));
  });

  it('two clients sharing the bucket send a burst into an empty bucket without one THROTTLED answer', async () => {
    // Another app of the shop just spent the bucket: our model starts empty too (fresh Redis) and learns. From an
    // empty bucket every point of the burst must be restored first, so its size beyond the bucket's does not
    // matter: a dozen requests pace exactly as fifty would (the model's first reservations, 0.5 s apart, are what
    // Shopify restores at 200 pts/s), in 6 s instead of 25.
    sim.drainBucket(0);
    const a = newClient();
    const b = newClient();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: BURST }, (_, i) => (i % 2 === 0 ? a : b).request(HUNDRED_POINTS, {})),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(results).toHaveLength(BURST);
    expect(results.every((r) => r.data.products.nodes.length === 98)).toBe(true);
    expect(sim.stats.throttled).toBe(0);
    expect(sim.stats.pointsUsed).toBe(BURST * 100);
    expect(fallbacks).toBe(0);
    expect(await sharedStateExists()).toBe(true);
    // The bucket, not luck, paced them: 1,200 points from an empty bucket at 200 pts/s take ≥ 6 s (less the
    // few milliseconds between the drain and the first reservation) — and the restore rate was used well (≥ 80 %
    // of the theoretical bound).
    expect(seconds).toBeGreaterThan((BURST * 100) / 200 - 0.5);
    expect((BURST * 100) / 200 / seconds).toBeGreaterThan(0.8);
  }, 60_000);

  it('a THROTTLED answer (200 or 429) is retried after the time the bucket needs and succeeds', async () => {
    const client = newClient();
    sim.faults.throttleStorm = 2;
    const { data } = await client.request(PAGE_OF_TEN, {});
    expect(data.products.nodes).toHaveLength(10);
    expect(sim.ledger.entries.map((e) => e.outcome)).toEqual(['throttled', 'throttled', 'ok']);

    sim.faults.throttleAs429 = true;
    sim.faults.throttleStorm = 1;
    await expect(client.request(PAGE_OF_TEN, {})).resolves.toBeDefined();
    expect(sim.stats.throttled).toBe(3);
  });

  it('gives up on a throttle it cannot outwait within the timeout, with a throttled error', async () => {
    const client = newClient();
    sim.faults.throttleStorm = 1_000;
    const error = await client.request(PAGE_OF_TEN, {}, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyAdminError);
    expect((error as ShopifyAdminError).kind).toBe(ErrorKind.Throttled);
  });

  it('a wiped Redis mid-burst restarts the model conservatively: still no THROTTLED answer', async () => {
    sim.drainBucket(0);
    const a = newClient();
    const b = newClient();
    const wiper = new Redis(REDIS_URL);
    redisClients.push(wiper);
    const burst = Promise.all(Array.from({ length: BURST }, (_, i) => (i % 2 ? a : b).request(HUNDRED_POINTS, {})));
    // Mid-burst: a third of the requests answered, the rest still reserved and waiting.
    while (sim.stats.requests < BURST / 3) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await wiper.flushdb();
    const results = await burst;
    expect(sim.stats.requests).toBe(BURST);
    expect(results).toHaveLength(BURST);
    expect(sim.stats.throttled).toBe(0);
    expect(fallbacks).toBe(0);
    expect(await sharedStateExists()).toBe(true);
  }, 60_000);

  it('falls back to a local bucket when Redis is unreachable', async () => {
    const deadRedis = new Redis('redis://127.0.0.1:1/0', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const client = newClient({ redis: deadRedis });
    const { data } = await client.request(PAGE_OF_TEN, {});
    expect(data.products.nodes).toHaveLength(10);
    expect(fallbacks).toBeGreaterThan(0);
  });

  it('a wrong token is an auth error that does not echo the token', async () => {
    const client = newClient({ token: 'shpat_wrong_secret_value' });
    const error = (await client.request(PAGE_OF_TEN, {}).catch((e: unknown) => e)) as ShopifyAdminError;
    expect(error.kind).toBe(ErrorKind.Auth);
    expect(error.code).toBe(ShopifyAdminErrorCode.Unauthorized);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain('shpat_wrong_secret_value');
    expect(sim.stats.unauthorized).toBe(1);
  });

  it('a missing token is a clear configuration error, and nothing is sent', async () => {
    const redis = new Redis(REDIS_URL);
    redisClients.push(redis);
    const client = new ShopifyAdminClient({ adminApiUrl: url }, new RedisCostBucket(redis, SHOP));
    await expect(client.request(PAGE_OF_TEN, {})).rejects.toThrow(/SHOPIFY_ADMIN_ACCESS_TOKEN is not set/);
    expect(sim.stats.requests).toBe(0);
  });

  it('retries an outage (503) with backoff and succeeds when Shopify is back; gives up after its budget', async () => {
    const client = newClient();
    sim.faults.outage = true;
    setTimeout(() => (sim.faults.outage = false), 600);
    await expect(client.request(PAGE_OF_TEN, {})).resolves.toBeDefined();
    expect(sim.stats.outage).toBeGreaterThan(0);

    sim.faults.outage = true;
    const error = (await newClient({ maxTransientAttempts: 2 })
      .request(PAGE_OF_TEN, {})
      .catch((e: unknown) => e)) as ShopifyAdminError;
    expect(error.kind).toBe(ErrorKind.Transient);
    sim.faults.outage = false;
  });

  it('MAX_COST_EXCEEDED is permanent and not retried', async () => {
    const client = newClient();
    const error = (await client.request(TOO_EXPENSIVE, {}).catch((e: unknown) => e)) as ShopifyAdminError;
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(error.code).toBe(ShopifyAdminErrorCode.MaxCostExceeded);
    expect(sim.stats.maxCostExceeded).toBe(1);
    expect(sim.stats.requests).toBe(1);
  });

  it('paginate walks every page; bulkQuery yields the JSONL lines with __parentId', async () => {
    const client = newClient();
    const titles: string[] = [];
    for await (const p of paginate(client, PAGE_OF_TEN, {}, (d) => d.products)) {
      titles.push(p.title);
    }
    expect(titles).toHaveLength(100);
    expect(new Set(titles).size).toBe(100);

    const lines: Record<string, unknown>[] = [];
    for await (const line of client.bulkQuery(
      '{ products { edges { node { id title variants { edges { node { id sku } } } } } } }',
      { pollIntervalMs: 20 },
    )) {
      lines.push(line);
    }
    expect(lines).toHaveLength(200);
    const variant = lines.find((l) => l.sku === 'SKU-7')!;
    const parent = lines.find((l) => l.id === variant.__parentId)!;
    expect(parent.title).toBe('P7');
  });

  it('abandons a bulk result download that stalls, or whose line never ends, instead of waiting for ever', async () => {
    // Shopify's signed result URL served by a server of this test's own, which sends a little and then stalls.
    const downloads = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/jsonl' });
      res.write(req.url === '/endless-line' ? 'x'.repeat(5_000) : '{"id":"gid://shopify/Product/1"}\n{"id":');
    });
    await new Promise<void>((resolve) => downloads.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(downloads.address() as AddressInfo).port}`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    redisClients.push(redis);
    const clientServing = (path: string): ShopifyAdminClient =>
      new ShopifyAdminClient(
        { adminApiUrl: url, accessToken: sim.accessToken, bulkDownloadIdleTimeoutMs: 300, bulkMaxLineLength: 1_000 },
        new RedisCostBucket(redis, SHOP, { onFallback: () => (fallbacks += 1) }),
        undefined,
        (input, init) => fetch(urlOf(input).includes('/bulk/') ? `${origin}${path}` : input, init),
      );
    const readAll = async (client: ShopifyAdminClient): Promise<{ lines: number; error?: ShopifyAdminError }> => {
      let lines = 0;
      try {
        for await (const _line of client.bulkQuery('{ products { edges { node { id } } } }', { pollIntervalMs: 20 })) {
          lines++;
        }
        return { lines };
      } catch (error: unknown) {
        return { lines, error: error as ShopifyAdminError };
      }
    };
    const within = <T>(promise: Promise<T>): Promise<T> =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still reading')), 5_000)),
      ]);
    try {
      const stalled = await within(readAll(clientServing('/stalled')));
      expect(stalled.lines).toBe(1);
      expect(stalled.error?.code).toBe(ShopifyAdminErrorCode.BulkOperationFailed);
      expect(stalled.error?.kind).toBe(ErrorKind.Transient);
      expect(stalled.error?.message).toContain('no data for 300 ms');

      const endless = await within(readAll(clientServing('/endless-line')));
      expect(endless.lines).toBe(0);
      expect(endless.error?.code).toBe(ShopifyAdminErrorCode.BulkOperationFailed);
      expect(endless.error?.message).toContain('longer than 1000 characters');
    } finally {
      downloads.closeAllConnections();
      await new Promise((resolve) => downloads.close(resolve));
    }
  });
});

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}
