import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createDataSource } from 'src/database/data-source';
import { OrderHistoryModule, PruneWebhookInbox } from 'src/modules/orders';
import type { BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import { Scenario, orders, until, updated, type PlannedDelivery } from 'test/support/scenario';
import { DataSource } from 'typeorm';

/**
 * S11 (docs/reliability.md): a captured delivery replayed days later. Shopify signs only the body, with no
 * timestamp, so whoever captured a delivery can send it again at any time, with the same headers or with a new
 * `X-Shopify-Webhook-Id` (and event id). A hundred such replays of deliveries the ERP already has are each answered
 * 200 (a sender that gets an error retries, and a Shopify-like sender would storm), change nothing in the ERP, and
 * are audited: `duplicate` when the webhook inbox still knows the delivery, `stale` when its `updated_at` is older
 * than what the ERP holds. "Days later" is also after the inbox's retention (7 days) has pruned the delivery's key:
 * then the per-order `updated_at` guard alone must stop the replay.
 */

/** The retention the scheduler prunes the webhook inbox with (src/modules/maintenance/schedules.ts). */
const INBOX_RETENTION_DAYS = 7;

/** Runs the orders module's own retention of the webhook inbox against the scenario's database. */
async function pruneInbox(databaseUrl: string, days: number): Promise<number> {
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  @Global()
  @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
  class DatabaseModule {}
  try {
    const moduleRef = await Test.createTestingModule({ imports: [DatabaseModule, OrderHistoryModule] }).compile();
    return await moduleRef.get(PruneWebhookInbox).execute(days);
  } finally {
    await dataSource.destroy();
  }
}

describe('S11 a captured delivery replayed days later', () => {
  const scenario = new Scenario({ name: 's11', database: 'erp_sync_e2e_s11', redisDb: 2 });

  afterAll(async () => {
    await scenario.teardown();
  });

  it('answers 100 replays 200, changes nothing in the ERP, and audits each duplicate or stale, inbox pruned or not', async () => {
    await scenario.setup();
    const app = await scenario.start('all');

    // What was captured: each order's create, and the update the ERP has applied since.
    const batch = orders(25, 140_000);
    const v2 = batch.map((order) => updated(order, 5, { note: 'v2' }));
    const creates = batch.map((order) => ({ order, captured: scenario.plan(order, 'orders/create') }));
    const updates = v2.map((order) => ({ order, captured: scenario.plan(order, 'orders/updated') }));
    await scenario.sendAll(50);
    // Settled means in the ERP and audited: the audit row follows the ERP's answer, so wait for both.
    const audited = async (): Promise<number> =>
      (
        await scenario.sql(
          `SELECT 1 FROM sync_audit_log
            WHERE entity = 'order' AND status IN ('duplicate', 'skipped', 'succeeded', 'dead_lettered')`,
        )
      ).length;
    await scenario.drain(60_000, async () => (await audited()) >= 50);
    expect(await audited()).toBe(50);
    expect((await scenario.ledger({ strictWrites: true })).problems).toEqual([]);
    const erpLedgerBefore = await scenario.erpLedger();
    const erpOrdersBefore = await scenario.erpOrders();
    const sentToErp = async (): Promise<number> =>
      (await scenario.sql(`SELECT 1 FROM sync_audit_log WHERE status = 'sent_to_erp'`)).length;
    const sentBefore = await sentToErp();

    /** Plans each delivery again, byte for byte: as it was (same ids), or under new webhook and event ids. */
    const replay = (deliveries: Array<{ order: BuiltShopifyOrder; captured: PlannedDelivery }>, sameIds: boolean) => {
      for (const { order, captured } of deliveries) {
        const ids = sameIds ? { webhookId: captured.event.webhookId, eventId: captured.event.eventId } : {};
        scenario.plan(order, captured.event.topic, ids);
      }
    };
    /** How the order deliveries audited after `mark` ended: `duplicate`, `stale`, `succeeded` or `dead_lettered`. */
    const outcomesSince = async (mark: number): Promise<Record<string, number>> => {
      const rows = await scenario.sql<{ outcome: string; n: string }>(
        `SELECT CASE WHEN status = 'skipped' THEN reason ELSE status END AS outcome, count(*) AS n
           FROM sync_audit_log
          WHERE id > $1 AND entity = 'order' AND status IN ('duplicate', 'skipped', 'succeeded', 'dead_lettered')
          GROUP BY 1`,
        [mark],
      );
      return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
    };
    /** Sends what was planned since the last call and waits until each of those deliveries has an outcome. */
    const replayAndSettle = async (what: string): Promise<Record<string, number>> => {
      const mark = Number(
        (await scenario.sql<{ id: string | null }>('SELECT max(id) AS id FROM sync_audit_log'))[0]?.id ?? 0,
      );
      const count = scenario.deliveries.length - scenario.outcomes.length;
      await scenario.sendAll(50);
      await until(
        what,
        async () => Object.values(await outcomesSince(mark)).reduce((a, b) => a + b, 0) >= count,
        30_000,
        250,
      );
      return outcomesSince(mark);
    };
    const firstReplay = scenario.outcomes.length;

    // Hours later, the inbox still holds every delivery's key: the same delivery is a duplicate, and the create
    // under a new webhook id is older than the update the ERP has (stale).
    replay(creates, true);
    replay(creates, false);
    expect(await replayAndSettle('the replays before the prune')).toEqual({ duplicate: 25, stale: 25 });

    // Days later, past the inbox's retention: the keys of those deliveries are gone.
    await scenario.sql(`UPDATE webhook_inbox SET completed_at = completed_at - interval '8 days'`);
    // 50 applied deliveries and the 25 replays under new ids (recorded stale); a duplicate records nothing new.
    expect(await pruneInbox(scenario.env.DATABASE_URL ?? '', INBOX_RETENTION_DAYS)).toBe(75);
    expect(await scenario.sql('SELECT 1 FROM webhook_inbox')).toEqual([]);

    // The same deliveries again: only the per-order updated_at guard knows them now. The create is older than what
    // the ERP holds (stale); the update is what it holds (duplicate).
    replay(creates, true);
    replay(updates, true);
    expect(await replayAndSettle('the replays after the prune')).toEqual({ duplicate: 25, stale: 25 });

    // Each of the 100 replays answered 200 at its first attempt: nothing for a sender to retry.
    const replayed = scenario.outcomes.slice(firstReplay);
    expect(replayed).toHaveLength(100);
    expect(replayed.filter((o) => o?.attempts.length !== 1 || o.final.status !== 200)).toEqual([]);

    // Nothing reached the ERP: not one write, and every order as it was.
    expect(await scenario.erpLedger()).toEqual(erpLedgerBefore);
    expect(await scenario.erpOrders()).toEqual(erpOrdersBefore);
    expect((await scenario.ledger({ strictWrites: true })).problems).toEqual([]);
    expect(await sentToErp()).toBe(sentBefore);
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
  });
});
