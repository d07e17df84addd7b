import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type PushFigures, renderInventorySection } from 'scripts/bench/inventory-report';
import type { SectionWriter } from 'scripts/bench/report-file';
import { log } from 'scripts/lib/log';
import { INVENTORY_LEVELS_AT_LOCATION } from 'src/modules/inventory/application/inventory.shopify-graphql';
import { InventoryWorld, type SeededLevel } from 'test/integration/inventory/inventory-world';
import { SHOPIFY_SCHEMA_FILE } from 'test/simulators/shopify/shopify-schema';
import { repoRoot } from 'test/support/app-process';
import { serviceUrls } from 'test/support/test-config';

/**
 * The inventory headline: 10,000 SKUs × 3 locations seeded in the Shopify simulator (Plus bucket: 20,000
 * points, restore 1,000 pts/s) and in PostgreSQL, already in sync; 2,000 quantities changed in the ERP tables; one
 * push through the real use case, Admin client and Redis-shared cost bucket. Then the restore-rate bound (S17): the
 * bucket drained to 0 and every level changed, so that the push can only go as fast as the bucket refills. Verifies
 * that Shopify matches the ERP for every level and that unchanged levels got no write; writes its own section of the
 * report, the rest of the file untouched.
 */

const BENCH_DATABASE = 'erp_sync_bench_inventory';
const BENCH_REDIS_DB = 3;
const LOCATIONS = 3;
const RESTORE_RATE = 1_000;

/** A deterministic pseudo-random sequence (the same 2,000 levels every run). */
function* lcg(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    yield x;
  }
}

async function erpAvailable(world: InventoryWorld): Promise<Map<string, number>> {
  const rows: Array<{ sku: string; erp_location_id: string; available: number }> = await world.dataSource.query(
    'SELECT sku, erp_location_id, available::int AS available FROM erp_inventory_level',
  );
  return new Map(rows.map((r) => [`${r.sku}@${r.erp_location_id}`, r.available]));
}

async function measurePush(
  world: InventoryWorld,
  label: string,
  changed: SeededLevel[],
  restoreRate = RESTORE_RATE,
): Promise<PushFigures> {
  const before = new Map(world.levels.map((l) => [l, world.shopifyAvailable(l)]));
  const changedSet = new Set(changed);
  const stats0 = { ...world.sim.stats };
  world.sim.stats.minAvailable = world.sim.available();
  const availableAtStart = world.sim.available();
  world.sim.ledger.entries.splice(0);
  const t0 = performance.now();
  const run = await world.push.execute();
  const elapsedMs = performance.now() - t0;
  if ('busy' in run) {
    throw new Error(`push not run: ${run.busy}`);
  }
  const erp = await erpAvailable(world);
  const mismatches = world.levels.filter((l) => world.shopifyAvailable(l) !== erp.get(`${l.sku}@${l.erpLocationId}`));
  const written = world.writtenLevels();
  const changedKeys = new Set(changed.map((l) => `${l.inventoryItemId}|${l.locationId}`));
  const unchangedWritten = written.filter((k) => !changedKeys.has(k)).length;
  const unchangedMoved = world.levels.filter((l) => !changedSet.has(l) && world.shopifyAvailable(l) !== before.get(l));
  const points = world.sim.stats.pointsUsed - stats0.pointsUsed;
  return {
    label,
    levels: world.levels.length,
    changed: changed.length,
    elapsedMs,
    requests: world.sim.stats.requests - stats0.requests,
    setCalls: world.sim.ledger.appliedMutations('inventorySetQuantities').length,
    points,
    throttled: world.sim.stats.throttled - stats0.throttled,
    availableAtStart,
    minAvailable: world.sim.stats.minAvailable,
    restoreRate,
    boundMs: Math.max(0, ((points - availableAtStart) / restoreRate) * 1_000),
    pointsPerSecond: points / (elapsedMs / 1_000),
    mismatches: mismatches.length,
    unchangedWritten: unchangedWritten + unchangedMoved.length,
    duplicateWrites: written.length - new Set(written).size,
  };
}

/** The compiled simulator looks for Shopify's schema next to itself (dist-tools/test/fixtures); copy it there if needed. */
function ensureSchemaFixture(): void {
  if (!existsSync(SHOPIFY_SCHEMA_FILE)) {
    mkdirSync(path.dirname(SHOPIFY_SCHEMA_FILE), { recursive: true });
    copyFileSync(
      path.join(repoRoot(), 'test', 'fixtures', 'shopify', path.basename(SHOPIFY_SCHEMA_FILE)),
      SHOPIFY_SCHEMA_FILE,
    );
  }
}

