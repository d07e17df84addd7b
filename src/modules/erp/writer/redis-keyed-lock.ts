import type Redis from 'ioredis';
import { Mutex } from 'redis-semaphore';
import type { ErpKeyedLock } from 'src/modules/erp/port/erp-connector-context';

/**
 * A lock shared by every worker process (a redis-semaphore Mutex: Lua-atomic, with a lease that is refreshed while
 * held and expires if its holder dies). Used around lookup-then-create on ERPs without an upsert by external key.
 * Redis keeps nothing across a restart here; the lock narrows races, while the ERP lookup that follows it (and the
 * single active consumer per order partition) keeps redeliveries safe.
 */
export class RedisKeyedLock implements ErpKeyedLock {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs: number,
    private readonly prefix = 'erp-sync:erp-lock',
  ) {}

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const mutex = new Mutex(this.redis, `${this.prefix}:${key}`, {
      lockTimeout: this.leaseMs,
      acquireTimeout: this.leaseMs * 4,
      retryInterval: 20,
      refreshInterval: Math.floor(this.leaseMs * 0.6),
    });
    await mutex.acquire();
    try {
      return await work();
    } finally {
      await mutex.release().catch(() => undefined);
    }
  }
}
