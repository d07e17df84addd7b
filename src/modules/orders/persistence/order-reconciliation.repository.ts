import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type FeedKind = 'order' | 'refund';

/** @description One order version or refund the reconciliation published into the order pipeline. */
export interface FeedEntry {
  kind: FeedKind;
  shopifyId: string;
  /** The order's `updated_at` (ms since epoch, as text) or, for a refund, `refund`. */
  version: string;
  eventId: string;
}

/** The only code that touches shopify_reconciliation_watermark and order_reconciliation_feed. */
@Injectable()
export class OrderReconciliationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async watermark(shop: string, stream: string): Promise<Date | undefined> {
    const rows: Array<{ watermark: Date | null }> = await this.dataSource.query(
      'SELECT watermark FROM shopify_reconciliation_watermark WHERE shop = $1 AND stream = $2',
      [shop, stream],
    );
    return rows[0]?.watermark ?? undefined;
  }

  /** Records a run; the watermark moves only when given (a complete read), never backwards. */
  async saveRun(shop: string, stream: string, run: { watermark?: Date; error: string | null }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shopify_reconciliation_watermark AS w (shop, stream, watermark, last_run_at, last_error, updated_at)
       VALUES ($1, $2, $3, now(), $4, now())
       ON CONFLICT (shop, stream) DO UPDATE
         SET watermark = GREATEST(w.watermark, COALESCE(EXCLUDED.watermark, w.watermark)), last_run_at = now(),
             last_error = EXCLUDED.last_error, updated_at = now()`,
      [shop, stream, run.watermark ?? null, run.error?.slice(0, 2_000) ?? null],
    );
  }

  /** How many order versions and refunds the reconciliation published since a moment, over every shop. */
  async publishedSince(since: Date): Promise<{ orders: number; refunds: number }> {
    const rows: Array<{ kind: string; n: string }> = await this.dataSource.query(
      'SELECT kind, count(*) AS n FROM order_reconciliation_feed WHERE published_at > $1 GROUP BY kind',
      [since],
    );
    const count = (kind: FeedKind): number => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
    return { orders: count('order'), refunds: count('refund') };
  }

  /** `kind:id:version` of the entries already published. */
  async published(shop: string, entries: ReadonlyArray<Omit<FeedEntry, 'eventId'>>): Promise<Set<string>> {
    if (entries.length === 0) {
      return new Set();
    }
    const rows: Array<{ kind: string; shopify_id: string; version: string }> = await this.dataSource.query(
      `SELECT f.kind, f.shopify_id, f.version FROM order_reconciliation_feed f
         JOIN json_to_recordset($2::json) AS r(kind text, shopify_id text, version text)
           ON f.kind = r.kind AND f.shopify_id = r.shopify_id AND f.version = r.version
        WHERE f.shop = $1`,
      [shop, JSON.stringify(entries.map((e) => ({ kind: e.kind, shopify_id: e.shopifyId, version: e.version })))],
    );
    return new Set(
      rows.map((row) => feedKey({ kind: row.kind as FeedKind, shopifyId: row.shopify_id, version: row.version })),
    );
  }

  async recordPublished(shop: string, entry: FeedEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO order_reconciliation_feed (shop, kind, shopify_id, version, event_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [shop, entry.kind, entry.shopifyId, entry.version, entry.eventId],
    );
  }
}

export function feedKey(entry: Omit<FeedEntry, 'eventId'>): string {
  return `${entry.kind}:${entry.shopifyId}:${entry.version}`;
}
