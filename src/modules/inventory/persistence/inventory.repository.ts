import { Injectable } from '@nestjs/common';
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

const LEVEL_SELECT = `
  SELECT l.sku, l.erp_location_id, l.on_hand::float8 AS on_hand, l.available::float8 AS available,
         l.committed::float8 AS committed, l.changed_at::text AS changed_at,
         x.shopify_inventory_item_id, m.shopify_location_id, (b.sku IS NOT NULL) AS is_bundle,
         CASE WHEN s.inventory_item_id = x.shopify_inventory_item_id AND s.shopify_location_id = m.shopify_location_id
              THEN s.last_pushed_quantity END AS belief
    FROM erp_inventory_level l
    JOIN inventory_location_map m ON m.erp_location_id = l.erp_location_id
    LEFT JOIN erp_item_xref x ON x.connector = l.connector AND x.sku = l.sku
    LEFT JOIN inventory_bundle_sku b ON b.connector = l.connector AND b.sku = l.sku
    LEFT JOIN inventory_push_state s
           ON s.connector = l.connector AND s.sku = l.sku AND s.erp_location_id = l.erp_location_id
   WHERE l.connector = $1`;

interface RawLevelRow {
  sku: string;
  erp_location_id: string;
  on_hand: number;
  available: number;
  committed: number | null;
  changed_at: string;
  shopify_inventory_item_id: string | null;
  shopify_location_id: string;
  is_bundle: boolean;
  belief: number | null;
}

function toLevelRow(row: RawLevelRow): InventoryLevelRow {
  return {
    sku: row.sku,
    erpLocationId: row.erp_location_id,
    onHand: row.on_hand,
    available: row.available,
    committed: row.committed,
    changedAt: row.changed_at,
    inventoryItemId: row.shopify_inventory_item_id,
    shopifyLocationId: row.shopify_location_id,
    isBundle: row.is_bundle,
    belief: row.belief,
  };
}

/** The only code that touches the inventory sync tables (and reads the ERP levels for it). */
@Injectable()
export class InventoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Levels at mapped locations whose ERP state has not been handled yet: never handled, changed since, waiting for
   * an inventory item id that now exists, or mapped to another Shopify location since. Only levels changed after the
   * scan watermark are looked at.
   */
  async pendingLevels(
    connector: string,
    limit: number,
    after?: { sku: string; erpLocationId: string },
  ): Promise<InventoryLevelRow[]> {
    // Keyset order on the primary key: each round of a drain reads on from where the previous one stopped.
    const rows: RawLevelRow[] = await this.dataSource.query(
      `${LEVEL_SELECT}
         AND l.changed_at >= COALESCE((SELECT scanned_from FROM inventory_scan_watermark WHERE connector = $1),
                                      '-infinity'::timestamptz)
         AND (l.sku, l.erp_location_id) > ($3, $4)
         AND (s.sku IS NULL
              OR s.handled_changed_at IS NULL
              OR s.handled_changed_at < l.changed_at
              OR (s.status = 'waiting' AND x.shopify_inventory_item_id IS NOT NULL)
              OR s.shopify_location_id IS DISTINCT FROM m.shopify_location_id
              OR (s.status = 'synced' AND b.sku IS NOT NULL))
       ORDER BY l.sku, l.erp_location_id
       LIMIT $2`,
      [connector, limit, after?.sku ?? '', after?.erpLocationId ?? ''],
    );
    return rows.map(toLevelRow);
  }

  /** Levels that waited for their Shopify inventory item id and now have one (whenever the ERP changed them). */
  async waitingLevels(connector: string): Promise<InventoryLevelRow[]> {
    const rows: RawLevelRow[] = await this.dataSource.query(
      `${LEVEL_SELECT} AND s.status = 'waiting' AND x.shopify_inventory_item_id IS NOT NULL`,
      [connector],
    );
    return rows.map(toLevelRow);
  }

  /** The database's clock now, minus a margin that covers ERP writes still uncommitted (single statements). */
  async scanHorizon(): Promise<string> {
    const rows: Array<{ horizon: string }> = await this.dataSource.query(
      "SELECT (now() - interval '10 minutes')::text AS horizon",
    );
    return rows[0].horizon;
  }

  /** After a complete drain: every level changed before `horizon` has been handled. */
  async advanceScanWatermark(connector: string, horizon: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO inventory_scan_watermark (connector, scanned_from) VALUES ($1, $2::timestamptz)
       ON CONFLICT (connector) DO UPDATE SET scanned_from = GREATEST(inventory_scan_watermark.scanned_from,
                                                                     EXCLUDED.scanned_from), updated_at = now()`,
      [connector, horizon],
    );
  }

  /** A mapping or bundle change can make old levels pending again: the next push scans everything once. */
  async resetScanWatermark(): Promise<void> {
    await this.dataSource.query('DELETE FROM inventory_scan_watermark');
  }

  /** Every level at a mapped location (the full reconciliation). */
  async allMappedLevels(connector: string): Promise<InventoryLevelRow[]> {
    const rows: RawLevelRow[] = await this.dataSource.query(`${LEVEL_SELECT} ORDER BY l.sku, l.erp_location_id`, [
      connector,
    ]);
    return rows.map(toLevelRow);
  }

  /** Records the outcome for these levels; `synced` sets the belief, the other statuses keep the previous one. */
  async saveOutcome(connector: string, status: PushStateStatus, updates: readonly PushStateUpdate[]): Promise<void> {
    if (updates.length === 0) {
      return;
    }
    await this.dataSource.query(
      `INSERT INTO inventory_push_state AS s (connector, sku, erp_location_id, inventory_item_id, shopify_location_id,
                                              status, last_pushed_quantity, handled_changed_at, pushed_at, reason,
                                              attempts, updated_at)
       SELECT $1, r.sku, r.erp_location_id, r.inventory_item_id, r.shopify_location_id, $2,
              CASE WHEN $2 = 'synced' THEN r.quantity END, r.changed_at,
              CASE WHEN $2 = 'synced' THEN now() END, r.reason, 1, now()
         FROM json_to_recordset($3::json) AS r(sku text, erp_location_id text, inventory_item_id text,
              shopify_location_id text, changed_at timestamptz, quantity integer, reason text)
       ON CONFLICT (connector, sku, erp_location_id) DO UPDATE
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

  async lastCompletedReconciliation(): Promise<Date | undefined> {
    const rows: Array<{ finished_at: Date }> = await this.dataSource.query(
      `SELECT finished_at FROM inventory_reconciliation_run WHERE status = 'completed'
        ORDER BY finished_at DESC LIMIT 1`,
    );
    return rows[0]?.finished_at;
  }

  async startReconciliation(trigger: string): Promise<string> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'INSERT INTO inventory_reconciliation_run (trigger) VALUES ($1) RETURNING id',
      [trigger],
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
