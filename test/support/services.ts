import Redis from 'ioredis';
import { execFile } from 'node:child_process';
import { Client } from 'pg';
import { Connection } from 'rabbitmq-client';

/**
 * Checks and prepares this machine's real PostgreSQL, RabbitMQ and Redis for the demo, the benchmark and the
 * tests that run the app as a process. The start commands are the ones DEVELOPERS.md and `.ci/run` use.
 */

const CHECK_TIMEOUT_MS = 3_000;

export const START_COMMANDS = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  RabbitMQ: 'rabbitmq-server -detached',
  Redis:
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
} as const;
export const DOCKER_COMPOSE_COMMAND = 'docker compose -f docker-compose.services.yml up -d';

export type ServiceName = keyof typeof START_COMMANDS;

export interface ServiceStatus {
  name: ServiceName;
  /** The URL with any password masked. */
  url: string;
  reachable: boolean;
  error?: string;
  version?: string;
  startCommand: string;
}

export interface ServicesReport {
  ok: boolean;
  services: ServiceStatus[];
  down: ServiceStatus[];
  dockerCompose: string;
}

export interface ServiceUrls {
  databaseUrl: string;
  rabbitmqUrl: string;
  redisUrl: string;
}

/** Never print a password, even a local one. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return errorText(err.errors[0]);
  }
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The same server's `postgres` maintenance database: it exists even when the target database does not yet. */
function maintenanceUrl(databaseUrl: string): { url: string; database: string } {
  const u = new URL(databaseUrl);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres';
  u.pathname = '/postgres';
  return { url: u.toString(), database };
}