/** Runs the three pushes and writes their section; resolves 1 when Shopify and the ERP disagree anywhere. */
export async function runInventoryBench(options: { quick: boolean; write: SectionWriter }): Promise<number> {
  ensureSchemaFixture();
  const startedAt = new Date();
  const skuCount = options.quick ? 1_000 : 10_000;
  const changeCount = options.quick ? 200 : 2_000;
  const writeConcurrency = Number(process.env.BENCH_INVENTORY_CONCURRENCY ?? 4);
  const world = new InventoryWorld(serviceUrls(BENCH_DATABASE, BENCH_REDIS_DB), {
    restoreRate: RESTORE_RATE,
    writeConcurrency,
  });
  try {
    await world.start();
    const seedMs = await seedAndWarm(world, skuCount);
    const figures = await measurePushes(world, changeCount);
    const failed = figures.some((f) => f.mismatches > 0 || f.unchangedWritten > 0 || f.duplicateWrites > 0);
    options.write('inventory', renderInventorySection(figures, seedMs, writeConcurrency), startedAt);
    log('wrote the inventory section of the report');
    return failed ? 1 : 0;
  } finally {
    await world.stop();
  }
}

/** Seeds the levels, already in sync, and warms the client up; resolves how long seeding took (ms). */
async function seedAndWarm(world: InventoryWorld, skuCount: number): Promise<number> {
  const t0 = performance.now();
  await world.seed(skuCount, LOCATIONS, { synced: true });
  const seedMs = performance.now() - t0;
  log(`seeded ${skuCount} SKUs × ${LOCATIONS} locations in ${(seedMs / 1000).toFixed(1)} s`);
  // Warm-up: the client's bucket model starts conservatively (nothing in Redis yet) and learns Shopify's figures
  // from its first answer; a steady-state push finds it learnt.
  await world.push.execute(); // nothing pending: records the scan watermark, as any earlier run would have
  const warm = world.levels[0];
  await world.client.request(INVENTORY_LEVELS_AT_LOCATION, {
    ids: [warm.inventoryItemId],
    locationId: warm.locationId,
  });
  return seedMs;
}

/** The headline push, then the restore-rate bound on a Plus and on a Standard bucket drained to 0. */
async function measurePushes(world: InventoryWorld, changeCount: number): Promise<PushFigures[]> {
  const figures: PushFigures[] = [];
  const record = (f: PushFigures): void => {
    figures.push(f);
    log(JSON.stringify(f));
  };
  // Headline: 2,000 distinct levels changed in the ERP.
  const random = lcg(42);
  const picked = new Set<SeededLevel>();
  while (picked.size < changeCount) {
    picked.add(world.levels[random.next().value! % world.levels.length]);
  }
  const changed = [...picked];
  await world.changeErp(
    changed.map((l) => ({
      sku: l.sku,
      erpLocationId: l.erpLocationId,
      available: world.shopifyAvailable(l)! + 1 + (random.next().value! % 40),
    })),
  );
  record(await measurePush(world, `${changeCount} of ${world.levels.length} changed`, changed));

  // S17 restore-rate bound: Shopify's bucket drained to 0, then every level changed, so that the push needs far
  // more points than the bucket holds at the start.
  await changeEveryLevel(world, 3);
  world.sim.drainBucket(0);
  record(await measurePush(world, `all ${world.levels.length} changed, bucket drained to 0`, world.levels));

  // The same on a Standard-plan bucket (2,000 points, restore 100 pts/s): there the bucket, not this machine, is
  // the bottleneck, so the share of the restore-rate bound achieved is measurable.
  world.sim.setRestoreRate(100);
  await changeEveryLevel(world, 2);
  world.sim.drainBucket(0);
  const label = `all ${world.levels.length} changed, Standard bucket (100 pts/s) drained to 0`;
  record(await measurePush(world, label, world.levels, 100));
  return figures;
}

function changeEveryLevel(world: InventoryWorld, by: number): Promise<unknown> {
  return world.changeErp(
    world.levels.map((l) => ({
      sku: l.sku,
      erpLocationId: l.erpLocationId,
      available: world.shopifyAvailable(l)! + by,
    })),
  );
}
