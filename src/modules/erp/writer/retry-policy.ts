import { RETRY_JITTER_FACTORS, RETRY_TIERS_MS } from 'src/common/messaging/topology';

/** Transient failures are retried this many times (≈ 1 s, 5 s, 30 s, 2 min, 10 min, 30 min, 30 min…) before the DLQ. */
export const MAX_TRANSIENT_ATTEMPTS = 8;

/**
 * Unexpected errors (not an AppError, not an outage of ours: a bug until proven otherwise) are retried this many
 * times in all, through the 1 s and 5 s retry queues, before the DLQ: enough for a one-off, and the message leaves
 * its partition between attempts instead of holding the orders behind it.
 */
export const MAX_UNEXPECTED_ATTEMPTS = 3;

/**
 * Picks the retry delay for the `attempt`-th transient failure (1-based): exponential tiers, a random jitter
 * variant of ±20 %, never sooner than the ERP's Retry-After. Only delays that exist as TTL queues are returned.
 * `random` is injectable for tests.
 */
export function retryDelayMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const tierIndex = Math.min(Math.max(attempt, 1) - 1, RETRY_TIERS_MS.length - 1);
  let tier = RETRY_TIERS_MS[tierIndex] ?? RETRY_TIERS_MS[RETRY_TIERS_MS.length - 1] ?? 1_000;
  if (retryAfterMs !== undefined && retryAfterMs > 0) {
    // The smallest tier whose shortest jittered variant still honours Retry-After.
    const minFactor = Math.min(...RETRY_JITTER_FACTORS);
    const honouring = RETRY_TIERS_MS.find((t) => t * minFactor >= retryAfterMs);
    tier = Math.max(tier, honouring ?? RETRY_TIERS_MS[RETRY_TIERS_MS.length - 1] ?? tier);
  }
  const factors =
    retryAfterMs === undefined ? RETRY_JITTER_FACTORS : RETRY_JITTER_FACTORS.filter((f) => tier * f >= retryAfterMs);
  const pool = factors.length > 0 ? factors : [Math.max(...RETRY_JITTER_FACTORS)];
  const factor = pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))] ?? 1;
  return Math.round(tier * factor);
}

/** Exponential backoff with full jitter for in-process waits (infrastructure hiccups), capped. */
export function backoffMs(attempt: number, baseMs = 200, capMs = 5_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
