import Redis from 'ioredis';
import { ErrorKind } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpShipmentRepository } from 'src/modules/erp/persistence/erp-shipment.repository';
import type { ErpShipment } from 'src/modules/erp/port/erp.types';
import { FulfilErpShipments } from 'src/modules/fulfilments/application/fulfil-erp-shipments.use-case';
import { ShipmentFulfilmentRepository } from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
import { OrderShops } from 'src/modules/orders/application/order-shops.query';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { ShopifyAdminClients } from 'src/modules/shopify/admin/shopify-admin-clients';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { ShopifyAdminError, ShopifyAdminErrorCode } from 'src/modules/shopify/admin/shopify-admin.errors';
import type { ShopifyAdminPort } from 'src/modules/shopify/admin/shopify-admin.port';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { buildShopifyOrder } from 'test/factories/shopify-order.factory';
import { ordersExtension, type OrdersState, type SimOrder } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.fulfilErpShipments;
const CONNECTOR = 'netsuite';
const STORE = { id: 'gid://shopify/Location/70000000002', name: 'Downtown store' };

/**
 * The fulfilment writer on the real PostgreSQL and Redis, through the real Shopify Admin client, against the Shopify
 * simulator (every document validated against the 2026-10 schema, leaky bucket enforced): ERP shipments stored by
 * the delta read become fulfilments with their tracking, customers notified, none twice — across re-runs and a
 * response lost after Shopify committed the fulfilment.
 */
