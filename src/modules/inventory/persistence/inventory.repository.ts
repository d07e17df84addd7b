import { Injectable } from '@nestjs/common';
import { ErpInventoryLevelRepository, type CatalogueShop, type ErpInventoryLevelRow } from 'src/modules/erp';
import type { InventoryPushItem } from 'src/modules/inventory/domain/inventory.types';
import { QuantityPolicyMode } from 'src/modules/inventory/domain/quantity-policy';
import { DataSource } from 'typeorm';

/** @description One ERP level joined with its Shopify ids, its mapping and what we last pushed. */
export interface InventoryLevelRow {
  sku: string;
  erpLocationId: string;
  onHand: number;
  available: number;
  committed: number | null;
  /** PostgreSQL's exact text of erp_inventory_level.changed_at. */
  changedAt: string;
  inventoryItemId: string | null;
  shopifyLocationId: string;
  isBundle: boolean;
  /** What we believe Shopify holds (null: unknown, e.g. never pushed or the item id changed). */
  belief: number | null;
}

export type PushStateStatus = 'synced' | 'rejected' | 'skipped' | 'waiting';

export interface PushStateUpdate {
  sku: string;
  erpLocationId: string;
  inventoryItemId: string | null;
  shopifyLocationId: string;
  changedAt: string;
  /** New belief for `synced`; ignored (the old belief kept) otherwise. */
  quantity?: number;
  reason?: string;
}

export interface ReconciliationRunStats {
  compared: number;
  written: number;
  equal: number;
  rejected: number;
}

/**
 * Which levels of a page of ERP levels a read keeps: those still to handle (`pending`: never handled, changed since,
 * waiting for an inventory item id that now exists, mapped to another Shopify location since, or a bundle recorded as
 * synced), those that waited for an inventory item id and now have one (`waiting`), or every one (`all`). Only
 * levels at mapped locations are ever kept.
 */
type LevelFilter = 'pending' | 'waiting' | 'all';

const LEVEL_FILTERS: Record<LevelFilter, string> = {
  pending: `s.sku IS NULL
            OR s.handled_changed_at IS NULL
            OR s.handled_changed_at < r.changed_at
            OR (s.status = 'waiting' AND r.inventory_item_id IS NOT NULL)
            OR s.shopify_location_id IS DISTINCT FROM r.shopify_location_id
            OR (s.status = 'synced' AND b.sku IS NOT NULL)`,
  waiting: `s.status = 'waiting' AND r.inventory_item_id IS NOT NULL`,
  all: 'true',
};

/** Levels per page read from the erp module for a full scan (the reconciliation reads every mapped level). */
const SCAN_PAGE = 10_000;

/** ERP location → Shopify location GID: where a shop puts each ERP location's stock. */
export type StockLocations = ReadonlyMap<string, string>;

/**
 * The inventory sync tables (push state, scan watermark, location map, bundles, shop policy, reconciliation runs):
 * the only code that touches them. Push state, watermark and reconciliation runs are per shop: the environment's
 * shop is '' there (its rows are older than shops), another shop its domain. The ERP levels come from the erp module (ErpInventoryLevelRepository), a page at
 * a time, and are joined with this module's own state in one statement per page.
 */
