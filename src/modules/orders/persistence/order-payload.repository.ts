import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** @description An order as last written to the ERP: the Shopify payload mapped and the mapping version used. */
export interface StoredOrderPayload {
  orderId: string;
  orderName: string | null;
  payload: unknown;
  mappingVersion: number | null;
  appliedAt: Date;
}

/**
 * Reads of the payloads the order writer keeps on `order_sync_state` (`source_payload`, `mapping_version`): what the
 * mapping previews replay. Writes stay with OrderSyncStateRepository.recordApplied.
 */
@Injectable()
export class OrderPayloadRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(shop: string, orderId: string): Promise<StoredOrderPayload | null> {
    const rows: PayloadRow[] = await this.dataSource.query(
      `SELECT shopify_order_id, order_name, source_payload, mapping_version, updated_at FROM order_sync_state
        WHERE shop = $1 AND shopify_order_id = $2 AND source_payload IS NOT NULL`,
      [shop, orderId],
    );
    return rows[0] === undefined ? null : toStored(rows[0]);
  }

  /** The last `limit` orders written (newest first), within [since, until) when given. */
  async recent(shop: string, query: { limit: number; since?: Date; until?: Date }): Promise<StoredOrderPayload[]> {
    const rows: PayloadRow[] = await this.dataSource.query(
      `SELECT shopify_order_id, order_name, source_payload, mapping_version, updated_at FROM order_sync_state
        WHERE shop = $1 AND source_payload IS NOT NULL
          AND ($2::timestamptz IS NULL OR updated_at >= $2) AND ($3::timestamptz IS NULL OR updated_at < $3)
        ORDER BY updated_at DESC, shopify_order_id DESC LIMIT $4`,
      [shop, query.since ?? null, query.until ?? null, query.limit],
    );
    return rows.map(toStored);
  }
}

interface PayloadRow {
  shopify_order_id: string;
  order_name: string | null;
  source_payload: unknown;
  mapping_version: number | null;
  updated_at: Date;
}

function toStored(row: PayloadRow): StoredOrderPayload {
  return {
    orderId: row.shopify_order_id,
    orderName: row.order_name,
    payload: row.source_payload,
    mappingVersion: row.mapping_version,
    appliedAt: new Date(row.updated_at),
  };
}
