/**
 * Which failures say that one of our own services (PostgreSQL, Redis) is unreachable, as opposed to a bug or a
 * message PostgreSQL refuses. A consumer pauses on the first kind (the message is not at fault, so it must not spend
 * its delivery count), and judges the message on the others. Recognised by the exact codes and messages of node's
 * sockets, `pg`, `pg-pool`, TypeORM and ioredis, never by a loose pattern: a code bug must not pass for an outage.
 */

/** @description Our own services a message handler depends on, each with a health probe. */
export type InfrastructureService = 'postgresql' | 'redis';

/** Socket errors of an unreachable peer (node's `code`); the peer is not named, so every service is probed. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server that cannot serve now: class 08 (connection exception), too many connections,
 * and the server shutting down or starting (57P01–57P03).
 */
const POSTGRES_UNAVAILABLE = /^(08...|53300|57P0[123])$/;

/** What `pg` and `pg-pool` throw when the connection is lost or cannot be had (they set no code). */
const POSTGRES_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);

/** What ioredis throws for a command while Redis is unreachable (after its retries, or with no offline queue). */
const REDIS_MESSAGES = new Set([
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
]);

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and the errors it wraps: TypeORM's `driverError`, `cause`, an AggregateError's `errors`. */
function chain(error: unknown, depth = 0): ErrorShape[] {
  if (typeof error !== 'object' || error === null || depth > 4) {
    return [];
  }
  const shape = error as ErrorShape;
  const wrapped: unknown[] = Array.isArray(shape.errors) ? (shape.errors as unknown[]) : [];
  const inner = [shape.driverError, shape.cause, ...wrapped];
  return [shape, ...inner.flatMap((e) => chain(e, depth + 1))];
}

/**
 * The services an error says are unreachable, or undefined when it is not an outage of ours. A bare socket error
 * names no service, so both are returned (the caller probes each).
 */
export function unreachableServices(error: unknown): readonly InfrastructureService[] | undefined {
  const found = new Set<InfrastructureService>();
  for (const e of chain(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    if (code !== undefined && POSTGRES_UNAVAILABLE.test(code)) {
      found.add('postgresql');
    } else if (POSTGRES_MESSAGES.has(message)) {
      found.add('postgresql');
    } else if (e.name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.has(message)) {
      found.add('redis');
    } else if (code !== undefined && SOCKET_CODES.has(code)) {
      found.add('postgresql');
      found.add('redis');
    }
  }
  return found.size > 0 ? [...found].sort() : undefined;
}

/**
 * PostgreSQL refused the data of a statement, not the statement itself: SQLSTATE class 22 (data exception: a NUL
 * byte in text, a number out of range, bad JSON) or 23 (integrity constraint). Or the values could not even be
 * turned into parameters (an invalid Date throws RangeError). Splitting a batch isolates such a row; any other
 * failure (a missing table, a syntax error) would fail every row alike.
 */
export function isDataRejection(error: unknown): boolean {
  if (error instanceof RangeError || error instanceof TypeError) {
    return true;
  }
  return chain(error).some((e) => typeof e.code === 'string' && /^2[23]...$/.test(e.code));
}

/**
 * PostgreSQL gave up on a statement because of other work, not because of it: a serialization failure, a deadlock,
 * a lock not available, a statement timeout (40001, 40P01, 55P03, 57014). Worth retrying with backoff like a
 * transient failure; neither an outage (the server answers) nor a bug.
 */
export function isDatabaseContention(error: unknown): boolean {
  return chain(error).some((e) => typeof e.code === 'string' && /^(40001|40P01|55P03|57014)$/.test(e.code));
}
