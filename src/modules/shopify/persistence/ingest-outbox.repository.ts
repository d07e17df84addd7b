import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface OutboxMessage {
  exchange: string;
  routingKey: string;
  messageId: string;
  headers: Record<string, string | number>;
  body: Buffer;
}

export interface OutboxRow extends OutboxMessage {
  id: string;
}

/** The only code that touches ingest_outbox. */
@Injectable()
export class IngestOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(message: OutboxMessage): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO ingest_outbox (exchange, routing_key, message_id, headers, body) VALUES ($1, $2, $3, $4, $5)',
      [message.exchange, message.routingKey, message.messageId, JSON.stringify(message.headers), message.body],
    );
  }

  async count(): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query('SELECT count(*) AS n FROM ingest_outbox');
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Locks up to `limit` rows (oldest first, skipping rows another relay holds), hands them to `publish`, and
   * deletes the ones it returns as published — all in one transaction, so a crash mid-way re-relays instead of
   * losing (duplicates are absorbed by the consumer's inbox).
   */
  async relayBatch(limit: number, publish: (rows: OutboxRow[]) => Promise<string[]>): Promise<number> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const rows: Array<Record<string, unknown>> = await manager.query(
        `SELECT id, exchange, routing_key, message_id, headers, body FROM ingest_outbox
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) {
        return 0;
      }
      const published = await publish(
        rows.map((r) => ({
          id: String(r.id),
          exchange: r.exchange as string,
          routingKey: r.routing_key as string,
          messageId: r.message_id as string,
          headers: r.headers as Record<string, string | number>,
          body: r.body as Buffer,
        })),
      );
      if (published.length > 0) {
        await manager.query('DELETE FROM ingest_outbox WHERE id = ANY($1::bigint[])', [published]);
      }
      return published.length;
    });
  }
}