@Injectable()
export class InventoryRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly erpLevels: ErpInventoryLevelRepository,
  ) {}

  /**
   * Up to `limit` levels at mapped locations whose ERP state has not been handled yet (see LEVEL_FILTERS), in
   * (SKU, location) order after `after`. Only levels changed after the scan watermark are looked at.
   */
  async pendingLevels(
    connector: string,
    shop: CatalogueShop,
    locations: StockLocations,
    limit: number,
    after?: { sku: string; erpLocationId: string },
  ): Promise<InventoryLevelRow[]> {
    const changedSince = await this.scanWatermark(connector, shop, locations);
    const erpLocationIds = [...locations.keys()];
    const rows: InventoryLevelRow[] = [];
    // Keyset order on the primary key: each round of a drain reads on from where the previous one stopped. A page
    // of ERP levels may hold few pending ones (the rest handled already): read on until `limit` are found.
    let cursor = after;
    for (;;) {
      const levels = await this.erpLevels.page(connector, shop, { erpLocationIds, changedSince, after: cursor, limit });
      rows.push(...(await this.withState(connector, shop, locations, levels, 'pending')));
      if (rows.length >= limit || levels.length < limit) {
        return rows.slice(0, limit);
      }
      cursor = levels[levels.length - 1];
    }
  }

  /** Levels that waited for their Shopify inventory item id and now have one (whenever the ERP changed them). */
  async waitingLevels(connector: string, shop: CatalogueShop, locations: StockLocations): Promise<InventoryLevelRow[]> {
    const keys: Array<{ sku: string; erp_location_id: string }> = await this.dataSource.query(
      "SELECT sku, erp_location_id FROM inventory_push_state WHERE connector = $1 AND shop = $2 AND status = 'waiting'",
      [connector, shopKey(shop)],
    );
    const levels = await this.erpLevels.byKeys(
      connector,
      shop,
      keys.map((k) => ({ sku: k.sku, erpLocationId: k.erp_location_id })),
    );
    return this.withState(connector, shop, locations, levels, 'waiting');
  }

  /** Every level at a mapped location (the full reconciliation), in (SKU, location) order. */
  async allMappedLevels(
    connector: string,
    shop: CatalogueShop,
    locations: StockLocations,
  ): Promise<InventoryLevelRow[]> {
    const erpLocationIds = [...locations.keys()];
    const rows: InventoryLevelRow[] = [];
    let after: { sku: string; erpLocationId: string } | undefined;
    for (;;) {
      const levels = await this.erpLevels.page(connector, shop, { erpLocationIds, after, limit: SCAN_PAGE });
      rows.push(...(await this.withState(connector, shop, locations, levels, 'all')));
      if (levels.length < SCAN_PAGE) {
        return rows;
      }
      after = levels[levels.length - 1];
    }
  }

  /** The database's clock now, minus a margin that covers ERP writes still uncommitted (single statements). */
  async scanHorizon(): Promise<string> {
    const rows: Array<{ horizon: string }> = await this.dataSource.query(
      "SELECT (now() - interval '10 minutes')::text AS horizon",
    );
    return rows[0].horizon;
  }

  /**
   * After a complete drain: every level changed before `horizon` has been handled, at these locations (a drain with
   * other location pairs starts the watermark again).
   */
  async advanceScanWatermark(
    connector: string,
    shop: CatalogueShop,
    locations: StockLocations,
    horizon: string,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO inventory_scan_watermark AS w (connector, shop, scanned_from, locations)
       VALUES ($1, $2, $3::timestamptz, $4)
       ON CONFLICT (connector, shop) DO UPDATE
         SET scanned_from = CASE WHEN w.locations IS DISTINCT FROM EXCLUDED.locations THEN EXCLUDED.scanned_from
                                 ELSE GREATEST(w.scanned_from, EXCLUDED.scanned_from) END,
             locations = EXCLUDED.locations, updated_at = now()`,
      [connector, shopKey(shop), horizon, locationsKey(locations)],
    );
  }

  /** A mapping or bundle change can make old levels pending again: the next push scans everything once. */
  async resetScanWatermark(): Promise<void> {
    await this.dataSource.query('DELETE FROM inventory_scan_watermark');
  }

  /** Records the outcome for these levels; `synced` sets the belief, the other statuses keep the previous one. */
  async saveOutcome(
    connector: string,
    shop: CatalogueShop,
    status: PushStateStatus,
    updates: readonly PushStateUpdate[],
  ): Promise<void> {
    if (updates.length === 0) {
      return;
    }
    await this.dataSource.query(
      `INSERT INTO inventory_push_state AS s (connector, shop, sku, erp_location_id, inventory_item_id,
                                              shopify_location_id, status, last_pushed_quantity, handled_changed_at,
                                              pushed_at, reason, attempts, updated_at)
       SELECT $1, $4, r.sku, r.erp_location_id, r.inventory_item_id, r.shopify_location_id, $2,
              CASE WHEN $2 = 'synced' THEN r.quantity END, r.changed_at,
              CASE WHEN $2 = 'synced' THEN now() END, r.reason, 1, now()
         FROM json_to_recordset($3::json) AS r(sku text, erp_location_id text, inventory_item_id text,
              shopify_location_id text, changed_at timestamptz, quantity integer, reason text)
       ON CONFLICT (connector, shop, sku, erp_location_id) DO UPDATE
         SET status = EXCLUDED.status, handled_changed_at = EXCLUDED.handled_changed_at, reason = EXCLUDED.reason,
             last_pushed_quantity = CASE WHEN EXCLUDED.status = 'synced' THEN EXCLUDED.last_pushed_quantity
                                         WHEN s.inventory_item_id IS DISTINCT FROM EXCLUDED.inventory_item_id
                                           OR s.shopify_location_id IS DISTINCT FROM EXCLUDED.shopify_location_id
                                         THEN NULL ELSE s.last_pushed_quantity END,
             inventory_item_id = EXCLUDED.inventory_item_id, shopify_location_id = EXCLUDED.shopify_location_id,
             pushed_at = COALESCE(EXCLUDED.pushed_at, s.pushed_at), attempts = s.attempts + 1, updated_at = now()`,
      [
        connector,
        status,
        JSON.stringify(
          updates.map((u) => ({
            sku: u.sku,
            erp_location_id: u.erpLocationId,
            inventory_item_id: u.inventoryItemId,
            shopify_location_id: u.shopifyLocationId,
            changed_at: u.changedAt,
            // Only `synced` stores a quantity (a rejected one may not even fit Shopify's Int).
            quantity: status === 'synced' ? (u.quantity ?? null) : null,
            reason: u.reason ?? null,
          })),
        ),
        shopKey(shop),
      ],
    );
  }

  /** What we last pushed to one Shopify level (the echo check of inventory_levels/update). */
  async findByShopifyLevel(
    inventoryItemId: string,
    shopifyLocationId: string,
  ): Promise<{ connector: string; sku: string; erpLocationId: string; lastPushedQuantity: number | null } | undefined> {
    const rows: Array<{
      connector: string;
      sku: string;
      erp_location_id: string;
      last_pushed_quantity: number | null;
    }> = await this.dataSource.query(
      `SELECT connector, sku, erp_location_id, last_pushed_quantity FROM inventory_push_state
          WHERE inventory_item_id = $1 AND shopify_location_id = $2
          ORDER BY pushed_at DESC NULLS LAST LIMIT 1`,
      [inventoryItemId, shopifyLocationId],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : {
          connector: row.connector,
          sku: row.sku,
          erpLocationId: row.erp_location_id,
          lastPushedQuantity: row.last_pushed_quantity,
        };
  }

  /** Config bootstrap of the location mapping: config rows are upserted; operator-set rows are left alone. */
  async bootstrapLocationMap(
    entries: ReadonlyArray<{ erpLocationId: string; shopifyLocationId: string }>,
  ): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const changed: unknown[] = await this.dataSource.query(
      `INSERT INTO inventory_location_map AS m (erp_location_id, shopify_location_id, source)
       SELECT r.erp_location_id, r.shopify_location_id, 'config'
         FROM json_to_recordset($1::json) AS r(erp_location_id text, shopify_location_id text)
       ON CONFLICT (erp_location_id) DO UPDATE
         SET shopify_location_id = EXCLUDED.shopify_location_id, updated_at = now()
         WHERE m.source = 'config' AND m.shopify_location_id <> EXCLUDED.shopify_location_id
       RETURNING m.erp_location_id`,
      [
        JSON.stringify(
          entries.map((e) => ({ erp_location_id: e.erpLocationId, shopify_location_id: e.shopifyLocationId })),
        ),
      ],
    );
    if (changed.length > 0) {
      await this.resetScanWatermark();
    }
  }

  async locationMap(): Promise<Array<{ erpLocationId: string; shopifyLocationId: string; source: string }>> {
    const rows: Array<{ erp_location_id: string; shopify_location_id: string; source: string }> =
      await this.dataSource.query(
        'SELECT erp_location_id, shopify_location_id, source FROM inventory_location_map ORDER BY erp_location_id',
      );
    return rows.map((r) => ({
      erpLocationId: r.erp_location_id,
      shopifyLocationId: r.shopify_location_id,
      source: r.source,
    }));
  }

  /** Config bootstrap of the shop's quantity policy (inserted once; an operator's later choice is kept). */
  async bootstrapPolicy(shop: string, mode: QuantityPolicyMode): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO inventory_shop_policy (shop, mode) VALUES ($1, $2) ON CONFLICT (shop) DO NOTHING',
      [shop, mode],
    );
  }

  async setPolicy(shop: string, mode: QuantityPolicyMode): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO inventory_shop_policy (shop, mode) VALUES ($1, $2)
       ON CONFLICT (shop) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`,
      [shop, mode],
    );
  }

  async policy(shop: string): Promise<QuantityPolicyMode> {
    const rows: Array<{ mode: QuantityPolicyMode }> = await this.dataSource.query(
      'SELECT mode FROM inventory_shop_policy WHERE shop = $1',
      [shop],
    );
    return rows[0]?.mode ?? QuantityPolicyMode.ErpAvailable;
  }

  async addBundleSkus(connector: string, skus: readonly string[], source = 'config'): Promise<void> {
    if (skus.length === 0) {
      return;
    }
    const added: unknown[] = await this.dataSource.query(
      `INSERT INTO inventory_bundle_sku (connector, sku, source) SELECT $1, unnest($2::text[]), $3
       ON CONFLICT DO NOTHING RETURNING sku`,
      [connector, skus, source],
    );
    if (added.length > 0) {
      await this.resetScanWatermark();
    }
  }

  /** The last full reconciliation that completed (a re-sync of one location is not one). */
  async lastCompletedReconciliation(shop: CatalogueShop): Promise<Date | undefined> {
    const rows: Array<{ finished_at: Date }> = await this.dataSource.query(
      `SELECT finished_at FROM inventory_reconciliation_run
        WHERE status = 'completed' AND shop = $1 AND trigger NOT LIKE '%:location:%'
        ORDER BY finished_at DESC LIMIT 1`,
      [shopKey(shop)],
    );
    return rows[0]?.finished_at;
  }

  async startReconciliation(shop: CatalogueShop, trigger: string): Promise<string> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'INSERT INTO inventory_reconciliation_run (shop, trigger) VALUES ($1, $2) RETURNING id',
      [shopKey(shop), trigger],
    );
    return rows[0].id;
  }

  async finishReconciliation(
    id: string,
    outcome: { stats: ReconciliationRunStats } | { error: string },
  ): Promise<void> {
    if ('error' in outcome) {
      await this.dataSource.query(
        `UPDATE inventory_reconciliation_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
        [id, outcome.error.slice(0, 1000)],
      );
      return;
    }
    const s = outcome.stats;
    await this.dataSource.query(
      `UPDATE inventory_reconciliation_run
          SET status = 'completed', finished_at = now(), compared = $2, written = $3, equal = $4, rejected = $5
        WHERE id = $1`,
      [id, s.compared, s.written, s.equal, s.rejected],
    );
  }

  /**
   * Joins a page of ERP levels with the bundles and the push state in one statement (the levels as arrays, with the
   * Shopify location each one maps to) and keeps those `filter` names, in the page's order. Levels at unmapped
   * locations are left out.
   */
  private async withState(
    connector: string,
    shop: CatalogueShop,
    locations: StockLocations,
    levels: readonly ErpInventoryLevelRow[],
    filter: LevelFilter,
  ): Promise<InventoryLevelRow[]> {
    const mapped = levels.flatMap((level) => {
      const shopifyLocationId = locations.get(level.erpLocationId);
      return shopifyLocationId === undefined ? [] : [{ level, shopifyLocationId }];
    });
    if (mapped.length === 0) {
      return [];
    }
    // ErpInventoryLevelRepository returns its levels in (SKU, location) order: the first and last bound the page.
    const [first, last] = [mapped[0].level, mapped[mapped.length - 1].level];
    // Arrays rather than a JSON recordset: PostgreSQL reads them faster and knows how many rows they hold.
    // WITH ORDINALITY counts from 1, as a bigint (text here).
    const states: Array<{ i: string; is_bundle: boolean; belief: number | null }> = await this.dataSource.query(
      `SELECT r.i, (b.sku IS NOT NULL) AS is_bundle,
              CASE WHEN s.inventory_item_id = r.inventory_item_id AND s.shopify_location_id = r.shopify_location_id
                   THEN s.last_pushed_quantity END AS belief
         FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[])
              WITH ORDINALITY AS r(sku, erp_location_id, changed_at, inventory_item_id, shopify_location_id, i)
         LEFT JOIN inventory_bundle_sku b ON b.connector = $1 AND b.sku = r.sku
         LEFT JOIN inventory_push_state s
                ON s.connector = $1 AND s.shop = $11 AND s.sku = r.sku AND s.erp_location_id = r.erp_location_id
               -- The page's key range: an index range of the push state, not all of it, per page.
               AND (s.sku, s.erp_location_id) BETWEEN ($7, $8) AND ($9, $10)
        WHERE ${LEVEL_FILTERS[filter]}
        ORDER BY r.i`,
      [
        connector,
        mapped.map((m) => m.level.sku),
        mapped.map((m) => m.level.erpLocationId),
        mapped.map((m) => m.level.changedAt),
        mapped.map((m) => m.level.shopifyInventoryItemId),
        mapped.map((m) => m.shopifyLocationId),
        first.sku,
        first.erpLocationId,
        last.sku,
        last.erpLocationId,
        shopKey(shop),
      ],
    );
    return states.map((state) => {
      const { level, shopifyLocationId } = mapped[Number(state.i) - 1];
      return {
        sku: level.sku,
        erpLocationId: level.erpLocationId,
        onHand: level.onHand,
        available: level.available,
        committed: level.committed,
        changedAt: level.changedAt,
        inventoryItemId: level.shopifyInventoryItemId,
        shopifyLocationId,
        isBundle: state.is_bundle,
        belief: state.belief,
      };
    });
  }

  /**
   * Where the pending scan starts (text, full precision); undefined: scan everything (never scanned, or last
   * scanned with other location pairs).
   */
  private async scanWatermark(
    connector: string,
    shop: CatalogueShop,
    locations: StockLocations,
  ): Promise<string | undefined> {
    const rows: Array<{ scanned_from: string; locations: string | null }> = await this.dataSource.query(
      `SELECT scanned_from::text AS scanned_from, locations FROM inventory_scan_watermark
        WHERE connector = $1 AND shop = $2`,
      [connector, shopKey(shop)],
    );
    const row = rows[0];
    return row === undefined || row.locations !== locationsKey(locations) ? undefined : row.scanned_from;
  }
}

/** The shop column of the per-shop inventory tables: '' for the environment's shop (rows from before shops). */
function shopKey(shop: CatalogueShop): string {
  return shop.bootstrap ? '' : shop.domain;
}

/** The location pairs as one text, the same for the same pairs in any order. */
function locationsKey(locations: StockLocations): string {
  return JSON.stringify([...locations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The state update of one push item. */
export function stateOf(item: InventoryPushItem, reason?: string): PushStateUpdate {
  return {
    sku: item.sku,
    erpLocationId: item.erpLocationId,
    inventoryItemId: item.inventoryItemId,
    shopifyLocationId: item.locationId,
    changedAt: item.erpChangedAt,
    quantity: item.quantity,
    reason,
  };
}
