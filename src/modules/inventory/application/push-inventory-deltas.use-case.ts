import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import type { CatalogueShop } from 'src/modules/erp';
import { Flow, FlowPauses } from 'src/modules/flows';
import {
  InventoryQuantityWriter,
  type InventoryWriteSink,
  type InventoryWriteStats,
} from 'src/modules/inventory/application/inventory-quantity-writer';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import {
  levelKey,
  type InventoryPushItem,
  type ShopifyLevelQuantities,
} from 'src/modules/inventory/domain/inventory.types';
import {
  needsShopifyCommitted,
  shopifyAvailableFor,
  type QuantityPolicyMode,
} from 'src/modules/inventory/domain/quantity-policy';
import {
  INVENTORY_SETTINGS,
  inventoryWriterLock,
  MAX_STALE_ROUNDS,
  PUSH_ROUND_SIZE,
  type InventorySettings,
} from 'src/modules/inventory/inventory.constants';
import {
  InventoryRepository,
  stateOf,
  type InventoryLevelRow,
  type StockLocations,
} from 'src/modules/inventory/persistence/inventory.repository';
import { OwnershipPolicyService } from 'src/modules/mapping';
import { ShopifyAdminClients } from 'src/modules/shopify';
import { forEachShop, ShopDirectory, type Shop } from 'src/modules/shops';

export type InventoryPushOutcome = InventoryPushRun | { busy: string } | { off: string };

/** The shop a push writes to: its key in the state tables and its location pairs. */
interface ShopPush {
  shop: CatalogueShop;
  locations: StockLocations;
}

/** @description What one push run did in one shop. */
export interface InventoryPushRun {
  considered: number;
  /** Written to Shopify. */
  written: number;
  /** The quantity to push equals what Shopify holds (believed or just read): no write. */
  unchanged: number;
  skipped: number;
  rejected: number;
  requests: number;
  staleRereads: number;
  splits: number;
}

/**
 * Pushes the ERP levels that changed since they were last handled, at mapped locations, to Shopify's `available`
 * (quantity policy of the shop). Pending work is derived from PostgreSQL on every run (erp_inventory_level.changed_at
 * vs inventory_push_state), so a lost Bull job or a Redis wipe loses nothing: the next run finds the same work.
 * Each round's outcome is recorded as its batches land. One run per shop at a time across processes (an advisory
 * lock). Per shop: every shop that sells the ERP catalogue (`executeForCatalogueShops`), through its own location
 * pairs (ShopStockLocations), inventory item ids, push state, quantity policy, ownership and Admin API client.
 */
@Injectable()
export class PushInventoryDeltas {
  private readonly logger = new Logger(PushInventoryDeltas.name);

  constructor(
    private readonly repository: InventoryRepository,
    private readonly clients: ShopifyAdminClients,
    private readonly audit: AuditWriter,
    @Inject(INVENTORY_SETTINGS) private readonly settings: InventorySettings,
    private readonly locks: AdvisoryLocks,
    private readonly shops: ShopDirectory,
    private readonly locations: ShopStockLocations,
    @Optional() private readonly ownership?: OwnershipPolicyService,
    @Optional() private readonly flows?: FlowPauses,
  ) {}

  /** Every shop that sells the ERP catalogue, one after the other; a failure is thrown after the others ran. */
  async executeForCatalogueShops(): Promise<Array<InventoryPushOutcome & { shop: string }>> {
    return forEachShop(await this.shops.catalogueShops(), (shop) => this.execute(shop));
  }

  /** One shop's push (the environment's by default). */
  async execute(shop?: Shop): Promise<InventoryPushOutcome> {
    const target = shop ?? (await this.shops.find(this.shops.bootstrapDomain));
    if (target === undefined) {
      throw new Error(`inventory push: no shop ${this.shops.bootstrapDomain} in this deployment`);
    }
    if ((await this.flows?.isPaused(target.domain, Flow.Inventory)) === true) {
      // The pending levels stay pending: the first push after the resume writes them.
      return { off: 'the inventory flow is paused for this shop' };
    }
    if ((await this.ownership?.owner(target.domain, 'inventory', 'quantity')) === 'shopify') {
      // The pending levels stay pending (the watermark does not move): giving quantities back to the ERP pushes them.
      return { off: 'inventory quantities are owned by Shopify (source-of-truth policy): no inventory push' };
    }
    const run = await this.locks.tryExclusive(inventoryWriterLock(this.settings.connector, target), () =>
      this.drain(target),
    );
    return run ?? { busy: 'another inventory write is running' };
  }

