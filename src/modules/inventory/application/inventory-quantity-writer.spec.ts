import { ErrorKind } from 'src/common/errors/app-error';
import {
  InventoryQuantityWriter,
  type InventoryWriteSink,
} from 'src/modules/inventory/application/inventory-quantity-writer';
import type { InventorySetQuantitiesVariables } from 'src/modules/inventory/application/inventory.shopify-graphql';
import { levelKey, type InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';
import { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import {
  ShopifyAdminError,
  ShopifyAdminErrorCode,
  type ShopifyAdminPort,
  type ShopifyDocument,
  type ShopifyResponse,
} from 'src/modules/shopify';

const LOC = 'gid://shopify/Location/1';
const itemId = (n: number): string => `gid://shopify/InventoryItem/${n}`;

/**
 * A hand-written fake of the Shopify port with the two behaviours the writer relies on: a call is atomic (any
 * userError → nothing applied) with CAS on changeFromQuantity, and a repeated idempotency key replays.
 */
class FakeShopify implements ShopifyAdminPort {
  readonly levels = new Map<string, { available: number; committed: number }>();
  readonly poisoned = new Set<string>();
  readonly calls: Array<{ name: string; size: number; key?: string }> = [];
  readonly replays = new Map<string, unknown>();
  loseNextResponse = false;
  failNextWith?: ShopifyAdminError;
  /** Delay of the set calls after the first (ms): lets a test keep a call in flight while another fails. */
  laterCallsDelayMs = 0;

  request<TData, TVariables>(
    document: ShopifyDocument<TData, TVariables>,
    variables: TVariables,
  ): Promise<ShopifyResponse<TData>> {
    if (document.name === 'InventoryLevelsAtLocation') {
      const v = variables as unknown as { ids: string[]; locationId: string };
      this.calls.push({ name: document.name, size: v.ids.length });
      const nodes = v.ids.map((id) => {
        const level = this.levels.get(levelKey(id, v.locationId));
        return {
          id,
          inventoryLevel: level && {
            quantities: [
              { name: 'available', quantity: level.available },
              { name: 'committed', quantity: level.committed },
            ],
          },
        };
      });
      return Promise.resolve({ data: { nodes } as TData });
    }
    const v = variables as unknown as InventorySetQuantitiesVariables;
    this.calls.push({ name: document.name, size: v.input.quantities.length, key: v.idempotencyKey });
    if (this.failNextWith) {
      const error = this.failNextWith;
      this.failNextWith = undefined;
      return Promise.reject(error);
    }
    if (this.laterCallsDelayMs > 0) {
      const data = this.apply(v);
      return new Promise((resolve) => setTimeout(() => resolve({ data: data as TData }), this.laterCallsDelayMs));
    }
    const replay = this.replays.get(v.idempotencyKey);
    const data = replay ?? this.apply(v);
    this.replays.set(v.idempotencyKey, data);
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      return Promise.reject(new Error('socket hang up'));
    }
    return Promise.resolve({ data: data as TData });
  }

  private apply(v: InventorySetQuantitiesVariables): unknown {
    const userErrors = v.input.quantities.flatMap((q, i) => {
      const current = this.levels.get(levelKey(q.inventoryItemId, q.locationId));
      if (this.poisoned.has(q.inventoryItemId) || current === undefined) {
        return [
          {
            field: ['input', 'quantities', String(i), 'inventoryItemId'],
            message: 'bad item',
            code: 'INVALID_INVENTORY_ITEM',
          },
        ];
      }
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current.available) {
        return [
          {
            field: ['input', 'quantities', String(i), 'changeFromQuantity'],
            message: 'stale',
            code: 'CHANGE_FROM_QUANTITY_STALE',
          },
        ];
      }
      return [];
    });
    if (userErrors.length === 0) {
      for (const q of v.input.quantities) {
        const level = this.levels.get(levelKey(q.inventoryItemId, q.locationId));
        if (level) {
          level.available = q.quantity;
        }
      }
    }
    return { inventorySetQuantities: { inventoryAdjustmentGroup: userErrors.length ? null : { id: 'g' }, userErrors } };
  }

  bulkQuery(): AsyncIterable<Record<string, unknown>> {
    throw new Error('not used');
  }
}

function sinkOf(): {
  sink: InventoryWriteSink;
  seen: { landed: string[]; right: string[]; rejected: Array<[string, string]> };
} {
  const seen = { landed: [] as string[], right: [] as string[], rejected: [] as Array<[string, string]> };
  return {
    seen,
    sink: {
      landed: (items) => Promise.resolve(void seen.landed.push(...items.map((i) => i.sku))),
      alreadyRight: (items) => Promise.resolve(void seen.right.push(...items.map((i) => i.sku))),
      rejected: (item, reason) => Promise.resolve(void seen.rejected.push([item.sku, reason])),
    },
  };
}

function seed(shopify: FakeShopify, count: number, available = 5): InventoryPushItem[] {
  return Array.from({ length: count }, (_, n) => {
    shopify.levels.set(levelKey(itemId(n), LOC), { available, committed: 0 });
    return {
      sku: `SKU-${n}`,
      erpLocationId: 'WH1',
      inventoryItemId: itemId(n),
      locationId: LOC,
      erp: { onHand: 10 + n, available: 10 + n, committed: 0 },
      quantity: 10 + n,
      changeFromQuantity: available,
      erpChangedAt: '2026-12-01 10:00:00+00',
    };
  });
}

const writer = (shopify: ShopifyAdminPort, mode = QuantityPolicyMode.ErpAvailable): InventoryQuantityWriter =>
  new InventoryQuantityWriter(shopify, { mode, concurrency: 2, maxStaleRounds: 3 });

