import { Injectable } from '@nestjs/common';
import type { ErpChangeStream, ErpInventoryLevel, ErpItemChange, ErpShipment } from 'src/modules/erp/port/erp.types';
import { DataSource } from 'typeorm';

/** @description One ERP change stream's runs (its error text stays in the table: it may quote the ERP's answer). */
export interface ErpFeedRun {
  stream: string;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  /** When the stream first ran (a stream that never read to the end is late from then). */
  firstRunAt: Date | null;
  /** The last run ended with an error. */
  failing: boolean;
}

/**
 * The only code that writes what delta reads found: erp_item_xref (items), erp_inventory_level, erp_shipment and
 * their watermarks. Each apply is one statement per page; a row whose ERP-owned fields did not change is left
 * alone (its `changed_at` too), so "what changed since" is exact for the Shopify-side writers.
 */
@Injectable()
export class ErpChangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async watermark(connector: string, stream: ErpChangeStream): Promise<string | undefined> {
    const rows: Array<{ watermark: string | null }> = await this.dataSource.query(
      'SELECT watermark FROM erp_sync_watermark WHERE connector = $1 AND stream = $2',
      [connector, stream],
    );
    return rows[0]?.watermark ?? undefined;
  }

  async saveRun(
    connector: string,
    stream: ErpChangeStream,
    run: { watermark: string | undefined; error: string | null },
  ): Promise<void> {
    // A failed run keeps the previous watermark: the next run reads the same changes again (reads are idempotent).
    await this.dataSource.query(
      `INSERT INTO erp_sync_watermark (connector, stream, watermark, last_run_at, last_error, last_success_at,
                                       first_run_at, updated_at)
       VALUES ($1, $2, $3, now(), $4, CASE WHEN $4::text IS NULL THEN now() END, now(), now())
       ON CONFLICT (connector, stream) DO UPDATE
         SET watermark = COALESCE(EXCLUDED.watermark, erp_sync_watermark.watermark), last_run_at = now(),
             last_error = EXCLUDED.last_error,
             last_success_at = COALESCE(EXCLUDED.last_success_at, erp_sync_watermark.last_success_at), updated_at = now()`,
      [connector, stream, run.watermark ?? null, run.error],
    );
  }

  /** Each change stream of the connector that has run: when it last ran, last read to the end, and its last error. */
  async feedRuns(connector: string): Promise<ErpFeedRun[]> {
    const rows: Array<{
      stream: string;
      last_run_at: Date | null;
      last_success_at: Date | null;
      first_run_at: Date | null;
      last_error: string | null;
    }> = await this.dataSource.query(
      `SELECT stream, last_run_at, last_success_at, first_run_at, last_error FROM erp_sync_watermark WHERE connector = $1
          ORDER BY stream`,
      [connector],
    );
    return rows.map((r) => ({
      stream: r.stream,
      lastRunAt: r.last_run_at,
      lastSuccessAt: r.last_success_at,
      firstRunAt: r.first_run_at,
      failing: r.last_error !== null,
    }));
  }

  /** Upserts items by SKU; returns the SKUs that were new or whose ERP-owned fields changed. */
  async applyItems(connector: string, items: readonly ErpItemChange[]): Promise<string[]> {
    if (items.length === 0) {
      return [];
    }
    const rows: Array<{ sku: string }> = await this.dataSource.query(
      `INSERT INTO erp_item_xref AS x (connector, sku, erp_item_id, parent_erp_item_id, name, price, cost, barcode,
                                       compare_at_price, weight_value, weight_unit, options, active, erp_last_modified)
       SELECT $1, r.sku, r.erp_item_id, r.parent_erp_item_id, r.name, r.price, r.cost, r.barcode, r.compare_at_price,
              r.weight_value, r.weight_unit, r.options, r.active, r.last_modified
         FROM json_to_recordset($2::json) AS r(sku text, erp_item_id text, parent_erp_item_id text, name text,
              price numeric, cost numeric, barcode text, compare_at_price numeric, weight_value numeric,
              weight_unit text, options jsonb, active boolean, last_modified timestamptz)
       ON CONFLICT (connector, sku) DO UPDATE
         SET erp_item_id = EXCLUDED.erp_item_id, parent_erp_item_id = EXCLUDED.parent_erp_item_id,
             name = EXCLUDED.name, price = EXCLUDED.price, cost = EXCLUDED.cost, barcode = EXCLUDED.barcode,
             compare_at_price = EXCLUDED.compare_at_price, weight_value = EXCLUDED.weight_value,
             weight_unit = EXCLUDED.weight_unit,
             options = EXCLUDED.options, active = EXCLUDED.active, erp_last_modified = EXCLUDED.erp_last_modified,
             changed_at = now(), updated_at = now()
         WHERE (x.erp_item_id, x.parent_erp_item_id, x.name, x.price, x.cost, x.barcode, x.compare_at_price,
                x.weight_value, x.weight_unit, x.options, x.active)
               IS DISTINCT FROM (EXCLUDED.erp_item_id, EXCLUDED.parent_erp_item_id, EXCLUDED.name, EXCLUDED.price,
                                 EXCLUDED.cost, EXCLUDED.barcode, EXCLUDED.compare_at_price, EXCLUDED.weight_value,
                                 EXCLUDED.weight_unit, EXCLUDED.options, EXCLUDED.active)
       RETURNING x.sku`,
      [
        connector,
        JSON.stringify(
          lastPerKey(items, (item) => item.sku).map((item) => ({
            sku: item.sku,
            erp_item_id: item.erpItemId,
            parent_erp_item_id: item.parentErpItemId ?? null,
            name: item.name,
            price: item.price ?? null,
            cost: item.cost ?? null,
            barcode: item.barcode ?? null,
            compare_at_price: item.compareAtPrice ?? null,
            weight_value: item.weight?.value ?? null,
            weight_unit: item.weight?.unit ?? null,
            options: item.options ?? null,
            active: item.active,
            last_modified: item.lastModified,
          })),
        ),
      ],
    );
    return rows.map((row) => row.sku);
  }

  /** Upserts stock levels; returns `sku@location` of the levels that were new or changed. */
  async applyInventory(connector: string, levels: readonly ErpInventoryLevel[]): Promise<string[]> {
    if (levels.length === 0) {
      return [];
    }
    const rows: Array<{ sku: string; erp_location_id: string }> = await this.dataSource.query(
      `INSERT INTO erp_inventory_level AS l (connector, sku, erp_location_id, erp_item_id, location_name, on_hand,
                                             available, committed)
       SELECT $1, r.sku, r.erp_location_id, r.erp_item_id, r.location_name, r.on_hand, r.available, r.committed
         FROM json_to_recordset($2::json) AS r(sku text, erp_location_id text, erp_item_id text, location_name text,
              on_hand numeric, available numeric, committed numeric)
       ON CONFLICT (connector, sku, erp_location_id) DO UPDATE
         SET erp_item_id = EXCLUDED.erp_item_id, location_name = EXCLUDED.location_name, on_hand = EXCLUDED.on_hand,
             available = EXCLUDED.available, committed = EXCLUDED.committed, changed_at = now()
         WHERE (l.on_hand, l.available, l.committed) IS DISTINCT FROM (EXCLUDED.on_hand, EXCLUDED.available, EXCLUDED.committed)
       RETURNING l.sku, l.erp_location_id`,
      [
        connector,
        JSON.stringify(
          lastPerKey(levels, (level) => `${level.sku}@${level.erpLocationId}`).map((level) => ({
            sku: level.sku,
            erp_location_id: level.erpLocationId,
            erp_item_id: level.erpItemId,
            location_name: level.locationName ?? null,
            on_hand: level.onHand,
            available: level.available,
            committed: level.committed ?? null,
          })),
        ),
      ],
    );
    return rows.map((row) => `${row.sku}@${row.erp_location_id}`);
  }

  /** Upserts shipments; returns the ids of the shipments that were new or changed. */
  async applyShipments(connector: string, shipments: readonly ErpShipment[]): Promise<string[]> {
    if (shipments.length === 0) {
      return [];
    }
    const rows: Array<{ erp_shipment_id: string }> = await this.dataSource.query(
      `INSERT INTO erp_shipment AS s (connector, erp_shipment_id, order_external_id, tracking_numbers, carrier,
                                      tracking_url, shipped_at, lines, erp_last_modified)
       SELECT $1, r.erp_shipment_id, r.order_external_id, r.tracking_numbers, r.carrier, r.tracking_url, r.shipped_at,
              r.lines, r.last_modified
         FROM json_to_recordset($2::json) AS r(erp_shipment_id text, order_external_id text, tracking_numbers jsonb,
              carrier text, tracking_url text, shipped_at timestamptz, lines jsonb, last_modified timestamptz)
       ON CONFLICT (connector, erp_shipment_id) DO UPDATE
         SET order_external_id = EXCLUDED.order_external_id, tracking_numbers = EXCLUDED.tracking_numbers,
             carrier = EXCLUDED.carrier, tracking_url = EXCLUDED.tracking_url, shipped_at = EXCLUDED.shipped_at,
             lines = EXCLUDED.lines, erp_last_modified = EXCLUDED.erp_last_modified, changed_at = now()
         WHERE (s.order_external_id, s.tracking_numbers, s.carrier, s.tracking_url, s.lines)
               IS DISTINCT FROM (EXCLUDED.order_external_id, EXCLUDED.tracking_numbers, EXCLUDED.carrier,
                                 EXCLUDED.tracking_url, EXCLUDED.lines)
       RETURNING s.erp_shipment_id`,
      [
        connector,
        JSON.stringify(
          lastPerKey(shipments, (shipment) => shipment.erpShipmentId).map((shipment) => ({
            erp_shipment_id: shipment.erpShipmentId,
            order_external_id: shipment.orderExternalId,
            tracking_numbers: shipment.trackingNumbers,
            carrier: shipment.carrier ?? null,
            tracking_url: shipment.trackingUrl ?? null,
            shipped_at: shipment.shippedAt,
            lines: shipment.lines,
            last_modified: shipment.lastModified,
          })),
        ),
      ],
    );
    return rows.map((row) => row.erp_shipment_id);
  }
}

/** One row per key (the last one read wins): ON CONFLICT cannot touch the same row twice in one statement. */
function lastPerKey<T>(records: readonly T[], key: (record: T) => string): T[] {
  return [...new Map(records.map((record) => [key(record), record])).values()];
}
