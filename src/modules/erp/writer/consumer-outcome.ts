import { AppError, ErrorKind, assertNever, errorMessage } from 'src/common/errors/app-error';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { MAX_TRANSIENT_ATTEMPTS, retryDelayMs } from 'src/modules/erp/writer/retry-policy';

/** What the consumer does with a message after processing failed. */
export type ConsumerDecision =
  | { action: 'retry'; delayMs: number; countsAsAttempt: boolean; reason: string }
  | { action: 'dead-letter'; reason: string }
  /** Not an error of the message or the ERP (our own database is down, a bug): give it back to the queue. */
  | { action: 'requeue'; reason: string };

/** Delay while the ERP is paused (circuit open, bad credentials): long enough not to spin, short enough to resume. */
const PAUSED_RETRY_MS = 30_000;

/**
 * THE place where an error kind becomes retry / dead-letter / requeue (STYLE habit 4). `attempt` is how many
 * counted attempts already failed before this one.
 */
export function decideOnFailure(error: unknown, attempt: number): ConsumerDecision {
  if (!(error instanceof AppError)) {
    return { action: 'requeue', reason: errorMessage(error) };
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
      const next = attempt + 1;
      if (next >= MAX_TRANSIENT_ATTEMPTS) {
        return { action: 'dead-letter', reason: `gave up after ${next} attempts: ${error.message}` };
      }
      return { action: 'retry', delayMs: retryDelayMs(next, retryAfterMs), countsAsAttempt: true, reason: 'transient' };
    }
    default:
      return assertNever(error.kind);
  }
}
