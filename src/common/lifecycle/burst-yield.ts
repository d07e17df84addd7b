import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/** Webhooks that resume after this long without one start a burst (a sale's first webhook, on a cold or idle process). */
export const BURST_QUIET_MS = 5_000;
/** Within a burst, each window of this length that reaches `BURST_BUSY_ARRIVALS` webhooks says the burst goes on. */
export const BURST_WINDOW_MS = 500;
/** 25 webhooks in half a second: 50 a second, a flash sale's rate, not a busy store's ordinary day. */
export const BURST_BUSY_ARRIVALS = 25;

/** `start`: a burst's first webhook. `busy`: a burst goes on at a sale's rate (at most one per `BURST_WINDOW_MS`). */
export type BurstSignal = 'start' | 'busy';

export function isBurstSignal(value: unknown): value is BurstSignal {
  return value === 'start' || value === 'busy';
}

/**
 * Tells, where webhooks are answered, when a burst of them starts and while it goes on: `start` at the first webhook
 * after `BURST_QUIET_MS` without one (a flash sale's first webhook, on an idle or freshly started process), signalled
 * before that webhook is even published so that the ERP side can hold back before the sale's first messages reach it;
 * `busy` once in each `BURST_WINDOW_MS` that receives `BURST_BUSY_ARRIVALS` webhooks. Steady traffic (a webhook at
 * least every 5 s, under 50 a second) never signals; on a quiet store each order that follows a pause signals
 * `start`, which costs its ERP write the hold (a second by default) and nothing else. Per webhook: one comparison
 * and a counter.
 */
@Injectable()
export class BurstDetector {
  private lastArrival = -Infinity;
  private windowStart = -Infinity;
  private windowArrivals = 0;
  private readonly listeners: Array<(signal: BurstSignal) => void> = [];

  onSignal(listener: (signal: BurstSignal) => void): void {
    this.listeners.push(listener);
  }

  arrived(now = Date.now()): void {
    const starts = now - this.lastArrival >= BURST_QUIET_MS;
    this.lastArrival = now;
    if (now - this.windowStart >= BURST_WINDOW_MS) {
      this.windowStart = now;
      this.windowArrivals = 0;
    }
    this.windowArrivals += 1;
    if (starts) {
      this.emit('start');
    } else if (this.windowArrivals === BURST_BUSY_ARRIVALS) {
      this.emit('busy');
    }
  }

  private emit(signal: BurstSignal): void {
    this.listeners.forEach((listener) => listener(signal));
  }
}

/**
 * The ERP side's yield to a burst of webhooks (`BurstSignal`s, from every process that answers webhooks; see
 * `BurstChannel`), so that a flash sale's first moments, when ingest is busiest and least warm, have the machine's
 * CPU, PostgreSQL and the broker to themselves (ERP_YIELD_TO_BURST_MS; docs/architecture.md):
 * - **queue messages**: for `ERP_YIELD_TO_BURST_MS` after a `start`, no message starts its ERP work (messages already
 *   started go on). No hold exceeds `MAX_HOLD_MS`.
 * - **scheduled jobs** (Bull): none starts while the burst goes on, until `JOBS_BUSY_HOLD_MS` after its last signal,
 *   and never later than `JOBS_MAX_HOLD_MS` after the burst's start: a sale that lasts longer has its polls and
 *   pushes run as usual from then on, each at most one poll interval late. Jobs already running go on.
 */
@Injectable()
export class BurstYield implements OnApplicationShutdown {
  static readonly MAX_HOLD_MS = 5_000;
  static readonly JOBS_BUSY_HOLD_MS = 1_000;
  static readonly JOBS_MAX_HOLD_MS = 30_000;
  private holdUntil = 0;
  private lastSignal = -Infinity;
  private burstStart = -Infinity;
  private jobsUntil = 0;
  private jobsTimer: NodeJS.Timeout | undefined;
  private readonly jobListeners: Array<(held: boolean) => void> = [];

  /** A signal from ingest; `messagesHoldMs` is ERP_YIELD_TO_BURST_MS. */
  signal(signal: BurstSignal, messagesHoldMs: number, now = Date.now()): void {
    // A signal after a quiet spell opens a burst, whichever comes first (a worker started mid-sale sees `busy` first).
    if (now - this.lastSignal >= BURST_QUIET_MS) {
      this.burstStart = now;
    }
    this.lastSignal = now;
    if (signal === 'start') {
      this.hold(messagesHoldMs, now);
    }
    const until = Math.min(this.burstStart + BurstYield.JOBS_MAX_HOLD_MS, now + BurstYield.JOBS_BUSY_HOLD_MS);
    if (until > this.jobsUntil) {
      const wasHeld = this.jobsHeld(now);
      this.jobsUntil = until;
      if (!wasHeld) {
        this.jobListeners.forEach((listener) => listener(true));
        this.releaseJobsAt(until - now);
      }
    }
  }

  /** Queue messages: from now on, for `ms` (a later hold extends it; an earlier end never shortens it). */
  hold(ms: number, now = Date.now()): void {
    this.holdUntil = Math.max(this.holdUntil, now + Math.min(Math.max(ms, 0), BurstYield.MAX_HOLD_MS));
  }

  get holding(): boolean {
    return Date.now() < this.holdUntil;
  }

  /** Resolves once no hold of queue messages runs. */
  async wait(): Promise<void> {
    for (let left = this.holdUntil - Date.now(); left > 0; left = this.holdUntil - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  jobsHeld(now = Date.now()): boolean {
    return now < this.jobsUntil;
  }

  /** Scheduled jobs: told `true` when a hold starts and `false` when it ends (`BullJobIntake` pauses its queues). */
  onJobsHeld(listener: (held: boolean) => void): void {
    this.jobListeners.push(listener);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.jobsTimer);
  }

  private releaseJobsAt(delayMs: number): void {
    this.jobsTimer = setTimeout(() => {
      const left = this.jobsUntil - Date.now();
      if (left > 0) {
        this.releaseJobsAt(left);
      } else {
        this.jobListeners.forEach((listener) => listener(false));
      }
    }, delayMs);
    this.jobsTimer.unref();
  }
}
