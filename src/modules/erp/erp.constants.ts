export const ERP_WRITE_GATE = Symbol('ERP_WRITE_GATE');
/** The lock shared by every process (Redis), lent to connectors and used around delta reads. */
export const ERP_KEYED_LOCK = Symbol('ERP_KEYED_LOCK');

/** A message waits at most this long in-process for an open circuit before it is handed back for a delayed retry. */
export const MAX_CIRCUIT_WAIT_MS = 5 * 60_000;
/** 429s retried in-process (after Retry-After) before the message is re-queued with a delay. */
export const MAX_THROTTLE_RETRIES = 20;
/** A check of the ERP connection is reused this long by /health/ready (one cheap read per process, not per probe). */
export const ERP_CONNECTION_CHECK_TTL_MS = 30_000;
/** The start waits this long for the first connection check; an ERP that is slow or down must not hold it longer. */
export const ERP_START_CHECK_WAIT_MS = 3_000;
