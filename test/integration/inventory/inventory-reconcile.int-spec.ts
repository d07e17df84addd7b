import { InventoryWorld, SHOP, type SeededLevel } from 'test/integration/inventory/inventory-world';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

/**
 * The full reconciliation against the Shopify simulator: Shopify's levels read by one bulk operation, compared with
 * the ERP, only the differences written; the scheduled run does nothing outside the shop's off-hours window.
 */
describe('Inventory reconciliation (Shopify simulator bulk operation, real PostgreSQL and Redis)', () => {
  const { database, redisDb } = INTEGRATION_RESOURCES.inventoryReconcile;
  const world = new InventoryWorld(serviceUrls(database, redisDb), {
    reconcileWindow: '01:00-04:00',
    timeZone: 'Europe/Amsterdam',
  });

  beforeAll(async () => {
    await world.start();
    await world.seed(200, 3, { synced: true });
  });

  afterAll(() => world.stop());

  it('does nothing outside the window: no Shopify request at all', async () => {
    world.sim.ledger.entries.splice(0);
    const noon = new Date('2026-07-15T10:00:00Z'); // 12:00 in Amsterdam
    expect(await world.reconcile.execute('schedule', noon)).toEqual({
      outcome: 'skipped',
      reason: 'outside the off-hours window',
    });
    expect(world.sim.ledger.entries).toHaveLength(0);
  });

  it('writes only the differences, from the quantities just read, and runs once per window', async () => {
    const drifted: SeededLevel[] = world.levels.slice(0, 5);
    drifted.forEach((l, i) => world.sim.catalog.setLevel(l.inventoryItemId, l.locationId, { available: 500 + i }));
    const erpChanged = world.levels.slice(10, 13);
    await world.changeErp(
      erpChanged.map((l, i) => ({ sku: l.sku, erpLocationId: l.erpLocationId, available: 900 + i })),
    );
    world.sim.ledger.entries.splice(0);

    const night = new Date('2026-07-15T23:30:00Z'); // 01:30 in Amsterdam (CEST)
    const result = await world.reconcile.execute('schedule', night);

    expect(result).toMatchObject({ outcome: 'completed', compared: 600, written: 8, equal: 592, rejected: 0 });
    expect(world.sim.ledger.entries.some((e) => e.fields.includes('bulkOperationRunQuery'))).toBe(true);
    expect(new Set(world.writtenLevels())).toEqual(
      new Set([...drifted, ...erpChanged].map((l) => `${l.inventoryItemId}|${l.locationId}`)),
    );
    const [erp] = await world.dataSource.query(
      'SELECT available::int AS available FROM erp_inventory_level WHERE sku = $1 AND erp_location_id = $2',
      [drifted[0].sku, drifted[0].erpLocationId],
    );
    expect(world.shopifyAvailable(drifted[0])).toBe(erp.available);
    erpChanged.forEach((l, i) => expect(world.shopifyAvailable(l)).toBe(900 + i));

    // The same window again: already done.
    expect(await world.reconcile.execute('schedule', new Date('2026-07-16T00:30:00Z'))).toEqual({
      outcome: 'skipped',
      reason: 'already reconciled in this window',
    });
    // The ERP changes it wrote are not pushed again by the delta push.
    world.sim.ledger.entries.splice(0);
    expect(await world.push.execute()).toMatchObject({ written: 0 });
    expect(world.writtenLevels()).toEqual([]);
  });

  it('an operator start runs at any hour', async () => {
    const l = world.levels[42];
    world.sim.catalog.setLevel(l.inventoryItemId, l.locationId, { available: 1234 });
    const result = await world.reconcile.execute('operator', new Date('2026-07-15T10:00:00Z'));
    expect(result).toMatchObject({ outcome: 'completed', written: 1 });
    expect(world.shopifyAvailable(l)).not.toBe(1234);
  });

  it("an operator's re-sync of one location writes that location's differences only, and is not the window's run", async () => {
    const [here, elsewhere] = [
      world.levels[60],
      world.levels.find((l) => l.erpLocationId !== world.levels[60].erpLocationId),
    ];
    if (elsewhere === undefined) {
      throw new Error('the seed has one location only');
    }
    world.sim.catalog.setLevel(here.inventoryItemId, here.locationId, { available: 4321 });
    world.sim.catalog.setLevel(elsewhere.inventoryItemId, elsewhere.locationId, { available: 4321 });
    const fullRunBefore = await world.repository.lastCompletedReconciliation({ domain: SHOP, bootstrap: true });
    expect(fullRunBefore).toBeInstanceOf(Date); // the nightly run of the test above
    world.sim.ledger.entries.splice(0);

    const [result] = await world.reconcile.executeForShop('operator', SHOP, here.erpLocationId);

    expect(result).toMatchObject({ shop: SHOP, outcome: 'completed', compared: 200, written: 1, equal: 199 });
    expect(world.writtenLevels()).toEqual([`${here.inventoryItemId}|${here.locationId}`]);
    expect(world.shopifyAvailable(here)).not.toBe(4321);
    expect(world.shopifyAvailable(elsewhere)).toBe(4321);
    expect(await world.repository.lastCompletedReconciliation({ domain: SHOP, bootstrap: true })).toEqual(
      fullRunBefore,
    );
    // An unknown shop is reported, not thrown: the job ends and nothing is written.
    expect(await world.reconcile.executeForShop('operator', 'unknown.myshopify.com', here.erpLocationId)).toEqual([
      { shop: 'unknown.myshopify.com', outcome: 'skipped', reason: 'no such shop in this deployment' },
    ]);
  });
});
