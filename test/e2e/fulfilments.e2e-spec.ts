import { ordersExtension, type SimOrder, type SimTransaction } from 'test/simulators/shopify/orders-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { Scenario, orders, sleep, until } from 'test/support/scenario';
import { TEST_SHOP } from 'test/support/test-config';

/**
 * ERP → Shopify fulfilments end to end: shipments made in the NetSuite simulator are read by the app's scheduled
 * delta read (a real process, APP_ROLE=all, through the real NetSuite connector), which wakes the fulfilment job; the
 * real Admin client creates them in the Shopify simulator. Partial then completing shipments; none twice however
 * many polls run.
 */
describe('ERP shipments → Shopify fulfilments (NetSuite simulator → app → Shopify simulator)', () => {
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const area = ordersExtension(shopify.context);
  shopify.use(area.extension);
  let scenario: Scenario;

  beforeAll(async () => {
    const url = await shopify.start();
    scenario = new Scenario({
      name: 'fulfilments',
      database: 'erp_sync_e2e_fulfil',
      redisDb: 1,
      erp: 'netsuite',
      simulator: { latencyMs: 5, latencyJitterMs: 0 },
      env: {
        SHOPIFY_ADMIN_API_URL: url,
        SHOPIFY_ADMIN_ACCESS_TOKEN: shopify.accessToken,
        ERP_POLL_INTERVAL_SECONDS: '5',
      },
    });
    await scenario.setup();
    await scenario.start('all');
  });

  afterAll(async () => {
    await scenario?.teardown();
    await shopify.stop();
  });

  /** The app's delta reads of NetSuite shipments so far (its own metric). */
  async function shipmentReads(): Promise<number> {
    const metrics = await (await fetch(`${scenario.ingestUrl}/metrics`)).text();
    return [...metrics.matchAll(/^erp_sync_erp_requests_total\{[^}]*operation="readShipments"[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  }

  const total = (): number => [...area.state.orders.values()].reduce((n, o) => n + o.fulfillments.length, 0);

  async function waitFor(check: () => boolean, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out (${total()} fulfilments)`);
      }
      await sleep(250);
    }
  }

  it('each ERP shipment becomes one fulfilment with its tracking; partial shipments complete later; none twice', async () => {
    const seeded: SimOrder[] = orders(12, 80_000).map((order) =>
      area.state.seedOrder(order as unknown as Record<string, unknown>),
    );
    // NetSuite's Ship Via is a shipping item named as the merchant likes: mapped to Shopify's tracking companies.
    const shipMethods = ['UPS Ground', 'FEDEX_GROUND', 'fedex 2day', 'USPS Priority Mail', 'DHL', 'Acme Freight'];
    const shipmentOf = (order: SimOrder, tracking: string, share: (quantity: number) => number) => ({
      orderExternalId: order.gid.replace('gid://shopify/Order/', ''),
      trackingNumbers: [tracking],
      carrier: shipMethods[seeded.indexOf(order) % shipMethods.length],
      trackingUrl: null,
      lines: order.lineItems
        .map((line) => ({ sku: line.sku ?? '', quantity: share(line.quantity) }))
        .filter((line) => line.quantity > 0),
    });
    // Ten orders shipped in full; two (with a line of 2 or more) shipped in part first.
    const partial = seeded.filter((o) => o.lineItems.some((l) => l.quantity >= 2)).slice(0, 2);
    const full = seeded.filter((o) => !partial.includes(o));
    scenario.simulator?.server.catalog.apply({
      shipments: [
        ...full.map((order, i) => shipmentOf(order, `JD${1000 + i}`, (q) => q)),
        ...partial.map((order, i) => shipmentOf(order, `JP${1000 + i}`, (q) => Math.floor(q / 2))),
      ],
    });
    await waitFor(() => total() === seeded.length);
    for (const order of full) {
      expect(order.fulfillmentOrders.every((fo) => fo.status === 'CLOSED')).toBe(true);
    }
    for (const order of partial) {
      expect(order.fulfillmentOrders.some((fo) => fo.status === 'IN_PROGRESS')).toBe(true);
    }

    // The rest of the partial orders ships.
    scenario.simulator?.server.catalog.apply({
      shipments: partial.map((order, i) => shipmentOf(order, `JR${1000 + i}`, (q) => q - Math.floor(q / 2))),
    });
    await waitFor(() => total() === seeded.length + partial.length);
    expect(seeded.every((o) => o.fulfillmentOrders.every((fo) => fo.status === 'CLOSED'))).toBe(true);

    // Several more polls and fulfilment runs (each every 5 s): nothing is created again.
    const reads = await shipmentReads();
    await until('two more shipment reads', async () => (await shipmentReads()) >= reads + 2, 60_000, 250);
    expect(total()).toBe(seeded.length + partial.length);
    expect(area.state.notifications).toHaveLength(seeded.length + partial.length);
    const numbers = [...area.state.orders.values()].flatMap((o) =>
      o.fulfillments.flatMap((f) => f.trackingInfo.map((t) => t.number)),
    );
    expect(new Set(numbers).size).toBe(numbers.length);
    // Every fulfilment names its carrier as Shopify knows it (an unknown one as NetSuite names it): never null.
    const expected = ['UPS', 'FedEx', 'FedEx', 'USPS', 'DHL Express', 'Acme Freight'];
    for (const [index, order] of seeded.entries()) {
      for (const fulfilment of order.fulfillments) {
        expect(fulfilment.trackingInfo.map((t) => t.company)).toEqual([expected[index % expected.length]]);
      }
    }
    expect(shopify.ledger.appliedMutations('fulfillmentCreate').length).toBe(seeded.length + partial.length);

    // The ERP changes the carrier and tracking number of a shipment already fulfilled: the fulfilment's tracking is
    // replaced (fulfillmentTrackingInfoUpdate, the customer notified), no second fulfilment is made.
    const changed = full[0];
    scenario.simulator?.server.catalog.updateShipment(changed.gid.replace('gid://shopify/Order/', ''), {
      trackingNumbers: ['JX9999'],
      carrier: 'FedEx Home Delivery',
    });
    await until(
      'the tracking update',
      () => Promise.resolve(shopify.ledger.appliedMutations('fulfillmentTrackingInfoUpdate').length === 1),
      60_000,
      250,
    );
    expect(changed.fulfillments.map((f) => f.trackingInfo.map((t) => [t.company, t.number]))).toEqual([
      [['FedEx', 'JX9999']],
    ]);
    expect(total()).toBe(seeded.length + partial.length);
    expect(shopify.ledger.appliedMutations('fulfillmentCreate').length).toBe(seeded.length + partial.length);
    expect(area.state.notifications.at(-1)).toMatchObject({ orderGid: changed.gid, trackingNumbers: ['JX9999'] });

    const rows = await scenario.sql<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM erp_shipment_fulfilment GROUP BY status`,
    );
    expect(rows).toEqual([{ status: 'fulfilled', n: String(seeded.length + partial.length) }]);
  });

  it('a gift card redeemed as tender: its signed webhooks end with one customer deposit against the order in NetSuite', async () => {
    const [base] = orders(1, 82_000);
    const order = { ...base, payment_gateway_names: ['gift_card', 'shopify_payments'] };
    const plain = orders(1, 82_500)[0];
    const at = order.created_at;
    const money = (amount: string) => ({ amount, currencyCode: order.currency });
    area.state.seedOrder(order, {
      transactions: [
        {
          id: '9200000000001',
          kind: 'SALE',
          status: 'SUCCESS',
          gateway: 'gift_card',
          shopMoney: money('10.00'),
          presentmentMoney: money('10.00'),
          processedAt: at,
          createdAt: at,
        },
        {
          ...tender('9200000000002', 'shopify_payments', at),
          shopMoney: money('1.00'),
          presentmentMoney: money('1.00'),
        },
      ],
    });
    const queriesBefore = shopify.ledger.entries.filter((e) => e.operationName === 'OrderTenders').length;
    // orders/create, Shopify's retry of it, then orders/paid; and a plain card order, which must not be read.
    const create = scenario.plan(order, 'orders/create');
    scenario.plan(order, 'orders/create', { webhookId: create.event.webhookId, eventId: create.event.eventId });
    scenario.plan(
      { ...order, updated_at: new Date(Date.parse(order.updated_at) + 60_000).toISOString() },
      'orders/paid',
    );
    scenario.plan(plain, 'orders/create');
    await scenario.sendAll(20);
    await scenario.drain(60_000);

    const deposits = (await scenario.erpLedger()).filter((e) => e.type === 'payment');
    expect(deposits.filter((e) => e.created).map((e) => e.externalId)).toEqual(['shopify-tx-9200000000001']);
    expect(new Set(deposits.map((e) => e.externalId))).toEqual(new Set(['shopify-tx-9200000000001']));
    const inErp = (await scenario.erpOrders()).map((o) => o.externalId);
    expect(inErp).toEqual(expect.arrayContaining([String(order.id), String(plain.id)]));
    // The transactions were read for the gift card order's two applied events only, never for the plain order.
    const reads = shopify.ledger.entries.filter((e) => e.operationName === 'OrderTenders').slice(queriesBefore);
    expect(reads.map((e) => e.variables.id)).toEqual([
      `gid://shopify/Order/${order.id}`,
      `gid://shopify/Order/${order.id}`,
    ]);
    expect(await scenario.deadLetteredOrderIds()).toEqual([]);
  });
});

function tender(id: string, gateway: string, at: string): SimTransaction {
  const zero = { amount: '0.00', currencyCode: 'USD' };
  return {
    id,
    kind: 'SALE',
    status: 'SUCCESS',
    gateway,
    shopMoney: zero,
    presentmentMoney: zero,
    processedAt: at,
    createdAt: at,
  };
}
