import type Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { ConsumerStatus, type AsyncMessage, type Envelope, type ReturnedMessage } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { BurstYield } from 'src/common/lifecycle/burst-yield';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { DEAD_LETTER_EXCHANGE, MessageHeader, RETRY_DELAYS_MS, RETRY_EXCHANGE } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import type { AuditEntry, AuditWriter } from 'src/modules/audit';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';
import type { DataSource } from 'typeorm';

/** A confirming publisher: records what was sent; `failing` rejects, `returning` sends back as RabbitMQ would. */
class FakePublisher extends EventEmitter {
  sent: Array<{ envelope: Envelope; body: unknown }> = [];
  failing = 0;
  returning = 0;
  send(envelope: Envelope, body: unknown): Promise<void> {
    if (this.failing > 0) {
      this.failing--;
      return Promise.reject(new Error('publish failed'));
    }
    if (this.returning > 0) {
      this.returning--;
      const returned: Partial<ReturnedMessage> = {
        ...envelope,
        replyCode: 312,
        replyText: 'NO_ROUTE',
        exchange: envelope.exchange ?? '',
        routingKey: envelope.routingKey ?? '',
      };
      setImmediate(() => this.emit('basic.return', returned));
      return Promise.resolve();
    }
    this.sent.push({ envelope, body });
    return Promise.resolve();
  }
}

/** PostgreSQL as the runner's probe sees it: up unless `down`. */
class FakeDatabase {
  down = false;
  probes = 0;
  query(): Promise<unknown> {
    this.probes++;
    return this.down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : Promise.resolve([]);
  }
}

class FakeAudit {
  entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }
}

function message(attempt = 0): AsyncMessage {
  return {
    body: Buffer.from('{"id":1}'),
    routingKey: 'orders.p03',
    messageId: 'm-1',
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    headers: {
      [MessageHeader.EventId]: 'ev-1',
      [MessageHeader.WebhookId]: 'wh-1',
      [MessageHeader.Shop]: 's.myshopify.com',
      [MessageHeader.Topic]: 'orders/create',
      [MessageHeader.ResourceId]: '1',
      [MessageHeader.Attempt]: attempt,
      'x-death': [{ reason: 'expired' }],
    },
  } as unknown as AsyncMessage;
}

