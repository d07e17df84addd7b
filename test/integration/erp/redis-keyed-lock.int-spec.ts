import Redis from 'ioredis';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { ErrorKind } from 'src/common/errors/app-error';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import { classifyNetworkError } from 'src/modules/erp/connectors/shared/http-failure';
import { ErpCreateDoubtRepository } from 'src/modules/erp/persistence/erp-create-doubt.repository';
import type { ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { RedisKeyedLock, type CreateDoubtStore } from 'src/modules/erp/writer/redis-keyed-lock';
import { wipeRedisKeys } from 'test/support/erp-test-context';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

/**
 * The ERP keyed lock on the real Redis and PostgreSQL: a lock whose key is deleted, taken over or whose Redis
 * connection is gone while it is held aborts its work and rejects Transient, never with an unhandled rejection;
 * acquiring from an unreachable Redis fails Transient at once; a create in doubt holds back the next create of its
 * key, also once Redis has lost everything the lock kept there. It shares the ERP contract specs' Redis db, which is
 * never flushed: every key is under this run's own prefix, and a "wipe" deletes the keys of one prefix.
 */

const { REDIS_URL } = serviceUrls('unused', INTEGRATION_RESOURCES.erpContracts.redisDb);
const { DATABASE_URL } = serviceUrls(INTEGRATION_RESOURCES.erpKeyedLock.database, 0);
const PREFIX = `erp-lock-it:${process.pid}:${Date.now()}`;
/**
 * Renewed every 200 ms: a lost lease is noticed within a renewal, and an event loop held up 300 ms (a loaded host)
 * does not lose it.
 */
const LEASE_MS = 600;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
/** Clients this spec cuts off: ioredis waits its disconnect timeout (2 s by default) for a socket already gone. */
const CUT_OFF = { maxRetriesPerRequest: 2, disconnectTimeout: 10 } as const;
let redis: Redis;
let dataSource: DataSource;
let doubts: ErpCreateDoubtRepository;
let slowErp: Server;
let slowErpUrl: string;
const hanging = new Set<ServerResponse>();

function newLock(
  client: Redis = redis,
  createSettleMs = 5_000,
  prefix = PREFIX,
  store: CreateDoubtStore = doubts,
): RedisKeyedLock {
  return new RedisKeyedLock(client, store, LEASE_MS, prefix, { createSettleMs });
}

let prefixes = 0;
/** A prefix of its own, for a test that wipes what the lock keeps in Redis (the others' locks keep theirs). */
function ownPrefix(): string {
  return `${PREFIX}:own-${++prefixes}`;
}

/** The work's runs (ms since `started` each began), admitting one create each; resolves once the work is done. */
async function createRuns(lock: RedisKeyedLock, key: string, options: { assumeNew?: boolean } = {}): Promise<number[]> {
  const runs: number[] = [];
  const started = Date.now();
  await lock.withLock(key, async (lease) => {
    runs.push(Date.now() - started);
    if (options.assumeNew === true && runs.length === 1) {
      lease.assumeNew();
    }
    await lease.admitCreate();
  });
  return runs;
}

function lockKey(key: string): string {
  return `mutex:${PREFIX}:${key}`;
}

/** A GET under the lease to an ERP that never answers: only the lock (or the 30 s timeout) ends it. */
function slowRead(lease: ErpLockLease): Promise<unknown> {
  return exchange(
    `${slowErpUrl}/items`,
    { method: 'GET', headers: {} },
    30_000,
    (cause) => classifyNetworkError(cause, 'Test ERP'),
    lease,
  );
}

/** Resolves when `check` holds, polling every 10 ms; throws after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<ErpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ErpError);
  return error as ErpError;
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  await ensureDatabase(DATABASE_URL, { reset: true });
  await runMigrationsLocked(DATABASE_URL);
  dataSource = createDataSource(DATABASE_URL);
  await dataSource.initialize();
  doubts = new ErpCreateDoubtRepository(dataSource);
  slowErp = createServer((_req, res) => {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  });
  await new Promise<void>((resolve) => slowErp.listen(0, '127.0.0.1', resolve));
  const address = slowErp.address();
  slowErpUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterEach(() => {
  // Every test ends with no unhandled rejection (a lost lock used to reject from redis-semaphore's refresh timer).
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  for (const res of hanging) {
    res.destroy();
  }
  slowErp.closeAllConnections();
  await new Promise<void>((resolve) => slowErp.close(() => resolve()));
  const keys = await redis.keys(`*${PREFIX}*`);
  if (keys.length > 0) {
    await redis.del(...keys);
  }
  await redis.quit();
  await dataSource?.destroy();
});

describe('RedisKeyedLock (real Redis)', () => {
  it('runs the work under the lock and frees the key', async () => {
    const lock = newLock();
    const result = await lock.withLock('plain', async (lease) => {
      expect(await redis.exists(lockKey('plain'))).toBe(1);
      await lease.fence();
      return 'done';
    });
    expect(result).toBe('done');
    expect(await redis.exists(lockKey('plain'))).toBe(0);
  });

  it('keeps the lock through work longer than its lease (renewed while held)', async () => {
    const lock = newLock();
    await lock.withLock('long', async (lease) => {
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 3));
      expect(lease.signal.aborted).toBe(false);
      await lease.fence();
    });
  });

  it('aborts the work when its key is deleted while held, rejects Transient LOCK_LOST, and frees nothing twice', async () => {
    const lock = newLock();
    let aborted = false;
    const holding = lock.withLock('deleted', async (lease) => {
      lease.signal.addEventListener('abort', () => (aborted = true));
      await slowRead(lease);
    });
    await until('the read to be in flight', () => hanging.size === 1);
    await redis.del(lockKey('deleted'));
    // Another holder takes the key as soon as it is free; the lost holder must not free it from under it.
    let secondHolding = false;
    let releaseSecond!: () => void;
    const second = newLock().withLock('deleted', async () => {
      secondHolding = true;
      await new Promise<void>((resolve) => (releaseSecond = resolve));
    });
    const error = await rejection(holding);
    expect(aborted).toBe(true);
    expect(error.kind).toBe(ErrorKind.Transient);
    expect(error.code).toBe('LOCK_LOST');
    await until('the second holder', () => secondHolding);
    expect(await redis.exists(lockKey('deleted'))).toBe(1);
    releaseSecond();
    await second;
    expect(await redis.exists(lockKey('deleted'))).toBe(0);
  });

  it('refuses a write by a holder whose lock another took over (fencing), before its renewal notices', async () => {
    const lock = newLock();
    const error = await rejection(
      lock.withLock('fenced', async (lease) => {
        await redis.set(lockKey('fenced'), 'another-holder', 'PX', 10_000);
        await lease.fence();
        throw new Error('the write was let through');
      }),
    );
    expect(error.code).toBe('LOCK_LOST');
    expect(await redis.get(lockKey('fenced'))).toBe('another-holder');
  });

  it('aborts the work when Redis stops answering its renewal (connection gone), without an unhandled rejection', async () => {
    const own = new Redis(REDIS_URL, CUT_OFF);
    try {
      const lock = newLock(own);
      const holding = lock.withLock('redis-gone', (lease) => slowRead(lease));
      await until('the read to be in flight', () => hanging.size === 1);
      own.disconnect();
      const error = await rejection(holding);
      expect(error.kind).toBe(ErrorKind.Transient);
      expect(error.code).toBe('LOCK_LOST');
    } finally {
      own.disconnect();
    }
  });

  it('fails Transient at once when Redis refuses connections, and when it accepts them but never answers', async () => {
    const refused = new Redis('redis://127.0.0.1:1', { ...CUT_OFF, lazyConnect: true });
    refused.on('error', () => undefined);
    const sockets = new Set<Socket>();
    const silent: TcpServer = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const mute = new Redis(
      `redis://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
      CUT_OFF,
    );
    mute.on('error', () => undefined);
    try {
      for (const client of [refused, mute]) {
        const started = Date.now();
        const error = await rejection(newLock(client).withLock('down', () => Promise.resolve('never')));
        expect(error.kind).toBe(ErrorKind.Transient);
        expect(error.code).toBe('LOCK_UNAVAILABLE');
        expect(Date.now() - started).toBeLessThan(5_000);
      }
    } finally {
      refused.disconnect();
      mute.disconnect();
      for (const socket of sockets) {
        socket.destroy();
      }
      silent.close();
    }
  });

  it('holds back the next create of a key while an earlier one may still commit, then runs the work again from its look-up', async () => {
    const settleMs = 600;
    await newLock(redis, settleMs).withLock('doubt', async (lease) => {
      await lease.admitCreate();
      await lease.createInDoubt();
    });
    // Another process: its look-up runs at once, its create waits out the remainder, and the work runs again.
    const runs: number[] = [];
    const started = Date.now();
    await newLock(redis, settleMs).withLock('doubt', async (lease) => {
      runs.push(Date.now() - started);
      await lease.admitCreate();
    });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBeLessThan(settleMs / 2);
    expect(runs[1]).toBeGreaterThanOrEqual(settleMs - 100);
    // Once settled, a create goes through at once.
    const again: number[] = [];
    await newLock(redis, settleMs).withLock('doubt', async (lease) => {
      again.push(Date.now());
      await lease.admitCreate();
    });
    expect(again).toHaveLength(1);
  });

  it('records a create in doubt in PostgreSQL while Redis is unreachable, and the next holder of its key waits it out', async () => {
    const own = new Redis(REDIS_URL, CUT_OFF);
    try {
      const lock = newLock(own, 1_000);
      const holding = lock.withLock('doubt-offline', async (lease) => {
        own.disconnect();
        await lease.createInDoubt();
        // The lock cannot be renewed either: its work ends as lost.
        await until('the lock to be lost', () => lease.signal.aborted);
      });
      expect((await rejection(holding)).code).toBe('LOCK_LOST');
      expect(await redis.exists(`${PREFIX}:create-in-doubt:doubt-offline`)).toBe(0);
      const runs = await createRuns(newLock(redis, 1_000), 'doubt-offline');
      // Refused at least once while in doubt (a busy machine may wake it once more before the deadline), and the
      // create that goes through waited the doubt out.
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.at(-1)).toBeGreaterThanOrEqual(500);
    } finally {
      own.disconnect();
    }
  });

  it('keeps a create in doubt in the process while PostgreSQL is unreachable and records it at the next acquisition', async () => {
    let down = true;
    const flaky: CreateDoubtStore = {
      record: (key, settlesAt) =>
        down ? Promise.reject(new Error('connection refused')) : doubts.record(key, settlesAt),
      settlesAt: (key, everyKey) => doubts.settlesAt(key, everyKey),
      lockStateLost: (everyKey, settlesAt) => doubts.lockStateLost(everyKey, settlesAt),
    };
    const prefix = ownPrefix();
    const lock = newLock(redis, 2_000, prefix, flaky);
    await lock.withLock('doubt-pg-down', (lease) => lease.createInDoubt());
    expect(await doubts.settlesAt(`${prefix}:doubt-pg-down`, prefix)).toBeLessThan(Date.now());
    down = false;
    await lock.withLock('other-key', () => Promise.resolve());
    expect(await doubts.settlesAt(`${prefix}:doubt-pg-down`, prefix)).toBeGreaterThan(Date.now() + 1_000);
  });

  describe('when Redis loses its state (FLUSHDB, failover to an empty replica, restart without persistence)', () => {
    it('holds back the next create of a key whose create is in doubt: the record in PostgreSQL outlives Redis', async () => {
      const prefix = ownPrefix();
      await newLock(redis, 1_500, prefix).withLock('doubt', (lease) => lease.createInDoubt());
      expect(await wipeRedisKeys(redis, prefix)).toBeGreaterThan(0);
      const runs = await createRuns(newLock(redis, 1_500, prefix), 'doubt');
      expect(runs).toHaveLength(2);
      expect(runs[0]).toBeLessThan(500);
      expect(runs[1]).toBeGreaterThanOrEqual(1_000);
    });

    it('makes creates of keys that may exist wait one lease, so that writers that lost their lock record their creates', async () => {
      const prefix = ownPrefix();
      // A first start (no state ever): nothing waits.
      expect(await createRuns(newLock(redis, 5_000, prefix), 'first')).toHaveLength(1);
      await wipeRedisKeys(redis, prefix);
      const runs = await createRuns(newLock(redis, 5_000, prefix), 'after-wipe');
      expect(runs).toHaveLength(2);
      expect(runs[1]).toBeGreaterThanOrEqual(LEASE_MS - 50);
      expect(runs[1]).toBeLessThan(LEASE_MS * 4);
      // The state is marked again: the next create goes at once.
      expect(await createRuns(newLock(redis, 5_000, prefix), 'later')).toHaveLength(1);
    });

    it('a first start under a burst (twenty keys at once, no state ever): no create waits, and a later wipe still does', async () => {
      const prefix = ownPrefix();
      const lock = newLock(redis, 5_000, prefix);
      const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => createRuns(lock, `burst-${i}`)));
      // Each ran once: none was held back for a loss of state that never happened (they used to race into recording
      // one, and every create of a record that may exist waited a lease at a new deployment's first sale).
      expect(runs.filter((r) => r.length !== 1)).toEqual([]);
      await wipeRedisKeys(redis, prefix);
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => createRuns(lock, `after-${i}`)));
      expect(after.every((r) => r.length === 2 && (r[1] ?? 0) >= LEASE_MS - 50)).toBe(true);
    });

    it('lets a create the caller knows is new go at once, reading nothing from PostgreSQL', async () => {
      const prefix = ownPrefix();
      let reads = 0;
      const counting: CreateDoubtStore = {
        record: (key, settlesAt) => doubts.record(key, settlesAt),
        settlesAt: (key, everyKey) => (reads++, doubts.settlesAt(key, everyKey)),
        lockStateLost: (everyKey, settlesAt) => doubts.lockStateLost(everyKey, settlesAt),
      };
      await createRuns(newLock(redis, 5_000, prefix, counting), 'first');
      await wipeRedisKeys(redis, prefix);
      expect(await createRuns(newLock(redis, 5_000, prefix, counting), 'new', { assumeNew: true })).toHaveLength(1);
      expect(reads).toBe(1);
    });

    it('records the create of a holder whose lock is lost before its answer comes, for the next holder to wait out', async () => {
      const prefix = ownPrefix();
      const settleMs = 1_500;
      let answer!: () => void;
      const first = newLock(redis, settleMs, prefix).withLock('in-flight', (lease) =>
        lease.whileCreating(() => new Promise<void>((resolve) => (answer = resolve))),
      );
      await until('the create to be on its way', () => answer !== undefined);
      await wipeRedisKeys(redis, prefix);
      // The second writer takes the key at once; by the time its create would go, the first has recorded its own.
      const runs = await createRuns(newLock(redis, settleMs, prefix), 'in-flight');
      answer();
      expect((await rejection(first)).code).toBe('LOCK_LOST');
      // One wait for the lease after the wipe and one for the first writer's create, or that one alone.
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs[runs.length - 1]).toBeGreaterThanOrEqual(settleMs - 100);
    });
  });
});
