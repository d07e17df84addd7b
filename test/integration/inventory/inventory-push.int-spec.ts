import { AuditStatus } from 'src/modules/audit';
import { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { CONNECTOR, InventoryWorld, SHOP, type SeededLevel } from 'test/integration/inventory/inventory-world';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

/**
 * ERP levels → Shopify `available` through the real Admin client (Redis-shared cost bucket) against the Shopify
 * simulator, with the real PostgreSQL: only changes are written, a stale changeFromQuantity is re-read and retried,
 * a poisoned level is isolated while its batch-mates land, echoes and drift are told apart.
 */
describe('Inventory push (Shopify simulator, real PostgreSQL and Redis)', () => {
  const { database, redisDb } = INTEGRATION_RESOURCES.inventoryPush;
  const world = new InventoryWorld(serviceUrls(database, redisDb));

  beforeAll(async () => {
    await world.start();
    await world.seed(300, 3, { synced: true });
  });

  afterAll(() => world.stop());

  beforeEach(() => world.sim.ledger.entries.splice(0));

  const level = (sku: number, loc: number): SeededLevel =>
    world.levels.find((l) => l.sku === `SKU-${String(sku).padStart(5, '0')}` && l.erpLocationId === `WH${loc}`)!;

  async function auditFor(sku: string, status: AuditStatus): Promise<Array<{ reason: string }>> {
    await world.audit.flush();
    return world.dataSource.query(
      `SELECT reason FROM sync_audit_log WHERE entity = 'inventory' AND erp_id LIKE $1 AND status = $2 ORDER BY id`,
      [`${sku}@%`, status],
    );
  }

  it('writes only the levels that changed in the ERP, in batches of at most 250', async () => {
    const changed = Array.from({ length: 260 }, (_, i) => level(i, (i % 3) + 1));
    await world.changeErp(changed.map((l, i) => ({ sku: l.sku, erpLocationId: l.erpLocationId, available: 100 + i })));
    // A change of the ERP's committed only: the quantity to push is the same, so nothing is written for it.
    const same = level(299, 1);
    await world.changeErp([
      { sku: same.sku, erpLocationId: same.erpLocationId, available: world.shopifyAvailable(same)!, committed: 4 },
    ]);

    const run = await world.push.execute();

    expect(run).toMatchObject({ considered: 261, written: 260, unchanged: 1, rejected: 0 });
    changed.forEach((l, i) => expect(world.shopifyAvailable(l)).toBe(100 + i));
    const written = world.writtenLevels();
    expect(new Set(written)).toEqual(new Set(changed.map((l) => `${l.inventoryItemId}|${l.locationId}`)));
    expect(written).toHaveLength(260);
    const calls = world.sim.ledger.appliedMutations('inventorySetQuantities');
    expect(
      calls.map((c) => (c.variables as { input: { quantities: unknown[] } }).input.quantities.length).sort(),
    ).toEqual([10, 250]);
    expect(calls.every((c) => typeof c.idempotencyKey === 'string' && c.idempotencyKey.length === 36)).toBe(true);
    expect(await auditFor(changed[0].sku, AuditStatus.Succeeded)).toEqual([
      { reason: expect.stringContaining('available set to 100') as string },
    ]);

    // Nothing pending any more: a second run writes nothing.
    world.sim.ledger.entries.splice(0);
    expect(await world.push.execute()).toMatchObject({ considered: 0, written: 0 });
    expect(world.sim.ledger.entries).toHaveLength(0);
  });

  it('pushes nothing while Shopify owns quantities; what was held back is pushed once the ERP owns them again', async () => {
    const held = level(7, 2);
    const before = world.shopifyAvailable(held);
    await world.changeErp([{ sku: held.sku, erpLocationId: held.erpLocationId, available: 777 }]);
    const setOwner = (owner: 'shopify' | 'erp') =>
      world.ownership.change({ shop: SHOP, rules: [{ entity: 'inventory', field: 'quantity', owner }], actor: 'test' });
    expect(await setOwner('shopify')).toMatchObject({ outcome: 'changed' });

    expect(await world.push.execute()).toEqual({ off: expect.stringContaining('owned by Shopify') as string });
    expect(world.sim.ledger.entries).toHaveLength(0);
    expect(world.shopifyAvailable(held)).toBe(before);

    await setOwner('erp');
    expect(await world.push.execute()).toMatchObject({ considered: 1, written: 1 });
    expect(world.shopifyAvailable(held)).toBe(777);
  });

  it('re-reads a stale changeFromQuantity and retries from the fresh read instead of overwriting blindly', async () => {
    const sold = level(10, 2);
    const other = level(11, 2);
    // A sale in Shopify since our last write: Shopify no longer holds what we believe.
    const before = world.shopifyAvailable(sold)!;
    world.sim.catalog.setLevel(sold.inventoryItemId, sold.locationId, { available: before - 1, committed: 1 });
    await world.changeErp([
      { sku: sold.sku, erpLocationId: sold.erpLocationId, available: 42 },
      { sku: other.sku, erpLocationId: other.erpLocationId, available: 43 },
    ]);

    const run = await world.push.execute();

    expect(run).toMatchObject({ written: 2, staleRereads: 1, rejected: 0 });
    expect(world.shopifyAvailable(sold)).toBe(42);
    expect(world.shopifyAvailable(other)).toBe(43);
    const sets = world.sim.ledger.entries.filter((e) => e.fields.includes('inventorySetQuantities'));
    expect(sets[0].userErrors.map((e) => e.code)).toContain('CHANGE_FROM_QUANTITY_STALE');
    const retry = (
      sets[1].variables as { input: { quantities: Array<{ inventoryItemId: string; changeFromQuantity: number }> } }
    ).input.quantities;
    expect(retry.find((q) => q.inventoryItemId === sold.inventoryItemId)?.changeFromQuantity).toBe(before - 1);
    expect(sets[1].idempotencyKey).not.toBe(sets[0].idempotencyKey);
  });

  it('isolates a poisoned level by splitting its batch; the other 249 land and the bad one is dead-lettered', async () => {
    const batch = Array.from({ length: 250 }, (_, i) => level(20 + i, 3));
    const poisoned = batch[137];
    await world.changeErp(
      batch.map((l, i) => ({
        sku: l.sku,
        erpLocationId: l.erpLocationId,
        available: l === poisoned ? 1_500_000_000 : 200 + i,
      })),
    );
    const poisonedBefore = world.shopifyAvailable(poisoned);

    const run = await world.push.execute();

    expect(run).toMatchObject({ written: 249, rejected: 1 });
    batch.forEach((l, i) => l !== poisoned && expect(world.shopifyAvailable(l)).toBe(200 + i));
    expect(world.shopifyAvailable(poisoned)).toBe(poisonedBefore);
    expect(run).toHaveProperty('splits');
    expect((run as { splits: number }).splits).toBeGreaterThanOrEqual(7);
    const [dead] = await auditFor(poisoned.sku, AuditStatus.DeadLettered);
    expect(dead.reason).toContain('INVALID_QUANTITY_TOO_HIGH');
    const [state] = await world.dataSource.query(
      'SELECT status, reason FROM inventory_push_state WHERE connector = $1 AND sku = $2 AND erp_location_id = $3',
      [CONNECTOR, poisoned.sku, poisoned.erpLocationId],
    );
    expect(state).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('INVALID_QUANTITY_TOO_HIGH') as string,
    });
    // Dead-lettered until the ERP changes it again: the next run does not retry it.
    world.sim.ledger.entries.splice(0);
    expect(await world.push.execute()).toMatchObject({ considered: 0 });
  });

  it('pushes a level never pushed before from a fresh read, and skips bundles', async () => {
    const fresh = level(280, 1);
    await world.dataSource.query('DELETE FROM inventory_push_state WHERE sku = $1 AND erp_location_id = $2', [
      fresh.sku,
      fresh.erpLocationId,
    ]);
    const bundle = level(281, 1);
    await world.repository.addBundleSkus(CONNECTOR, [bundle.sku]);
    await world.changeErp([
      { sku: fresh.sku, erpLocationId: fresh.erpLocationId, available: 77 },
      { sku: bundle.sku, erpLocationId: bundle.erpLocationId, available: 99 },
    ]);
    const bundleBefore = world.shopifyAvailable(bundle);

    const run = await world.push.execute();

    expect(world.shopifyAvailable(fresh)).toBe(77);
    expect(world.shopifyAvailable(bundle)).toBe(bundleBefore);
    // The bundle's other two levels are re-handled as skipped too (it was synced before it became a bundle).
    expect(run).toMatchObject({ written: 1, staleRereads: 0 });
    expect((await auditFor(bundle.sku, AuditStatus.Skipped))[0].reason).toContain('bundle');
    expect(world.writtenLevels()).toEqual([`${fresh.inventoryItemId}|${fresh.locationId}`]);
  });

  it('recognises our own write coming back as an echo, and a Shopify-side change as drift (never sent to the ERP)', async () => {
    const l = level(50, 1);
    await world.changeErp([{ sku: l.sku, erpLocationId: l.erpLocationId, available: 31 }]);
    const events: Array<Record<string, unknown>> = [];
    world.sim.events.on('inventory_levels/update', (payload: Record<string, unknown>) => events.push(payload));
    await world.push.execute();
    world.sim.events.removeAllListeners('inventory_levels/update');
    expect(events).toHaveLength(1);

    const echo = await world.levelUpdates.execute(events[0] as never, 'webhook-echo-1');
    expect(echo).toEqual({ outcome: 'echo' });

    const drift = await world.levelUpdates.execute(
      { ...(events[0] as object), available: 12 } as never,
      'webhook-drift-1',
    );
    expect(drift).toEqual({ outcome: 'drift', shopify: 12, pushed: 31 });
    const skipped = await auditFor(l.sku, AuditStatus.Skipped);
    expect(skipped.map((r) => r.reason)).toEqual([
      expect.stringContaining('echo') as string,
      expect.stringContaining('drift') as string,
    ]);
    expect(await world.levelUpdates.execute({ inventory_item_id: 1, location_id: 2, available: 3 }, 'x')).toEqual({
      outcome: 'unknown_level',
    });
  });

  it('on-hand policy: Shopify available = ERP on hand − Shopify committed, read just before the write', async () => {
    const l = level(60, 2);
    world.sim.catalog.setLevel(l.inventoryItemId, l.locationId, { available: 5, committed: 3 });
    await world.repository.setPolicy(world.settings.shop, QuantityPolicyMode.OnHandMinusShopifyCommitted);
    try {
      // The ERP counts the Shopify order of 3 and a B2B order of 3 as committed: on hand 20, available 14. This
      // policy ignores the ERP's committed (it would count the Shopify order twice) and uses Shopify's: 20 − 3.
      await world.changeErp([{ sku: l.sku, erpLocationId: l.erpLocationId, available: 14, onHand: 20, committed: 6 }]);
      const run = await world.push.execute();
      expect(run).toMatchObject({ written: 1, staleRereads: 0 });
      expect(world.shopifyAvailable(l)).toBe(17);
      expect(world.sim.catalog.quantity(l.inventoryItemId, l.locationId, 'committed')).toBe(3);
    } finally {
      await world.repository.setPolicy(world.settings.shop, QuantityPolicyMode.ErpAvailable);
    }
  });
  it('finds pending levels past pages of levels already handled (the ERP levels come a page at a time)', async () => {
    const [first, second] = [level(12, 1), level(20, 2)];
    await world.changeErp([
      { sku: first.sku, erpLocationId: first.erpLocationId, available: 41 },
      { sku: second.sku, erpLocationId: second.erpLocationId, available: 42 },
    ]);
    // No watermark: every level is read, a page of one at a time, and only the two changed ones are pending.
    await world.repository.resetScanWatermark();
    const keyOf = (row: { sku: string; erpLocationId: string }): string => `${row.sku}@${row.erpLocationId}`;

    const shop = { domain: world.settings.shop, bootstrap: true };
    const locations = world.locations;
    const page1 = await world.repository.pendingLevels(CONNECTOR, shop, locations, 1);
    expect(page1.map(keyOf)).toEqual([keyOf(first)]);
    expect(page1[0]).toMatchObject({ available: 41, inventoryItemId: first.inventoryItemId, isBundle: false });
    expect(page1[0]?.shopifyLocationId).toBe(first.locationId);
    expect((await world.repository.pendingLevels(CONNECTOR, shop, locations, 1, page1[0])).map(keyOf)).toEqual([
      keyOf(second),
    ]);
    expect((await world.repository.pendingLevels(CONNECTOR, shop, locations, 2)).map(keyOf)).toEqual([
      keyOf(first),
      keyOf(second),
    ]);

    expect(await world.push.execute()).toMatchObject({ considered: 2, written: 2 });
    expect(await world.repository.pendingLevels(CONNECTOR, shop, locations, 1_000)).toEqual([]);
  });
});
