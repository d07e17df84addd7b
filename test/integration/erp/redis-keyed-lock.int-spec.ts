import Redis from 'ioredis';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { ErrorKind } from 'src/common/errors/app-error';
import { exchange } from 'src/modules/erp/connectors/shared/http-exchange';
import { classifyNetworkError } from 'src/modules/erp/connectors/shared/http-failure';
import type { ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { RedisKeyedLock } from 'src/modules/erp/writer/redis-keyed-lock';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

/**
 * The ERP keyed lock on the real Redis, without restarting or wiping it (that is test/e2e/faults-redis.e2e-spec.ts):
 * a lock whose key is deleted, taken over or whose Redis connection is gone while it is held aborts its work and
 * rejects Transient, never with an unhandled rejection; acquiring from an unreachable Redis fails Transient at once;
 * a create in doubt holds back the next create of its key. It shares the ERP contract specs' Redis db, which is never
 * flushed: every key is under this run's own prefix.
 */

const { REDIS_URL } = serviceUrls('unused', INTEGRATION_RESOURCES.erpContracts.redisDb);
const PREFIX = `erp-lock-it:${process.pid}:${Date.now()}`;
/** Renewed every 100 ms: a lost lease is noticed within a renewal. */
const LEASE_MS = 300;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
/** Clients this spec cuts off: ioredis waits its disconnect timeout (2 s by default) for a socket already gone. */
const CUT_OFF = { maxRetriesPerRequest: 2, disconnectTimeout: 10 } as const;
let redis: Redis;
let slowErp: Server;
let slowErpUrl: string;
const hanging = new Set<ServerResponse>();

function newLock(client: Redis = redis, createSettleMs = 5_000): RedisKeyedLock {
  return new RedisKeyedLock(client, LEASE_MS, PREFIX, { createSettleMs });
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
      lease.admitCreate();
      await lease.createInDoubt();
    });
    // Another process: its look-up runs at once, its create waits out the remainder, and the work runs again.
    const runs: number[] = [];
    const started = Date.now();
    await newLock(redis, settleMs).withLock('doubt', (lease) => {
      runs.push(Date.now() - started);
      lease.admitCreate();
      return Promise.resolve();
    });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toBeLessThan(settleMs / 2);
    expect(runs[1]).toBeGreaterThanOrEqual(settleMs - 100);
    // Once settled, a create goes through at once.
    const again: number[] = [];
    await newLock(redis, settleMs).withLock('doubt', (lease) => {
      again.push(Date.now());
      lease.admitCreate();
      return Promise.resolve();
    });
    expect(again).toHaveLength(1);
  });

  it('keeps a create in doubt in the process while Redis is unreachable and writes it at the next acquisition', async () => {
    const own = new Redis(REDIS_URL, CUT_OFF);
    try {
      const lock = newLock(own, 2_000);
      const holding = lock.withLock('doubt-offline', async (lease) => {
        own.disconnect();
        await lease.createInDoubt();
        // The lock cannot be renewed either: its work ends as lost.
        await until('the lock to be lost', () => lease.signal.aborted);
      });
      expect((await rejection(holding)).code).toBe('LOCK_LOST');
      await own.connect();
      await lock.withLock('other-key', () => Promise.resolve());
      const ttl = await redis.pttl(`${PREFIX}:create-in-doubt:doubt-offline`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2_000);
    } finally {
      own.disconnect();
    }
  });
});
