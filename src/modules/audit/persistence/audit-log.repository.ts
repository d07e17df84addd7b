import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditStatus } from 'src/modules/audit/domain/audit.types';
import { DataSource } from 'typeorm';

export interface AuditLogRow {
  id: string;
  eventId: string;
  entity: string;
  topic: string | null;
  shop: string;
  shopifyId: string | null;
  erpId: string | null;
  status: string;
  reason: string | null;
  attempt: number;
  latencyMs: number | null;
  error: string | null;
  createdAt: Date;
}

export interface AuditLogFilter {
  /** Only rows of these shops (lower-cased myshopify domains); undefined: every shop. */
  shops?: readonly string[];
  entity?: string;
  status?: AuditStatus;
  shopifyId?: string;
  eventId?: string;
  from?: Date;
  to?: Date;
}

/** The only code that touches sync_audit_log. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * How late the orders written to the ERP since `since` were: their count and the 95th percentile of their end to end
   * latency (webhook received → ERP confirmed), in ms (null when none was written).
   */
  async orderLatencySince(since: Date): Promise<{ orders: number; p95Ms: number | null }> {
    const rows: Array<{ orders: string; p95: number | null }> = await this.dataSource.query(
      `SELECT count(*) AS orders, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
         FROM sync_audit_log
        WHERE created_at > $1 AND entity = 'order' AND status = 'succeeded' AND latency_ms IS NOT NULL`,
      [since],
    );
    const row = rows[0];
    return {
      orders: Number(row?.orders ?? 0),
      p95Ms: row?.p95 === null || row?.p95 === undefined ? null : Number(row.p95),
    };
  }

  /**
   * One INSERT … SELECT FROM unnest(arrays): twelve parameters whatever the batch size, so PostgreSQL parses and
   * plans one small statement instead of one with a parameter per column per row.
   */
  async insertMany(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    for (const e of entries) {
      const row = [
        e.eventId,
        e.entity,
        e.topic ?? null,
        e.shop,
        e.shopifyId ?? null,
        e.erpId ?? null,
        e.status,
        e.reason ?? null,
        e.attempt ?? 0,
        e.latencyMs === undefined ? null : Math.round(e.latencyMs),
        e.error ?? null,
        (e.at ?? new Date()).toISOString(),
      ];
      row.forEach((value, i) => columns[i]?.push(value));
    }
    await this.dataSource.query(
      `INSERT INTO sync_audit_log (event_id, entity, topic, shop, shopify_id, erp_id, status, reason, attempt, latency_ms, error, created_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::int[], $10::int[], $11::text[], $12::timestamptz[])`,
      columns,
    );
  }

  /** Deletes audit rows written more than `days` ago; returns how many. */
  async pruneOlderThan(days: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      'DELETE FROM sync_audit_log WHERE created_at < now() - make_interval(days => $1)',
      [days],
    );
    return deleted;
  }

  /** The rows of one shop about any of these Shopify ids, oldest first (the order trace), at most `limit`. */
  async ofShopifyIds(shop: string, shopifyIds: readonly string[], limit: number): Promise<AuditLogRow[]> {
    if (shopifyIds.length === 0) {
      return [];
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, event_id, entity, topic, shop, shopify_id, erp_id, status, reason, attempt, latency_ms, error, created_at
         FROM sync_audit_log WHERE shopify_id = ANY($2::text[]) AND shop = $1
        ORDER BY created_at, id LIMIT $3`,
      [shop, shopifyIds, limit],
    );
    return rows.map(toAuditLogRow);
  }

  /** Newest first, keyset-paginated on id (`after` is the id of the last row of the previous page). */
  async find(filter: AuditLogFilter, first: number, after?: string): Promise<AuditLogRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.shops !== undefined) {
      add('shop = ANY(?)', filter.shops);
    }
    if (filter.entity !== undefined) {
      add('entity = ?', filter.entity);
    }
    if (filter.status !== undefined) {
      add('status = ?', filter.status);
    }
    if (filter.shopifyId !== undefined) {
      add('shopify_id = ?', filter.shopifyId);
    }
    if (filter.eventId !== undefined) {
      add('event_id = ?', filter.eventId);
    }
    if (filter.from !== undefined) {
      add('created_at >= ?', filter.from);
    }
    if (filter.to !== undefined) {
      add('created_at < ?', filter.to);
    }
    if (after !== undefined) {
      add('id < ?', after);
    }
    params.push(first);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, event_id, entity, topic, shop, shopify_id, erp_id, status, reason, attempt, latency_ms, error, created_at
         FROM sync_audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditLogRow);
  }
}

function toAuditLogRow(r: Record<string, unknown>): AuditLogRow {
  return {
    id: String(r.id),
    eventId: r.event_id as string,
    entity: r.entity as string,
    topic: r.topic as string | null,
    shop: r.shop as string,
    shopifyId: r.shopify_id as string | null,
    erpId: r.erp_id as string | null,
    status: r.status as string,
    reason: r.reason as string | null,
    attempt: r.attempt as number,
    latencyMs: r.latency_ms as number | null,
    error: r.error as string | null,
    createdAt: r.created_at as Date,
  };
}
