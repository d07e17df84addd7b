import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

/** How much one relay batch may take from the outbox, and for how long it holds its claim. */
export interface OutboxBatchLimits {
  maxRows: number;
  /** Sum of the bodies' bytes (at least one row is always taken). */
  maxBytes: number;
  claimMs: number;
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
   * Claims the oldest rows no relay holds, for `claimMs`: at most `maxRows`, and only as many as fit in `maxBytes` of
   * bodies (the first row always, however large), so that a relay holds a bounded amount of memory whatever the
   * outbox holds. One short statement: nothing stays locked or open while the caller publishes. A claim that runs
   * out (the relay died) lets another relay take the rows again; the consumer's inbox absorbs a message relayed twice.
   */
  async claimBatch(limits: OutboxBatchLimits): Promise<OutboxRow[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await this.dataSource.query<[Array<Record<string, unknown>>, number]>(
      `WITH candidates AS (
         SELECT id, octet_length(body) AS size FROM ingest_outbox
          WHERE claimed_until IS NULL OR claimed_until < now()
          ORDER BY id LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), picked AS (
         SELECT id FROM (
           SELECT id, row_number() OVER (ORDER BY id) AS n, sum(size) OVER (ORDER BY id) AS running FROM candidates
         ) sized
          WHERE n = 1 OR running <= $2
       )
       UPDATE ingest_outbox o SET claimed_until = now() + make_interval(secs => $3::double precision / 1000)
         FROM picked WHERE o.id = picked.id
       RETURNING o.id, o.exchange, o.routing_key, o.message_id, o.headers, o.body`,
      [limits.maxRows, limits.maxBytes, limits.claimMs],
    );
    return rows
      .map((r) => ({
        id: String(r.id),
        exchange: r.exchange as string,
        routingKey: r.routing_key as string,
        messageId: r.message_id as string,
        headers: r.headers as Record<string, string | number>,
        body: r.body as Buffer,
      }))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** Deletes rows the broker confirmed. */
  async deleteRelayed(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.dataSource.query('DELETE FROM ingest_outbox WHERE id = ANY($1::bigint[])', [ids]);
    }
  }

  /** Hands rows the broker refused back at once (the next relay tick takes them again). */
  async releaseClaims(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.dataSource.query('UPDATE ingest_outbox SET claimed_until = NULL WHERE id = ANY($1::bigint[])', [ids]);
    }
  }
}