describe(InventoryQuantityWriter.name, () => {
  it('writes 600 levels in calls of at most 250, each with its own key', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 600);
    const { sink, seen } = sinkOf();
    const stats = await writer(shopify).write(items, sink);
    expect(shopify.calls.map((c) => c.size).sort((a, b) => b - a)).toEqual([250, 250, 100]);
    expect(new Set(shopify.calls.map((c) => c.key)).size).toBe(3);
    expect(seen.landed).toHaveLength(600);
    expect(stats).toMatchObject({ requests: 3, landed: 600, rejected: 0 });
    expect(shopify.levels.get(levelKey(itemId(599), LOC))?.available).toBe(609);
  });

  it('isolates one poisoned level by binary split; the other 249 land', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 250);
    shopify.poisoned.add(itemId(137));
    const { sink, seen } = sinkOf();
    const stats = await writer(shopify).write(items, sink);
    expect(seen.landed).toHaveLength(249);
    expect(seen.rejected).toEqual([['SKU-137', expect.stringContaining('INVALID_INVENTORY_ITEM') as string]]);
    expect(shopify.levels.get(levelKey(itemId(137), LOC))?.available).toBe(5);
    expect(shopify.levels.get(levelKey(itemId(138), LOC))?.available).toBe(148);
    // log2(250) ≈ 8 levels of splitting, two calls per level at most, plus the first.
    expect(stats.requests).toBeLessThanOrEqual(1 + 2 * 8 + 1);
  });

  it('re-reads after CHANGE_FROM_QUANTITY_STALE and retries from the fresh quantity', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 3);
    // Someone sold one unit of SKU-1 in Shopify since we last wrote it.
    shopify.levels.get(levelKey(itemId(1), LOC))!.available = 4;
    const { sink, seen } = sinkOf();
    const stats = await writer(shopify).write(items, sink);
    expect(stats.staleRereads).toBe(1);
    expect(seen.landed.sort()).toEqual(['SKU-0', 'SKU-1', 'SKU-2']);
    expect(shopify.calls.map((c) => c.name)).toEqual([
      'InventorySetQuantities',
      'InventoryLevelsAtLocation',
      'InventorySetQuantities',
    ]);
    expect(shopify.levels.get(levelKey(itemId(1), LOC))?.available).toBe(11);
  });

  it('does not write a level the fresh read shows already right', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 2);
    shopify.levels.get(levelKey(itemId(0), LOC))!.available = 10; // already what the ERP wants
    const { sink, seen } = sinkOf();
    await writer(shopify).write(items, sink);
    expect(seen.right).toEqual(['SKU-0']);
    expect(seen.landed).toEqual(['SKU-1']);
    expect(shopify.calls.filter((c) => c.name === 'InventorySetQuantities').map((c) => c.size)).toEqual([2, 1]);
  });

  it('recomputes the on-hand policy from the fresh committed quantity', async () => {
    const shopify = new FakeShopify();
    const [item] = seed(shopify, 1);
    // Policy on hand − Shopify committed: we believed committed 0 (quantity 10), but 3 are now committed.
    shopify.levels.set(levelKey(itemId(0), LOC), { available: 2, committed: 3 });
    const { sink, seen } = sinkOf();
    await writer(shopify, QuantityPolicyMode.OnHandMinusShopifyCommitted).write([item], sink);
    expect(seen.landed).toEqual(['SKU-0']);
    expect(shopify.levels.get(levelKey(itemId(0), LOC))?.available).toBe(7);
  });

  it('a retry after a lost response sends the same key, so Shopify replays instead of applying twice', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 2);
    shopify.loseNextResponse = true;
    const { sink } = sinkOf();
    await expect(writer(shopify).write(items, sink)).rejects.toThrow('socket hang up');
    // The next run re-derives the same batch from PostgreSQL (same quantities, same belief).
    const { sink: sink2, seen } = sinkOf();
    await writer(shopify).write(items, sink2);
    const keys = shopify.calls.map((c) => c.key);
    expect(keys[0]).toBe(keys[1]);
    expect(seen.landed).toHaveLength(2);
    expect(shopify.levels.get(levelKey(itemId(0), LOC))?.available).toBe(10);
  });

  it('throws transient failures without marking anything, and isolates permanent ones', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 1);
    shopify.failNextWith = new ShopifyAdminError(ErrorKind.Transient, ShopifyAdminErrorCode.Unavailable, 'down');
    const first = sinkOf();
    await expect(writer(shopify).write(items, first.sink)).rejects.toThrow('down');
    expect(first.seen.landed).toEqual([]);

    shopify.failNextWith = new ShopifyAdminError(ErrorKind.Permanent, ShopifyAdminErrorCode.InvalidRequest, 'invalid');
    const second = sinkOf();
    await writer(shopify).write(items, second.sink);
    expect(second.seen.rejected).toEqual([['SKU-0', 'invalid']]);
  });

  it('does not give up while other batches are in flight: a failed run never overlaps the next', async () => {
    const shopify = new FakeShopify();
    const items = seed(shopify, 750);
    shopify.failNextWith = new ShopifyAdminError(ErrorKind.Transient, ShopifyAdminErrorCode.Unavailable, 'down');
    shopify.laterCallsDelayMs = 50;
    const { sink, seen } = sinkOf();
    await expect(writer(shopify).write(items, sink)).rejects.toThrow('down');
    // The batch in flight when the first failed was answered and recorded before write() threw; the third batch
    // was never started.
    expect(shopify.calls).toHaveLength(2);
    expect(seen.landed).toHaveLength(250);
  });
});
