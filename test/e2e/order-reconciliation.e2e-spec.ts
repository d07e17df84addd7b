import Queue from 'bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import type { BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import { ordersExtension } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { Scenario, orders, sleep } from 'test/support/scenario';
import { TEST_SECRET, TEST_SHOP } from 'test/support/test-config';
import { buildWebhookRequest } from 'test/support/webhook-signer';

/**
 * Missed webhooks end to end: the middleware as a real process (APP_ROLE=all), RabbitMQ, PostgreSQL and Redis, the
 * sandbox ERP, and the Shopify simulator reached through SHOPIFY_ADMIN_API_URL by the real Admin client. Some orders'
 * webhooks are never delivered (and one order's update and one refund are lost too); the scheduled reconciliation
 * finds them through the Admin API and they reach the ERP through the same order pipeline — once each.
 */
describe('missed-webhook order reconciliation (Shopify Admin API → order pipeline → sandbox ERP)', () => {
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const area = ordersExtension(shopify.context);
  shopify.use(area.extension);
  let scenario: Scenario;
  let queue: Queue.Queue;

  beforeAll(async () => {
    const url = await shopify.start();
    scenario = new Scenario({
      name: 'reconciliation',
      database: 'erp_sync_e2e_reconcile',
      redisDb: 4,
      env: { SHOPIFY_ADMIN_API_URL: url, SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken },
    });
    await scenario.setup();
    await scenario.start('all');
    queue = new Queue(QueueName.OrderReconciliation, scenario.env.REDIS_URL ?? '');
  });

  afterAll(async () => {
    await queue?.close();
    await scenario?.teardown();
    await shopify.stop();
  });

  /**
   * Runs the reconciliation job now (the schedule would run it within 10 minutes) and waits for its result: the
   * environment's shop's (the job reconciles every enabled shop; this deployment has one).
   */
  async function reconcile(): Promise<Record<string, unknown>> {
    const job = await queue.add(JobName.ReconcileOrders, {}, { removeOnComplete: false, removeOnFail: false });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await job.getState();
      if (state === 'completed') {
        const shops = (await queue.getJob(job.id))?.returnvalue as Array<Record<string, unknown>>;
        expect(shops.map((r) => r.shop)).toEqual([scenario.env.SHOPIFY_SHOP_DOMAIN]);
        return shops[0] ?? {};
      }
      if (state === 'failed' || Date.now() > deadline) {
        throw new Error(`reconciliation job ${state}: ${(await queue.getJob(job.id))?.failedReason ?? 'timed out'}`);
      }
      await sleep(250);
    }
  }

  async function writesByExternalId(type: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const entry of await scenario.erpLedger()) {
      if (entry.type === type) {
        counts.set(entry.externalId, (counts.get(entry.externalId) ?? 0) + 1);
      }
    }
    return counts;
  }

  async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        throw new Error('timed out');
      }
      await sleep(250);
    }
  }

  it('orders whose webhooks never came reach the ERP through the reconciliation, once each', async () => {
    // Placed 10 minutes ago: outside the grace period the reconciliation leaves to in-flight webhooks.
    const at = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const batch: BuiltShopifyOrder[] = orders(40, 60_000).map((order) => ({
      ...order,
      created_at: at(10),
      processed_at: at(10),
      updated_at: at(10),
    }));
    for (const order of batch) {
      area.state.seedOrder(order as unknown as Record<string, unknown>);
    }
    const delivered = batch.slice(0, 28);
    const lost = batch.slice(28);
    for (const order of delivered) {
      scenario.plan(order, 'orders/create');
    }
    await scenario.sendAll(100);
    await waitFor(async () => (await scenario.erpOrders()).length === delivered.length);

    // Two delivered orders change later in Shopify; one's orders/updated webhook arrives, the other's is lost.
    const [updatedDelivered, updatedLost] = delivered.slice(0, 2).map((order) => ({
      ...order,
      note: 'gift wrap please',
      updated_at: at(8),
    })) as [BuiltShopifyOrder, BuiltShopifyOrder];
    for (const order of [updatedDelivered, updatedLost]) {
      const sim = area.state.orders.get(order.admin_graphql_api_id);
      if (sim === undefined) {
        throw new Error('seeded order missing');
      }
      sim.rest = { ...sim.rest, note: order.note };
      sim.updatedAt = new Date(order.updated_at).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    scenario.plan(updatedDelivered, 'orders/updated');
    await scenario.sendAll(100);
    // And a refund of a third delivered order is made in Shopify; its refunds/create webhook is lost.
    const refunded = delivered[2];
    const line = refunded.line_items[0];
    if (line === undefined) {
      throw new Error('order without lines');
    }
    const money = (amount: string) => ({ shop_money: { amount, currency_code: refunded.currency } });
    const refund = area.state.seedRefund(refunded.admin_graphql_api_id, {
      id: 9_100_000_001,
      admin_graphql_api_id: 'gid://shopify/Refund/9100000001',
      created_at: at(7),
      note: 'damaged',
      refund_line_items: [
        {
          id: 9_200_000_001,
          line_item_id: line.id,
          quantity: 1,
          restock_type: 'no_restock',
          subtotal_set: money(line.price),
          total_tax_set: money('0.00'),
        },
      ],
      transactions: [{ kind: 'refund', status: 'success', amount_set: money(line.price) }],
    });
    await waitFor(async () => (await writesByExternalId('salesOrder')).get(String(updatedDelivered.id)) === 2);
    const before = await writesByExternalId('salesOrder');

    const first = await reconcile();
    // The lost orders, the lost update, and the refunded order's new version (a refund updates the order).
    expect(first).toMatchObject({ ran: true, ordersPublished: lost.length + 2, refundsPublished: 1 });

    await waitFor(async () => (await scenario.erpOrders()).length === batch.length);
    await waitFor(async () => (await writesByExternalId('creditMemo')).size === 1);
    await waitFor(async () => (await writesByExternalId('salesOrder')).get(String(updatedLost.id)) === 2);

    // A second run (and the schedule's later runs) feeds nothing again.
    const second = await reconcile();
    expect(second).toMatchObject({ ran: true, ordersPublished: 0, refundsPublished: 0 });
    await sleep(2_000);

    const erpOrders = await scenario.erpOrders();
    expect(new Set(erpOrders.map((o) => o.externalId))).toEqual(new Set(batch.map((o) => String(o.id))));
    const writes = await writesByExternalId('salesOrder');
    for (const order of lost) {
      // Each lost order: written once, by the reconciliation.
      expect(writes.get(String(order.id))).toBe(1);
    }
    expect(writes.get(String(refunded.id))).toBe(2);
    for (const order of delivered.slice(3)) {
      // Orders whose webhooks came were not written again.
      expect(writes.get(String(order.id))).toBe(before.get(String(order.id)));
    }
    expect(writes.get(String(updatedDelivered.id))).toBe(2);
    expect(writes.get(String(updatedLost.id))).toBe(2);
    const lostUpdate = erpOrders.find((o) => o.externalId === String(updatedLost.id));
    expect(lostUpdate?.sourceUpdatedAt ?? lostUpdate?.custbody_source_updated_at).toBeDefined();
    const memos = await writesByExternalId('creditMemo');
    expect([...memos.values()]).toEqual([1]);
    expect([...memos.keys()][0]).toContain(refund.gid.replace('gid://shopify/Refund/', ''));

    const trail = await scenario.sql<{ status: string; reason: string | null }>(
      `SELECT status, reason FROM sync_audit_log WHERE shopify_id = $1 ORDER BY id`,
      [String(lost[0]?.id)],
    );
    expect(trail.map((r) => r.status)).toEqual(expect.arrayContaining(['received', 'queued', 'succeeded']));
    expect(trail.some((r) => r.reason?.includes('fed by the reconciliation'))).toBe(true);
  });

  it('a signed returns/approve webhook ends as the return authorization and its exchange order in the ERP, once', async () => {
    // A seed of its own: the orders of the test above are seeds 60_000 + 0…39.
    const [order] = orders(1, 70_000);
    const line = order?.line_items.find((item) => item.sku !== null);
    if (order === undefined || line?.sku === undefined || line.sku === null) {
      throw new Error('order without a SKU line');
    }
    area.state.seedOrder(order as unknown as Record<string, unknown>);
    scenario.plan(order, 'orders/create');
    await scenario.sendAll(100);
    await waitFor(async () => (await writesByExternalId('salesOrder')).get(String(order.id)) === 1);

    const { ret, webhook } = area.state.seedReturn(order.admin_graphql_api_id, {
      lines: [{ sku: line.sku, quantity: 1, reason: 'defective' }],
      exchanges: [{ sku: line.sku, title: line.title, price: line.price, quantity: 1 }],
    });
    const returnId = ret.gid.replace('gid://shopify/Return/', '');
    const post = async (topic: string, webhookId?: string): Promise<number> => {
      const request = buildWebhookRequest({ topic, order: webhook, secret: TEST_SECRET, shop: TEST_SHOP, webhookId });
      const res = await fetch(`${scenario.ingestUrl}/webhooks/shopify`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      return res.status;
    };
    // The approval, its redelivery (same webhook id), and a later topic about the same return.
    expect(await post('returns/approve', `return-approve-${returnId}`)).toBe(200);
    expect(await post('returns/approve', `return-approve-${returnId}`)).toBe(200);
    expect(await post('returns/close')).toBe(200);

    await waitFor(async () => (await writesByExternalId('returnAuthorization')).size === 1);
    const exchangeId = `${order.id}-exchange-${returnId}`;
    await waitFor(async () => (await writesByExternalId('salesOrder')).get(exchangeId) !== undefined);
    // Every delivery handled: the approval applied, its redelivery a duplicate, the close skipped as recorded.
    const trail = async (): Promise<string[]> =>
      (
        await scenario.sql<{ status: string; reason: string | null }>(
          `SELECT status, reason FROM sync_audit_log WHERE entity = 'return' AND shopify_id = $1 ORDER BY id`,
          [returnId],
        )
      ).map((row) => (row.reason?.startsWith('already-recorded') === true ? 'already-recorded' : row.status));
    await waitFor(async () => {
      const seen = await trail();
      return ['succeeded', 'duplicate', 'already-recorded'].every((status) => seen.includes(status));
    });
    const authorizations = await writesByExternalId('returnAuthorization');
    expect([...authorizations.entries()]).toEqual([[`shopify-return-${returnId}`, 1]]);
    expect((await writesByExternalId('salesOrder')).get(exchangeId)).toBe(1);
  });
});
