import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ErrorKind, errorMessage } from 'src/common/errors/app-error';
import type { ErpKeyedLock, ErpLockLease } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import {
  ACQUIRE_SCRIPT,
  DROP_PENDING_SCRIPT,
  MARK_IN_DOUBT_SCRIPT,
  MARK_STATE_SCRIPT,
  PENDING_STATE_MS,
  RELEASE_SCRIPT,
  RENEW_SCRIPT,
} from 'src/modules/erp/writer/redis-keyed-lock.scripts';

/**
 * @description The durable record of creates in doubt that the lock's Redis markers cache (PostgreSQL,
 * erp_create_doubt). Keys are the lock's own (its prefix and the key), so that two locks never share a record.
 */
export interface CreateDoubtStore {
  /** Records that a create of `key` may commit until `settlesAt` (epoch ms); a record that lasts longer is kept. */
  record(key: string, settlesAt: number): Promise<void>;
  /** Until when (epoch ms) a create of `key` may still commit, by its own record or by the lock's `everyKey` one. */
  settlesAt(key: string, everyKey: string): Promise<number>;
  /**
   * Redis holds none of the lock's state: every create in flight then may still be recorded by its writer until
   * `settlesAt`. False when the lock never had any state before (a first start): then nothing waits.
   */
  lockStateLost(everyKey: string, settlesAt: number): Promise<boolean>;
}

/** @description Tuning of {@link RedisKeyedLock} besides its lease; production sets only the settle time. */
export interface RedisKeyedLockOptions {
  /**
   * How long a create that may still commit (it timed out, its connection broke) holds back the next creates of its
   * key: the ERP's longest plausible run time (`ERP_CREATE_SETTLE_SECONDS`). Default 120 s.
   */
  createSettleMs?: number;
  /** How long a caller waits for a key another holder has; default four leases plus the settle time. */
  acquireTimeoutMs?: number;
}

