import Redis from 'ioredis';
import { Connection, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import {
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_PARKING_QUEUE,
  DEAD_LETTER_QUEUE,
  MessageHeader,
  declareTopology,
} from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { AuditWriter } from 'src/modules/audit';
import { RecordDeadLetter } from 'src/modules/dead-letters/application/record-dead-letter.use-case';
import type { DeadLetteredMessage } from 'src/modules/dead-letters/domain/dead-letter.types';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterRecorderConsumer } from 'src/modules/dead-letters/transport/dead-letter-recorder.consumer';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import { CuttableTcpProxy } from 'test/support/cuttable-tcp-proxy';
import { INTEGRATION_RESOURCES, jestWorkerVhost, testRabbitmqUrl } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.deadLetterRecorder.database, 0);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(25);
  }
}

/** The real use case, noting each delivery it finished with (message id and RabbitMQ's delivery count). */
class SeenRecordDeadLetter extends RecordDeadLetter {
  readonly seen: Array<{ messageId?: string; deliveryCount: unknown }> = [];
  override async execute(message: DeadLetteredMessage): Promise<void> {
    try {
      await super.execute(message);
    } finally {
      // Noted once its insert committed or failed, so that a test never reads the table half-way through.
      this.seen.push({ messageId: message.messageId, deliveryCount: message.headers[MessageHeader.DeliveryCount] });
    }
  }
  deliveriesOf(messageId: string): unknown[] {
    return this.seen.filter((s) => s.messageId === messageId).map((s) => s.deliveryCount);
  }
}

/**
 * The dead-letter recorder on the real broker (the topology on this worker's vhost) and real PostgreSQL (real
 * migrations), reached through a proxy the test can cut. Poison must not loop, duplicates must not double, and an
 * outage of PostgreSQL must not spend deliveries.
 */
