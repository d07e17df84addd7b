import { AppError, ErrorKind, assertNever, errorMessage } from 'src/common/errors/app-error';
import {
  isDatabaseContention,
  unreachableServices,
  type InfrastructureService,
} from 'src/common/errors/infrastructure-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { MAX_TRANSIENT_ATTEMPTS, MAX_UNEXPECTED_ATTEMPTS, retryDelayMs } from 'src/modules/erp/writer/retry-policy';

/** What the consumer does with a message after processing failed. */
export type ConsumerDecision =
  | {
      action: 'retry';
      delayMs: number;
      /** Counts against MAX_TRANSIENT_ATTEMPTS (the ERP failed). */
      countsAsAttempt: boolean;
      /** Counts against MAX_UNEXPECTED_ATTEMPTS (an unexpected error: a bug until proven otherwise). */
      countsAsUnexpected?: boolean;
      reason: string;
    }
  | { action: 'dead-letter'; reason: string }
  /**
   * Not an error of the message or the ERP: our own PostgreSQL or Redis is unreachable. Consumption pauses until
   * they answer, and the message is run again, uncounted (see ConsumptionPause).
   */
  | { action: 'pause'; services: readonly InfrastructureService[]; reason: string };

/** Delay while the ERP is paused (circuit open, bad credentials): long enough not to spin, short enough to resume. */
const PAUSED_RETRY_MS = 30_000;

/**
 * A message of a flow an operator paused for its shop: it leaves its partition (other shops' messages go on) for a
 * short, uncounted trip through the retry queues, and is checked again when it comes back. Holding it unacknowledged
 * instead would stop the whole partition and, past RabbitMQ's consumer_timeout (30 min), close the channel and spend
 * the message's delivery count. The 5 s tier: a resumed flow picks its messages up within seconds.
 */
export function decideOnPausedFlow(): Extract<ConsumerDecision, { action: 'retry' }> {
  return { action: 'retry', delayMs: retryDelayMs(2), countsAsAttempt: false, reason: 'flow paused' };
}

/** Failed attempts a message has already spent, by what they count against. */
export interface SpentAttempts {
  /** Transient ERP failures (the `x-attempt` header). */
  transient: number;
  /** Unexpected errors (the `x-unexpected-attempts` header). */
  unexpected: number;
}

/**
 * THE place where an error kind becomes retry / dead-letter / pause (STYLE habit 4). `attempt` is how many
 * counted attempts already failed before this one, or both counts.
 */
export function decideOnFailure(error: unknown, attempt: number | SpentAttempts): ConsumerDecision {
  const spent = typeof attempt === 'number' ? { transient: attempt, unexpected: 0 } : attempt;
  if (!(error instanceof AppError)) {
    const services = unreachableServices(error);
    if (services !== undefined) {
      return { action: 'pause', services, reason: errorMessage(error) };
    }
    if (isDatabaseContention(error)) {
      return decideOnTransient(error, spent.transient, 'database contention');
    }
    return decideOnUnexpected(error, spent.unexpected);
  }
  const retryAfterMs = error instanceof ErpError ? error.details.retryAfterMs : undefined;
  switch (error.kind) {
    case ErrorKind.Permanent:
      return { action: 'dead-letter', reason: error.message };
    case ErrorKind.Throttled:
      return { action: 'retry', delayMs: retryDelayMs(1, retryAfterMs), countsAsAttempt: false, reason: 'throttled' };
    case ErrorKind.Auth:
      // Credentials are an operator problem: alert (logged + metric) and wait; retrying faster cannot help.
      return { action: 'retry', delayMs: retryDelayMs(3, PAUSED_RETRY_MS), countsAsAttempt: false, reason: 'auth' };
    case ErrorKind.Configuration:
      // A wrong base URL or company says nothing about this message: it waits, uncounted, for the setting to be fixed.
      return {
        action: 'retry',
        delayMs: retryDelayMs(3, PAUSED_RETRY_MS),
        countsAsAttempt: false,
        reason: 'configuration',
      };
    case ErrorKind.Transient: {
      if (error.code === 'CIRCUIT_OPEN') {
        return { action: 'retry', delayMs: retryDelayMs(3), countsAsAttempt: false, reason: 'circuit open' };
      }
      const next = spent.transient + 1;
      if (next >= MAX_TRANSIENT_ATTEMPTS) {
        return { action: 'dead-letter', reason: `gave up after ${next} attempts: ${error.message}` };
      }
      return { action: 'retry', delayMs: retryDelayMs(next, retryAfterMs), countsAsAttempt: true, reason: 'transient' };
    }
    default:
      return assertNever(error.kind);
  }
}

/**
 * An error that is neither an AppError nor an outage of ours: a code bug (a RangeError from money parsing), or
 * something not foreseen. It is retried through the retry queues like a transient failure, so the message leaves
 * its partition meanwhile, and dead-lettered with the stack after MAX_UNEXPECTED_ATTEMPTS: a bug that fails three
 * times with backoff will fail the next time too.
 */
export function decideOnUnexpected(
  error: unknown,
  unexpectedAttempts: number,
): Exclude<ConsumerDecision, { action: 'pause' }> {
  const next = unexpectedAttempts + 1;
  if (next >= MAX_UNEXPECTED_ATTEMPTS) {
    const stack = error instanceof Error && error.stack !== undefined ? error.stack : errorMessage(error);
    return { action: 'dead-letter', reason: `unexpected error after ${next} attempts: ${stack}`.slice(0, 2_000) };
  }
  return {
    action: 'retry',
    delayMs: retryDelayMs(next),
    countsAsAttempt: false,
    countsAsUnexpected: true,
    reason: 'unexpected error',
  };
}

/** A failure worth retrying with backoff, counted: dead-lettered after MAX_TRANSIENT_ATTEMPTS. */
function decideOnTransient(error: unknown, transientAttempts: number, reason: string): ConsumerDecision {
  const next = transientAttempts + 1;
  if (next >= MAX_TRANSIENT_ATTEMPTS) {
    return { action: 'dead-letter', reason: `gave up after ${next} attempts: ${errorMessage(error)}` };
  }
  return { action: 'retry', delayMs: retryDelayMs(next), countsAsAttempt: true, reason };
}
