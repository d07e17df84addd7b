import { Logger } from '@nestjs/common';
import Bull from 'bull';
import Redis from 'ioredis';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { registerRepeatableJobs, restoreRepeatableJobs } from 'src/common/jobs/register-repeatable-jobs';
import { inventorySchedules } from 'src/modules/inventory/schedules';
import { InventoryWorld } from 'test/integration/inventory/inventory-world';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls, testConfig } from 'test/support/test-config';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.inventoryThrottling;
const urls = serviceUrls(DB, REDIS_DB);

/**
 * S17 (Shopify-side throttling: bucket 20,000, restore 1,000 pts/s) and S8 (Redis state wiped mid-drain; here a
 * FLUSHDB of this suite's own Redis db, since restarting the shared Redis is not allowed) for the inventory push.
 */
describe('Inventory push under throttling and a Redis wipe (S17, S8)', () => {
  const world = new InventoryWorld(urls, { restoreRate: 1_000, writeConcurrency: 4 });
  let admin: Redis;

  beforeAll(async () => {
    await world.start();
    await world.seed(1_000, 3, { synced: true });
    admin = new Redis(urls.REDIS_URL);
  });

  afterAll(async () => {
    admin.disconnect();
    await world.stop();
  });

  const expectShopifyMatchesErp = async (): Promise<void> => {
    const rows: Array<{ sku: string; erp_location_id: string; available: number }> = await world.dataSource.query(
      'SELECT sku, erp_location_id, available::int AS available FROM erp_inventory_level',
    );
    const erp = new Map(rows.map((r) => [`${r.sku}@${r.erp_location_id}`, r.available]));
    const mismatches = world.levels.filter((l) => world.shopifyAvailable(l) !== erp.get(`${l.sku}@${l.erpLocationId}`));
    expect(mismatches).toEqual([]);
  };

  it('S17: THROTTLED answers (bucket drained behind our back, a throttle storm) are all retried; nothing is lost', async () => {
    const changed = world.levels.slice(0, 1_500);
    await world.changeErp(
      changed.map((l, i) => ({ sku: l.sku, erpLocationId: l.erpLocationId, available: 1_000 + i })),
    );
    world.sim.ledger.entries.splice(0);
    // Another app emptied the shared bucket: our Redis model still believes it is full, so the first calls are
    // answered THROTTLED; then three more THROTTLED answers in a row.
    world.sim.drainBucket(0);
    world.sim.faults.throttleStorm = 3;
    const throttledBefore = world.sim.stats.throttled;

    const run = await world.push.execute();

    expect(world.sim.stats.throttled - throttledBefore).toBeGreaterThanOrEqual(3);
    expect(run).toMatchObject({ written: 1_500, rejected: 0 });
    // Every level written exactly once by an applied call (a THROTTLED answer applies nothing and is retried).
    const written = world.writtenLevels();
    expect(written).toHaveLength(1_500);
    expect(new Set(written).size).toBe(1_500);
    await expectShopifyMatchesErp();
  });

  it('S8: a FLUSHDB mid-drain loses nothing; an interrupted run is completed from PostgreSQL, each level written once', async () => {
    const changed = world.levels.slice(0, 3_000);
    await world.changeErp(
      changed.map((l, i) => ({ sku: l.sku, erpLocationId: l.erpLocationId, available: 5_000 + i })),
    );
    world.sim.ledger.entries.splice(0);
    world.sim.faults.latencyMs = 40;
    const throttledBefore = world.sim.stats.throttled;

    // Wipe Redis (bucket state, and in production Bull's jobs and locks) after the first applied call, then take
    // Shopify down so the run fails half-way, as a crashed worker would leave it.
    let wiped = false;
    const onApplied = setInterval(() => {
      if (!wiped && world.sim.ledger.appliedMutations('inventorySetQuantities').length >= 2) {
        wiped = true;
        void admin.flushdb();
      }
      if (wiped && world.sim.ledger.appliedMutations('inventorySetQuantities').length >= 5) {
        world.sim.faults.outage = true;
      }
    }, 5);
    await expect(world.push.execute()).rejects.toThrow();
    clearInterval(onApplied);
    expect(wiped).toBe(true);
    const landedBefore = world.writtenLevels().length;
    expect(landedBefore).toBeGreaterThan(0);
    expect(landedBefore).toBeLessThan(3_000);

    // Shopify is back; the re-registered repeatable job (or the next delta read) runs the push again: the pending
    // work is re-derived from PostgreSQL, so it writes only what had not landed.
    world.sim.faults.outage = false;
    world.sim.faults.latencyMs = 0;
    const run = await world.push.execute();

    expect(run).toMatchObject({ written: 3_000 - landedBefore, rejected: 0 });
    const written = world.writtenLevels();
    expect(written).toHaveLength(3_000);
    expect(new Set(written).size).toBe(3_000);
    // The bucket restarted conservatively and re-learnt from Shopify's answers: no THROTTLED answer at all.
    expect(world.sim.stats.throttled - throttledBefore).toBe(0);
    await expectShopifyMatchesErp();
  });

  it('S8: repeatable inventory jobs lost in a Redis wipe are registered again within one interval', async () => {
    const config = testConfig(DB, REDIS_DB);
    const queue = new Bull(QueueName.ShopifyInventory, urls.REDIS_URL);
    // What the schedule registrar does with the inventory module's schedules: register at boot, then re-check.
    const { jobs, recheck } = inventorySchedules(config);
    const logger = new Logger('S8');
    const ensureSchedules = () => restoreRepeatableJobs(queue, jobs, recheck?.runOnRestore ?? [], logger);
    expect(recheck?.everyMs).toBe(config.erp.pollIntervalSeconds * 1_000);
    try {
      await registerRepeatableJobs(queue, jobs, logger);
      const ids = async (): Promise<string[]> => (await queue.getRepeatableJobs()).map((j) => String(j.id)).sort();
      expect(await ids()).toEqual([JobName.InventoryPushDelta, JobName.InventoryReconcile].sort());
      expect(await ensureSchedules()).toBe(false);

      await admin.flushdb();
      expect(await ids()).toEqual([]);

      expect(await ensureSchedules()).toBe(true);
      expect(await ids()).toEqual([JobName.InventoryPushDelta, JobName.InventoryReconcile].sort());
      // And the pending work is pushed at once, not one interval later.
      const waiting = await queue.getJobs(['waiting', 'delayed']);
      const pushNow = waiting.filter((job) => job.opts.repeat === undefined).map((job) => job.name);
      expect(pushNow).toEqual([JobName.InventoryPushDelta as string]);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