describe('FulfilErpShipments (Shopify simulator, real PostgreSQL and Redis)', () => {
  const urls = serviceUrls(DB, REDIS_DB);
  const config = testConfig(DB, REDIS_DB);
  const sim = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const orders: { state: OrdersState } = ordersExtension(sim.context);
  let dataSource: DataSource;
  let shops: TestShops;
  let url: string;
  let redis: Redis;
  let audit: AuditWriter;
  let changes: ErpChangeRepository;
  let client: ShopifyAdminClient;
  let sut: FulfilErpShipments;
  let shipmentSeq = 0;

  beforeAll(async () => {
    sim.use((orders as ReturnType<typeof ordersExtension>).extension);
    url = await sim.start();
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    shops = new TestShops(dataSource, config);
    await shops.start();
    redis = new Redis(urls.REDIS_URL);
    await redis.flushdb();
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    changes = new ErpChangeRepository(dataSource);
    client = new ShopifyAdminClient(
      { adminApiUrl: url, accessToken: sim.accessToken },
      new RedisCostBucket(redis, TEST_SHOP),
      new MetricsService(),
    );
    sut = fulfilWith(client);
  });

  afterAll(async () => {
    await audit.flush();
    await sim.stop();
    await redis.quit();
    await dataSource.destroy();
  });

  function fulfilWith(port: ShopifyAdminPort): FulfilErpShipments {
    return new FulfilErpShipments(
      oneClientForEveryShop(port),
      shops.directory,
      new OrderShops(new OrderSyncStateRepository(dataSource)),
      config,
      new ShipmentFulfilmentRepository(dataSource, new ErpShipmentRepository(dataSource)),
      audit,
      new AdvisoryLocks(dataSource),
    );
  }

  function seed(lines: Array<{ sku: string; quantity: number }>, locations?: Record<string, typeof STORE>): SimOrder {
    const payload = buildShopifyOrder(
      {
        line_items: lines.map((line) => ({ sku: line.sku, quantity: line.quantity, current_quantity: line.quantity })),
      },
      { lineCount: lines.length },
    );
    return orders.state.seedOrder(payload as unknown as Record<string, unknown>, { locations });
  }

  function shipment(order: SimOrder, lines: ErpShipment['lines'], tracking = [`1Z${++shipmentSeq}`]): ErpShipment {
    return {
      erpShipmentId: `IF-${shipmentSeq}-${order.gid.slice(-6)}`,
      orderExternalId: order.gid.replace('gid://shopify/Order/', ''),
      trackingNumbers: tracking,
      carrier: 'UPS',
      trackingUrl: `https://www.ups.com/track?tracknum=${tracking[0] ?? ''}`,
      shippedAt: new Date().toISOString(),
      lines,
      lastModified: new Date().toISOString(),
    };
  }

  const fulfilmentsOf = (order: SimOrder) => orders.state.orders.get(order.gid)?.fulfillments ?? [];
  const applied = () => sim.ledger.appliedMutations('fulfillmentCreate').length;

  it('50 ERP shipments become 50 fulfilments with their tracking, customers notified, none twice', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => {
      const order = seed([
        { sku: `SKU-${String(i).padStart(4, '0')}`, quantity: 1 + (i % 3) },
        { sku: `SKU-${String(i + 100).padStart(4, '0')}`, quantity: 1 },
      ]);
      return {
        order,
        shipment: shipment(
          order,
          order.lineItems.map((l) => ({ sku: l.sku ?? '', quantity: l.quantity })),
        ),
      };
    });
    await changes.applyShipments(
      CONNECTOR,
      batch.map((b) => b.shipment),
    );
    const before = { applied: applied(), notified: orders.state.notifications.length };

    const first = await sut.execute({ connector: CONNECTOR });
    expect(first).toMatchObject({ ran: true, considered: 50, fulfilled: 50, created: 50, failed: 0, retried: 0 });

    for (const { order, shipment: s } of batch) {
      const made = fulfilmentsOf(order);
      expect(made).toHaveLength(1);
      expect(made[0]?.trackingInfo).toEqual([
        {
          company: 'UPS',
          number: s.trackingNumbers[0],
          url: `https://www.ups.com/track?tracknum=${s.trackingNumbers[0]}`,
        },
      ]);
      expect(made[0]?.notifyCustomer).toBe(true);
      expect(order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED')).toBe(true);
    }
    expect(applied() - before.applied).toBe(50);
    const notified = orders.state.notifications.slice(before.notified);
    expect(new Set(notified.map((n) => n.orderGid))).toEqual(new Set(batch.map((b) => b.order.gid)));
    expect(notified).toHaveLength(50);

    // Re-running (the repeatable job, a duplicate enqueue) does nothing.
    const again = await sut.execute({ connector: CONNECTOR });
    expect(again).toMatchObject({ considered: 0, created: 0 });
    expect(applied() - before.applied).toBe(50);
    // Nor does the delta read storing the same shipments again.
    expect(
      await changes.applyShipments(
        CONNECTOR,
        batch.map((b) => b.shipment),
      ),
    ).toEqual([]);
    expect((await sut.execute({ connector: CONNECTOR })).created).toBe(0);

    const records: Array<{ n: string }> = await dataSource.query(
      `SELECT count(DISTINCT fulfillment_gid)::text AS n FROM shopify_fulfilment WHERE erp_shipment_id = ANY($1)`,
      [batch.map((b) => b.shipment.erpShipmentId)],
    );
    expect(records[0]?.n).toBe('50');
  });

  it('a response lost after Shopify created the fulfilment: the next run finds it and creates none', async () => {
    const order = seed([{ sku: 'LOST-1', quantity: 2 }]);
    const s = shipment(order, [{ sku: 'LOST-1', quantity: 2 }]);
    await changes.applyShipments(CONNECTOR, [s]);
    // The request reaches Shopify (which commits it); the answer never comes back.
    const losing: ShopifyAdminPort = {
      bulkQuery: (query, options) => client.bulkQuery(query, options),
      request: async (document, variables, options) => {
        const response = await client.request(document, variables, options);
        if (document.name === 'FulfillmentCreate') {
          throw new ShopifyAdminError(ErrorKind.Transient, ShopifyAdminErrorCode.Unavailable, 'socket hang up');
        }
        return response;
      },
    };
    const lost = await fulfilWith(losing).execute({ connector: CONNECTOR });
    expect(lost).toMatchObject({ retried: 1, created: 0 });
    expect(fulfilmentsOf(order)).toHaveLength(1);

    // Due again at once (not waiting for the backoff), as after a crash mid-call.
    await dataSource.query(`UPDATE erp_shipment_fulfilment SET next_attempt_at = now() WHERE erp_shipment_id = $1`, [
      s.erpShipmentId,
    ]);
    const recovered = await sut.execute({ connector: CONNECTOR });
    expect(recovered).toMatchObject({ considered: 1, recovered: 1, created: 0, fulfilled: 1 });
    expect(fulfilmentsOf(order)).toHaveLength(1);
    const [row] = await dataSource.query<Array<{ status: string; fulfillment_gid: string }>>(
      `SELECT f.status, r.fulfillment_gid FROM erp_shipment_fulfilment f JOIN shopify_fulfilment r USING (connector, erp_shipment_id)
        WHERE f.erp_shipment_id = $1`,
      [s.erpShipmentId],
    );
    expect(row).toEqual({ status: 'fulfilled', fulfillment_gid: fulfilmentsOf(order)[0]?.gid });
  });

  it('a crash after the pending marker and before the call: the next run creates it (once)', async () => {
    const order = seed([{ sku: 'CRASH-1', quantity: 1 }]);
    const s = shipment(order, [{ sku: 'CRASH-1', quantity: 1 }]);
    await changes.applyShipments(CONNECTOR, [s]);
    const crashing: ShopifyAdminPort = {
      bulkQuery: (query, options) => client.bulkQuery(query, options),
      request: (document, variables, options) =>
        document.name === 'FulfillmentCreate'
          ? Promise.reject(new Error('process killed'))
          : client.request(document, variables, options),
    };
    expect(await fulfilWith(crashing).execute({ connector: CONNECTOR })).toMatchObject({ retried: 1 });
    expect(fulfilmentsOf(order)).toHaveLength(0);
    await dataSource.query(`UPDATE erp_shipment_fulfilment SET next_attempt_at = now() WHERE erp_shipment_id = $1`, [
      s.erpShipmentId,
    ]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 1, recovered: 0, fulfilled: 1 });
    expect(fulfilmentsOf(order)).toHaveLength(1);
  });

  it('partial then split shipments fulfil only what each shipped', async () => {
    const order = seed([
      { sku: 'PART-A', quantity: 3 },
      { sku: 'PART-B', quantity: 1 },
    ]);
    const first = shipment(order, [{ sku: 'PART-A', quantity: 1 }]);
    await changes.applyShipments(CONNECTOR, [first]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 1 });
    const fo = order.fulfillmentOrders[0];
    expect(fo?.status).toBe('IN_PROGRESS');
    expect(fo?.lineItems.map((l) => l.remainingQuantity)).toEqual([2, 1]);

    const second = shipment(order, [
      { sku: 'PART-A', quantity: 2 },
      { sku: 'PART-B', quantity: 1 },
    ]);
    await changes.applyShipments(CONNECTOR, [second]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 1 });
    expect(fo?.status).toBe('CLOSED');
    expect(fulfilmentsOf(order).map((f) => f.lineItems.map((l) => l.quantity))).toEqual([[1], [2, 1]]);
    expect(fulfilmentsOf(order).map((f) => f.trackingInfo[0]?.number)).toEqual([
      first.trackingNumbers[0],
      second.trackingNumbers[0],
    ]);
  });

  it('a later ERP change of carrier or tracking replaces the fulfilment tracking; other changes send nothing', async () => {
    const order = seed([{ sku: 'TRK-A', quantity: 1 }]);
    const original = {
      ...shipment(order, [{ sku: 'TRK-A', quantity: 1 }]),
      carrier: 'UPS Ground',
      trackingUrl: undefined,
    };
    await changes.applyShipments(CONNECTOR, [original]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 1, trackingUpdated: 0 });
    expect(fulfilmentsOf(order)[0]?.trackingInfo.map((t) => t.company)).toEqual(['UPS']);
    const updates = () => sim.ledger.appliedMutations('fulfillmentTrackingInfoUpdate').length;
    const before = { created: applied(), updates: updates() };

    // Nothing changed: a run sends nothing.
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 0 });

    // The ERP user corrects the ship method and the tracking number.
    await changes.applyShipments(CONNECTOR, [
      {
        ...original,
        trackingNumbers: ['794612345678'],
        carrier: 'FEDEX_GROUND',
        lastModified: new Date().toISOString(),
      },
    ]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({
      considered: 1,
      created: 0,
      fulfilled: 0,
      trackingUpdated: 1,
    });
    expect(fulfilmentsOf(order)).toHaveLength(1);
    expect(fulfilmentsOf(order)[0]?.trackingInfo.map((t) => [t.company, t.number])).toEqual([
      ['FedEx', '794612345678'],
    ]);
    expect({ created: applied(), updates: updates() }).toEqual({
      created: before.created,
      updates: before.updates + 1,
    });

    // Only the lines change (same tracking): due again, nothing sent, and not due after that.
    await changes.applyShipments(CONNECTOR, [
      {
        ...original,
        trackingNumbers: ['794612345678'],
        carrier: 'FEDEX_GROUND',
        lines: [
          { sku: 'TRK-A', quantity: 1 },
          { sku: 'TRK-A', quantity: 0 },
        ],
        lastModified: new Date().toISOString(),
      },
    ]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 1, trackingUpdated: 0 });
    expect(updates()).toBe(before.updates + 1);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 0 });
  });

  it('a shipment whose lines sit at two locations makes one call per location', async () => {
    const order = seed(
      [
        { sku: 'LOC-A', quantity: 1 },
        { sku: 'LOC-B', quantity: 1 },
      ],
      { 'LOC-B': STORE },
    );
    const s = shipment(order, [
      { sku: 'LOC-A', quantity: 1 },
      { sku: 'LOC-B', quantity: 1 },
    ]);
    await changes.applyShipments(CONNECTOR, [s]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 2, fulfilled: 1 });
    expect(
      fulfilmentsOf(order)
        .map((f) => f.locationId)
        .sort(),
    ).toEqual([order.fulfillmentOrders[0]?.location.id, STORE.id].sort());
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ created: 0 });
  });

  it('an unknown SKU or an over-shipment fails with its reason and is not retried until the ERP changes it', async () => {
    const order = seed([{ sku: 'OK-1', quantity: 1 }]);
    const unknown = shipment(order, [{ sku: 'NOT-ON-ORDER', quantity: 1 }]);
    const over = shipment(order, [{ sku: 'OK-1', quantity: 5 }]);
    await changes.applyShipments(CONNECTOR, [unknown, over]);
    const before = applied();
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ failed: 2, created: 0 });
    expect(applied()).toBe(before);
    const rows: Array<{ erp_shipment_id: string; status: string; last_error: string }> = await dataSource.query(
      `SELECT erp_shipment_id, status, last_error FROM erp_shipment_fulfilment WHERE erp_shipment_id = ANY($1)
        ORDER BY erp_shipment_id`,
      [[unknown.erpShipmentId, over.erpShipmentId]],
    );
    expect(rows.find((r) => r.erp_shipment_id === unknown.erpShipmentId)?.last_error).toContain(
      'SKU NOT-ON-ORDER is not on Shopify order',
    );
    expect(rows.find((r) => r.erp_shipment_id === over.erpShipmentId)?.last_error).toContain('ships 5 of SKU OK-1');
    expect(rows.every((r) => r.status === 'failed')).toBe(true);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 0 });

    // The ERP corrects the over-shipment: it is planned afresh and fulfilled.
    await changes.applyShipments(CONNECTOR, [{ ...over, lines: [{ sku: 'OK-1', quantity: 1 }] }]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 1, created: 1 });
  });

  it('finds a due shipment behind a full page of shipments fulfilled long ago (the ERP keys come a page at a time)', async () => {
    // 5,000 old shipments, fulfilled: a whole page of ERP shipment keys (5,000) with nothing due on it.
    await dataSource.query(
      `WITH old AS (
         INSERT INTO erp_shipment (connector, erp_shipment_id, order_external_id, tracking_numbers, shipped_at, lines,
                                   erp_last_modified)
         SELECT $1, 'OLD-' || n, '1', '[]', timestamptz '2020-01-01' + n * interval '1 minute', '[]', now()
           FROM generate_series(1, 5000) AS n
         RETURNING erp_shipment_id, changed_at)
       INSERT INTO erp_shipment_fulfilment (connector, erp_shipment_id, shop, order_gid, status, shipment_changed_at)
       SELECT $1, erp_shipment_id, $2, 'gid://shopify/Order/1', 'fulfilled', changed_at FROM old`,
      [CONNECTOR, TEST_SHOP],
    );
    const order = seed([{ sku: 'LATE-1', quantity: 1 }]);
    const late = shipment(order, [{ sku: 'LATE-1', quantity: 1 }]);
    await changes.applyShipments(CONNECTOR, [late]);

    const due = await new ShipmentFulfilmentRepository(dataSource, new ErpShipmentRepository(dataSource)).due(
      CONNECTOR,
      10,
    );
    expect(due.map((d) => [d.shipment.erpShipmentId, d.status, d.shipment.trackingNumbers])).toEqual([
      [late.erpShipmentId, null, late.trackingNumbers],
    ]);
    expect(await sut.execute({ connector: CONNECTOR })).toMatchObject({ considered: 1, created: 1, fulfilled: 1 });
    expect(fulfilmentsOf(order)).toHaveLength(1);
  });
  it("two shops: each shipment reaches only the shop its order came from, through that shop's own client, token and cost bucket", async () => {
    const SHOP_B = 'expansion-store.myshopify.com';
    const simB = new ShopifySimulator({ shopDomain: SHOP_B, accessToken: 'shpat_expansion_store' });
    const ordersB = ordersExtension(simB.context);
    simB.use(ordersB.extension);
    const urlB = await simB.start();
    try {
      // Each shop's own endpoint and token, stored as the admin API stores them (sealed).
      await shops.update(TEST_SHOP, { adminApiUrl: url, adminAccessToken: sim.accessToken });
      await shops.add(SHOP_B, { adminApiUrl: urlB, adminAccessToken: 'shpat_expansion_store', webhookSecret: 'b' });
      const clients = new ShopifyAdminClients(
        ({ domain, adminApiUrl, accessToken }) =>
          new ShopifyAdminClient({ adminApiUrl, accessToken, shopDomain: domain }, new RedisCostBucket(redis, domain)),
        (domain) => shops.directory.find(domain),
      );
      const twoShops = new FulfilErpShipments(
        clients,
        shops.directory,
        new OrderShops(new OrderSyncStateRepository(dataSource)),
        config,
        new ShipmentFulfilmentRepository(dataSource, new ErpShipmentRepository(dataSource)),
        audit,
        new AdvisoryLocks(dataSource),
      );
      const orderA = seed([{ sku: 'SKU-A', quantity: 1 }]);
      const seedB = (): SimOrder => {
        const payload = buildShopifyOrder({ line_items: [{ sku: 'SKU-B', quantity: 2, current_quantity: 2 }] });
        return ordersB.state.seedOrder(payload as unknown as Record<string, unknown>);
      };
      const orderB = seedB();
      const idOf = (order: SimOrder): string => order.gid.replace('gid://shopify/Order/', '');
      // The order writer's records: which shop each order came from.
      const applied = async (shop: string, order: SimOrder): Promise<void> => {
        await dataSource.query(
          `INSERT INTO order_sync_state (shop, shopify_order_id, last_applied_updated_at, status) VALUES ($1, $2, now(), 'open')`,
          [shop, idOf(order)],
        );
      };
      await applied(TEST_SHOP, orderA);
      await applied(SHOP_B, orderB);
      const shipmentA = shipment(orderA, [{ sku: 'SKU-A', quantity: 1 }]);
      const shipmentB = shipment(orderB, [{ sku: 'SKU-B', quantity: 2 }]);
      await changes.applyShipments(CONNECTOR, [shipmentA, shipmentB]);
      const beforeA = sim.ledger.appliedMutations('fulfillmentCreate').length;

      await twoShops.execute({ connector: CONNECTOR });

      expect(fulfilmentsOf(orderA)).toHaveLength(1);
      expect(ordersB.state.orders.get(orderB.gid)?.fulfillments).toHaveLength(1);
      expect(ordersB.state.orders.get(orderB.gid)?.fulfillments[0]?.trackingInfo[0]?.number).toBe(
        shipmentB.trackingNumbers[0],
      );
      // Shop A's store saw only its own order's fulfilment; shop B's store only B's.
      expect(sim.ledger.appliedMutations('fulfillmentCreate').length - beforeA).toBe(1);
      expect(simB.ledger.appliedMutations('fulfillmentCreate')).toHaveLength(1);
      expect(orders.state.orders.has(orderB.gid)).toBe(false);
      const recorded: Array<{ erp_shipment_id: string; shop: string }> = await dataSource.query(
        'SELECT erp_shipment_id, shop FROM erp_shipment_fulfilment WHERE erp_shipment_id = ANY($1::text[])',
        [[shipmentA.erpShipmentId, shipmentB.erpShipmentId]],
      );
      expect(Object.fromEntries(recorded.map((r) => [r.erp_shipment_id, r.shop]))).toEqual({
        [shipmentA.erpShipmentId]: TEST_SHOP,
        [shipmentB.erpShipmentId]: SHOP_B,
      });
      // One cost bucket per shop in Redis, each learnt from its own store's answers.
      expect(await redis.exists(`shopify:bucket:{${TEST_SHOP}}:state`, `shopify:bucket:{${SHOP_B}}:state`)).toBe(2);

      // A disabled shop's shipment is held (retried later), never sent to another shop.
      await shops.update(SHOP_B, { enabled: false });
      const orderB2 = seedB();
      await applied(SHOP_B, orderB2);
      const shipmentB2 = shipment(orderB2, [{ sku: 'SKU-B', quantity: 2 }]);
      await changes.applyShipments(CONNECTOR, [shipmentB2]);
      const held = await twoShops.execute({ connector: CONNECTOR });
      expect(held.held).toBeGreaterThanOrEqual(1);
      expect(ordersB.state.orders.get(orderB2.gid)?.fulfillments ?? []).toHaveLength(0);
      expect(simB.ledger.appliedMutations('fulfillmentCreate')).toHaveLength(1);
      const [state] = await dataSource.query<Array<{ status: string; shop: string }>>(
        'SELECT status, shop FROM erp_shipment_fulfilment WHERE erp_shipment_id = $1',
        [shipmentB2.erpShipmentId],
      );
      expect(state).toEqual({ status: 'retry', shop: SHOP_B });
    } finally {
      await simB.stop();
    }
  });
});