/** The settle time when none is configured: longer than any ERP call we have seen commit after its client gave up. */
export const DEFAULT_CREATE_SETTLE_MS = 120_000;
/** A holder's work waits out a create in doubt and runs again at most this often (one wait is the normal case). */
const MAX_SETTLE_WAITS = 2;
/** A caller waiting for a held key tries again after 20 ms, then less and less often, up to every 200 ms. */
const FIRST_RETRY_MS = 20;
const MAX_RETRY_MS = 200;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What one holding needs from the lock: its Redis calls (each with a deadline), timings and log. */
interface LockStore {
  readonly leaseMs: number;
  readonly renewEveryMs: number;
  readonly settleMs: number;
  renew(key: string, token: string): Promise<boolean>;
  holder(key: string): Promise<string | null>;
  release(key: string, token: string): Promise<void>;
  /** Never rejects. */
  markInDoubt(key: string, token: string, until: number): Promise<void>;
  /** Until when a create of the key may still commit, by the durable record (PostgreSQL). */
  durableSettlesAt(key: string): Promise<number>;
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * A lock shared by every worker process, around lookup-then-create on ERPs without an upsert by external key
 * (Business Central, Cin7): a Redis key set with NX and a lease (the key redis-semaphore's Mutex used, so processes of
 * the previous version exclude this one during a rolling deploy), renewed every third of the lease while held.
 *
 * - **Lost lock.** A renewal that Redis refuses (the key was wiped or taken over) or does not answer (Redis is down)
 *   loses the lock: the lease's signal aborts the holder's reads, its next write fails the fencing check, and
 *   `withLock` rejects with a Transient `LOCK_LOST`, retried through the normal retry path. Nothing is thrown from a
 *   timer (redis-semaphore's refresh timer rejected unhandled, which ended the process), and a lost lock is never
 *   released: its key may be another holder's by then.
 * - **Fencing.** Each holding has a random token; `lease.fence()` reads the key right before a write is sent.
 * - **Create in doubt.** A create whose answer never came may still commit long after. The connector records it
 *   (`lease.createInDoubt()`), and so does a holder that loses its lock while a create is on its way (the next holder
 *   may take the key before that answer comes): until the settle time is over, in PostgreSQL (erp_create_doubt,
 *   which survives Redis losing its state) and in Redis as a cache. A later holder looks up first, so what has
 *   committed by then is found and nothing waits; only before a create of its own (`lease.admitCreate()`) does it wait
 *   out the record's remainder and run its work again from the look-up. PostgreSQL is read only then, and only for a
 *   record that may exist (not after `lease.assumeNew()`). The wait stays in the holder: the retry tiers would round
 *   it up to 10 minutes, and the partition's order is kept.
 * - **Redis losing its state** (FLUSHALL, a failover to an empty replica, a restart without persistence) takes the
 *   locks with it, and a second writer may take a key while the first one's create is on its way. A mark of the
 *   lock's state in Redis tells: the first holder to find it gone records in PostgreSQL that creates of records that
 *   may exist wait one lease. By then every holder that lost its key has noticed (a renewal every third of a lease,
 *   each bounded by a third) and recorded its create on its way as in doubt, which the second writer then reads.
 *
 * Every Redis call has a deadline, so neither acquiring nor renewing hangs on an unreachable Redis: acquiring then
 * fails Transient (`LOCK_UNAVAILABLE`), renewing loses the lock. See docs/reliability.md (S8).
 */
export class RedisKeyedLock implements ErpKeyedLock {
  private readonly acquireTimeoutMs: number;
  private readonly store: LockStore;
  /** Creates in doubt not yet written to PostgreSQL (key → until, epoch ms), because it was unreachable. */
  private readonly unwrittenDoubts = new Map<string, number>();
  private readonly logger = new Logger(RedisKeyedLock.name);

  constructor(
    private readonly redis: Redis,
    private readonly doubts: CreateDoubtStore,
    private readonly leaseMs: number,
    private readonly prefix = 'erp-sync:erp-lock',
    options: RedisKeyedLockOptions = {},
  ) {
    const settleMs = options.createSettleMs ?? DEFAULT_CREATE_SETTLE_MS;
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? leaseMs * 4 + settleMs;
    this.store = {
      leaseMs,
      renewEveryMs: Math.max(50, Math.floor(leaseMs / 3)),
      settleMs,
      renew: async (key, token) =>
        Number(await this.call(redis.eval(RENEW_SCRIPT, 1, this.lockKey(key), token, leaseMs))) === 1,
      holder: (key) => this.call(redis.get(this.lockKey(key))),
      release: async (key, token) => {
        await this.call(redis.eval(RELEASE_SCRIPT, 1, this.lockKey(key), token));
      },
      markInDoubt: (key, token, until) => this.markInDoubt(key, token, until),
      durableSettlesAt: (key) => this.doubts.settlesAt(this.durableKey(key), this.prefix),
      warn: (message, fields) => this.logger.warn(fields, message),
    };
  }

  async withLock<T>(key: string, work: (lease: ErpLockLease) => Promise<T>): Promise<T> {
    const held = await this.acquire(key);
    try {
      for (let run = 0; ; run++) {
        try {
          held.beginRun();
          const result = await work(held);
          held.throwIfLost();
          return result;
        } catch (error: unknown) {
          // Whatever the work threw once the lock was lost (an aborted read, a refused fence), the loss is the cause.
          held.throwIfLost();
          if (error instanceof ErpError && error.code === 'CREATE_IN_DOUBT' && run < MAX_SETTLE_WAITS) {
            await held.waitOutDoubt();
            continue;
          }
          throw error;
        }
      }
    } finally {
      await held.release();
    }
  }

  private async acquire(key: string): Promise<HeldLock> {
    const token = randomUUID();
    const started = Date.now();
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(MAX_RETRY_MS, Math.ceil(wait * 1.5))) {
      let taken: Taken | undefined;
      try {
        taken = await this.tryAcquire(key, token);
        if (taken !== undefined && !taken.stateMarked) {
          await this.lockStateLost(key, token);
        }
      } catch (error: unknown) {
        throw new ErpError(ErrorKind.Transient, `ERP lock ${key} unavailable: ${errorMessage(error)}`, {
          vendorCode: 'LOCK_UNAVAILABLE',
        });
      }
      if (taken !== undefined) {
        const doubtMs = taken.doubtMs;
        const doubtUntil = Math.max(doubtMs >= 0 ? Date.now() + doubtMs : 0, this.unwrittenDoubts.get(key) ?? 0);
        await this.writeUnwrittenDoubts(token);
        return new HeldLock(this.store, key, token, doubtUntil);
      }
      if (Date.now() - started >= this.acquireTimeoutMs) {
        throw new ErpError(
          ErrorKind.Transient,
          `ERP lock ${key} still held by another after ${this.acquireTimeoutMs} ms`,
          { vendorCode: 'LOCK_TIMEOUT' },
        );
      }
      await sleep(wait);
    }
  }

  /** One SET NX; resolves with the marker's time left and the state mark, or undefined when another holds the key. */
  private async tryAcquire(key: string, token: string): Promise<Taken | undefined> {
    const attempt = this.redis.eval(
      ACQUIRE_SCRIPT,
      3,
      this.lockKey(key),
      this.doubtKey(key),
      this.stateKey(),
      token,
      this.leaseMs,
      PENDING_STATE_MS,
    );
    try {
      const answer = await this.call(attempt);
      if (!Array.isArray(answer)) {
        return undefined;
      }
      return { doubtMs: Number(answer[0]), stateMarked: Number(answer[1]) === 1 };
    } catch (error: unknown) {
      // An answer after the deadline may still have taken the key: give it back rather than block others a lease.
      attempt
        .then((result) =>
          Array.isArray(result) ? this.redis.eval(RELEASE_SCRIPT, 1, this.lockKey(key), token) : undefined,
        )
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * Redis held none of this lock's state (the acquire found no state mark and set a pending one): records in
   * PostgreSQL that creates of records that may exist wait one lease (unless this is the first start, which PostgreSQL
   * tells), then marks the state in Redis for good. Other acquirers wait for that; a holder that finds the mark finds
   * the record too. Throws when either store fails: the pending mark is dropped and the key just taken given back.
   */
  private async lockStateLost(key: string, token: string): Promise<void> {
    try {
      const lost = await this.doubts.lockStateLost(this.prefix, Date.now() + this.leaseMs);
      if (lost) {
        this.logger.warn(
          { key, waitMs: this.leaseMs },
          'Redis lost the ERP locks (flushed, failed over to an empty replica, or restarted without persistence): creates of records that may exist wait one lease for creates in flight to be recorded',
        );
      }
      await this.call(this.redis.eval(MARK_STATE_SCRIPT, 1, this.stateKey(), token, new Date().toISOString()));
    } catch (error: unknown) {
      await this.call(this.redis.eval(DROP_PENDING_SCRIPT, 1, this.stateKey(), token)).catch(() => undefined);
      await this.call(this.redis.eval(RELEASE_SCRIPT, 1, this.lockKey(key), token)).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Records a create in doubt until `until`: in PostgreSQL (kept here, and written at this process's next acquisition,
   * while PostgreSQL is unreachable), and in Redis as a cache. Never rejects.
   */
  private async markInDoubt(key: string, token: string, until: number): Promise<void> {
    const ttl = until - Date.now();
    if (ttl <= 0) {
      return;
    }
    try {
      await this.doubts.record(this.durableKey(key), until);
      if ((this.unwrittenDoubts.get(key) ?? 0) <= until) {
        this.unwrittenDoubts.delete(key);
      }
    } catch (error: unknown) {
      this.unwrittenDoubts.set(key, Math.max(until, this.unwrittenDoubts.get(key) ?? 0));
      this.store.warn('ERP create in doubt kept in this process until PostgreSQL answers', {
        key,
        err: errorMessage(error),
      });
    }
    // The cache: a holder told that its record cannot exist (`assumeNew`) still sees it.
    await this.call(this.redis.eval(MARK_IN_DOUBT_SCRIPT, 1, this.doubtKey(key), token, ttl)).catch(() => undefined);
  }

  private async writeUnwrittenDoubts(token: string): Promise<void> {
    for (const [key, until] of [...this.unwrittenDoubts]) {
      if (until <= Date.now()) {
        this.unwrittenDoubts.delete(key);
      } else {
        await this.markInDoubt(key, token, until);
      }
    }
  }

  /** A Redis call with a deadline (a third of the lease, 5 s at most): a Redis that does not answer has failed. */
  private call<T>(request: Promise<T>): Promise<T> {
    const deadlineMs = Math.max(100, Math.min(5_000, Math.floor(this.leaseMs / 3)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${deadlineMs} ms`)), deadlineMs);
    });
    // The request may still settle after the deadline: its rejection must not go unhandled.
    request.catch(() => undefined);
    return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
  }

  /** The lock's own key (the one redis-semaphore's Mutex used). */
  private lockKey(key: string): string {
    return `mutex:${this.prefix}:${key}`;
  }

  private doubtKey(key: string): string {
    return `${this.prefix}:create-in-doubt:${key}`;
  }

  /** The mark that Redis holds this lock's state; gone when Redis lost it (or never had it). No TTL. */
  private stateKey(): string {
    return `${this.prefix}:state`;
  }

  /** The key's durable record of creates in doubt (the lock's own `prefix` alone names its every-key record). */
  private durableKey(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

/** A key just taken: the time left on its Redis create-in-doubt marker (-2: none), and whether the state mark is there. */
interface Taken {
  doubtMs: number;
  stateMarked: boolean;
}

/** One holding of a key: the lease handed to the work, its renewal timer and its abort signal. */
class HeldLock implements ErpLockLease {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private released = false;
  /** Creates sent under this holding and not yet answered (or given up). */
  private creating = 0;
  /** This run of the work may create a record an earlier create made (not told otherwise by `assumeNew`). */
  private mayExist = true;

  constructor(
    private readonly store: LockStore,
    private readonly key: string,
    private readonly token: string,
    /** Until when (epoch ms) an earlier create of this key may still commit; 0 when none may. */
    private doubtUntil: number,
  ) {
    this.scheduleRenewal();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async fence(): Promise<void> {
    this.throwIfLost();
    try {
      const holder = await this.store.holder(this.key);
      if (holder !== this.token) {
        this.lose(holder === null ? 'its key is gone' : 'another holder took it over');
      }
    } catch (error: unknown) {
      this.lose(`Redis did not confirm it before a write (${errorMessage(error)})`);
    }
    this.throwIfLost();
  }

  /** A run of the work begins (the first, or one repeated after waiting out a create in doubt). */
  beginRun(): void {
    this.mayExist = true;
  }

  assumeNew(): void {
    this.mayExist = false;
  }

  async admitCreate(): Promise<void> {
    this.throwIfLost();
    if (this.mayExist && this.doubtUntil <= Date.now()) {
      // Redis (the cache) knows of nothing in doubt, and Redis may have lost it: the durable record decides.
      this.doubtUntil = Math.max(this.doubtUntil, await this.store.durableSettlesAt(this.key));
      this.throwIfLost();
    }
    const remaining = this.doubtUntil - Date.now();
    if (remaining > 0) {
      throw new ErpError(
        ErrorKind.Transient,
        `An earlier create under ERP lock ${this.key} may still commit: ${remaining} ms left to settle`,
        { vendorCode: 'CREATE_IN_DOUBT', retryAfterMs: remaining },
      );
    }
  }

  async createInDoubt(): Promise<void> {
    const until = Date.now() + this.store.settleMs;
    this.doubtUntil = Math.max(this.doubtUntil, until);
    this.store.warn('ERP create in doubt: the next create of this key waits for it to settle', {
      key: this.key,
      settleMs: this.store.settleMs,
    });
    await this.store.markInDoubt(this.key, this.token, until);
  }

  async whileCreating<T>(send: () => Promise<T>): Promise<T> {
    this.creating++;
    try {
      return await send();
    } finally {
      this.creating--;
    }
  }

  /** Waits until an earlier create has had its settle time (renewing the lease meanwhile); a lost lock ends it. */
  async waitOutDoubt(): Promise<void> {
    // A timer may fire a millisecond before the wall clock reaches its end (timers run on a monotonic clock): wait
    // until Date.now() has passed it, so that the create admitted next never finds 1 ms left.
    for (
      let remaining = this.doubtUntil - Date.now();
      remaining > 0 && !this.signal.aborted;
      remaining = this.doubtUntil - Date.now()
    ) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, remaining + 1);
        this.signal.addEventListener('abort', done);
      });
    }
    this.throwIfLost();
  }

  throwIfLost(): void {
    if (this.signal.aborted) {
      throw this.signal.reason as ErpError;
    }
  }

  /** Frees the key while it is still ours, once; a lost lock is not released (the key may be another holder's). */
  async release(): Promise<void> {
    if (this.released) {
      return;
    }
    this.released = true;
    clearTimeout(this.timer);
    if (!this.signal.aborted) {
      // A release Redis does not answer is harmless: the lease expires by itself.
      await this.store.release(this.key, this.token).catch(() => undefined);
    }
  }

  private scheduleRenewal(): void {
    this.timer = setTimeout(() => void this.renew(), this.store.renewEveryMs);
    this.timer.unref();
  }

  /** Never rejects: it runs from a timer, where a rejection would end the process. */
  private async renew(): Promise<void> {
    if (this.released || this.signal.aborted) {
      return;
    }
    try {
      const renewed = await this.store.renew(this.key, this.token);
      if (renewed) {
        if (!this.released) {
          this.scheduleRenewal();
        }
      } else {
        this.lose('its key was wiped or taken over');
      }
    } catch (error: unknown) {
      this.lose(`Redis did not renew it (${errorMessage(error)})`);
    }
  }

  private lose(why: string): void {
    if (this.signal.aborted || this.released) {
      return;
    }
    clearTimeout(this.timer);
    this.store.warn('ERP lock lost: its work is aborted and retried', { key: this.key, why, creating: this.creating });
    if (this.creating > 0) {
      // The next holder may take the key before this create's answer comes: for it, the create is in doubt.
      const until = Date.now() + this.store.settleMs;
      this.doubtUntil = Math.max(this.doubtUntil, until);
      void this.store.markInDoubt(this.key, this.token, until);
    }
    this.controller.abort(
      new ErpError(ErrorKind.Transient, `ERP lock ${this.key} lost: ${why}`, { vendorCode: 'LOCK_LOST' }),
    );
  }
}
