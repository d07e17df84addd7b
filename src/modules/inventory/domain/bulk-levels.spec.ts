import { foldBulkLevels } from 'src/modules/inventory/domain/bulk-levels';
import { levelKey } from 'src/modules/inventory/domain/inventory.types';

describe(foldBulkLevels.name, () => {
  it('keys each level line by its parent item and location', () => {
    const item = 'gid://shopify/InventoryItem/1';
    const lines = [
      { id: item, sku: 'A' },
      {
        location: { id: 'gid://shopify/Location/1' },
        quantities: [
          { name: 'available', quantity: 4 },
          { name: 'committed', quantity: 2 },
        ],
        __parentId: item,
      },
      {
        location: { id: 'gid://shopify/Location/2' },
        quantities: [{ name: 'available', quantity: 0 }],
        __parentId: item,
      },
      { id: 'gid://shopify/InventoryItem/2', sku: 'B' },
    ];
    const levels = foldBulkLevels(lines);
    expect(levels.size).toBe(2);
    expect(levels.get(levelKey(item, 'gid://shopify/Location/1'))).toEqual({ available: 4, committed: 2 });
    expect(levels.get(levelKey(item, 'gid://shopify/Location/2'))).toEqual({ available: 0, committed: 0 });
  });
});
