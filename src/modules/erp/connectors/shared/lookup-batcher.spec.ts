import { ErrorKind } from 'src/common/errors/app-error';
import { LookupBatcher, normaliseEmail } from 'src/modules/erp/connectors/shared/lookup-batcher';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** An ERP directory answering look-ups by e-mail; each call records the keys it was asked for. */
function directory(
  records: Record<string, string>,
  options: { delayMs?: number; fail?: () => Error | undefined } = {},
) {
  const calls: string[][] = [];
  const find = async (keys: string[]): Promise<ReadonlyMap<string, string>> => {
    calls.push(keys);
    if (options.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    }
    const failure = options.fail?.();
    if (failure !== undefined) {
      throw failure;
    }
    return new Map(keys.flatMap((key) => (records[key] === undefined ? [] : [[key, records[key]]])));
  };
  return { calls, find };
}

describe(LookupBatcher.name, () => {
  it('sends the look-ups made at the same time as one request, and answers each caller its own value', async () => {
    const erp = directory({ 'a@example.com': '1', 'b@example.com': '2' });
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 50, normalise: normaliseEmail });

    const found = await Promise.all(
      [' A@Example.com', 'b@example.com', 'nobody@example.com', 'a@example.com'].map((email) => sut.find(email)),
    );

    expect(found).toEqual(['1', '2', undefined, '1']);
    expect(erp.calls).toEqual([['a@example.com', 'b@example.com', 'nobody@example.com']]);
  });

  it('looks several keys up at once in the same batch as single look-ups', async () => {
    const erp = directory({ 'SKU-1': '11', 'SKU-3': '33' });
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 50 });

    const [many, one] = await Promise.all([sut.findMany(['SKU-1', 'SKU-2', 'SKU-1']), sut.find('SKU-3')]);

    expect(many).toEqual(new Map([['SKU-1', '11']]));
    expect(one).toBe('33');
    expect(erp.calls).toEqual([['SKU-1', 'SKU-2', 'SKU-3']]);
  });

  it('splits the look-ups at maxBatchSize keys per request', async () => {
    const erp = directory({});
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 10, maxBatchesInFlight: 3 });

    await Promise.all(Array.from({ length: 25 }, (_, i) => sut.find(`c${i}@example.com`)));

    expect(erp.calls.map((keys) => keys.length)).toEqual([10, 10, 5]);
  });

  it('collects the look-ups made while a batch is in flight into the next request', async () => {
    const calls: string[][] = [];
    let answerFirst: () => void = () => undefined;
    const firstAnswered = new Promise<void>((resolve) => (answerFirst = resolve));
    const find = async (keys: string[]): Promise<ReadonlyMap<string, string>> => {
      calls.push(keys);
      if (calls.length === 1) {
        await firstAnswered;
      }
      return new Map(keys.includes('late-3@example.com') ? [['late-3@example.com', '3']] : []);
    };
    const sut = new LookupBatcher({ find, maxBatchSize: 50, windowMs: 1 });

    const first = sut.find('first@example.com');
    const late: Array<Promise<string | undefined>> = [];
    for (let i = 0; i < 5; i += 1) {
      // The first batch is on the wire; these come one by one, each well past the 1 ms window of the one before.
      await new Promise((resolve) => setTimeout(resolve, 6));
      late.push(sut.find(`late-${i}@example.com`));
    }
    await new Promise((resolve) => setTimeout(resolve, 6));
    expect(calls).toEqual([['first@example.com']]);
    answerFirst();

    expect(await Promise.all([first, ...late])).toEqual([undefined, undefined, undefined, undefined, '3', undefined]);
    expect(calls).toEqual([['first@example.com'], Array.from({ length: 5 }, (_, i) => `late-${i}@example.com`)]);
  });

  it('asks the ERP again for a key it already answered (no cache: the ERP may have changed)', async () => {
    const records: Record<string, string> = {};
    const erp = directory(records);
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 50 });

    expect(await sut.find('new@example.com')).toBeUndefined();
    records['new@example.com'] = '7';
    expect(await sut.find('new@example.com')).toBe('7');
    expect(erp.calls).toHaveLength(2);
  });

  it("fails every look-up of a failed request with the ERP's error, and the next batch runs", async () => {
    let failing = true;
    const outage = new ErpError(ErrorKind.Transient, 'ERP unavailable');
    const erp = directory({ 'a@example.com': '1' }, { fail: () => (failing ? outage : undefined) });
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 50 });

    const results = await Promise.allSettled([sut.find('a@example.com'), sut.find('b@example.com')]);
    failing = false;

    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
    expect(await sut.find('a@example.com')).toBe('1');
  });

  it("ends an aborted caller's wait with the signal's reason, while the batch answers the others", async () => {
    const erp = directory({ 'a@example.com': '1', 'b@example.com': '2' }, { delayMs: 30 });
    const sut = new LookupBatcher({ find: erp.find, maxBatchSize: 50 });
    const lease = new AbortController();
    const lost = new ErpError(ErrorKind.Transient, 'lock lost', { vendorCode: 'LOCK_LOST' });

    const aborted = sut.find('a@example.com', lease.signal);
    const other = sut.find('b@example.com', new AbortController().signal);
    setTimeout(() => lease.abort(lost), 10);

    await expect(aborted).rejects.toBe(lost);
    expect(await other).toBe('2');
    await expect(sut.find('a@example.com', lease.signal)).rejects.toBe(lost);
    expect(erp.calls).toEqual([['a@example.com', 'b@example.com']]);
  });
});
