import type { Envelope, MessageBody } from 'rabbitmq-client';
import { LingeringPublisher } from 'src/common/messaging/lingering-publisher';

/** A publisher whose confirms the test settles by hand, recording when each message was written. */
function fakePublisher() {
  const written: Array<{ routingKey?: string; confirm: () => void; fail: (e: Error) => void }> = [];
  return {
    written,
    send(envelope: Envelope, _body: MessageBody): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        written.push({ routingKey: envelope.routingKey, confirm: resolve, fail: reject });
      });
    },
  };
}

describe('LingeringPublisher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds publishes for at most the linger, then writes them together, each settling on its own confirm', async () => {
    const inner = fakePublisher();
    const publisher = new LingeringPublisher(inner, 5);
    const settled: string[] = [];
    const a = publisher.send({ routingKey: 'a' }, 'x').then(() => settled.push('a'));
    const b = publisher.send({ routingKey: 'b' }, 'x').then(() => settled.push('b'));
    expect(inner.written).toHaveLength(0);
    jest.advanceTimersByTime(4);
    expect(inner.written).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(inner.written.map((w) => w.routingKey)).toEqual(['a', 'b']);

    // Nothing is acknowledged before its own confirm: b's confirm does not settle a.
    inner.written[1].confirm();
    await b;
    expect(settled).toEqual(['b']);
    inner.written[0].confirm();
    await a;
    expect(settled).toEqual(['b', 'a']);
  });

  it('passes a failed publish to its own caller only', async () => {
    const inner = fakePublisher();
    const publisher = new LingeringPublisher(inner, 5);
    const ok = publisher.send({ routingKey: 'ok' }, 'x');
    const bad = publisher.send({ routingKey: 'bad' }, 'x');
    jest.advanceTimersByTime(5);
    inner.written[1].fail(new Error('nack'));
    inner.written[0].confirm();
    await expect(bad).rejects.toThrow('nack');
    await expect(ok).resolves.toBeUndefined();
  });

  it('writes a full burst at once, without waiting for the linger', () => {
    const inner = fakePublisher();
    const publisher = new LingeringPublisher(inner, 50, 3);
    for (let i = 0; i < 3; i++) {
      void publisher.send({ routingKey: String(i) }, 'x');
    }
    expect(inner.written).toHaveLength(3);
    expect(publisher.waiting).toBe(0);
  });

  it('writes at once when lingering is off, and flush() empties the wait at shutdown', () => {
    const inner = fakePublisher();
    void new LingeringPublisher(inner, 0).send({ routingKey: 'now' }, 'x');
    expect(inner.written.map((w) => w.routingKey)).toEqual(['now']);

    const lingering = new LingeringPublisher(inner, 20);
    void lingering.send({ routingKey: 'late' }, 'x');
    expect(lingering.waiting).toBe(1);
    lingering.flush();
    expect(inner.written.map((w) => w.routingKey)).toEqual(['now', 'late']);
    expect(lingering.waiting).toBe(0);
  });

  it('writes a burst inside one asOneWrite call (the broker socket corked), each message still on its own', () => {
    const inner = fakePublisher();
    const calls: number[] = [];
    const publisher = new LingeringPublisher(inner, 5, 64, (write) => {
      const before = inner.written.length;
      write();
      calls.push(inner.written.length - before);
    });
    void publisher.send({ routingKey: 'a' }, 'x');
    void publisher.send({ routingKey: 'b' }, 'x');
    void publisher.send({ routingKey: 'c' }, 'x');
    jest.advanceTimersByTime(5);
    expect(calls).toEqual([3]);
    expect(inner.written.map((w) => w.routingKey)).toEqual(['a', 'b', 'c']);
  });

  it('rejects the caller when the publisher throws synchronously', async () => {
    const publisher = new LingeringPublisher(
      {
        send: () => {
          throw new Error('channel closed');
        },
      },
      1,
    );
    const sent = publisher.send({ routingKey: 'x' }, 'x');
    jest.advanceTimersByTime(1);
    await expect(sent).rejects.toThrow('channel closed');
  });
});
