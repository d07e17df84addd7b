import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type OrderReplayState = 'queued' | 'running' | 'published' | 'failed';

/** @description An operator's order replay as stored: what it replays, how far it got, and its counts. */
export interface OrderReplayRecord {
  id: string;
  shop: string;
  createdFrom: Date | null;
  createdTo: Date | null;
  /** The explicit order ids (legacy ids), when the replay names them instead of a date range. */
  orderIds: string[] | null;
  force: boolean;
  ratePerSecond: number;
  state: OrderReplayState;
  /** The Admin API cursor after the last page the run completed (null: from the start). */
  cursor: string | null;
  listed: number;
  notFound: number;
  error: string | null;
  requestedBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** @description What the order writer has made of a replay's published events so far. */
export interface OrderReplayProgress {
  published: number;
  /** Events the order writer processed (an inbox row with the event id): written, or skipped as already there. */
  processed: number;
  /** Of those, written to the ERP. */
  applied: number;
}

/** @description One order version a replay published. */
export interface OrderReplayItem {
  shopifyOrderId: string;
  topic: string;
  eventId: string;
  sourceUpdatedAt: string;
}

interface ReplayRow {
  id: string;
  shop: string;
  created_from: Date | null;
  created_to: Date | null;
  order_ids: string[] | null;
  force: boolean;
  rate_per_second: number;
  state: OrderReplayState;
  cursor: string | null;
  listed: number;
  not_found: number;
  error: string | null;
  requested_by: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const toRecord = (row: ReplayRow): OrderReplayRecord => ({
  id: row.id,
  shop: row.shop,
  createdFrom: row.created_from,
  createdTo: row.created_to,
  orderIds: row.order_ids,
  force: row.force,
  ratePerSecond: row.rate_per_second,
  state: row.state,
  cursor: row.cursor,
  listed: row.listed,
  notFound: row.not_found,
  error: row.error,
  requestedBy: row.requested_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The only code that touches order_replay and order_replay_item. */
@Injectable()
export class OrderReplayRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(replay: {
    id: string;
    shop: string;
    createdFrom: Date | null;
    createdTo: Date | null;
    orderIds: readonly string[] | null;
    force: boolean;
    ratePerSecond: number;
    requestedBy: string;
  }): Promise<OrderReplayRecord> {
    const rows: ReplayRow[] = await this.dataSource.query(
      `INSERT INTO order_replay (id, shop, created_from, created_to, order_ids, force, rate_per_second, requested_by)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8) RETURNING *`,
      [
        replay.id,
        replay.shop,
        replay.createdFrom,
        replay.createdTo,
        replay.orderIds,
        replay.force,
        replay.ratePerSecond,
        replay.requestedBy,
      ],
    );
    return toRecord(rows[0]);
  }

  async find(id: string): Promise<OrderReplayRecord | null> {
    if (!UUID.test(id)) {
      return null; // not an id this table could hold (its column is a uuid)
    }
    const rows: ReplayRow[] = await this.dataSource.query('SELECT * FROM order_replay WHERE id = $1', [id]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** A run starts (again): running, its last error cleared; the cursor and counts stay (it resumes). */
  async markRunning(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_replay SET state = 'running', error = NULL, started_at = COALESCE(started_at, now()),
              updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** The orders among `ids` this replay already published (a resumed run skips them). */
  async publishedAmong(id: string, shopifyOrderIds: readonly string[]): Promise<Set<string>> {
    if (shopifyOrderIds.length === 0) {
      return new Set();
    }
    const rows: Array<{ shopify_order_id: string }> = await this.dataSource.query(
      'SELECT shopify_order_id FROM order_replay_item WHERE replay_id = $1 AND shopify_order_id = ANY($2::text[])',
      [id, shopifyOrderIds],
    );
    return new Set(rows.map((row) => row.shopify_order_id));
  }

  /** One order published: recorded at once, so a run stopped mid-page does not count or track it twice. */
  async recordPublished(id: string, item: OrderReplayItem): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO order_replay_item (replay_id, shopify_order_id, topic, event_id, source_updated_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [id, item.shopifyOrderId, item.topic, item.eventId, item.sourceUpdatedAt],
    );
  }

  /** A page completed: the cursor after it and the page's counts, in one statement. */
  async completePage(id: string, page: { cursor: string | null; listed: number; notFound: number }): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_replay SET cursor = $2, listed = listed + $3, not_found = not_found + $4, updated_at = now()
        WHERE id = $1`,
      [id, page.cursor, page.listed, page.notFound],
    );
  }

  async finish(id: string, outcome: { state: 'published' } | { state: 'failed'; error: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_replay SET state = $2, error = $3, finished_at = CASE WHEN $2 = 'published' THEN now() END,
              updated_at = now() WHERE id = $1`,
      [id, outcome.state, outcome.state === 'failed' ? outcome.error.slice(0, 2_000) : null],
    );
  }

  /** What the order writer made of the replay's events: an inbox row with the event id means processed. */
  async progress(id: string, shop: string): Promise<OrderReplayProgress> {
    const rows: Array<{ published: string; processed: string; applied: string }> = await this.dataSource.query(
      `SELECT count(*) AS published,
              count(inbox.outcome) AS processed,
              count(*) FILTER (WHERE inbox.outcome = 'applied') AS applied
         FROM order_replay_item item
         LEFT JOIN LATERAL (
           SELECT outcome FROM webhook_inbox
            WHERE event_id = item.event_id AND shop = $2 AND topic = item.topic LIMIT 1
         ) inbox ON true
        WHERE item.replay_id = $1`,
      [id, shop],
    );
    const row = rows[0];
    return {
      published: Number(row?.published ?? 0),
      processed: Number(row?.processed ?? 0),
      applied: Number(row?.applied ?? 0),
    };
  }
}
