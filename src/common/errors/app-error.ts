/** How the system should treat a failure, whatever layer raised it. */
export enum ErrorKind {
  /** The other side asked us to slow down (HTTP 429, a concurrency-limit error). Retry later, not counted as an attempt. */
  Throttled = 'throttled',
  /** Worth retrying with backoff: 5xx, timeouts, connection resets, an outage. */
  Transient = 'transient',
  /** Retrying cannot help: validation errors, unknown references. Dead-letter at once with the reason. */
  Permanent = 'permanent',
  /** Credentials rejected: alert and pause; do not burn retries. */
  Auth = 'auth',
  /**
   * Our settings point at something the other side does not have: a route that does not exist (a base URL missing a
   * path segment), an unknown company, environment or account. Nothing about the message: alert and pause like Auth,
   * never dead-letter; the work resumes once the setting is fixed.
   */
  Configuration = 'configuration',
}

/** Base of every typed error in the product. `code` is a per-module enum value; `kind` decides what happens next. */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
}

export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new Error(`${message}: ${JSON.stringify(value)}`);
}

/** A message for logs and audit rows from any thrown value, without stack traces. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}
