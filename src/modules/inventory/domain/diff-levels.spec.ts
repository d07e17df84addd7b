import { diffLevels } from 'src/modules/inventory/domain/diff-levels';
import { levelKey, type InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';

const item = (n: number, quantity: number): InventoryPushItem => ({
  sku: `SKU-${n}`,
  erpLocationId: 'WH1',
  inventoryItemId: `gid://shopify/InventoryItem/${n}`,
  locationId: 'gid://shopify/Location/1',
  erp: { onHand: quantity, available: quantity, committed: 0 },
  quantity,
  changeFromQuantity: null,
  erpChangedAt: '2026-12-01 10:00:00+00',
});

describe(diffLevels.name, () => {
  it('writes only differences, each from the quantity just read', () => {
    const shopify = new Map([
      [levelKey('gid://shopify/InventoryItem/1', 'gid://shopify/Location/1'), 5],
      [levelKey('gid://shopify/InventoryItem/2', 'gid://shopify/Location/1'), 9],
    ]);
    const diff = diffLevels([item(1, 5), item(2, 4), item(3, 1)], shopify);
    expect(diff.equal.map((i) => [i.sku, i.changeFromQuantity])).toEqual([['SKU-1', 5]]);
    expect(diff.toWrite.map((i) => [i.sku, i.quantity, i.changeFromQuantity])).toEqual([['SKU-2', 4, 9]]);
    expect(diff.missing.map((i) => i.sku)).toEqual(['SKU-3']);
  });

  it('partitions: every desired level lands in exactly one group', () => {
    const desired = Array.from({ length: 50 }, (_, n) => item(n, n % 7));
    const shopify = new Map(
      desired.filter((_, n) => n % 5 !== 0).map((d, n) => [levelKey(d.inventoryItemId, d.locationId), n % 3]),
    );
    const diff = diffLevels(desired, shopify);
    expect(diff.toWrite.length + diff.equal.length + diff.missing.length).toBe(desired.length);
    for (const written of diff.toWrite) {
      expect(written.changeFromQuantity).not.toBe(written.quantity);
    }
  });
});
