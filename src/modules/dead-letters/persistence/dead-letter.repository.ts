import { Injectable } from '@nestjs/common';
import type {
  DeadLetterRecord,
  DeadLetterRow,
  DeadLetterStatus,
} from 'src/modules/dead-letters/domain/dead-letter.types';
import type { DeadLetterSummary } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DataSource } from 'typeorm';

/** The columns a list shows: never the message itself (body, headers, routing key). */
const SUMMARY_COLUMNS =
  'id, message_id, event_id, webhook_id, entity, topic, shop, shopify_id, reason, last_error, attempts, status, created_at, retried_at';

function toSummary(r: Record<string, unknown>): DeadLetterSummary {
  return {
    id: String(r.id),
    messageId: r.message_id as string,
    eventId: (r.event_id as string | null) ?? undefined,
    webhookId: (r.webhook_id as string | null) ?? undefined,
    entity: r.entity as string,
    topic: (r.topic as string | null) ?? undefined,
    shop: (r.shop as string | null) ?? undefined,
    shopifyId: (r.shopify_id as string | null) ?? undefined,
    reason: r.reason as string,
    lastError: (r.last_error as string | null) ?? undefined,
    attempts: r.attempts as number,
    status: r.status as DeadLetterStatus,
    createdAt: r.created_at as Date,
    retriedAt: (r.retried_at as Date | null) ?? null,
  };
}

function toRow(r: Record<string, unknown>): DeadLetterRow {
  return {
    ...toSummary(r),
    routingKey: r.routing_key as string,
    headers: r.headers as Record<string, unknown>,
    body: r.body as Buffer,
  };
}

/** What a dead-letter list is narrowed by; every field optional. */
export interface DeadLetterListFilter {
  status?: DeadLetterStatus;
  entity?: string;
  /** Only these shops (lower-cased myshopify domains); undefined: every shop. */
  shops?: readonly string[];
}

/** The only code that touches dead_letter. */
@Injectable()
export class DeadLetterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent on message id: the recorder may see the same dead letter twice (at-least-once). */
  async insert(record: DeadLetterRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO dead_letter (message_id, event_id, webhook_id, entity, topic, shop, shopify_id, routing_key, headers, body, reason, last_error, attempts)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT (message_id) DO NOTHING`,
      [
        record.messageId,
        record.eventId ?? null,
        record.webhookId ?? null,
        record.entity,
        record.topic ?? null,
        record.shop ?? null,
        record.shopifyId ?? null,
        record.routingKey,
        JSON.stringify(record.headers),
        record.body,
        record.reason,
        record.lastError ?? null,
        record.attempts,
      ],
    );
  }

  /**
   * Newest first, keyset-paginated on id; without the messages (see DeadLetterSummary). `shops` limits the list to
   * those shops (undefined: every shop).
   */
  async list(filter: DeadLetterListFilter, first: number, after?: string): Promise<DeadLetterSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.shops !== undefined) {
      params.push(filter.shops);
      where.push(`shop = ANY($${params.length})`);
    }
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.entity !== undefined) {
      params.push(filter.entity);
      where.push(`entity = $${params.length}`);
    }
    if (after !== undefined) {
      params.push(after);
      where.push(`id < $${params.length}`);
    }
    params.push(first);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM dead_letter ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toSummary);
  }

  /** The dead letters of one shop about any of these Shopify ids, oldest first, at most `limit` (the order trace). */
  async ofShopifyIds(shop: string, shopifyIds: readonly string[], limit: number): Promise<DeadLetterSummary[]> {
    if (shopifyIds.length === 0) {
      return [];
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM dead_letter WHERE shopify_id = ANY($2::text[]) AND shop = $1
        ORDER BY id LIMIT $3`,
      [shop, shopifyIds, limit],
    );
    return rows.map(toSummary);
  }

  /** The Shopify id of the `entity` a dead-lettered webhook of the shop was about; undefined when none. */
  async shopifyIdOfWebhook(shop: string, webhookId: string, entity: string): Promise<string | undefined> {
    const rows: Array<{ shopify_id: string | null }> = await this.dataSource.query(
      `SELECT shopify_id FROM dead_letter WHERE webhook_id = $2 AND shop = $1 AND entity = $3 AND shopify_id IS NOT NULL
        ORDER BY id LIMIT 1`,
      [shop, webhookId, entity],
    );
    return rows[0]?.shopify_id ?? undefined;
  }

  async count(filter: Omit<DeadLetterListFilter, 'entity'>): Promise<number> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.shops !== undefined) {
      params.push(filter.shops);
      where.push(`shop = ANY($${params.length})`);
    }
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `SELECT count(*) AS n FROM dead_letter ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Messages dead-lettered at or after `since`, whatever became of them since (retried or not). */
  async countSince(since: Date): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(
      'SELECT count(*) AS n FROM dead_letter WHERE created_at >= $1',
      [since],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async findById(id: string): Promise<DeadLetterRow | null> {
    if (!/^\d+$/.test(id)) {
      return null;
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      'SELECT * FROM dead_letter WHERE id = $1',
      [id],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Marks a dead letter retried; false if it was not 'dead' (already retried by someone else). */
  async markRetried(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE dead_letter SET status = 'retried', retried_at = now() WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length) > 0;
  }

  /** Deletes dead letters retried more than `days` ago (a dead one stays until an operator acts); returns how many. */
  async pruneRetried(days: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM dead_letter WHERE status = 'retried' AND retried_at < now() - make_interval(days => $1)`,
      [days],
    );
    return deleted;
  }

  async markDead(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE dead_letter SET status = 'dead', retried_at = NULL WHERE id = $1`, [id]);
  }
}
