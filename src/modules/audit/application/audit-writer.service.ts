import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
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
    if (this.buffer.length > MAX_BUFFERED) {
      this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
      this.dropped++;
    }
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
      const batch = this.buffer.slice(0, MAX_BATCH);
      try {
        await this.repository.insertMany(batch);
        this.buffer.splice(0, batch.length);
      } catch (error: unknown) {
        // Kept for the next tick: PostgreSQL may be restarting.
        this.logger.warn(`audit flush failed, ${this.buffer.length} rows kept: ${String(error)}`);
        return;
      }
    }
    if (this.dropped > 0) {
      this.logger.error(`audit buffer overflowed ${this.dropped} times while PostgreSQL was unavailable`);
      this.dropped = 0;
    }
  }
}
