import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/**
 * @description A PostgreSQL session advisory lock key. A string is hashed with `hashtext` (so the same string locks
 * the same thing in every process and every version that used `hashtext(key)`); a number is the 64-bit lock id
 * itself.
 */
export type AdvisoryLockKey = string | number;

/**
 * Session advisory locks, each held on a connection of its own for as long as its work runs, so that one job runs at
 * a time across every process sharing the database. The work itself runs on the ordinary pool; the dedicated
 * session only holds the lock, and is unlocked and given back to the pool whatever the work did (a crashed process
 * frees its locks when its sessions end).
 */
@Injectable()
export class AdvisoryLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` if nobody holds `key`; `undefined` (nothing run) when someone does. */
  async tryExclusive<T>(key: AdvisoryLockKey, work: () => Promise<T>): Promise<T | undefined> {
    return this.holding(key, (id) => `SELECT pg_try_advisory_lock(${id}) AS locked`, work);
  }

  /** Runs `work` once `key` is free, waiting for it as long as it takes (migrations at start-up). */
  async exclusive<T>(key: AdvisoryLockKey, work: () => Promise<T>): Promise<T> {
    // pg_advisory_lock returns void once the lock is held: its one row says so.
    const done = await this.holding(
      key,
      (id) => `SELECT true AS locked FROM pg_advisory_lock(${id})`,
      async () => ({
        value: await work(),
      }),
    );
    if (done === undefined) {
      // Unreachable: pg_advisory_lock returns only once the lock is held.
      throw new Error(`advisory lock ${String(key)} was not taken`);
    }
    return done.value;
  }

  private async holding<T>(
    key: AdvisoryLockKey,
    lockSql: (id: string) => string,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const rows = (await session.query(lockSql(keySql(key)), [key])) as Array<{ locked: boolean }>;
      if (rows[0]?.locked !== true) {
        return undefined;
      }
      try {
        return await work();
      } finally {
        await unlock(session, key);
      }
    } finally {
      await session.release();
    }
  }
}

/** `hashtext` gives an int4, which PostgreSQL widens to the same bigint lock id every earlier version used. */
function keySql(key: AdvisoryLockKey): string {
  return typeof key === 'string' ? 'hashtext($1)' : '$1::bigint';
}

async function unlock(session: QueryRunner, key: AdvisoryLockKey): Promise<void> {
  await session.query(`SELECT pg_advisory_unlock(${keySql(key)})`, [key]);
}
