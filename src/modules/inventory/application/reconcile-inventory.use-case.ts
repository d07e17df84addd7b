import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import type { CatalogueShop } from 'src/modules/erp';
import { Flow, FlowPauses } from 'src/modules/flows';
import { InventoryQuantityWriter } from 'src/modules/inventory/application/inventory-quantity-writer';
import { INVENTORY_LEVELS_BULK } from 'src/modules/inventory/application/inventory.shopify-graphql';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { foldBulkLevels } from 'src/modules/inventory/domain/bulk-levels';
import { diffLevels } from 'src/modules/inventory/domain/diff-levels';
import { levelKey, type InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';
import { shopifyAvailableFor } from 'src/modules/inventory/domain/quantity-policy';
import { shouldRunScheduledReconciliation } from 'src/modules/inventory/domain/reconcile-window';
import {
  INVENTORY_SETTINGS,
  inventoryWriterLock,
  MAX_STALE_ROUNDS,
  type InventorySettings,
} from 'src/modules/inventory/inventory.constants';
import {
  InventoryRepository,
  stateOf,
  type ReconciliationRunStats,
} from 'src/modules/inventory/persistence/inventory.repository';
import { OwnershipPolicyService } from 'src/modules/mapping';
import { ShopifyAdminClients } from 'src/modules/shopify';
import { forEachShop, ShopDirectory, type Shop } from 'src/modules/shops';

export type ReconciliationTrigger = 'schedule' | 'operator';

export type ReconciliationResult =
  ({ outcome: 'completed'; runId: string } & ReconciliationRunStats) | { outcome: 'skipped'; reason: string };

/**
 * The full reconciliation: every Shopify level read by one bulk operation, compared with what the ERP wants there
 * (quantity policy), and only the differences written, each from the quantity just read (`changeFromQuantity`).
 * Levels found equal become the new belief. The scheduled run does nothing outside the shop's off-hours window (and
 * runs once per window); an operator's start runs at once. Per shop, like the push (`executeForCatalogueShops`).
 */
@Injectable()
export class ReconcileInventory {
  private readonly logger = new Logger(ReconcileInventory.name);

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
  async executeForCatalogueShops(
    trigger: ReconciliationTrigger,
    now = new Date(),
  ): Promise<Array<ReconciliationResult & { shop: string }>> {
    return forEachShop(await this.shops.catalogueShops(), (shop) => this.execute(trigger, now, shop));
  }

  /**
   * One shop's reconciliation, of one of its ERP locations when `erpLocation` is given (an operator's re-sync of a
   * location: its levels read from Shopify, compared and the differences written, the other locations untouched).
   */
  async executeForShop(
    trigger: ReconciliationTrigger,
    domain: string,
    erpLocation?: string,
  ): Promise<Array<ReconciliationResult & { shop: string }>> {
    const shop = await this.shops.find(domain);
    if (shop === undefined) {
      return [{ shop: domain, outcome: 'skipped', reason: 'no such shop in this deployment' }];
    }
    return [{ shop: shop.domain, ...(await this.execute(trigger, new Date(), shop, erpLocation)) }];
  }

  /** One shop's reconciliation (the environment's by default), of one ERP location only when given. */
  async execute(
    trigger: ReconciliationTrigger,
    now = new Date(),
    shop?: Shop,
    erpLocation?: string,
  ): Promise<ReconciliationResult> {
    const target = shop ?? (await this.shops.find(this.shops.bootstrapDomain));
    if (target === undefined) {
      throw new Error(`inventory reconciliation: no shop ${this.shops.bootstrapDomain} in this deployment`);
    }
    if ((await this.flows?.isPaused(target.domain, Flow.Inventory)) === true) {
      return { outcome: 'skipped', reason: 'the inventory flow is paused for this shop' };
    }
    const key: CatalogueShop = { domain: target.domain, bootstrap: target.bootstrap };
    if ((await this.ownership?.owner(target.domain, 'inventory', 'quantity')) === 'shopify') {
      return { outcome: 'skipped', reason: 'inventory quantities are owned by Shopify (source-of-truth policy)' };
    }
    if (trigger === 'schedule') {
      const decision = shouldRunScheduledReconciliation(
        now,
        this.settings.reconcileWindow,
        this.settings.shopTimeZone,
        await this.repository.lastCompletedReconciliation(key),
      );
      if (!decision.run) {
        return { outcome: 'skipped', reason: decision.reason };
      }
    }
    const result = await this.locks.tryExclusive(inventoryWriterLock(this.settings.connector, key), () =>
      this.reconcile(target, trigger, erpLocation),
    );
    return result ?? { outcome: 'skipped', reason: 'another inventory write is running' };
  }

  private async reconcile(
    target: Shop,
    trigger: ReconciliationTrigger,
    erpLocation?: string,
  ): Promise<ReconciliationResult> {
    const shop: CatalogueShop = { domain: target.domain, bootstrap: target.bootstrap };
    const runId = await this.repository.startReconciliation(
      shop,
      erpLocation === undefined ? trigger : `${trigger}:location:${erpLocation}`,
    );
    const eventId = `inventory:reconcile:${runId}`;
    const record = (status: AuditStatus, reason: string): void => this.record(shop.domain, eventId, status, reason);
    const scope = erpLocation === undefined ? 'full reconciliation' : `reconciliation of ERP location ${erpLocation}`;
    record(AuditStatus.Received, `${scope} started (${trigger})`);
    try {
      const client = this.clients.forShop(target);
      const lines: Record<string, unknown>[] = [];
      for await (const line of client.bulkQuery(INVENTORY_LEVELS_BULK.source)) {
        lines.push(line);
      }
      const shopify = foldBulkLevels(lines);
      const mode = await this.repository.policy(shop.domain);
      const desired: InventoryPushItem[] = [];
      const stocked = await this.locations.of(shop);
      const locations =
        erpLocation === undefined ? stocked : new Map([...stocked].filter(([erpId]) => erpId === erpLocation));
      for (const row of await this.repository.allMappedLevels(this.settings.connector, shop, locations)) {
        if (row.isBundle || row.inventoryItemId === null) {
          continue;
        }
        const current = shopify.get(levelKey(row.inventoryItemId, row.shopifyLocationId));
        const decision = shopifyAvailableFor(mode, row, { isBundle: false, shopifyCommitted: current?.committed ?? 0 });
        if (decision.push) {
          desired.push({
            sku: row.sku,
            erpLocationId: row.erpLocationId,
            inventoryItemId: row.inventoryItemId,
            locationId: row.shopifyLocationId,
            erp: { onHand: row.onHand, available: row.available, committed: row.committed },
            quantity: decision.quantity,
            changeFromQuantity: null,
            erpChangedAt: row.changedAt,
          });
        }
      }
      const available = new Map([...shopify].map(([key, level]) => [key, level.available]));
      const diff = diffLevels(desired, available);
      const { connector } = this.settings;
      await this.repository.saveOutcome(
        connector,
        shop,
        'synced',
        diff.equal.map((i) => stateOf(i, 'reconciled: equal')),
      );
      await this.repository.saveOutcome(
        connector,
        shop,
        'rejected',
        diff.missing.map((i) => stateOf(i, 'not stocked at this location in Shopify')),
      );
      const writer = new InventoryQuantityWriter(client, {
        mode,
        concurrency: this.settings.writeConcurrency,
        maxStaleRounds: MAX_STALE_ROUNDS,
      });
      let rejected = diff.missing.length;
      let written = 0;
      await writer.write(diff.toWrite, {
        landed: async (items) => {
          written += items.length;
          await this.repository.saveOutcome(
            connector,
            shop,
            'synced',
            items.map((i) => stateOf(i, 'reconciled')),
          );
          for (const item of items) {
            record(
              AuditStatus.Succeeded,
              `reconciled ${item.sku}@${item.erpLocationId}: available ${item.changeFromQuantity} → ${item.quantity}`,
            );
          }
        },
        alreadyRight: (items) =>
          this.repository.saveOutcome(
            connector,
            shop,
            'synced',
            items.map((i) => stateOf(i, 'reconciled: equal')),
          ),
        rejected: async (item, reason) => {
          rejected++;
          await this.repository.saveOutcome(connector, shop, 'rejected', [stateOf(item, reason.slice(0, 500))]);
          record(AuditStatus.DeadLettered, `${item.sku}@${item.erpLocationId}: ${reason.slice(0, 500)}`);
        },
      });
      const stats: ReconciliationRunStats = { compared: desired.length, written, equal: diff.equal.length, rejected };
      await this.repository.finishReconciliation(runId, { stats });
      record(
        AuditStatus.Succeeded,
        `${scope}: compared ${stats.compared}, written ${written}, equal ${stats.equal}, rejected ${rejected}`,
      );
      this.logger.log({ runId, trigger, shop: shop.domain, ...stats }, 'inventory reconciled');
      return { outcome: 'completed', runId, ...stats };
    } catch (error: unknown) {
      await this.repository.finishReconciliation(runId, { error: errorMessage(error) });
      record(AuditStatus.RetryScheduled, `${scope} failed: ${errorMessage(error).slice(0, 500)}`);
      throw error;
    }
  }

  private record(shop: string, eventId: string, status: AuditStatus, reason: string): void {
    this.audit.record({
      eventId,
      entity: 'inventory',
      topic: 'inventory.reconcile',
      shop,
      status,
      reason,
    });
  }
}
