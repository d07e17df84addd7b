import { MetricsService } from 'src/common/observability/metrics.service';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import type { ErpPort } from 'src/modules/erp';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { SyncedOrderTotals } from 'src/modules/orders/application/synced-order-totals.query';
import { OrderPayloadRepository } from 'src/modules/orders/persistence/order-payload.repository';
import { DepositShopifyPayouts } from 'src/modules/payouts/application/deposit-shopify-payouts.use-case';
import { ReadPayouts } from 'src/modules/payouts/application/read-payouts.query';
import { ShopifyPayoutRepository } from 'src/modules/payouts/persistence/shopify-payout.repository';
import { DepositPayoutsProcessor } from 'src/modules/payouts/transport/deposit-payouts.processor';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { LocalCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { payoutsExtension } from 'test/simulators/shopify/payouts-extension';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { directErpContext } from 'test/support/direct-erp-context';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.payouts;
/** No Redis is used; serviceUrls wants an index. */
const REDIS_DB = 0;

/**
 * The payouts job end to end in one process: PAID payouts and their balance transactions read from the Shopify
 * simulator through the real Admin client (documents checked against the 2026-10 schema), the variance report
 * against the order totals in PostgreSQL (real migrations), and the deposit written to the sandbox ERP over HTTP
 * through its real connector; a second run deposits nothing new.
 */
describe('DepositShopifyPayouts (Shopify simulator, sandbox ERP over HTTP, real PostgreSQL)', () => {
  const urls = serviceUrls(DB, REDIS_DB);
  const config = testConfig(DB, REDIS_DB, {
    PAYOUTS_ERP_BANK_ACCOUNT: '101',
    PAYOUTS_ERP_CLEARING_ACCOUNT: '102',
    PAYOUTS_ERP_FEE_ACCOUNT: '601',
    PAYOUTS_ERP_DISPUTE_ACCOUNT: '603',
  });
  const shopify = new ShopifySimulator({ shopDomain: TEST_SHOP });
  const payouts = payoutsExtension(shopify.context);
  const sandbox = new SandboxErpServer({ concurrencyLimit: 50, latencyMs: 0, latencyJitterMs: 0 });
  let dataSource: DataSource;
  let audit: AuditWriter;
  let processor: DepositPayoutsProcessor;
  let read: ReadPayouts;
  let erp: ErpPort;

  beforeAll(async () => {
    shopify.use(payouts.extension);
    const shopifyUrl = await shopify.start();
    const erpUrl = `http://127.0.0.1:${await sandbox.listen(0)}`;
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    const shops = new TestShops(dataSource, config);
    await shops.start();
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    const client = new ShopifyAdminClient(
      { adminApiUrl: shopifyUrl, accessToken: shopify.accessToken },
      new LocalCostBucket(),
      new MetricsService(),
    );
    erp = new SandboxErpConnector({ baseUrl: erpUrl }, directErpContext(5_000));
    const repository = new ShopifyPayoutRepository(dataSource);
    const sut = new DepositShopifyPayouts(
      oneClientForEveryShop(client),
      shops.directory,
      { for: () => erp },
      config,
      repository,
      new SyncedOrderTotals(new OrderPayloadRepository(dataSource)),
      audit,
      new AdvisoryLocks(dataSource),
    );
    processor = new DepositPayoutsProcessor(sut);
    read = new ReadPayouts(repository, shops.directory);
  });

  afterAll(async () => {
    await audit.flush();
    await shopify.stop();
    await sandbox.close();
    await dataSource.destroy();
  });

  /** What the order writer leaves after applying an order: its payload, total in shop money. */
  async function synced(orderId: string, total: string): Promise<void> {
    const payload = { id: Number(orderId), total_price: total, currency: 'EUR' };
    await dataSource.query(
      `INSERT INTO order_sync_state (shop, shopify_order_id, last_applied_updated_at, status, erp_id, source_payload)
       VALUES ($1, $2, now(), 'open', 'SO1', $3::jsonb)`,
      [TEST_SHOP, orderId, JSON.stringify(payload)],
    );
  }

  it('deposits a PAID payout once, with exact lines and its variance report; a second run writes nothing', async () => {
    await synced('5001', '100.00');
    await synced('5002', '50.00');
    const paid = payouts.state.addPayout({
      issuedAt: new Date(Date.now() - 86_400_000).toISOString(),
      transactions: [
        { type: 'CHARGE', amount: '100.00', fee: '3.20', orderId: '5001', orderName: '#1001' },
        { type: 'CHARGE', amount: '50.10', fee: '1.75', orderId: '5002', orderName: '#1002' },
        { type: 'CHARGE', amount: '20.00', fee: '0.88', orderId: '5003', orderName: '#1003' },
        { type: 'REFUND', amount: '-10.00', orderId: '5001', orderName: '#1001' },
        { type: 'DISPUTE_WITHDRAWAL', amount: '-20.00', fee: '15.00', orderId: '5003', orderName: '#1003' },
        { type: 'ADJUSTMENT', amount: '-0.50' },
      ],
    });
    payouts.state.addPayout({ status: 'IN_TRANSIT', transactions: [{ type: 'CHARGE', amount: '9.00' }] });

    const first = await processor.run();
    expect(first).toMatchObject({ ran: true, considered: 1, deposited: 1, alreadyDeposited: 0, held: 0, failed: 0 });

    const [deposit, ...others] = sandbox.snapshot().deposits;
    expect(others).toEqual([]);
    expect(deposit).toMatchObject({
      externalId: `shopify-payout-${paid.id}`,
      account: { id: '101' },
      other: { items: [{ account: { id: '102' }, amount: 160.1, memo: 'Shopify Payments charges less refunds' }] },
      cashBack: {
        items: [
          { account: { id: '601' }, amount: 20.83, memo: 'Shopify Payments fees' },
          { account: { id: '102' }, amount: 0.5, memo: 'Shopify Payments adjustments' },
          { account: { id: '603' }, amount: 20, memo: 'Shopify Payments disputes' },
        ],
      },
    });
    // The deposit's total is the payout's net: 160.10 − 20.83 − 0.50 − 20.00 = 118.77.
    expect(paid.net).toBe('118.77');

    const listed = await read.execute({ shop: TEST_SHOP });
    expect(listed.outcome === 'listed' && listed.payouts.map((p) => [p.payoutId, p.state, p.net])).toEqual([
      [paid.id, 'deposited', '118.77'],
    ]);
    const variances = listed.outcome === 'listed' ? listed.payouts[0]?.variances : [];
    expect(variances?.map((v) => [v.orderName, v.reason, v.payoutAmount, v.syncedAmount])).toEqual([
      ['#1003', 'order-not-synced', '20.00', null],
      ['#1002', 'amount-differs', '50.10', '50.00'],
    ]);
    await audit.flush();
    const rows: Array<{ status: string; entity: string }> = await dataSource.query(
      `SELECT status, entity FROM sync_audit_log WHERE event_id = $1`,
      [`payout:${paid.id}`],
    );
    expect(rows).toEqual([{ status: 'succeeded', entity: 'payout' }]);

    const second = await processor.run();
    expect(second).toMatchObject({ considered: 1, deposited: 0, alreadyDeposited: 1 });
    expect(sandbox.snapshot().deposits.map((d) => d.writeCount)).toEqual([1]);
  });

  it('holds a payout whose transactions do not come to its net, writing nothing to the ERP', async () => {
    const before = sandbox.snapshot().deposits.length;
    const odd = payouts.state.addPayout({
      net: '9.99',
      transactions: [{ type: 'CHARGE', amount: '10.00', fee: '0.59', orderId: '5001', orderName: '#1001' }],
    });
    const result = await processor.run();
    expect(result).toMatchObject({ deposited: 0, held: 1 });
    expect(sandbox.snapshot().deposits).toHaveLength(before);
    const listed = await read.execute({ shop: TEST_SHOP });
    const held = listed.outcome === 'listed' ? listed.payouts.find((p) => p.payoutId === odd.id) : undefined;
    expect(held).toMatchObject({
      state: 'held',
      lastError: `payout ${odd.id}: its 1 transactions come to 9.41, its net is 9.99`,
    });
  });

  it("an operator's run takes a held payout at once (the schedule waits an hour), for the shop named only", async () => {
    const odd = payouts.state.addPayout({
      net: '5.01',
      transactions: [{ type: 'CHARGE', amount: '5.00', fee: '0.30', orderId: '5001', orderName: '#1001' }],
    });
    expect(await processor.run()).toMatchObject({ held: 1 });
    // Shopify's net now agrees with the transactions; the schedule would read the payout again only in an hour.
    const stored = payouts.state.payouts.get(odd.id);
    if (stored === undefined) {
      throw new Error('no payout');
    }
    stored.net = '4.70';
    expect(await processor.run()).toMatchObject({ deposited: 0, held: 0 });
    const before = sandbox.snapshot().deposits.length;

    const elsewhere = await processor.run({ data: { shop: 'nowhere.myshopify.com', requestedBy: 'api-key:ops (#2)' } });
    expect(elsewhere).toMatchObject({ ran: false, skipped: 'shop nowhere.myshopify.com is not enabled' });
    const now = await processor.run({ data: { shop: TEST_SHOP, requestedBy: 'api-key:ops (#2)' } });
    // The earlier test's held payout (still off its net) is taken at once too, and held again.
    expect(now).toMatchObject({ ran: true, deposited: 1, held: 1 });
    expect(sandbox.snapshot().deposits).toHaveLength(before + 1);
    await audit.flush();
    const rows: Array<{ status: string; reason: string }> = await dataSource.query(
      `SELECT status, reason FROM sync_audit_log WHERE event_id = $1 ORDER BY id`,
      [`payout:${odd.id}`],
    );
    expect(rows).toEqual([
      { status: 'skipped', reason: 'unbalanced' },
      {
        status: 'succeeded',
        reason: 'deposited 4.70 EUR; 1 variance(s) with the synced orders; run by api-key:ops (#2)',
      },
    ]);
  });
});
