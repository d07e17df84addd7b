import { KeyedSerialQueue } from 'src/common/messaging/keyed-serial-queue';

interface Gate {
  promise: Promise<void>;
  open(): void;
  fail(error: Error): void;
}

function gate(): Gate {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(KeyedSerialQueue.name, () => {
  it('runs the work of one key one at a time, in the order given', async () => {
    const sut = new KeyedSerialQueue();
    const started: string[] = [];
    const first = gate();
    const second = gate();
    const a = sut.run('order/1', async () => {
      started.push('a');
      await first.promise;
    });
    const b = sut.run('order/1', async () => {
      started.push('b');
      await second.promise;
    });
    const c = sut.run('order/1', () => {
      started.push('c');
      return Promise.resolve('c done');
    });
    await settle();
    expect(started).toEqual(['a']);
    first.open();
    await settle();
    expect(started).toEqual(['a', 'b']);
    second.open();
    await expect(c).resolves.toBe('c done');
    expect(started).toEqual(['a', 'b', 'c']);
    await Promise.all([a, b]);
  });

  it('runs different keys side by side', async () => {
    const sut = new KeyedSerialQueue();
    const started: string[] = [];
    const held = gate();
    const one = sut.run('order/1', async () => {
      started.push('1');
      await held.promise;
    });
    const two = sut.run('order/2', () => {
      started.push('2');
      return Promise.resolve();
    });
    await two;
    expect(started).toEqual(['1', '2']);
    held.open();
    await one;
  });

  it("goes on with a key's next work after a failure, and hands the failure to its caller only", async () => {
    const sut = new KeyedSerialQueue();
    const failing = gate();
    const first = sut.run('order/1', () => failing.promise);
    const second = sut.run('order/1', () => Promise.resolve('second'));
    failing.fail(new Error('ERP down'));
    await expect(first).rejects.toThrow('ERP down');
    await expect(second).resolves.toBe('second');
  });

  it('forgets a key once its work has settled', async () => {
    const sut = new KeyedSerialQueue();
    const held = gate();
    const work = sut.run('order/1', () => held.promise);
    expect(sut.activeKeys).toBe(1);
    held.open();
    await work;
    await settle();
    expect(sut.activeKeys).toBe(0);
  });
});