  private async drain(target: Shop): Promise<InventoryPushRun> {
    const shop: CatalogueShop = { domain: target.domain, bootstrap: target.bootstrap };
    const ctx: ShopPush = { shop, locations: await this.locations.of(shop) };
    const mode = await this.repository.policy(shop.domain);
    const shopify = this.clients.forShop(target);
    const writer = new InventoryQuantityWriter(shopify, {
      mode,
      concurrency: this.settings.writeConcurrency,
      maxStaleRounds: MAX_STALE_ROUNDS,
    });
    const run: InventoryPushRun = {
      considered: 0,
      written: 0,
      unchanged: 0,
      skipped: 0,
      rejected: 0,
      requests: 0,
      staleRereads: 0,
      splits: 0,
    };
    const horizon = await this.repository.scanHorizon();
    const waiting = await this.repository.waitingLevels(this.settings.connector, shop, ctx.locations);
    if (waiting.length > 0) {
      run.considered += waiting.length;
      await this.round(ctx, waiting, mode, writer, run);
    }
    let after: { sku: string; erpLocationId: string } | undefined;
    for (;;) {
      const rows = await this.repository.pendingLevels(
        this.settings.connector,
        shop,
        ctx.locations,
        PUSH_ROUND_SIZE,
        after,
      );
      if (rows.length === 0) {
        break;
      }
      const last = rows[rows.length - 1];
      after = { sku: last.sku, erpLocationId: last.erpLocationId };
      run.considered += rows.length;
      await this.round(ctx, rows, mode, writer, run);
    }
    // Reached only when nothing is pending: a failed run keeps the old watermark and the next one rescans.
    await this.repository.advanceScanWatermark(this.settings.connector, shop, ctx.locations, horizon);
    if (run.considered > 0) {
      this.logger.log({ ...run, connector: this.settings.connector, shop: shop.domain }, 'inventory pushed');
    }
    return run;
  }

