import { Injectable } from '@nestjs/common';
import type {
  DeadLetterAction,
  DeadLetterActionKind,
  PayloadChange,
} from 'src/modules/dead-letters/domain/dead-letter-action';
import type { DeadLetterSelection } from 'src/modules/dead-letters/domain/dead-letter-selection';
import type {
  DeadLetterRecord,
  DeadLetterRow,
  DeadLetterStatus,
} from 'src/modules/dead-letters/domain/dead-letter.types';
import type { DeadLetterSummary } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DataSource } from 'typeorm';

/** The columns a list shows: never the message itself (body, headers, routing key). */
const SUMMARY_COLUMNS =
  'id, message_id, event_id, webhook_id, entity, topic, shop, shopify_id, reason, last_error, error_class, attempts, status, created_at, retried_at, retried_by, discarded_at, discarded_by';

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
    errorClass: (r.error_class as string | null) ?? undefined,
    attempts: r.attempts as number,
    status: r.status as DeadLetterStatus,
    createdAt: r.created_at as Date,
    retriedAt: (r.retried_at as Date | null) ?? null,
    retriedBy: (r.retried_by as string | null) ?? null,
    discardedAt: (r.discarded_at as Date | null) ?? null,
    discardedBy: (r.discarded_by as string | null) ?? null,
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
      `INSERT INTO dead_letter (message_id, event_id, webhook_id, entity, topic, shop, shopify_id, routing_key, headers, body, reason, last_error, attempts, error_class)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT (message_id) DO NOTHING`,
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
        record.errorClass ?? null,
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

  /**
   * Marks a dead letter retried by `actor` and appends the action to its trail, in one statement; false if it was not
   * `dead` (retried or discarded by someone else meanwhile): the conditional UPDATE is what makes a retry happen once.
   */
  async markRetried(
    id: string,
    actor = 'unknown',
    trail: { action: DeadLetterActionKind; changes?: readonly PayloadChange[]; note?: string } = { action: 'retried' },
  ): Promise<boolean> {
    return this.transition(
      id,
      `status = 'retried', retried_at = now(), retried_by = $2`,
      actor,
      trail.action,
      trail.note,
      trail.changes,
    );
  }

  /** Marks a dead letter discarded by `actor` (the row stays) and appends the action; false if it was not `dead`. */
  async markDiscarded(id: string, actor: string, note?: string): Promise<boolean> {
    return this.transition(
      id,
      `status = 'discarded', discarded_at = now(), discarded_by = $2`,
      actor,
      'discarded',
      note,
    );
  }

  /** `dead` again after a retry whose message the broker refused; the trail says so. */
  async markDead(id: string, actor = 'unknown', note?: string): Promise<void> {
    await this.dataSource.query(
      `WITH changed AS (
         UPDATE dead_letter SET status = 'dead', retried_at = NULL, retried_by = NULL WHERE id = $1 RETURNING id
       )
       INSERT INTO dead_letter_action (dead_letter_id, action, actor, note)
       SELECT id, 'republish_failed', $2::text, $3::text FROM changed`,
      [id, actor, note ?? null],
    );
  }

  private async transition(
    id: string,
    set: string,
    actor: string,
    action: DeadLetterActionKind,
    note?: string,
    changes?: readonly PayloadChange[],
  ): Promise<boolean> {
    if (!/^\d+$/.test(id)) {
      return false;
    }
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH changed AS (UPDATE dead_letter SET ${set} WHERE id = $1 AND status = 'dead' RETURNING id)
       INSERT INTO dead_letter_action (dead_letter_id, action, actor, note, changes)
       SELECT id, $3::text, $2::text, $4::text, $5::jsonb FROM changed RETURNING dead_letter_id AS id`,
      [id, actor, action, note ?? null, changes === undefined ? null : JSON.stringify(changes)],
    );
    return rows.length > 0;
  }

  /**
   * The dead letters a bulk action selects, oldest first, at most `limit`: without their messages. Every criterion
   * given must hold; `reasonContains` matches the reason or the last error, case-insensitively, as plain text.
   */
  async select(selection: DeadLetterSelection, limit: number): Promise<DeadLetterSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (selection.ids !== undefined) {
      add(
        (n) => `id = ANY(${n}::bigint[])`,
        selection.ids.filter((id) => /^\d{1,18}$/.test(id)),
      );
    }
    if (selection.shops !== undefined) {
      add((n) => `shop = ANY(${n})`, selection.shops);
    }
    if (selection.status !== undefined) {
      add((n) => `status = ${n}`, selection.status);
    }
    if (selection.entity !== undefined) {
      add((n) => `entity = ${n}`, selection.entity);
    }
    if (selection.topic !== undefined) {
      add((n) => `topic = ${n}`, selection.topic);
    }
    if (selection.errorClass !== undefined) {
      add((n) => `error_class = ${n}`, selection.errorClass);
    }
    if (selection.reasonContains !== undefined) {
      // Plain text, not a pattern: LIKE's own wildcards in the operator's text match themselves.
      const escaped = selection.reasonContains.replace(/[\\%_]/g, (c) => `\\${c}`);
      add((n) => `(reason ILIKE ${n} OR last_error ILIKE ${n})`, `%${escaped}%`);
    }
    if (selection.createdFrom !== undefined) {
      add((n) => `created_at >= ${n}`, selection.createdFrom);
    }
    if (selection.createdTo !== undefined) {
      add((n) => `created_at < ${n}`, selection.createdTo);
    }
    params.push(limit);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS} FROM dead_letter ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toSummary);
  }

  /** The trail of one dead letter, oldest first. */
  async actionsOf(id: string): Promise<DeadLetterAction[]> {
    if (!/^\d+$/.test(id)) {
      return [];
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, dead_letter_id, action, actor, note, changes, created_at FROM dead_letter_action
        WHERE dead_letter_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => ({
      id: String(r.id),
      deadLetterId: String(r.dead_letter_id),
      action: r.action as DeadLetterActionKind,
      actor: r.actor as string,
      note: (r.note as string | null) ?? null,
      changes: (r.changes as PayloadChange[] | null) ?? null,
      createdAt: r.created_at as Date,
    }));
  }

  /**
   * Deletes dead letters an operator settled (retried or discarded) more than `days` ago, with their trails (a dead
   * one stays until an operator acts, however old); returns how many. The audit log keeps the settling step.
   */
  async pruneSettled(days: number): Promise<number> {
    // The trail goes with its dead letter, in the same statement.
    const rows: Array<{ n: string }> = await this.dataSource.query(
      `WITH pruned AS (
         DELETE FROM dead_letter
          WHERE (status = 'retried' AND retried_at < now() - make_interval(days => $1))
             OR (status = 'discarded' AND discarded_at < now() - make_interval(days => $1))
         RETURNING id
       ), trail AS (
         DELETE FROM dead_letter_action WHERE dead_letter_id IN (SELECT id FROM pruned)
       )
       SELECT count(*) AS n FROM pruned`,
      [days],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
