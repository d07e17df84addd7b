/**
 * The maths of our model of Shopify's leaky bucket (api-facts A.2: a bucket of `maximumAvailable` points, restored
 * at `restoreRate` points per second; a request is admitted only if `currentlyAvailable` ≥ its requested cost).
 *
 * Our model is reservation-based: every sender deducts its expected cost *before* sending, and `available` may go
 * below zero; a sender whose reservation left the bucket negative waits until the restore rate has filled it back
 * to zero, by which time Shopify's bucket holds its points. After each answer the model is re-synchronised with the
 * `throttleStatus` Shopify returned, minus what other senders still have in flight.
 *
 * Pure functions: the Redis Lua scripts (shopify-cost-bucket.ts) implement the same formulas, and the local fallback
 * uses these directly.
 */

/** The lowest restore rate of any Shopify plan (Standard, api-facts A.2): safe to assume before the first answer. */
export const CONSERVATIVE_RESTORE_RATE = 100;
/** The bucket size of the Standard plan; replaced by `maximumAvailable` from the first answer. */
export const CONSERVATIVE_CAPACITY = 2_000;

export interface BucketState {
  capacity: number;
  /** Points per second. */
  restoreRate: number;
  /** Points available at `updatedAtMs` (negative: reserved beyond what the bucket holds). */
  available: number;
  updatedAtMs: number;
  /** False until a Shopify answer has told us the real figures. */
  learned: boolean;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/**
 * State after a wipe or at first start: assume the bucket is empty (another process may have drained it just
 * before) and restores at the lowest plan rate, so the first requests wait a little instead of being throttled.
 */
export function initialBucketState(nowMs: number): BucketState {
  return {
    capacity: CONSERVATIVE_CAPACITY,
    restoreRate: CONSERVATIVE_RESTORE_RATE,
    available: 0,
    updatedAtMs: nowMs,
    learned: false,
  };
}

/** Points in the bucket at `nowMs`: what was there, plus what has leaked back in since, never above capacity. */
export function levelAt(state: BucketState, nowMs: number): number {
  const elapsedMs = Math.max(0, nowMs - state.updatedAtMs);
  return Math.min(state.capacity, state.available + (elapsedMs * state.restoreRate) / 1000);
}

/** Milliseconds until a bucket at `level` is back to zero (0 when it is not negative). */
export function waitForLevelMs(level: number, restoreRate: number): number {
  return level >= 0 ? 0 : Math.ceil((-level * 1000) / restoreRate);
}

/** Deducts `cost` now; the caller sends after `waitMs`. */
export function reserve(state: BucketState, cost: number, nowMs: number): { state: BucketState; waitMs: number } {
  const level = levelAt(state, nowMs) - cost;
  return {
    state: { ...state, available: level, updatedAtMs: nowMs },
    waitMs: waitForLevelMs(level, state.restoreRate),
  };
}

/**
 * After an answer. With a `throttleStatus` the model takes Shopify's figure (which already includes this request's
 * actual cost) minus `pendingOthers`, the points other senders reserved and have not settled. Without one (network
 * error, 5xx) the reservation stays spent unless `refund` says how much Shopify did not charge: being wrong on the
 * safe side costs a short wait, being wrong the other way costs a THROTTLED answer.
 */
export function settle(
  state: BucketState,
  outcome: { throttleStatus?: ThrottleStatus; pendingOthers: number; refund?: number },
  nowMs: number,
): BucketState {
  const { throttleStatus } = outcome;
  if (throttleStatus) {
    return {
      capacity: throttleStatus.maximumAvailable,
      restoreRate: throttleStatus.restoreRate,
      available: throttleStatus.currentlyAvailable - outcome.pendingOthers,
      updatedAtMs: nowMs,
      learned: true,
    };
  }
  const level = levelAt(state, nowMs) + Math.max(0, outcome.refund ?? 0);
  return { ...state, available: Math.min(state.capacity, level), updatedAtMs: nowMs };
}

/**
 * How long to wait after a THROTTLED answer before the same request can be admitted: the points missing, at the
 * restore rate (Shopify's own advice), plus a small margin for clock and rounding differences.
 */
export function throttledRetryDelayMs(requestedCost: number, status: ThrottleStatus, marginMs = 50): number {
  const missing = requestedCost - status.currentlyAvailable;
  if (missing <= 0 || status.restoreRate <= 0) {
    return marginMs;
  }
  return Math.ceil((missing * 1000) / status.restoreRate) + marginMs;
}
