export const ERP_WRITE_GATE = Symbol('ERP_WRITE_GATE');
/** The lock shared by every process (Redis), lent to connectors and used around delta reads. */
export const ERP_KEYED_LOCK = Symbol('ERP_KEYED_LOCK');

/** A message waits at most this long in-process for an open circuit before it is handed back for a delayed retry. */
export const MAX_CIRCUIT_WAIT_MS = 5 * 60_000;
/** 429s retried in-process (after Retry-After) before the message is re-queued with a delay. */
export const MAX_THROTTLE_RETRIES = 20;