async function checkPostgres(databaseUrl: string): Promise<Pick<ServiceStatus, 'reachable' | 'error' | 'version'>> {
  const client = new Client({
    connectionString: maintenanceUrl(databaseUrl).url,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), CHECK_TIMEOUT_MS, 'PostgreSQL');
    const res = await withTimeout(
      client.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
      CHECK_TIMEOUT_MS,
      'PostgreSQL',
    );
    return { reachable: true, version: res.rows[0]?.v };
  } catch (err) {
    return { reachable: false, error: errorText(err) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(redisUrl: string): Promise<Pick<ServiceStatus, 'reachable' | 'error' | 'version'>> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The first socket error says why (ECONNREFUSED …); connect() itself only rejects with "Connection is closed".
  let firstError: unknown;
  redis.on('error', (err) => (firstError ??= err));
  try {
    await withTimeout(redis.connect(), CHECK_TIMEOUT_MS, 'Redis');
    await withTimeout(redis.ping(), CHECK_TIMEOUT_MS, 'Redis');
    const info = await withTimeout(redis.info('server'), CHECK_TIMEOUT_MS, 'Redis');
    return { reachable: true, version: /redis_version:([^\r\n]+)/.exec(info)?.[1] };
  } catch (err) {
    return { reachable: false, error: errorText(firstError ?? err) };
  } finally {
    redis.disconnect();
  }
}

/**
 * `Connection#close()` can wait forever when the broker went away mid-call (rabbitmq-client 5 waits for a socket
 * 'close' event that already happened), which would hang a harness whose broker another test just restarted.
 */
export async function closeRabbit(rabbit: Connection, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    rabbit.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A broker call that fails after `ms` instead of hanging while the broker is stopping or restarting. */
export function withBrokerTimeout<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  return withTimeout(promise, ms, `RabbitMQ ${what}`);
}

export function openRabbit(rabbitmqUrl: string): Connection {
  // No reconnect loop: a down broker must show as down now, not after rabbitmq-client's retries.
  const rabbit = new Connection({
    url: rabbitmqUrl,
    connectionTimeout: CHECK_TIMEOUT_MS,
    retryLow: 100,
    retryHigh: 200,
  });
  rabbit.on('error', () => undefined);
  return rabbit;
}

/** The broker's default vhost: reachability is about the broker, not about a vhost `ensureVhost` has yet to create. */
function brokerUrl(rabbitmqUrl: string): string {
  const u = new URL(rabbitmqUrl);
  u.pathname = '';
  return u.toString();
}

/** The vhost named by the URL's path; '/' when there is none. */
export function vhostOf(rabbitmqUrl: string): string {
  const path = new URL(rabbitmqUrl).pathname.replace(/^\//, '');
  return path === '' ? '/' : decodeURIComponent(path);
}

async function checkRabbit(rabbitmqUrl: string): Promise<Pick<ServiceStatus, 'reachable' | 'error' | 'version'>> {
  const rabbit = openRabbit(brokerUrl(rabbitmqUrl));
  let firstError: unknown;
  rabbit.on('error', (err) => (firstError ??= err));
  try {
    await withTimeout(rabbit.onConnect(CHECK_TIMEOUT_MS, true), CHECK_TIMEOUT_MS + 500, 'RabbitMQ');
    return { reachable: true };
  } catch (err) {
    return { reachable: false, error: errorText(firstError ?? err) };
  } finally {
    await closeRabbit(rabbit);
  }
}

/** Probes the three services in parallel, ≤ 3 s each. */
export async function checkServices(urls: ServiceUrls): Promise<ServicesReport> {
  const [pg, rabbit, redis] = await Promise.all([
    checkPostgres(urls.databaseUrl),
    checkRabbit(urls.rabbitmqUrl),
    checkRedis(urls.redisUrl),
  ]);
  const services: ServiceStatus[] = [
    { name: 'PostgreSQL', url: maskUrl(urls.databaseUrl), ...pg, startCommand: START_COMMANDS.PostgreSQL },
    { name: 'RabbitMQ', url: maskUrl(urls.rabbitmqUrl), ...rabbit, startCommand: START_COMMANDS.RabbitMQ },
    { name: 'Redis', url: maskUrl(urls.redisUrl), ...redis, startCommand: START_COMMANDS.Redis },
  ];
  const down = services.filter((s) => !s.reachable);
  return { ok: down.length === 0, services, down, dockerCompose: DOCKER_COMPOSE_COMMAND };
}

/** What to tell a person when something is down: which, why, and the command that starts it. */
export function formatServicesReport(report: ServicesReport): string {
  if (report.ok) {
    return report.services.map((s) => `${s.name} ${s.version ?? ''} reachable at ${s.url}`.trim()).join('\n');
  }
  const lines = ['Not reachable:'];
  for (const s of report.down) {
    lines.push(`  ✗ ${s.name} at ${s.url} (${s.error ?? 'no answer'})`, `      start it: ${s.startCommand}`);
  }
  for (const s of report.services.filter((x) => x.reachable)) {
    lines.push(`  ✓ ${s.name} at ${s.url}`);
  }
  lines.push(`Or, with Docker: ${report.dockerCompose}`);
  return lines.join('\n');
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates the URL's database if missing; with `reset`, drops it first (disconnecting any session still on it). */
export async function ensureDatabase(databaseUrl: string, options: { reset?: boolean } = {}): Promise<void> {
  const { url, database } = maintenanceUrl(databaseUrl);
  if (database === 'postgres') {
    throw new Error('refusing to create or reset the "postgres" maintenance database');
  }
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    if (options.reset) {
      // WITH (FORCE) (PostgreSQL 13+) ends sessions a previous, killed run may have left open.
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    }
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
    }
  } finally {
    await client.end();
  }
}

/** FLUSHDB on the URL's db index only (never FLUSHALL: other suites use other indexes). */
export async function flushRedisDb(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: CHECK_TIMEOUT_MS, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

function rabbitmqctl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('rabbitmqctl', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`rabbitmqctl ${args.join(' ')} failed: ${(stderr || err.message).trim().split('\n')[0]}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/**
 * Creates the URL's vhost (if it is not the default one) and grants the URL's user full rights on it, with
 * rabbitmqctl on this machine. A vhost of its own keeps a run's queues apart from any other app or test suite on
 * the same broker: queue names are fixed by the topology, so two apps in one vhost consume each other's messages.
 */
export async function ensureVhost(rabbitmqUrl: string): Promise<void> {
  await ensureVhosts(rabbitmqUrl, [vhostOf(rabbitmqUrl)]);
}

/**
 * `ensureVhost` for several vhosts of the URL's broker and user at once: two rabbitmqctl reads (about half a second
 * each, an Erlang VM start) when everything exists, and a write only for what is missing.
 */
export async function ensureVhosts(rabbitmqUrl: string, vhosts: readonly string[]): Promise<void> {
  const wanted = vhosts.filter((vhost) => vhost !== '/');
  if (wanted.length === 0) {
    return;
  }
  const user = decodeURIComponent(new URL(rabbitmqUrl).username) || 'guest';
  const names = (out: string): string[] => out.split('\n').map((line) => line.trim().split('\t')[0] ?? '');
  const [existing, permitted] = await Promise.all([
    rabbitmqctl(['-q', 'list_vhosts', 'name']).then(names),
    rabbitmqctl(['-q', 'list_user_permissions', user]).then(names),
  ]);
  for (const vhost of wanted) {
    if (!existing.includes(vhost)) {
      await rabbitmqctl(['add_vhost', vhost]);
    }
    if (!permitted.includes(vhost)) {
      await rabbitmqctl(['set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
    }
  }
}

/**
 * One queue purge. A quorum queue declared a moment ago on a fresh vhost may still be starting its Raft member: the
 * broker then ends the connection with INTERNAL_ERROR (its log: "Generic server terminating" on `queue.purge`). The
 * client reconnects by itself; the purge is tried again until the queue answers (a few attempts, backing off).
 */
async function purgeOnce(rabbit: Connection, queue: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await withBrokerTimeout(rabbit.queuePurge({ queue }), `purge of ${queue}`)).messageCount;
    } catch (err) {
      if (attempt >= 6 || (err as { code?: unknown }).code !== 'INTERNAL_ERROR') {
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export interface PurgeResult {
  /** Messages removed per existing queue. */
  purged: Record<string, number>;
  missing: string[];
}

/**
 * Empties the named queues that exist. Each is checked with a passive declare first, so a queue is never created
 * here, nor re-declared with arguments that differ from the app's topology (which would fail PRECONDITION_FAILED
 * and, on a quorum queue, is what the app must never race).
 */
export async function purgeQueues(rabbitmqUrl: string, names: readonly string[]): Promise<PurgeResult> {
  const rabbit = openRabbit(rabbitmqUrl);
  const result: PurgeResult = { purged: {}, missing: [] };
  try {
    await withTimeout(rabbit.onConnect(CHECK_TIMEOUT_MS, true), CHECK_TIMEOUT_MS + 500, 'RabbitMQ');
    for (const queue of names) {
      try {
        await withBrokerTimeout(rabbit.queueDeclare({ queue, passive: true }), `passive declare of ${queue}`);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'NOT_FOUND') {
          result.missing.push(queue);
          continue;
        }
        throw err;
      }
      result.purged[queue] = await purgeOnce(rabbit, queue);
    }
    return result;
  } finally {
    await closeRabbit(rabbit);
  }
}
