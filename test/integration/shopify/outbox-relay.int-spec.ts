import { Client } from 'pg';
import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditLogRepository, AuditWriter } from 'src/modules/audit';
import { OutboxRelay } from 'src/modules/shopify/application/outbox-relay.service';
import type { WebhookEventPublisher } from 'src/modules/shopify/application/webhook-event-publisher.port';
import { IngestOutboxRepository, type OutboxMessage } from 'src/modules/shopify/persistence/ingest-outbox.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.outboxRelay;
const { DATABASE_URL } = serviceUrls(DB, 0);
const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The broker as the relay sees it, recording what it holds at once: every publish stays in flight until `release`
 * (or a short delay), so that a batch's publishes overlap as they do against RabbitMQ.
 */
class RecordingPublisher implements WebhookEventPublisher {
  connected = true;
  readonly published: string[] = [];
  inFlightRows = 0;
  inFlightBytes = 0;
  peakRows = 0;
  peakBytes = 0;
  /** Bytes of other bodies in flight at any moment a body of `soloBytes` or more was. */
  othersBesideLarge = 0;
  private readonly waiting: Array<() => void> = [];
  private large = 0;

  constructor(private readonly mode: { holdUntilReleased: boolean; soloBytes?: number; refuseFirst?: boolean }) {}

  publish(message: OutboxMessage): Promise<void> {
    return this.publishNow(message);
  }

  async publishNow(message: OutboxMessage): Promise<void> {
    if (this.mode.refuseFirst === true) {
      this.mode.refuseFirst = false;
      throw new Error('broker refused the message');
    }
    const size = message.body.length;
    const isLarge = size >= (this.mode.soloBytes ?? Infinity);
    this.inFlightRows++;
    this.inFlightBytes += size;
    this.large += isLarge ? 1 : 0;
    this.peakRows = Math.max(this.peakRows, this.inFlightRows);
    this.peakBytes = Math.max(this.peakBytes, this.inFlightBytes);
    if (this.large > 0) {
      this.othersBesideLarge = Math.max(this.othersBesideLarge, this.inFlightRows - this.large);
    }
    try {
      await new Promise<void>((resolve) =>
        this.mode.holdUntilReleased ? this.waiting.push(resolve) : setTimeout(resolve, 20),
      );
      this.published.push(message.messageId);
    } finally {
      this.inFlightRows--;
      this.inFlightBytes -= size;
      this.large -= isLarge ? 1 : 0;
    }
  }

  release(): void {
    this.waiting.splice(0).forEach((resolve) => resolve());
  }
}

/**
 * The outbox relay against real PostgreSQL (README "Reliability choices", bounds): after an outage the outbox may
 * hold thousands of bodies of up to 2 MiB; the relay takes them in batches bounded by rows and bytes, and holds no
 * transaction (no row locks, no connection idle in a transaction) while the broker confirms.
 */
describe('outbox relay (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: IngestOutboxRepository;
  let pg: Client;

  const relayWith = (publisher: WebhookEventPublisher): OutboxRelay =>
    new OutboxRelay(publisher, outbox, new AuditWriter(new AuditLogRepository(dataSource)), new MetricsService());

  async function enqueue(count: number, bytes: number, tag: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const messageId = `${tag}-${i}`;
      ids.push(messageId);
      await outbox.insert({
        exchange: 'shopify.webhooks',
        routingKey: 'orders.p00',
        messageId,
        headers: { 'x-event-id': messageId },
        body: Buffer.alloc(bytes, 'x'),
      });
    }
    return ids;
  }

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    outbox = new IngestOutboxRepository(dataSource);
    pg = new Client({ connectionString: DATABASE_URL });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await dataSource?.destroy();
  });

  beforeEach(async () => {
    await pg.query('DELETE FROM ingest_outbox');
  });

  it('relays in batches of at most 100 rows and 1 MiB of bodies; a larger body goes alone; each message once', async () => {
    const expected = [
      ...(await enqueue(8, 300 * KiB, 'big')),
      ...(await enqueue(1, 1.5 * MiB, 'huge')),
      ...(await enqueue(230, 1 * KiB, 'small')),
    ];
    const publisher = new RecordingPublisher({ holdUntilReleased: false, soloBytes: 1.5 * MiB });

    await expect(relayWith(publisher).tick()).resolves.toBe(expected.length);

    expect(publisher.published.sort()).toEqual([...expected].sort());
    expect(await outbox.count()).toBe(0);
    expect(publisher.peakRows).toBeLessThanOrEqual(100);
    // Three bodies of 300 KiB at most (900 KiB), or the 1.5 MiB one on its own.
    expect(publisher.peakBytes).toBeLessThanOrEqual(1.5 * MiB);
    expect(publisher.othersBesideLarge).toBe(0);
  });

  it('holds no transaction open while the broker confirms, and a second relay does not take the claimed rows', async () => {
    const expected = await enqueue(3, 10 * KiB, 'slow');
    const publisher = new RecordingPublisher({ holdUntilReleased: true });
    const relaying = relayWith(publisher).tick();
    try {
      for (let i = 0; i < 200 && publisher.inFlightRows < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(publisher.inFlightRows).toBe(3);

      const open = await pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      expect(Number(open.rows[0]?.n)).toBe(0);
      const other = new RecordingPublisher({ holdUntilReleased: false });
      await expect(relayWith(other).tick()).resolves.toBe(0);
      expect(other.published).toEqual([]);
    } finally {
      publisher.release();
    }
    await expect(relaying).resolves.toBe(3);
    expect(publisher.published.sort()).toEqual(expected.sort());
    expect(await outbox.count()).toBe(0);
  });

  it('a publish the broker refuses leaves its row in the outbox for the next tick', async () => {
    const expected = await enqueue(1, 1 * KiB, 'refused');
    const publisher = new RecordingPublisher({ holdUntilReleased: false, refuseFirst: true });
    const relay = relayWith(publisher);
    await expect(relay.tick()).resolves.toBe(0);
    expect(await outbox.count()).toBe(1);
    await expect(relay.tick()).resolves.toBe(1);
    expect(publisher.published).toEqual(expected);
    expect(await outbox.count()).toBe(0);
  });
});
