import { Injectable } from '@nestjs/common';
import type { OrderHoldStatus } from 'src/modules/orders/domain/order-release';
import { DataSource } from 'typeorm';

/** @description An order held before its first ERP write, as operators see it (the latest payload kept aside). */
export interface OrderHold {
  shop: string;
  orderId: string;
  status: OrderHoldStatus;
  /** Why it is held: `high risk: risk level HIGH`, `high risk: recommendation CANCEL`. */
  reason: string;
  /** The highest risk level Shopify assessed (HIGH, MEDIUM, LOW, NONE). */
  riskLevel: string | null;
  /** Shopify's recommendation (ACCEPT, INVESTIGATE, CANCEL, NONE). */
  riskRecommendation: string | null;
  /** Shopify's order name (`#1001`). */
  orderName: string | null;
  /** The topic of the latest event kept. */
  topic: string;
  /** Shopify's `updated_at` of the latest event kept. */
  sourceUpdatedAt: Date;
  heldAt: Date;
  updatedAt: Date;
  /** When an operator released or cancelled it, and who. */
  settledAt: Date | null;
  settledBy: string | null;
}

/** What a new hold records. */
export interface NewOrderHold {
  shop: string;
  orderId: string;
  reason: string;
  riskLevel: string | null;
  riskRecommendation: string | null;
  orderName: string | null;
  topic: string;
  /** The event's Shopify order payload (JSON text), kept while it is held. */
  payload: string;
  sourceUpdatedAt: string;
}

const COLUMNS = `shop, shopify_order_id, status, reason, risk_level, risk_recommendation, order_name, topic,
  source_updated_at, held_at, updated_at, settled_at, settled_by`;

interface HoldRow {
  shop: string;
  shopify_order_id: string;
  status: OrderHoldStatus;
  reason: string;
  risk_level: string | null;
  risk_recommendation: string | null;
  order_name: string | null;
  topic: string;
  source_updated_at: Date;
  held_at: Date;
  updated_at: Date;
  settled_at: Date | null;
  settled_by: string | null;
}

function toHold(row: HoldRow): OrderHold {
  return {
    shop: row.shop,
    orderId: row.shopify_order_id,
    status: row.status,
    reason: row.reason,
    riskLevel: row.risk_level,
    riskRecommendation: row.risk_recommendation,
    orderName: row.order_name,
    topic: row.topic,
    sourceUpdatedAt: row.source_updated_at,
    heldAt: row.held_at,
    updatedAt: row.updated_at,
    settledAt: row.settled_at,
    settledBy: row.settled_by,
  };
}

/** The only code that writes `order_hold` (the order writer reads its status with its delivery, in one query). */
@Injectable()
export class OrderHoldRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Holds the order; false when it has a hold row already (held, or settled: an operator's decision stands). */
  async hold(hold: NewOrderHold): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO order_hold (shop, shopify_order_id, reason, risk_level, risk_recommendation, order_name, topic,
                               payload, source_updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
       ON CONFLICT (shop, shopify_order_id) DO NOTHING
       RETURNING 1`,
      [
        hold.shop,
        hold.orderId,
        hold.reason,
        hold.riskLevel,
        hold.riskRecommendation,
        hold.orderName,
        hold.topic,
        hold.payload,
        hold.sourceUpdatedAt,
      ],
    );
    return rows.length === 1;
  }

  /**
   * Keeps a later event of a held order (its payload replaces the one kept when it is not older): nothing Shopify
   * sent while the order was held is lost. True when it replaced the kept payload.
   */
  async keepLatest(
    key: { shop: string; orderId: string },
    event: { topic: string; payload: string; sourceUpdatedAt: string },
  ): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE order_hold SET payload = $3::jsonb, topic = $4, source_updated_at = $5, updated_at = now()
        WHERE shop = $1 AND shopify_order_id = $2 AND status = 'held' AND source_updated_at <= $5`,
      [key.shop, key.orderId, event.payload, event.topic, event.sourceUpdatedAt],
    );
    return count === 1;
  }

  async find(shop: string, orderId: string): Promise<OrderHold | null> {
    const rows: HoldRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM order_hold WHERE shop = $1 AND shopify_order_id = $2`,
      [shop, orderId],
    );
    return rows[0] === undefined ? null : toHold(rows[0]);
  }

  /** The payload kept for a hold (the latest event's), or null when there is no hold. */
  async payloadOf(shop: string, orderId: string): Promise<unknown> {
    const rows: Array<{ payload: unknown }> = await this.dataSource.query(
      'SELECT payload FROM order_hold WHERE shop = $1 AND shopify_order_id = $2',
      [shop, orderId],
    );
    return rows[0]?.payload ?? null;
  }

  /**
   * Holds of these shops (all when `shops` is undefined) in `status`, oldest first, after the cursor `after`
   * (`held_at`, order id) when given.
   */
  async list(query: {
    shops?: readonly string[];
    status: OrderHoldStatus;
    limit: number;
    after?: { heldAt: Date; orderId: string };
  }): Promise<OrderHold[]> {
    const rows: HoldRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM order_hold
        WHERE status = $1 AND ($2::text[] IS NULL OR shop = ANY($2::text[]))
          AND ($3::timestamptz IS NULL OR (held_at, shopify_order_id) > ($3::timestamptz, $4::text))
        ORDER BY held_at, shopify_order_id LIMIT $5`,
      [query.status, query.shops ?? null, query.after?.heldAt ?? null, query.after?.orderId ?? null, query.limit],
    );
    return rows.map(toHold);
  }

  /**
   * Settles a held order (`released` or `cancelled`) by `actor`; the row as settled, or null when it is not held
   * (no hold, or settled already: the first operator's decision stands).
   */
  async settle(
    key: { shop: string; orderId: string },
    status: Exclude<OrderHoldStatus, 'held'>,
    actor: string,
  ): Promise<OrderHold | null> {
    const [rows] = await this.dataSource.query<[HoldRow[], number]>(
      `UPDATE order_hold SET status = $3, settled_at = now(), settled_by = $4, updated_at = now()
        WHERE shop = $1 AND shopify_order_id = $2 AND status = 'held'
        RETURNING ${COLUMNS}`,
      [key.shop, key.orderId, status, actor],
    );
    return rows[0] === undefined ? null : toHold(rows[0]);
  }

  /** Undoes a release whose publish failed: the order is held again, as it was. */
  async unsettle(key: { shop: string; orderId: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_hold SET status = 'held', settled_at = NULL, settled_by = NULL, updated_at = now()
        WHERE shop = $1 AND shopify_order_id = $2 AND status = 'released'`,
      [key.shop, key.orderId],
    );
  }

  /** Orders held now, per shop (the `erp_sync_orders_held` gauge). */
  async countHeld(): Promise<Array<{ shop: string; held: number }>> {
    const rows: Array<{ shop: string; held: number }> = await this.dataSource.query(
      `SELECT shop, count(*)::int AS held FROM order_hold WHERE status = 'held' GROUP BY shop`,
    );
    return rows;
  }
}
