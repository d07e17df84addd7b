import { Logger } from '@nestjs/common';
import type { QueueOptions } from 'bull';
import Redis, { type RedisOptions } from 'ioredis';

type BullClientType = Parameters<NonNullable<QueueOptions['createClient']>>[0];

/**
 * The Redis connections of Bull's queues (Bull's `createClient`), so that they are bounded like the app's own client.
 * Bull opens three kinds per queue, and only one may get the short `commandTimeout`:
 * - `client` (job scripts, adds, locks): `commandTimeout`, so a stalled Redis fails a command instead of holding it;
 * - `bclient` waits in `BRPOPLPUSH … drainDelay` (5 s) for the next job: a `commandTimeout` shorter than that would
 *   fail every idle wait. It gets ioredis' `blockingTimeout` instead, which arms a timer of the command's own block
 *   time plus a grace, as a safety net against a dead connection;
 * - `subscriber` only listens. Both of the last two keep what Bull requires of them (no ready check, no per-request
 *   retry limit).
 *
 * Bull closes only the clients it created itself, so these are tracked here and closed by `closeAll` at shutdown,
 * after the queues.
 */
export class BullRedisConnections {
  private readonly logger = new Logger('BullRedis');
  private readonly clients: Redis[] = [];

  constructor(private readonly commandTimeoutMs: number) {}

  /** Bull's `createClient`: `redisOpts` are Bull's own (host, port and db from the URL, its retry strategy). */
  readonly create = (type: BullClientType, redisOpts: RedisOptions = {}): Redis => {
    const client = new Redis(BullRedisConnections.optionsFor(type, redisOpts, this.commandTimeoutMs));
    // Bull listens for errors only while its queue is open; a reconnect after that must not print an unhandled error.
    client.on('error', (error: Error) => this.logger.warn(`bull ${type} redis error: ${error.message}`));
    this.clients.push(client);
    return client;
  };

  /** The ioredis options of one kind of Bull connection (see the class comment). */
  static optionsFor(type: BullClientType, redisOpts: RedisOptions, commandTimeoutMs: number): RedisOptions {
    if (type === 'client') {
      return { ...redisOpts, commandTimeout: commandTimeoutMs };
    }
    const waiting: RedisOptions = { ...redisOpts, maxRetriesPerRequest: null, enableReadyCheck: false };
    delete waiting.commandTimeout;
    return type === 'bclient' ? { ...waiting, blockingTimeout: commandTimeoutMs } : waiting;
  }

  async closeAll(): Promise<void> {
    const clients = this.clients.splice(0);
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
