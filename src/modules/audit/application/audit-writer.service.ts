import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { isDataRejection } from 'src/common/errors/infrastructure-failure';
import { escapeUnstorableText, toStorableInteger } from 'src/common/persistence/postgres-text';
import type { AuditEntry } from 'src/modules/audit/domain/audit.types';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';

const FLUSH_INTERVAL_MS = 200;
const MAX_BATCH = 2_000;
/** If PostgreSQL is down for long, keep at most this many rows in memory, dropping the oldest (and saying so). */
const MAX_BUFFERED = 200_000;

/**
 * Buffers audit rows and writes them in batches, so that the webhook hot path never waits for an audit INSERT.
 * Audit rows are a record of what happened, not the state that drives processing (that lives in the inbox and
 * the per-order state, written synchronously), so a batch lost in a crash loses history, never an order.
 */
@Injectable()
export class AuditWriter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditWriter.name);
  private buffer: AuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private dropped = 0;

  constructor(private readonly repository: AuditLogRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(entry: AuditEntry): void {
    this.buffer.push({ ...entry, at: entry.at ?? new Date() });
    this.trim();
  }

  /** Writes everything buffered so far; concurrent callers share one flush. */
  async flush(): Promise<void> {
    if (this.flushing) {
      return this.flushing;
    }
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      // Taken out of the buffer while written (rows recorded meanwhile queue behind); what is not written goes back
      // in front, in order.
      const batch = this.buffer.splice(0, MAX_BATCH);
      const unwritten = await this.write(batch);
      if (unwritten.length > 0) {
        this.buffer.unshift(...unwritten);
        this.trim();
        return;
      }
    }
    if (this.dropped > 0) {
      this.logger.error(`audit buffer overflowed ${this.dropped} times while PostgreSQL was unavailable`);
      this.dropped = 0;
    }
  }

  /**
   * Writes `rows` and returns those left unwritten because PostgreSQL is unavailable (kept for the next tick). When
   * PostgreSQL refuses the *data* of a batch (a NUL byte in an error text, a number out of range), the batch is
   * halved until the refused row is alone, and that row is stored with its values made storable (`storable`), or
   * dropped with an error if even that is refused: one poison row never holds back the others, nor is it retried
   * forever.
   */
  private async write(rows: AuditEntry[]): Promise<AuditEntry[]> {
    try {
      await this.repository.insertMany(rows);
      return [];
    } catch (error: unknown) {
      if (!isDataRejection(error)) {
        this.logger.warn(`audit flush failed, ${rows.length + this.buffer.length} rows kept: ${String(error)}`);
        return rows;
      }
      if (rows.length > 1) {
        const half = Math.ceil(rows.length / 2);
        const left = await this.write(rows.slice(0, half));
        return left.length > 0 ? [...left, ...rows.slice(half)] : this.write(rows.slice(half));
      }
      return this.writeStorable(rows[0], error);
    }
  }

  private async writeStorable(row: AuditEntry, refusal: unknown): Promise<AuditEntry[]> {
    try {
      await this.repository.insertMany([storable(row)]);
      this.logger.warn(
        { eventId: row.eventId, err: String(refusal) },
        'audit row refused: stored with its text escaped',
      );
      return [];
    } catch (error: unknown) {
      if (!isDataRejection(error)) {
        return [row];
      }
      this.logger.error(
        { eventId: row.eventId, status: row.status, err: String(error) },
        'audit row refused by PostgreSQL even escaped: dropped',
      );
      return [];
    }
  }

  private trim(): void {
    if (this.buffer.length > MAX_BUFFERED) {
      this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
      this.dropped++;
    }
  }
}

/**
 * `entry` as PostgreSQL can store it: every text with NUL bytes and lone surrogates escaped (`\u0000`), numbers
 * within `integer`, an invalid date replaced by now.
 */
function storable(entry: AuditEntry): AuditEntry {
  const text = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : escapeUnstorableText(value);
  return {
    ...entry,
    eventId: escapeUnstorableText(entry.eventId),
    topic: text(entry.topic),
    shop: escapeUnstorableText(entry.shop),
    shopifyId: text(entry.shopifyId),
    erpId: text(entry.erpId),
    reason: text(entry.reason),
    error: text(entry.error),
    attempt: entry.attempt === undefined ? undefined : toStorableInteger(entry.attempt, 0),
    latencyMs: entry.latencyMs === undefined ? undefined : toStorableInteger(entry.latencyMs, 0),
    at: entry.at === undefined || Number.isNaN(entry.at.getTime()) ? new Date() : entry.at,
  };
}
