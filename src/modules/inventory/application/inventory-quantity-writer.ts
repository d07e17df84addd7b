import { ErrorKind } from 'src/common/errors/app-error';
import {
  INVENTORY_LEVELS_AT_LOCATION,
  INVENTORY_SET_QUANTITIES,
} from 'src/modules/inventory/application/inventory.shopify-graphql';
import {
  levelKey,
  MAX_QUANTITIES_PER_CALL,
  type InventoryPushItem,
  type ShopifyLevelQuantities,
} from 'src/modules/inventory/domain/inventory.types';
import { chunk, idempotencyKeyFor, splitInHalf } from 'src/modules/inventory/domain/push-batches';
import { shopifyAvailableFor, type QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { ShopifyAdminError, type ShopifyAdminPort, type ShopifyUserError } from 'src/modules/shopify';

/** Shopify inventory reason for an absolute set by the system of record. */
export const INVENTORY_SET_REASON = 'correction';
const QUANTITY_NAME = 'available';
/** Ids per re-read request: keeps its requested cost far below the 1,000-point single-query maximum. */
const READ_CHUNK = 100;
const STALE = 'CHANGE_FROM_QUANTITY_STALE';
const CONCURRENT = 'IDEMPOTENCY_CONCURRENT_REQUEST';

export interface InventoryWriteSink {
  /** These levels now hold `quantity` in Shopify. */
  landed(items: InventoryPushItem[]): Promise<void>;
  /** A fresh read showed Shopify already holds `quantity`: nothing written. */
  alreadyRight(items: InventoryPushItem[]): Promise<void>;
  /** Isolated: this level cannot be written (its batch-mates landed). */
  rejected(item: InventoryPushItem, reason: string): Promise<void>;
}

export interface InventoryWriteStats {
  requests: number;
  landed: number;
  alreadyRight: number;
  rejected: number;
  staleRereads: number;
  splits: number;
}

export interface InventoryWriterSettings {
  mode: QuantityPolicyMode;
  /** Batches in flight at once (the shared cost bucket paces them). */
  concurrency: number;
  /** STALE → re-read → retry rounds before the batch is treated as failing. */
  maxStaleRounds: number;
}

/**
 * Writes levels to Shopify's `available` with `inventorySetQuantities`, 250 per call, each call with a
 * content-derived `@idempotent` key and `changeFromQuantity` = what we believe Shopify holds.
 * - CHANGE_FROM_QUANTITY_STALE: the batch's levels are read again and the quantity recomputed from the fresh read
 *   (the on-hand policy subtracts the fresh `committed`); levels already right are not written; the rest retried.
 * - Any other userError or a permanent error: the batch is split in halves until the bad level is alone; it is
 *   reported to the sink as rejected with the reason, its batch-mates land. One bad record never holds up a batch.
 * - Transient, throttled or auth failures (after the client's own retries) are thrown: nothing is marked, so the
 *   next run re-derives the same work from PostgreSQL.
 */
export class InventoryQuantityWriter {
  constructor(
    private readonly shopify: ShopifyAdminPort,
    private readonly settings: InventoryWriterSettings,
  ) {}

  async write(items: readonly InventoryPushItem[], sink: InventoryWriteSink): Promise<InventoryWriteStats> {
    const stats: InventoryWriteStats = {
      requests: 0,
      landed: 0,
      alreadyRight: 0,
      rejected: 0,
      staleRereads: 0,
      splits: 0,
    };
    const batches = chunk(items, MAX_QUANTITIES_PER_CALL);
    // Outcomes are recorded while the next batch is already on its way: a crash before a record lands only makes
    // the next run re-send that batch with the old belief, which Shopify answers STALE, and the re-read then finds
    // the level already right (no double write).
    const recording = new RecordingSink(sink);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < batches.length) {
        const batch = batches[next++];
        try {
          await this.send(batch, 0, recording, stats);
        } catch (error: unknown) {
          failed = true;
          throw error;
        }
      }
    };
    // Every worker has stopped before this returns or throws: the caller's lock is released only then, so a run
    // that failed never overlaps the next one.
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.max(1, Math.min(this.settings.concurrency, batches.length)) }, worker),
    );
    await recording.settled();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure !== undefined) {
      throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
    }
    return stats;
  }

  /** Shopify's current `available` and `committed` per `levelKey`; a level Shopify does not stock is absent. */
  async readLevels(
    items: readonly Pick<InventoryPushItem, 'inventoryItemId' | 'locationId'>[],
  ): Promise<Map<string, ShopifyLevelQuantities>> {
    const byLocation = new Map<string, Set<string>>();
    for (const item of items) {
      const ids = byLocation.get(item.locationId) ?? new Set<string>();
      ids.add(item.inventoryItemId);
      byLocation.set(item.locationId, ids);
    }
    const out = new Map<string, ShopifyLevelQuantities>();
    for (const [locationId, ids] of byLocation) {
      for (const part of chunk([...ids], READ_CHUNK)) {
        const { data } = await this.shopify.request(INVENTORY_LEVELS_AT_LOCATION, { ids: part, locationId });
        for (const node of data.nodes) {
          if (node?.id === undefined || node.inventoryLevel === null || node.inventoryLevel === undefined) {
            continue;
          }
          const quantity = (name: string): number =>
            node.inventoryLevel?.quantities.find((q) => q.name === name)?.quantity ?? 0;
          out.set(levelKey(node.id, locationId), {
            available: quantity('available'),
            committed: quantity('committed'),
          });
        }
      }
    }
    return out;
  }

  private async send(
    batch: InventoryPushItem[],
    staleRound: number,
    sink: InventoryWriteSink,
    stats: InventoryWriteStats,
  ): Promise<void> {
    if (batch.length === 0) {
      return;
    }
    const failure = await this.attempt(batch, stats);
    if (failure === undefined) {
      stats.landed += batch.length;
      await sink.landed(batch);
      return;
    }
    if (failure.stale && staleRound < this.settings.maxStaleRounds) {
      stats.staleRereads++;
      const retry = await this.refresh(batch, sink, stats);
      await this.send(retry, staleRound + 1, sink, stats);
      return;
    }
    if (batch.length === 1) {
      stats.rejected++;
      await sink.rejected(batch[0], failure.reason);
      return;
    }
    stats.splits++;
    const [left, right] = splitInHalf(batch);
    await this.send(left, staleRound, sink, stats);
    await this.send(right, staleRound, sink, stats);
  }

  /** One call (repeated with the same key while Shopify reports the same request in flight). */
  private async attempt(
    batch: InventoryPushItem[],
    stats: InventoryWriteStats,
  ): Promise<{ stale: boolean; reason: string } | undefined> {
    const key = idempotencyKeyFor(QUANTITY_NAME, INVENTORY_SET_REASON, batch);
    const variables = {
      idempotencyKey: key,
      input: {
        name: QUANTITY_NAME,
        reason: INVENTORY_SET_REASON,
        referenceDocumentUri: `erp-sync://inventory-push/${key}`,
        quantities: batch.map((item) => ({
          inventoryItemId: item.inventoryItemId,
          locationId: item.locationId,
          quantity: item.quantity,
          changeFromQuantity: item.changeFromQuantity,
        })),
      },
    } as const;
    for (let concurrentTries = 0; ; concurrentTries++) {
      let errors: ShopifyUserError[];
      try {
        stats.requests++;
        const { data } = await this.shopify.request(INVENTORY_SET_QUANTITIES, variables);
        errors = data.inventorySetQuantities?.userErrors ?? [
          { message: 'no inventorySetQuantities payload', code: null },
        ];
      } catch (error: unknown) {
        if (error instanceof ShopifyAdminError && error.kind === ErrorKind.Permanent) {
          return { stale: false, reason: error.message };
        }
        throw error;
      }
      if (errors.length === 0) {
        return undefined;
      }
      if (errors.every((e) => e.code === CONCURRENT) && concurrentTries < 5) {
        await new Promise((resolve) => setTimeout(resolve, 200 * (concurrentTries + 1)));
        continue;
      }
      return {
        stale: errors.every((e) => e.code === STALE),
        reason: errors.map((e) => `${e.code ?? 'ERROR'} ${e.field?.join('.') ?? ''}: ${e.message}`).join('; '),
      };
    }
  }

  /** After STALE: read the batch's levels again and recompute each from the fresh read. */
  private async refresh(
    batch: InventoryPushItem[],
    sink: InventoryWriteSink,
    stats: InventoryWriteStats,
  ): Promise<InventoryPushItem[]> {
    const fresh = await this.readLevels(batch);
    const retry: InventoryPushItem[] = [];
    const right: InventoryPushItem[] = [];
    for (const item of batch) {
      const current = fresh.get(levelKey(item.inventoryItemId, item.locationId));
      if (current === undefined) {
        stats.rejected++;
        await sink.rejected(item, 'not stocked at this location in Shopify');
        continue;
      }
      const recomputed = recomputeFromShopify(this.settings.mode, item, current);
      (recomputed.quantity === current.available ? right : retry).push(recomputed);
    }
    if (right.length > 0) {
      stats.alreadyRight += right.length;
      await sink.alreadyRight(right);
    }
    return retry;
  }
}

/** The item with `changeFromQuantity` = Shopify's fresh `available`, and its quantity recomputed from that read. */
export function recomputeFromShopify(
  mode: QuantityPolicyMode,
  item: InventoryPushItem,
  current: ShopifyLevelQuantities,
): InventoryPushItem {
  const decision = shopifyAvailableFor(mode, item.erp, { isBundle: false, shopifyCommitted: current.committed });
  return {
    ...item,
    quantity: decision.push ? decision.quantity : item.quantity,
    changeFromQuantity: current.available,
  };
}

/** Passes outcomes on without waiting for them; `settled()` waits for all and rethrows the first failure. */
class RecordingSink implements InventoryWriteSink {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;

  constructor(private readonly target: InventoryWriteSink) {}

  landed(items: InventoryPushItem[]): Promise<void> {
    return this.track(this.target.landed(items));
  }

  alreadyRight(items: InventoryPushItem[]): Promise<void> {
    return this.track(this.target.alreadyRight(items));
  }

  rejected(item: InventoryPushItem, reason: string): Promise<void> {
    return this.track(this.target.rejected(item, reason));
  }

  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return Promise.resolve();
  }
}
