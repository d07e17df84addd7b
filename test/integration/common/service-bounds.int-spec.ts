import Bull from 'bull';
import type Redis from 'ioredis';
import { BullRedisConnections } from 'src/common/redis/bull-redis-connections';
import { createRedisClient } from 'src/common/redis/redis.module';
import { appDataSourceOptions, createDataSource } from 'src/database/data-source';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase, flushRedisDb } from 'test/support/services';
import { TcpProxy } from 'test/support/tcp-proxy';
import { testConfig } from 'test/support/test-config';
import { DataSource } from 'typeorm';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.serviceBounds;

/** Resolves how long `promise` took to settle, and how (never rejects). */
async function settle(promise: Promise<unknown>): Promise<{ ms: number; error?: Error }> {
  const started = Date.now();
  try {
    await promise;
    return { ms: Date.now() - started };
  } catch (error: unknown) {
    return { ms: Date.now() - started, error: error as Error };
  }
}

/** `promise`, or a rejection after `ms` (a test of a timeout must not hang when the timeout is missing). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The app's waits on its own infrastructure are bounded (README "Reliability choices", bounds): a PostgreSQL
 * statement past DATABASE_STATEMENT_TIMEOUT_MS is cancelled by the server; a Redis that stops answering (stalled
 * behind a proxy of this test's own, the real Redis untouched) fails each command after REDIS_COMMAND_TIMEOUT_MS, on
 * the app's client and on Bull's, while Bull's blocking wait for jobs keeps working past that timeout.
 */
describe('bounded waits on PostgreSQL and Redis (real services)', () => {
  const config = testConfig(DB, REDIS_DB, { DATABASE_STATEMENT_TIMEOUT_MS: '300', REDIS_COMMAND_TIMEOUT_MS: '300' });
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    await ensureDatabase(config.database.url, { reset: true });
    await flushRedisDb(config.redis.url);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) {
      await close().catch(() => undefined);
    }
  });

  describe('PostgreSQL statement_timeout', () => {
    it('the app DataSource cancels a statement that runs past the timeout, fast; migrations run without it', async () => {
      const app = new DataSource(appDataSourceOptions(config.database));
      await app.initialize();
      closers.push(() => app.destroy());
      const slow = await settle(within(app.query('SELECT pg_sleep(3)'), 10_000));
      expect(slow.error?.message).toMatch(/statement timeout/);
      expect((slow.error as Error & { driverError?: { code?: string } }).driverError?.code).toBe('57014');
      expect(slow.ms).toBeLessThan(1_500);
      // The pool is still usable afterwards.
      await expect(app.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);

      // The migration runner's DataSource (runMigrationsLocked) is exempt: a migration may take as long as it takes.
      const migrations = createDataSource(config.database.url);
      await migrations.initialize();
      closers.push(() => migrations.destroy());
      await expect(migrations.query('SHOW statement_timeout')).resolves.toEqual([{ statement_timeout: '0' }]);
    });
  });

  describe('Redis commandTimeout', () => {
    let proxy: TcpProxy;
    let proxiedUrl: string;

    beforeEach(async () => {
      const target = new URL(config.redis.url);
      proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const port = await proxy.listen();
      target.port = String(port);
      proxiedUrl = target.toString();
    });

    afterEach(async () => {
      await proxy.close();
    });

    it("the app's client fails a command that gets no answer after the timeout instead of waiting for ever", async () => {
      const redis: Redis = createRedisClient({ ...config.redis, url: proxiedUrl });
      redis.on('error', () => undefined);
      try {
        await expect(redis.set('bounds:key', 'v')).resolves.toBe('OK');
        proxy.stall();
        const stalled = await settle(within(redis.get('bounds:key'), 5_000));
        expect(stalled.error?.message).toBe('Command timed out');
        expect(stalled.ms).toBeLessThan(1_500);
        proxy.resume();
        await expect(redis.get('bounds:key')).resolves.toBe('v');
      } finally {
        redis.disconnect();
      }
    });

    it("Bull's command client fails fast on a stalled Redis; its blocking client still waits for jobs past the timeout", async () => {
      const prefix = `bounds-it-${process.pid}`;
      // As AppModule configures Bull (BullModule.forRootAsync): the URL, and the connections from BullRedisConnections.
      const connections = new BullRedisConnections(config.redis.commandTimeoutMs);
      const queue = new Bull('bounds', config.redis.url, { prefix, createClient: connections.create });
      const stalledConnections = new BullRedisConnections(config.redis.commandTimeoutMs);
      const stalledQueue = new Bull('bounds-stalled', proxiedUrl, { prefix, createClient: stalledConnections.create });
      stalledQueue.on('error', () => undefined);
      try {
        const processed: unknown[] = [];
        void queue.process((job) => {
          processed.push(job.data);
          return Promise.resolve();
        });
        await queue.isReady();
        const errors: Error[] = [];
        queue.on('error', (error: Error) => errors.push(error));
        // Idle for longer than the command timeout: the worker's BRPOPLPUSH (blocking up to drainDelay, 5 s) is not cut.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await queue.add({ n: 1 });
        for (let i = 0; i < 100 && processed.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(processed).toEqual([{ n: 1 }]);
        expect(errors.map((e) => e.message)).not.toContain('Command timed out');

        // The same kind of queue behind the stalling proxy: adding a job fails after the timeout.
        await stalledQueue.isReady();
        proxy.stall();
        const add = await settle(within(stalledQueue.add({ n: 2 }), 5_000));
        expect(add.error?.message).toBe('Command timed out');
        expect(add.ms).toBeLessThan(1_500);
      } finally {
        proxy.resume();
        await within(stalledQueue.close(true), 3_000).catch(() => undefined);
        await stalledConnections.closeAll();
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        await connections.closeAll();
      }
    });
  });
});
