import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

/**
 * The one advisory-lock helper on the machine's real PostgreSQL (own database). Two DataSources stand for two
 * processes; one DataSource's pool is two sessions too.
 */
const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.advisoryLock.database, 0);

/** A promise and the function that settles it, to hold a lock exactly as long as a test wants. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe(AdvisoryLocks.name, () => {
  let first: DataSource;
  let second: DataSource;
  let a: AdvisoryLocks;
  let b: AdvisoryLocks;

  /** Sessions of this database holding the advisory lock `key` right now (any process). */
  const holders = async (key: string | number): Promise<number> => {
    const id = typeof key === 'string' ? 'hashtext($1)::bigint' : '$1::bigint';
    const rows: Array<{ n: string }> = await first.query(
      `SELECT count(*) AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid::bigint = (${id} >> 32) & 4294967295 AND objid::bigint = ${id} & 4294967295`,
      [key],
    );
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    first = createDataSource(DATABASE_URL);
    second = createDataSource(DATABASE_URL);
    await first.initialize();
    await second.initialize();
    a = new AdvisoryLocks(first);
    b = new AdvisoryLocks(second);
  });

  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
  });

  it('runs the work and returns its result when the lock is free; the lock is gone afterwards', async () => {
    await expect(a.tryExclusive('test:free', () => Promise.resolve(42))).resolves.toBe(42);
    expect(await holders('test:free')).toBe(0);
  });

  it('gives a second caller undefined, without running its work, while the first holds the key', async () => {
    const held = gate();
    const release = gate();
    const running = a.tryExclusive('test:busy', async () => {
      held.open();
      await release.opened;
      return 'first';
    });
    await held.opened;
    const otherWork = jest.fn(() => Promise.resolve('second'));
    await expect(b.tryExclusive('test:busy', otherWork)).resolves.toBeUndefined(); // another process
    await expect(a.tryExclusive('test:busy', otherWork)).resolves.toBeUndefined(); // same process, other session
    expect(otherWork).not.toHaveBeenCalled();
    await expect(b.tryExclusive('test:other-key', () => Promise.resolve('free'))).resolves.toBe('free');
    release.open();
    await expect(running).resolves.toBe('first');
    await expect(b.tryExclusive('test:busy', otherWork)).resolves.toBe('second');
  });

  it('frees the lock when the work rejects', async () => {
    await expect(
      a.tryExclusive('test:reject', async () => {
        await Promise.resolve();
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await holders('test:reject')).toBe(0);
    await expect(b.tryExclusive('test:reject', () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('frees the lock when the work throws before returning a promise', async () => {
    const throwing = (): Promise<string> => {
      throw new Error('thrown synchronously');
    };
    await expect(a.tryExclusive('test:throw', throwing)).rejects.toThrow('thrown synchronously');
    expect(await holders('test:throw')).toBe(0);
    await expect(b.tryExclusive('test:throw', () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('gives every session back to the pool: 50 runs on a pool of 10 never wait for a connection', async () => {
    for (let i = 0; i < 25; i++) {
      await a.tryExclusive('test:many', () => Promise.resolve(i));
      await expect(a.tryExclusive('test:many-reject', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    }
    await expect(a.tryExclusive('test:many', () => Promise.resolve('still free'))).resolves.toBe('still free');
  });

  it('interlocks with a version that locks `hashtext(key)` in its own SQL (the keys are unchanged)', async () => {
    const runner = second.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('inventory-writer:' || $1))", ['netsuite']);
      await expect(a.tryExclusive('inventory-writer:netsuite', () => Promise.resolve('ran'))).resolves.toBeUndefined();
      await runner.query("SELECT pg_advisory_unlock(hashtext('inventory-writer:' || $1))", ['netsuite']);
      await expect(a.tryExclusive('inventory-writer:netsuite', () => Promise.resolve('ran'))).resolves.toBe('ran');
    } finally {
      await runner.release();
    }
  });

  it('the blocking form waits for the holder, then runs; a numeric key is the lock id itself', async () => {
    const id = 7_420_026_101;
    const runner = second.createQueryRunner();
    await runner.connect();
    const order: string[] = [];
    try {
      await runner.query('SELECT pg_advisory_lock($1::bigint)', [id]);
      expect(await holders(id)).toBe(1);
      const waiting = a.exclusive(id, () => {
        order.push('waiter ran');
        return Promise.resolve('done');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(order).toEqual([]);
      order.push('holder unlocks');
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
      await expect(waiting).resolves.toBe('done');
      expect(order).toEqual(['holder unlocks', 'waiter ran']);
      expect(await holders(id)).toBe(0);
    } finally {
      await runner.release();
    }
  });

  it('the blocking form frees the lock when its work rejects', async () => {
    await expect(
      a.exclusive('test:blocking-reject', () => Promise.reject(new Error('migration failed'))),
    ).rejects.toThrow('migration failed');
    expect(await holders('test:blocking-reject')).toBe(0);
    await expect(b.tryExclusive('test:blocking-reject', () => Promise.resolve('free'))).resolves.toBe('free');
  });
});