describe(ErpMessageRunner.name, () => {
  let publisher: FakePublisher;
  let audit: FakeAudit;
  let database: FakeDatabase;
  let runner: ErpMessageRunner;
  let metrics: MetricsService;

  beforeEach(() => {
    publisher = new FakePublisher();
    audit = new FakeAudit();
    database = new FakeDatabase();
    metrics = new MetricsService();
    runner = new ErpMessageRunner(
      new MandatoryPublisher(publisher),
      audit as unknown as AuditWriter,
      metrics,
      database as unknown as DataSource,
      { ping: () => Promise.resolve('PONG') } as unknown as Redis,
      {
        pause: { minProbeIntervalMs: 1, maxProbeIntervalMs: 5 },
        republishBudgetMs: 50,
        republishBackoffMs: 1,
        republishMaxBackoffMs: 5,
      },
    );
  });

  it('acks a message its handler processed, publishing nothing', async () => {
    const seen: string[] = [];
    const status = await runner.run(message(), 'order', (ctx) => {
      seen.push(`${ctx.eventId}/${ctx.webhookId}/${ctx.resourceId}/${ctx.attempt}`);
      return Promise.resolve();
    });
    expect(status).toBe(ConsumerStatus.ACK);
    expect(seen).toEqual(['ev-1/wh-1/1/0']);
    expect(publisher.sent).toHaveLength(0);
  });

  it('starts no handler while a burst of webhooks holds the ERP side (BurstYield), then runs it', async () => {
    const burstYield = new BurstYield();
    const held = new ErpMessageRunner(
      new MandatoryPublisher(publisher),
      audit as unknown as AuditWriter,
      metrics,
      database as unknown as DataSource,
      { ping: () => Promise.resolve('PONG') } as unknown as Redis,
      undefined,
      burstYield,
    );
    burstYield.hold(80);
    const started = Date.now();
    let ranAt = 0;
    const status = await held.run(message(), 'order', () => {
      ranAt = Date.now();
      return Promise.resolve();
    });
    expect(status).toBe(ConsumerStatus.ACK);
    expect(ranAt - started).toBeGreaterThanOrEqual(75);
  });

  it('observes the age of the message as its processing starts, per entity', async () => {
    const aged = message();
    aged.headers = { ...aged.headers, [MessageHeader.ReceivedAt]: new Date(Date.now() - 90_000).toISOString() };
    await runner.run(aged, 'refund', () => Promise.resolve());
    const { values } = await metrics.messageWaitSeconds.get();
    const count = (le: number) =>
      values.find((v) => {
        const labels = v.labels as Record<string, string | number | undefined>;
        return v.metricName?.endsWith('_bucket') === true && labels.entity === 'refund' && labels.le === le;
      })?.value;
    expect([count(60), count(300)]).toEqual([0, 1]);
  });

  it('schedules a transient failure on a retry queue with the attempt counted, then acks', async () => {
    const status = await runner.run(message(2), 'order', () =>
      Promise.reject(new ErpError(ErrorKind.Transient, 'HTTP 502')),
    );
    expect(status).toBe(ConsumerStatus.ACK);
    expect(publisher.sent).toHaveLength(1);
    const { envelope, body } = publisher.sent[0];
    expect(envelope.exchange).toBe(RETRY_EXCHANGE);
    expect(envelope.routingKey).toBe('orders.p03');
    expect(envelope.headers?.[MessageHeader.Attempt]).toBe(3);
    expect(RETRY_DELAYS_MS.map(String)).toContain(envelope.headers?.[MessageHeader.RetryDelay]);
    expect(envelope.headers?.['x-death']).toBeUndefined();
    expect((body as Buffer).toString()).toBe('{"id":1}');
    expect(audit.entries.map((e) => e.status)).toEqual(['retry_scheduled']);
  });

  it('does not count throttling as an attempt', async () => {
    await runner.run(message(2), 'order', () =>
      Promise.reject(new ErpError(ErrorKind.Throttled, '429', { retryAfterMs: 4_000 })),
    );
    const headers = publisher.sent[0]?.envelope.headers;
    expect(headers?.[MessageHeader.Attempt]).toBe(2);
    expect(Number(headers?.[MessageHeader.RetryDelay])).toBeGreaterThanOrEqual(4_000);
  });

  it('dead-letters a permanent failure with reason, attempts and last error, then acks', async () => {
    const status = await runner.run(message(), 'order', () =>
      Promise.reject(new ErpError(ErrorKind.Permanent, "unknown item SKU 'NOPE-1'")),
    );
    expect(status).toBe(ConsumerStatus.ACK);
    const { envelope } = publisher.sent[0];
    expect(envelope.exchange).toBe(DEAD_LETTER_EXCHANGE);
    expect(envelope.headers?.[MessageHeader.DeadLetterReason]).toBe("unknown item SKU 'NOPE-1'");
    expect(envelope.headers?.[MessageHeader.DeadLetterAttempts]).toBe(1);
    expect(envelope.headers?.[MessageHeader.DeadLetterError]).toContain('NOPE-1');
    expect(envelope.headers?.[MessageHeader.OriginalRoutingKey]).toBe('orders.p03');
    // The error's class, by which an operator selects dead letters in bulk.
    expect(envelope.headers?.[MessageHeader.DeadLetterErrorClass]).toBe(new ErpError(ErrorKind.Permanent, 'x').code);
    // The original id: the recorder stores a dead letter published twice (a crash before the ack) once.
    expect(envelope.messageId).toBe('m-1');
    expect(audit.entries.map((e) => e.status)).toEqual(['dead_lettered']);
  });

  it('pauses while PostgreSQL is unreachable and runs the message again, uncounted, once the probe answers', async () => {
    let calls = 0;
    database.down = true;
    const status = await runner.run(message(), 'order', () => {
      calls++;
      if (calls === 1) {
        // The probe keeps failing for a while; the handler is not run again meanwhile.
        setTimeout(() => (database.down = false), 30);
        return Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
        );
      }
      return Promise.resolve();
    });
    expect(status).toBe(ConsumerStatus.ACK);
    expect(calls).toBe(2);
    expect(database.probes).toBeGreaterThan(1);
    expect(publisher.sent).toHaveLength(0);
  });

  it('judges a "connection refused" that no probe confirms as an unexpected error', async () => {
    const status = await runner.run(message(), 'order', () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' })),
    );
    expect(status).toBe(ConsumerStatus.ACK);
    expect(publisher.sent[0]?.envelope.exchange).toBe(RETRY_EXCHANGE);
    expect(publisher.sent[0]?.envelope.headers?.[MessageHeader.UnexpectedAttempts]).toBe(1);
  });

  it('retries an unexpected error (a bug) through the retry queues, then dead-letters it with the stack', async () => {
    const bug = (): Promise<void> => Promise.reject(new RangeError('Invalid money amount: 12.345.6'));
    expect(await runner.run(message(), 'order', bug)).toBe(ConsumerStatus.ACK);
    const retry = publisher.sent[0]?.envelope;
    expect(retry?.exchange).toBe(RETRY_EXCHANGE);
    expect(retry?.headers?.[MessageHeader.UnexpectedAttempts]).toBe(1);
    expect(retry?.headers?.[MessageHeader.Attempt]).toBe(0);
    expect(Number(retry?.headers?.[MessageHeader.RetryDelay])).toBeLessThanOrEqual(1_200);

    const third = message();
    (third.headers as Record<string, unknown>)[MessageHeader.UnexpectedAttempts] = 2;
    expect(await runner.run(third, 'order', bug)).toBe(ConsumerStatus.ACK);
    const dead = publisher.sent[1]?.envelope;
    expect(dead?.exchange).toBe(DEAD_LETTER_EXCHANGE);
    expect(dead?.headers?.[MessageHeader.DeadLetterAttempts]).toBe(3);
    expect(dead?.headers?.[MessageHeader.DeadLetterErrorClass]).toBe('UNEXPECTED');
    expect(String(dead?.headers?.[MessageHeader.DeadLetterReason])).toMatch(
      /^unexpected error after 3 attempts: RangeError: Invalid money amount: 12\.345\.6\n\s+at /,
    );
    expect(audit.entries.map((e) => e.status)).toEqual(['retry_scheduled', 'dead_lettered']);
  });

  it('gives the message back to its queue (never acks it) when the retry publish keeps failing', async () => {
    publisher.failing = 1_000;
    const status = await runner.run(message(), 'order', () => Promise.reject(new ErpError(ErrorKind.Transient, '502')));
    expect(status).toBe(ConsumerStatus.REQUEUE);
    expect(publisher.failing).toBeLessThan(999);
    expect(audit.entries).toHaveLength(0);
  });

  it('treats a returned (unroutable) retry publish as failed, and publishes again with backoff', async () => {
    publisher.returning = 2;
    const status = await runner.run(message(), 'order', () => Promise.reject(new ErpError(ErrorKind.Transient, '502')));
    expect(status).toBe(ConsumerStatus.ACK);
    expect(publisher.returning).toBe(0);
    expect(publisher.sent).toHaveLength(1);
    expect(publisher.sent[0]?.envelope.mandatory).toBe(true);
  });
});
