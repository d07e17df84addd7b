/**
 * Additive-increase / multiplicative-decrease concurrency limit (the TCP congestion-control rule, as in Netflix's
 * concurrency-limits). Grows by about one permit per limit's worth of successes; shrinks by a quarter on a
 * throttle signal, at most once per `decreaseCooldownMs` so one burst of 429s counts as one signal.
 */
export class AimdLimit {
  private value: number;
  private lastDecreaseAt = -Infinity;

  constructor(
    private readonly max: number,
    initial: number = max,
    private readonly min = 1,
    private readonly decreaseFactor = 0.75,
    private readonly decreaseCooldownMs = 1_000,
  ) {
    this.value = Math.min(max, Math.max(min, initial));
  }

  /** Whole permits currently allowed. */
  get current(): number {
    return Math.max(this.min, Math.floor(this.value));
  }

  onSuccess(): void {
    this.value = Math.min(this.max, this.value + 1 / Math.max(1, this.value));
  }

  onThrottle(now: number = Date.now()): void {
    if (now - this.lastDecreaseAt < this.decreaseCooldownMs) {
      return;
    }
    this.lastDecreaseAt = now;
    this.value = Math.max(this.min, this.value * this.decreaseFactor);
  }
}
