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

  /** The totals of these orders as last applied to the ERP (orders never applied are not in the answer). */
  async syncedTotals(shop: string, orderIds: readonly string[]): Promise<SyncedOrderTotalRow[]> {
    if (orderIds.length === 0) {
      return [];
    }
    const rows: Array<{
      shopify_order_id: string;
      order_name: string | null;
      total: string | null;
      currency: string | null;
    }> = await this.dataSource.query(
      `SELECT shopify_order_id, order_name,
                COALESCE(source_payload #>> '{total_price_set,shop_money,amount}', source_payload ->> 'total_price') AS total,
                COALESCE(source_payload #>> '{total_price_set,shop_money,currency_code}', source_payload ->> 'currency') AS currency
           FROM order_sync_state
          WHERE shop = $1 AND shopify_order_id = ANY($2::text[]) AND status IS NOT NULL`,
      [shop, orderIds],
    );
    return rows.map((row) => ({
      orderId: row.shopify_order_id,
      orderName: row.order_name,
      total: row.total,
      currency: row.currency,
    }));
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

/** @description What the order writer applied to the ERP for one order: its total in the shop's currency. */
export interface SyncedOrderTotalRow {
  orderId: string;
  orderName: string | null;
  /** `total_price_set.shop_money.amount` of the payload applied (else `total_price`); null when it has none. */
  total: string | null;
  currency: string | null;
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
