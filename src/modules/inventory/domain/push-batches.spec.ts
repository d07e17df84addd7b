import type { InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';
import { chunk, idempotencyKeyFor, splitInHalf } from 'src/modules/inventory/domain/push-batches';

const item = (n: number, overrides: Partial<InventoryPushItem> = {}): InventoryPushItem => ({
  sku: `SKU-${n}`,
  erpLocationId: 'WH1',
  inventoryItemId: `gid://shopify/InventoryItem/${n}`,
  locationId: 'gid://shopify/Location/1',
  erp: { onHand: n, available: n, committed: 0 },
  quantity: n,
  changeFromQuantity: n - 1,
  erpChangedAt: '2026-12-01 10:00:00.123456+00',
  ...overrides,
});

describe(chunk.name, () => {
  it('cuts 601 levels into 250 + 250 + 101, in order, losing none', () => {
    const items = Array.from({ length: 601 }, (_, i) => i);
    const batches = chunk(items, 250);
    expect(batches.map((b) => b.length)).toEqual([250, 250, 101]);
    expect(batches.flat()).toEqual(items);
  });

  it('returns no batch for nothing and rejects a silly size', () => {
    expect(chunk([], 250)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(/positive/);
  });
});

describe(splitInHalf.name, () => {
  it.each([
    [[1], [[1], []]],
    [
      [1, 2],
      [[1], [2]],
    ],
    [
      [1, 2, 3],
      [[1, 2], [3]],
    ],
  ])('%j', (input, expected) => {
    expect(splitInHalf(input)).toEqual(expected);
  });
});

describe(idempotencyKeyFor.name, () => {
  const batch = [item(1), item(2), item(3)];

  it('is a UUID, the same for the same batch content whatever the order (a retry replays)', () => {
    const key = idempotencyKeyFor('available', 'correction', batch);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotencyKeyFor('available', 'correction', [...batch].reverse())).toBe(key);
  });

  it.each<[string, InventoryPushItem[]]>([
    ['another quantity', [item(1, { quantity: 9 }), item(2), item(3)]],
    ['another changeFromQuantity', [item(1, { changeFromQuantity: 7 }), item(2), item(3)]],
    ['an unknown changeFromQuantity', [item(1, { changeFromQuantity: null }), item(2), item(3)]],
    ['another location', [item(1, { locationId: 'gid://shopify/Location/2' }), item(2), item(3)]],
    [
      'a later ERP change with the same numbers',
      [item(1, { erpChangedAt: '2026-12-01 10:00:00.123457+00' }), item(2), item(3)],
    ],
    ['one level fewer', [item(1), item(2)]],
  ])('changes with %s', (_name, other) => {
    expect(idempotencyKeyFor('available', 'correction', other)).not.toBe(
      idempotencyKeyFor('available', 'correction', batch),
    );
  });

  it('changes with the reason or the quantity name', () => {
    const key = idempotencyKeyFor('available', 'correction', batch);
    expect(idempotencyKeyFor('available', 'received', batch)).not.toBe(key);
    expect(idempotencyKeyFor('on_hand', 'correction', batch)).not.toBe(key);
  });
});