describe('DeadLetterRecorderConsumer (real RabbitMQ and PostgreSQL)', () => {
  let rabbit: Connection;
  let publisher: Publisher;
  let proxy: CuttableTcpProxy;
  /** Through the proxy: what the recorder uses. */
  let dataSource: DataSource;
  /** Direct: what the test reads with, also while the proxy is cut. */
  let admin: DataSource;
  let record: SeenRecordDeadLetter;
  let recorder: DeadLetterRecorderConsumer;

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    admin = createDataSource(DATABASE_URL);
    await admin.initialize();
    // A check a DBA might have added: PostgreSQL refuses these rows whatever their text (SQLSTATE 22023).
    await admin.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
        IF NEW.message_id LIKE 'poison-%' THEN
          RAISE EXCEPTION 'row refused by a check of this test' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await admin.query(
      'CREATE TRIGGER refuse_poison BEFORE INSERT ON dead_letter FOR EACH ROW EXECUTE FUNCTION refuse_poison()',
    );
    proxy = new CuttableTcpProxy(5432);
    const url = new URL(DATABASE_URL);
    url.port = String(await proxy.open());
    dataSource = createDataSource(url.toString());
    await dataSource.initialize();

    rabbit = new Connection(testRabbitmqUrl(jestWorkerVhost()));
    await rabbit.onConnect(5_000);
    await declareTopology(rabbit);
    await rabbit.queuePurge({ queue: DEAD_LETTER_QUEUE });
    await rabbit.queuePurge({ queue: DEAD_LETTER_PARKING_QUEUE });
    publisher = rabbit.createPublisher({ confirm: true });
    record = new SeenRecordDeadLetter(new DeadLetterRepository(dataSource));
    recorder = new DeadLetterRecorderConsumer(rabbit, record, new MandatoryPublisher(publisher), dataSource, {
      deliveryLimit: 3,
      requeueDelayMs: 50,
      maxRequeueDelayMs: 200,
      pause: { minProbeIntervalMs: 50, maxProbeIntervalMs: 200, probeTimeoutMs: 1_000 },
    });
    recorder.onApplicationBootstrap();
  });

  afterAll(async () => {
    await recorder?.onApplicationShutdown();
    await publisher?.close();
    await rabbit?.close();
    await dataSource?.destroy();
    await admin?.destroy();
    await proxy?.cut();
  });

  async function rows(messageId: string): Promise<Array<Record<string, unknown>>> {
    return admin.query(
      `SELECT message_id, reason, last_error, attempts, headers->>'x-vendor-note' AS note FROM dead_letter
        WHERE message_id = $1`,
      [messageId],
    );
  }

  async function deadLetter(messageId: string, headers: Record<string, unknown> = {}): Promise<void> {
    await publisher.send(
      {
        exchange: DEAD_LETTER_EXCHANGE,
        routingKey: 'orders.p03',
        messageId,
        durable: true,
        contentType: 'application/json',
        headers: {
          [MessageHeader.EventId]: `ev-${messageId}`,
          [MessageHeader.Topic]: 'orders/create',
          [MessageHeader.Shop]: 's.myshopify.com',
          [MessageHeader.DeadLetterReason]: "unknown item SKU 'X'",
          [MessageHeader.DeadLetterAttempts]: 1,
          ...headers,
        },
      },
      Buffer.from('{"id":1}'),
    );
  }

  it('stores a dead letter whose text PostgreSQL refuses (NUL bytes from an ERP) with that text escaped, once', async () => {
    await deadLetter('nul-1', {
      [MessageHeader.DeadLetterReason]: "unknown item SKU 'A\u0000B'",
      [MessageHeader.DeadLetterError]: 'ERP said: \u0000\u0000',
      'x-vendor-note': 'a\u0000b',
    });
    await until('the dead letter to be stored', async () => (await rows('nul-1')).length === 1);
    expect(await rows('nul-1')).toEqual([
      {
        message_id: 'nul-1',
        reason: "unknown item SKU 'A\\u0000B'",
        last_error: 'ERP said: \\u0000\\u0000',
        attempts: 1,
        note: 'a\\u0000b',
      },
    ]);
    // Recorded at its first delivery: no redelivery, no loop.
    expect(record.deliveriesOf('nul-1')).toEqual([undefined]);
  });

  it('stores the error class the runner named, for bulk actions to select by', async () => {
    await deadLetter('class-1', { [MessageHeader.DeadLetterErrorClass]: 'ORDER_MISSING_SKU' });
    await until('the dead letter to be stored', async () => (await rows('class-1')).length === 1);
    const [row] = await admin.query<Array<{ error_class: string }>>(
      'SELECT error_class FROM dead_letter WHERE message_id = $1',
      ['class-1'],
    );
    expect(row?.error_class).toBe('ORDER_MISSING_SKU');
  });

  it('stores a message the runner dead-lettered twice (a crash between its publish and its ack) once', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const runner = new ErpMessageRunner(
      new MandatoryPublisher(publisher),
      { record: () => undefined } as unknown as AuditWriter,
      new MetricsService(),
      dataSource,
      redis,
    );
    const delivery = {
      body: Buffer.from('{"id":2}'),
      routingKey: 'orders.p04',
      messageId: 'twice-1',
      contentType: 'application/json',
      redelivered: false,
      headers: {
        [MessageHeader.EventId]: 'ev-twice-1',
        [MessageHeader.Topic]: 'orders/create',
        [MessageHeader.Shop]: 's.myshopify.com',
        [MessageHeader.ResourceId]: '2',
      },
    } as unknown as AsyncMessage;
    const rejected = (): Promise<void> => Promise.reject(new ErpError(ErrorKind.Permanent, "unknown item SKU 'Y'"));
    try {
      // The same delivery run twice, as after a worker died before acking its first dead-lettering.
      await runner.run(delivery, 'order', rejected);
      await runner.run(delivery, 'order', rejected);
    } finally {
      runner.beforeApplicationShutdown();
      redis.disconnect();
    }
    await until(
      'both dead letters to be recorded',
      () => record.seen.filter((s) => s.messageId !== undefined && s.messageId !== 'nul-1').length >= 2,
    );
    const stored: Array<{ n: string }> = await admin.query(
      `SELECT count(*) AS n FROM dead_letter WHERE event_id = 'ev-twice-1'`,
    );
    expect(stored[0]?.n).toBe('1');
    expect(await rows('twice-1')).toHaveLength(1);
  });

  it('parks a dead letter PostgreSQL refuses even escaped after its delivery limit, and keeps recording the others', async () => {
    await deadLetter('poison-1');
    await deadLetter('after-poison-1');
    await until(
      'the dead letter behind the poison to be stored',
      async () => (await rows('after-poison-1')).length === 1,
    );
    const parked = await (async () => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
        const message = await rabbit.basicGet({ queue: DEAD_LETTER_PARKING_QUEUE, noAck: true });
        if (message !== undefined) {
          return message;
        }
      }
      throw new Error('nothing parked');
    })();
    expect(parked.messageId).toBe('poison-1');
    expect(String(parked.headers?.[MessageHeader.ParkedReason])).toBe(
      'could not be recorded after 3 deliveries: row refused by a check of this test',
    );
    // The body as it came (rabbitmq-client decodes an application/json body on both sides).
    expect(parked.contentType).toBe('application/json');
    expect(parked.body).toEqual({ id: 1 });
    // Three deliveries (the delivery limit), then no more: not looping.
    expect(record.deliveriesOf('poison-1')).toEqual([undefined, 1, 2]);
    await sleep(300);
    expect(record.deliveriesOf('poison-1')).toHaveLength(3);
    expect((await rabbit.queueDeclare({ queue: DEAD_LETTER_QUEUE, passive: true })).messageCount).toBe(0);
    expect(await rows('poison-1')).toEqual([]);
  });

  it('pauses while PostgreSQL is unreachable, without spending a delivery, and records once it answers', async () => {
    await proxy.cut();
    try {
      await deadLetter('while-down-1');
      await until('the recorder to pause', () => record.deliveriesOf('while-down-1').length === 1 && recorder.paused);
      await sleep(800);
      // Held, not requeued: a longer outage cannot use up the delivery limit and park dead letters for nothing.
      expect(record.deliveriesOf('while-down-1')).toEqual([undefined]);
      expect(await rows('while-down-1')).toEqual([]);
    } finally {
      await proxy.open();
    }
    await until('the dead letter to be stored', async () => (await rows('while-down-1')).length === 1);
    expect(record.deliveriesOf('while-down-1')).toEqual([undefined, undefined]);
    expect(recorder.paused).toBe(false);
  });
});