  private async round(
    ctx: ShopPush,
    rows: InventoryLevelRow[],
    mode: QuantityPolicyMode,
    writer: InventoryQuantityWriter,
    run: InventoryPushRun,
  ): Promise<void> {
    const { connector } = this.settings;
    const candidates: InventoryPushItem[] = [];
    for (const row of rows) {
      const base = {
        sku: row.sku,
        erpLocationId: row.erpLocationId,
        shopifyLocationId: row.shopifyLocationId,
        changedAt: row.changedAt,
      };
      if (row.isBundle) {
        await this.repository.saveOutcome(connector, ctx.shop, 'skipped', [
          { ...base, inventoryItemId: row.inventoryItemId, reason: 'bundle' },
        ]);
        this.record(
          ctx,
          row.sku,
          row.erpLocationId,
          AuditStatus.Skipped,
          'bundle: its stock comes from its components, not pushed',
        );
        run.skipped++;
        continue;
      }
      if (row.inventoryItemId === null) {
        await this.repository.saveOutcome(connector, ctx.shop, 'waiting', [
          { ...base, inventoryItemId: null, reason: 'no Shopify inventory item yet' },
        ]);
        this.record(
          ctx,
          row.sku,
          row.erpLocationId,
          AuditStatus.Skipped,
          'no Shopify inventory item yet (product not synced)',
        );
        run.skipped++;
        continue;
      }
      const decision = needsShopifyCommitted(mode)
        ? { push: true as const, quantity: 0 } // computed from Shopify's committed after the read below
        : shopifyAvailableFor(mode, row, { isBundle: false });
      if (!decision.push) {
        continue;
      }
      candidates.push({
        sku: row.sku,
        erpLocationId: row.erpLocationId,
        inventoryItemId: row.inventoryItemId,
        locationId: row.shopifyLocationId,
        erp: { onHand: row.onHand, available: row.available, committed: row.committed },
        quantity: decision.quantity,
        changeFromQuantity: row.belief,
        erpChangedAt: row.changedAt,
      });
    }

    // What Shopify holds is read when it is not known (never pushed) or when the policy needs Shopify's committed.
    const unknown = candidates.filter((c) => c.changeFromQuantity === null || needsShopifyCommitted(mode));
    const fresh = unknown.length > 0 ? await writer.readLevels(unknown) : new Map<string, ShopifyLevelQuantities>();
    const toWrite: InventoryPushItem[] = [];
    const unchanged: InventoryPushItem[] = [];
    const notStocked: InventoryPushItem[] = [];
    for (const candidate of candidates) {
      let item = candidate;
      if (candidate.changeFromQuantity === null || needsShopifyCommitted(mode)) {
        const current = fresh.get(levelKey(candidate.inventoryItemId, candidate.locationId));
        if (current === undefined) {
          notStocked.push(candidate);
          continue;
        }
        const decision = shopifyAvailableFor(mode, candidate.erp, {
          isBundle: false,
          shopifyCommitted: current.committed,
        });
        item = {
          ...candidate,
          quantity: decision.push ? decision.quantity : candidate.quantity,
          changeFromQuantity: current.available,
        };
      }
      (item.quantity === item.changeFromQuantity ? unchanged : toWrite).push(item);
    }
    await this.sink(ctx, run).alreadyRight(unchanged);
    for (const item of notStocked) {
      await this.sink(ctx, run).rejected(item, 'not stocked at this location in Shopify');
    }
    const stats: InventoryWriteStats = await writer.write(toWrite, this.sink(ctx, run));
    run.requests += stats.requests;
    run.staleRereads += stats.staleRereads;
    run.splits += stats.splits;
  }

  private sink(ctx: ShopPush, run: InventoryPushRun): InventoryWriteSink {
    const { connector } = this.settings;
    return {
      landed: async (items) => {
        await this.repository.saveOutcome(
          connector,
          ctx.shop,
          'synced',
          items.map((i) => stateOf(i)),
        );
        run.written += items.length;
        for (const item of items) {
          this.record(
            ctx,
            item.sku,
            item.erpLocationId,
            AuditStatus.Succeeded,
            `available set to ${item.quantity} at ${item.locationId} (was ${item.changeFromQuantity ?? 'unknown'})`,
            item.inventoryItemId,
          );
        }
      },
      alreadyRight: async (items) => {
        await this.repository.saveOutcome(
          connector,
          ctx.shop,
          'synced',
          items.map((i) => stateOf(i, 'unchanged')),
        );
        run.unchanged += items.length;
        for (const item of items) {
          this.record(
            ctx,
            item.sku,
            item.erpLocationId,
            AuditStatus.Skipped,
            `unchanged: Shopify already holds ${item.quantity}`,
            item.inventoryItemId,
          );
        }
      },
      rejected: async (item, reason) => {
        await this.repository.saveOutcome(connector, ctx.shop, 'rejected', [stateOf(item, reason.slice(0, 500))]);
        run.rejected++;
        this.record(
          ctx,
          item.sku,
          item.erpLocationId,
          AuditStatus.DeadLettered,
          reason.slice(0, 500),
          item.inventoryItemId,
        );
      },
    };
  }

  private record(
    ctx: ShopPush,
    sku: string,
    erpLocationId: string,
    status: AuditStatus,
    reason: string,
    shopifyId?: string,
  ): void {
    this.audit.record({
      eventId: `inventory:${this.settings.connector}:${ctx.shop.bootstrap ? '' : `${ctx.shop.domain}:`}${sku}@${erpLocationId}`,
      entity: 'inventory',
      topic: 'inventory.push',
      shop: ctx.shop.domain,
      erpId: `${sku}@${erpLocationId}`,
      shopifyId,
      status,
      reason,
      attempt: 1,
    });
  }
}
