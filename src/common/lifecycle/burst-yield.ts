import { Injectable } from '@nestjs/common';

/** A burst: this many webhooks within `BURST_WINDOW_MS` (200 a second)… */
export const BURST_WEBHOOKS = 20;
export const BURST_WINDOW_MS = 100;
/** …after at least this long without one: one signal per sale, not one every window while it lasts. */
export const BURST_QUIET_MS = 5_000;

/**
 * Tells when a burst of webhooks starts (a flash sale's first webhooks), from the arrivals ingest reports. Buckets of
 * `BURST_WINDOW_MS`; a bucket that reaches `BURST_WEBHOOKS` is busy, and a busy bucket after `BURST_QUIET_MS` without
 * one starts a burst.
 */
@Injectable()
export class BurstDetector {
  private bucketStart = -Infinity;
  private count = 0;
  private lastBusyAt = -Infinity;
  private readonly listeners: Array<() => void> = [];

  onStart(listener: () => void): void {
    this.listeners.push(listener);
  }

  arrived(now = Date.now()): void {
    if (now - this.bucketStart >= BURST_WINDOW_MS) {
      this.bucketStart = now;
      this.count = 0;
    }
    this.count++;
    if (this.count !== BURST_WEBHOOKS) {
      return;
    }
    const starts = now - this.lastBusyAt >= BURST_QUIET_MS;
    this.lastBusyAt = now;
    if (starts) {
      this.listeners.forEach((listener) => listener());
    }
  }
}

/**
 * The ERP side's yield to a burst: while a hold runs, no queue message starts its ERP work (messages already started
 * go on), so that the first second of a flash sale, when ingest is busiest and least warm, has the machine's CPU,
 * PostgreSQL and the broker to itself (ERP_YIELD_TO_BURST_MS; docs/architecture.md). Holds never exceed `MAX_HOLD_MS`.
 */
@Injectable()
export class BurstYield {
  static readonly MAX_HOLD_MS = 5_000;
  private holdUntil = 0;

  /** From now on, for `ms` (a later hold extends it; an earlier end never shortens it). */
  hold(ms: number, now = Date.now()): void {
    this.holdUntil = Math.max(this.holdUntil, now + Math.min(Math.max(ms, 0), BurstYield.MAX_HOLD_MS));
  }

  get holding(): boolean {
    return Date.now() < this.holdUntil;
  }

  /** Resolves once no hold runs. */
  async wait(): Promise<void> {
    for (let left = this.holdUntil - Date.now(); left > 0; left = this.holdUntil - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}
