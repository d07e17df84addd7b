import { ConsumerStatus, type AsyncMessage, type Envelope, type Publisher } from 'rabbitmq-client';
import { ErrorKind } from 'src/common/errors/app-error';
import { DEAD_LETTER_EXCHANGE, MessageHeader, RETRY_DELAYS_MS, RETRY_EXCHANGE } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import type { AuditEntry, AuditWriter } from 'src/modules/audit';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ErpMessageRunner } from 'src/modules/erp/writer/erp-message-runner';

class FakePublisher {
  sent: Array<{ envelope: Envelope; body: unknown }> = [];
  send(envelope: Envelope, body: unknown): Promise<void> {
    this.sent.push({ envelope, body });
    return Promise.resolve();
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
  let runner: ErpMessageRunner;

  beforeEach(() => {
    publisher = new FakePublisher();
    audit = new FakeAudit();
    runner = new ErpMessageRunner(
      publisher as unknown as Publisher,
      audit as unknown as AuditWriter,
      new MetricsService(),
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
    expect(envelope.messageId).not.toBe('m-1');
    expect(audit.entries.map((e) => e.status)).toEqual(['dead_lettered']);
  });

  it('retries an infrastructure error in-process instead of judging the message', async () => {
    let calls = 0;
    const status = await runner.run(message(), 'order', () => {
      calls++;
      return calls < 3 ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) : Promise.resolve();
    });
    expect(status).toBe(ConsumerStatus.ACK);
    expect(calls).toBe(3);
    expect(publisher.sent).toHaveLength(0);
  });
});
