import { Injectable } from '@nestjs/common';
import type { OrderEditDiff } from 'src/modules/orders/domain/diff-order-edit';
import { DataSource } from 'typeorm';

/** @description An order edit the ERP could not take (it had shipped or invoiced the order), as stored. */
export interface OrderEditConflictRecord {
  id: string;
  shop: string;
  shopifyOrderId: string;
  orderName: string | null;
  erpId: string;
  /** What the ERP reported about its document when the edit was refused. */
  erpState: string;
  /** What the edit changed against the version the ERP holds (cumulative over later edits of the order). */
  diff: OrderEditDiff;
  /** Shopify's `updated_at` of the latest edit refused. */
  sourceUpdatedAt: Date;
  eventId: string;
  detectedAt: Date;
  /** How many edit events of the order were refused while the conflict was open. */
  edits: number;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/** @description A conflict to record: the order, what the edit changed, what the ERP reported. */
export interface NewOrderEditConflict {
  shop: string;
  shopifyOrderId: string;
  orderName: string | null;
  erpId: string;
  erpState: string;
  diff: OrderEditDiff;
  sourceUpdatedAt: string;
  eventId: string;
}

export interface OrderEditConflictQuery {
  shop?: string;
  /** `open` (default): not resolved yet; `resolved`; `all`. */
  state: 'open' | 'resolved' | 'all';
  limit: number;
}

interface ConflictRow {
  id: string;
  shop: string;
  shopify_order_id: string;
  order_name: string | null;
  erp_id: string;
  erp_state: string;
  diff: OrderEditDiff;
  source_updated_at: Date;
  event_id: string;
  detected_at: Date;
  edits: number;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
}

const COLUMNS = `id::text AS id, shop, shopify_order_id, order_name, erp_id, erp_state, diff, source_updated_at, event_id,
  detected_at, edits, resolved_by, resolved_at, resolution_note`;

/** The only code that touches order_edit_conflict. */
@Injectable()
export class OrderEditConflictRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the conflict: a new row, or the order's open one brought up to this edit (its diff, the ERP's state, the
   * count of edits refused). An edit older than the one held is counted but does not replace it.
   */
  async record(conflict: NewOrderEditConflict): Promise<OrderEditConflictRecord> {
    const rows: ConflictRow[] = await this.dataSource.query(
      `INSERT INTO order_edit_conflict (shop, shopify_order_id, order_name, erp_id, erp_state, diff, source_updated_at,
                                        event_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT (shop, shopify_order_id) WHERE resolved_at IS NULL DO UPDATE
         SET edits = order_edit_conflict.edits + 1,
             order_name = COALESCE(EXCLUDED.order_name, order_edit_conflict.order_name),
             erp_id = EXCLUDED.erp_id,
             erp_state = CASE WHEN EXCLUDED.source_updated_at >= order_edit_conflict.source_updated_at
                              THEN EXCLUDED.erp_state ELSE order_edit_conflict.erp_state END,
             diff = CASE WHEN EXCLUDED.source_updated_at >= order_edit_conflict.source_updated_at
                         THEN EXCLUDED.diff ELSE order_edit_conflict.diff END,
             event_id = CASE WHEN EXCLUDED.source_updated_at >= order_edit_conflict.source_updated_at
                             THEN EXCLUDED.event_id ELSE order_edit_conflict.event_id END,
             source_updated_at = GREATEST(EXCLUDED.source_updated_at, order_edit_conflict.source_updated_at)
       RETURNING ${COLUMNS}`,
      [
        conflict.shop,
        conflict.shopifyOrderId,
        conflict.orderName,
        conflict.erpId,
        conflict.erpState,
        JSON.stringify(conflict.diff),
        conflict.sourceUpdatedAt,
        conflict.eventId,
      ],
    );
    return toRecord(rows[0]);
  }

  /** Newest first. */
  async list(query: OrderEditConflictQuery): Promise<OrderEditConflictRecord[]> {
    const rows: ConflictRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM order_edit_conflict
        WHERE ($1::text IS NULL OR shop = $1)
          AND ($2 = 'all' OR ($2 = 'open' AND resolved_at IS NULL) OR ($2 = 'resolved' AND resolved_at IS NOT NULL))
        ORDER BY detected_at DESC, id DESC
        LIMIT $3`,
      [query.shop ?? null, query.state, query.limit],
    );
    return rows.map(toRecord);
  }

  async find(id: string): Promise<OrderEditConflictRecord | null> {
    const rows: ConflictRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM order_edit_conflict WHERE id = $1`,
      [id],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Marks an open conflict resolved; null when there is no such conflict or it was resolved already. */
  async resolve(id: string, resolvedBy: string, note: string | null): Promise<OrderEditConflictRecord | null> {
    const rows: ConflictRow[] = await this.dataSource.query(
      // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with the rows.
      `WITH changed AS (
         UPDATE order_edit_conflict SET resolved_by = $2, resolved_at = now(), resolution_note = $3
          WHERE id = $1 AND resolved_at IS NULL
          RETURNING *
       )
       SELECT ${COLUMNS} FROM changed`,
      [id, resolvedBy, note],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }
}

function toRecord(row: ConflictRow): OrderEditConflictRecord {
  return {
    id: row.id,
    shop: row.shop,
    shopifyOrderId: row.shopify_order_id,
    orderName: row.order_name,
    erpId: row.erp_id,
    erpState: row.erp_state,
    diff: row.diff,
    sourceUpdatedAt: row.source_updated_at,
    eventId: row.event_id,
    detectedAt: row.detected_at,
    edits: row.edits,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    resolutionNote: row.resolution_note,
  };
}
