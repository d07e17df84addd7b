import type { INestApplication } from '@nestjs/common';
import Bull from 'bull';
import { Client } from 'pg';
import { Connection } from 'rabbitmq-client';
import { createApp } from 'src/bootstrap';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import {
  ALL_QUEUE_NAMES,
  CATALOG_EVENTS_QUEUE,
  INVENTORY_EVENTS_QUEUE,
  MessageHeader,
  UNROUTED_QUEUE,
  queueDepths,
} from 'src/common/messaging/topology';
import { createDataSource } from 'src/database/data-source';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { signShopifyBody } from 'src/modules/shopify';
import request from 'supertest';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { ensureDatabase, flushRedisDb, purgeQueues } from 'test/support/services';
import { TEST_SECRET, TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

/**
 * The whole loop in one app (APP_ROLE=all) on the real services: an ERP item change stored by a delta read, the
 * product sync job on Bull writing it to the Shopify simulator, then Shopify's `products/update` webhooks — the echo
 * of our write and a merchant's price edit — through ingest, RabbitMQ's catalog-events queue and the consumer.
 * On its jest worker's vhost (test/support/integration-resources.ts), emptied first: the app consumes every queue.
 */
const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.catalogEvents;
const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('catalog events: products/update echo and drift through ingest, RabbitMQ and the consumer', () => {
  const sim = new ShopifySimulator({ shopDomain: TEST_SHOP });
  let app: INestApplication;
  let pg: Client;
  let dataSource: DataSource;
  let queue: Bull.Queue;

  const post = (topic: string, payload: Record<string, unknown> | string, eventId: string) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return request(app.getHttpServer())
      .post('/webhooks/shopify')
      .set({
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': TEST_SHOP,
        'x-shopify-hmac-sha256': signShopifyBody(body, TEST_SECRET),
        'x-shopify-webhook-id': `wh-${eventId}`,
        'x-shopify-event-id': eventId,
        'x-shopify-api-version': '2026-10',
      })
      .send(body);
  };
  const auditOf = (eventId: string, status: string) =>
    until(`audit ${status} of ${eventId}`, async () => {
      const { rows } = await pg.query<{ reason: string }>(
        "SELECT reason FROM sync_audit_log WHERE event_id = $1 AND status = $2 AND entity = 'product'",
        [eventId, status],
      );
      return rows[0]?.reason;
    });

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await flushRedisDb(urls.REDIS_URL);
    await purgeQueues(urls.RABBITMQ_URL, [...ALL_QUEUE_NAMES]);
    const url = await sim.start();
    app = await createApp(
      testConfig(DB, REDIS_DB, {
        RABBITMQ_URL: urls.RABBITMQ_URL,
        APP_ROLE: 'all',
        SHOPIFY_ADMIN_API_URL: url,
        SHOPIFY_ADMIN_ACCESS_TOKEN: sim.accessToken,
        ERP_POLL_INTERVAL_SECONDS: '3600',
      }),
    );
    await app.init();
    await purgeQueues(urls.RABBITMQ_URL, [CATALOG_EVENTS_QUEUE, INVENTORY_EVENTS_QUEUE, UNROUTED_QUEUE]);
    pg = new Client({ connectionString: urls.DATABASE_URL });
    await pg.connect();
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    queue = new Bull(QueueName.ShopifyProducts, urls.REDIS_URL);
  });

  afterAll(async () => {
    await queue?.close();
    await app?.close();
    await pg?.end();
    await dataSource?.destroy();
    await sim.stop();
  });

  it('an ERP item reaches Shopify through the Bull job; its echo is skipped, a merchant price edit is drift', async () => {
    await new ErpChangeRepository(dataSource).applyItems('sandbox', [
      {
        erpItemId: 'lamp',
        sku: 'LAMP-1',
        name: 'Desk Lamp',
        price: '49.00',
        cost: '21.00',
        barcode: '5901234123457',
        active: true,
        lastModified: '2026-12-01T10:00:00Z',
      },
    ]);
    await queue.add(JobName.SyncProducts, {});
    const variant = await until('the product in Shopify', () => Promise.resolve(sim.catalog.variantBySku('LAMP-1')));
    expect(variant).toMatchObject({ price: '49.00', barcode: '5901234123457' });
    await until('ids written back', async () => {
      const { rows } = await pg.query<{ v: string | null }>(
        "SELECT shopify_variant_id AS v FROM erp_item_xref WHERE sku = 'LAMP-1'",
      );
      return rows[0]?.v ?? undefined;
    });

    const echo = sim.webhooks.filter((w) => w.topic === 'products/create').at(-1)!;
    expect((await post('products/update', echo.payload, 'evt-lamp-echo')).status).toBe(200);
    expect(await auditOf('evt-lamp-echo', 'skipped')).toMatch(/^echo/);

    sim.catalog.merchantEdit(variant.productId, { variant: { id: variant.id, price: '39.00' } });
    expect((await post('products/update', sim.webhooks.at(-1)!.payload, 'evt-lamp-drift')).status).toBe(200);
    expect(await auditOf('evt-lamp-drift', 'skipped')).toMatch(
      /^drift: LAMP-1 price is 39.00 in Shopify, 49.00 from the ERP; the ERP owns these fields, not written to the ERP/,
    );
    // Both went through the catalog-events queue, none to the unrouted one.
    const rabbit = new Connection(urls.RABBITMQ_URL);
    try {
      const depths = await queueDepths(rabbit, [UNROUTED_QUEUE, CATALOG_EVENTS_QUEUE]);
      expect(Object.fromEntries(depths)).toEqual({ [UNROUTED_QUEUE]: 0, [CATALOG_EVENTS_QUEUE]: 0 });
    } finally {
      await rabbit.close();
    }
    const { rows } = await pg.query<{ n: string }>(
      "SELECT count(*) AS n FROM sync_audit_log WHERE entity = 'product' AND topic = 'products/update'",
    );
    expect(Number(rows[0].n)).toBe(2);
  }, 60_000);

  it("boots (APP_ROLE=all) past the job-handler check and registers every module's schedules", async () => {
    // Bull's repeat keys (`name:jobId::every`, `name:jobId:::cron`): its reported `id` cuts an id holding a colon short.
    const keys = async (name: QueueName): Promise<string[]> => {
      const bull = new Bull(name, urls.REDIS_URL);
      try {
        return (await bull.getRepeatableJobs()).map((job) => job.key).sort();
      } finally {
        await bull.close();
      }
    };
    const hourly = 3_600_000; // ERP_POLL_INTERVAL_SECONDS=3600
    expect(await keys(QueueName.Maintenance)).toEqual(['prune-history:prune-history:::17 3 * * *']);
    expect(await keys(QueueName.ErpChanges)).toEqual([
      `read-erp-changes:read-erp-changes:inventory::${hourly}`,
      `read-erp-changes:read-erp-changes:items::${hourly}`,
      `read-erp-changes:read-erp-changes:shipments::${hourly}`,
      'renew-erp-push-subscriptions:renew-erp-push-subscriptions::43200000',
    ]);
    expect(await keys(QueueName.ShopifyInventory)).toEqual([
      `inventory.push-delta:inventory.push-delta::${hourly}`,
      'inventory.reconcile:inventory.reconcile:::*/15 * * * *',
    ]);
    expect(await keys(QueueName.ShopifyProducts)).toEqual([`products.sync:products.sync::${hourly}`]);
    expect(await keys(QueueName.ShopifyFulfilments)).toEqual([`fulfil-shipments:fulfil-shipments::${hourly}`]);
    expect(await keys(QueueName.OrderReconciliation)).toEqual(['reconcile-orders:reconcile-orders:::*/10 * * * *']);
  });

  describe("inventory_levels/update, on the inventory module's own queue", () => {
    // As Shopify writes it: an item id above 2^53, which no JavaScript number holds exactly.
    const level = (available: unknown): string =>
      `{"inventory_item_id":271878346596884015,"location_id":24826418,"available":${JSON.stringify(available)},` +
      `"updated_at":"2026-12-31T19:00:00-05:00",` +
      `"admin_graphql_api_id":"gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015"}`;
    const auditRow = (eventId: string, status: string) =>
      until(`audit ${status} of ${eventId}`, async () => {
        const { rows } = await pg.query<{ entity: string; reason: string; shopify_id: string }>(
          'SELECT entity, reason, shopify_id FROM sync_audit_log WHERE event_id = $1 AND status = $2',
          [eventId, status],
        );
        return rows[0];
      });
    const depths = async (): Promise<Record<string, number>> => {
      const rabbit = new Connection(urls.RABBITMQ_URL);
      try {
        return Object.fromEntries(
          await queueDepths(rabbit, [UNROUTED_QUEUE, CATALOG_EVENTS_QUEUE, INVENTORY_EVENTS_QUEUE]),
        );
      } finally {
        await rabbit.close();
      }
    };

    it('reaches the echo / drift check through the inventory consumer, the item id exactly as Shopify wrote it', async () => {
      expect((await post('inventory_levels/update', level(6), 'evt-level-1')).status).toBe(200);

      expect(await auditRow('evt-level-1', 'skipped')).toEqual({
        entity: 'inventory',
        reason: 'not a level the ERP sync writes',
        shopify_id: 'gid://shopify/InventoryItem/271878346596884015',
      });
      expect(await depths()).toEqual({ [UNROUTED_QUEUE]: 0, [CATALOG_EVENTS_QUEUE]: 0, [INVENTORY_EVENTS_QUEUE]: 0 });
    });

    it('dead-letters a body that does not decode, with the field at fault as the reason', async () => {
      expect((await post('inventory_levels/update', level('6'), 'evt-level-bad')).status).toBe(200);

      const row = await auditRow('evt-level-bad', 'dead_lettered');
      expect(row?.reason).toBe('inventory_levels/update available must be an integer or null, got "6"');
    });

    it('forwards one left in the catalog queue by an earlier version to its own queue, never dead-letters it', async () => {
      // What an in-place upgrade finds: a message the old binding put in the catalog queue before it was removed.
      const rabbit = new Connection(urls.RABBITMQ_URL);
      const publisher = rabbit.createPublisher({ confirm: true });
      try {
        await publisher.send(
          {
            exchange: '',
            routingKey: CATALOG_EVENTS_QUEUE,
            messageId: 'left-over-1',
            durable: true,
            contentType: 'application/json',
            contentEncoding: 'utf-8',
            headers: {
              [MessageHeader.Shop]: TEST_SHOP,
              [MessageHeader.Topic]: 'inventory_levels/update',
              [MessageHeader.WebhookId]: 'wh-evt-level-left-over',
              [MessageHeader.EventId]: 'evt-level-left-over',
              [MessageHeader.Attempt]: 0,
            },
          },
          Buffer.from(level(4)),
        );
      } finally {
        await publisher.close();
        await rabbit.close();
      }

      expect(await auditRow('evt-level-left-over', 'skipped')).toMatchObject({
        entity: 'inventory',
        reason: 'not a level the ERP sync writes',
      });
      const { rows } = await pg.query(
        "SELECT reason FROM sync_audit_log WHERE event_id = 'evt-level-left-over' AND status = 'dead_lettered'",
      );
      expect(rows).toEqual([]);
      expect(await depths()).toEqual({ [UNROUTED_QUEUE]: 0, [CATALOG_EVENTS_QUEUE]: 0, [INVENTORY_EVENTS_QUEUE]: 0 });
    });
  });
});
