/**
 * The ERP concurrency limit the writer uses, learnt from the ERP's throttling (429 / its concurrency error).
 *
 * An ERP's concurrency limit is a hard edge: at the limit every request succeeds, one above it the extra request is
 * refused. So the policy steps, rather than halving as TCP does: one permit down per throttle signal (at most one
 * per `decreaseCooldownMs`, so a burst of 429s counts once), and one permit up per probe.
 *
 * - **Discovery** (never throttled yet): one permit up per `discoveryStepMs` while the permits are in use, from
 *   the starting value to the first throttle.
 * - **Probing** (throttled before): one permit up only after a quiet interval: `fastProbeMs` while below the
 *   highest value that held for `healthyAfterMs` (the limit probably came back: S3), else `slowProbeMs` (we are
 *   at the edge: each probe costs one refused request and the ERP's Retry-After, so it is rare).
 * - A probe refused twice in a row at or below the remembered healthy value lowers that value: the ERP's limit
 *   itself dropped (S18), and probing slows down to match.
 *
 * Pure: every method takes the time, so tests (and a simulation of S18) run without clocks or Redis. The gate
 * shares the state between processes through Redis.
 */
export interface AdaptiveLimitState {
  /** Permits allowed now. */
  value: number;
  /** Whether the ERP ever throttled us (end of discovery). */
  throttled: boolean;
  lastDecreaseAt: number;
  lastIncreaseAt: number;
  /** Since when `value` has held without a throttle. */
  stableSince: number;
  /** The highest value that held for `healthyAfterMs`: probing back up to it is fast. */
  healthy: number;
  /** Consecutive probes refused at or below `healthy`. */
  failedProbes: number;
  /** Successes since the last change: an increase needs the current permits to be in use. */
  successes: number;
}

export interface AdaptiveLimitOptions {
  min: number;
  max: number;
  initial: number;
  decreaseCooldownMs: number;
  discoveryStepMs: number;
  fastProbeMs: number;
  slowProbeMs: number;
  healthyAfterMs: number;
}

export const DEFAULT_ADAPTIVE_TIMINGS = {
  decreaseCooldownMs: 1_000,
  discoveryStepMs: 1_000,
  fastProbeMs: 10_000,
  slowProbeMs: 30_000,
  healthyAfterMs: 30_000,
} as const;

export class AdaptiveLimit {
  private state: AdaptiveLimitState;

  constructor(
    private readonly options: AdaptiveLimitOptions,
    now = 0,
  ) {
    const value = clamp(options.initial, options.min, options.max);
    this.state = {
      value,
      throttled: false,
      lastDecreaseAt: -Infinity,
      lastIncreaseAt: now,
      stableSince: now,
      healthy: options.min,
      failedProbes: 0,
      successes: 0,
    };
  }

  get current(): number {
    return this.state.value;
  }

  /** A copy, to share with other processes. */
  snapshot(): AdaptiveLimitState {
    return { ...this.state };
  }

  /** Adopts what another process decided (its value and schedule), keeping this process's success count. */
  adopt(state: AdaptiveLimitState): void {
    this.state = {
      ...state,
      value: clamp(state.value, this.options.min, this.options.max),
      // JSON has no -Infinity ("never"): it travels as null.
      lastDecreaseAt: state.lastDecreaseAt ?? -Infinity,
      successes: this.state.successes,
    };
  }

  /** Returns true when the value changed. */
  onSuccess(now: number): boolean {
    const s = this.state;
    s.successes++;
    if (now - s.stableSince >= this.options.healthyAfterMs && s.value > s.healthy) {
      s.healthy = s.value;
      s.failedProbes = 0;
    }
    if (s.value >= this.options.max || s.successes < s.value) {
      return false;
    }
    const quietFor = now - Math.max(s.lastIncreaseAt, s.lastDecreaseAt);
    const interval = !s.throttled
      ? this.options.discoveryStepMs
      : s.value < s.healthy
        ? this.options.fastProbeMs
        : this.options.slowProbeMs;
    if (quietFor < interval) {
      return false;
    }
    s.value++;
    s.lastIncreaseAt = now;
    s.stableSince = now;
    s.successes = 0;
    return true;
  }

  /** Returns true when the value changed. */
  onThrottle(now: number): boolean {
    const s = this.state;
    if (now - s.lastDecreaseAt < this.options.decreaseCooldownMs) {
      return false;
    }
    const wasProbe =
      s.throttled && s.lastIncreaseAt > s.lastDecreaseAt && now - s.lastIncreaseAt < this.options.fastProbeMs;
    if (wasProbe && s.value <= s.healthy + 1) {
      s.failedProbes++;
      if (s.failedProbes >= 2) {
        // The limit we remembered no longer holds: the ERP lowered it.
        s.healthy = Math.max(this.options.min, s.value - 1);
        s.failedProbes = 0;
      }
    }
    s.throttled = true;
    s.lastDecreaseAt = now;
    s.stableSince = now;
    s.successes = 0;
    const before = s.value;
    s.value = Math.max(this.options.min, s.value - 1);
    return s.value !== before;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
