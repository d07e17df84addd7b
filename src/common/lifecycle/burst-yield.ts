import { Injectable } from '@nestjs/common';

/** Webhooks that resume after this long without one start a burst (a sale's first webhook, on a cold or idle process). */
export const BURST_QUIET_MS = 5_000;

/**
 * Tells when webhooks start coming after a quiet spell: the first webhook after `BURST_QUIET_MS` without one, which is
 * the first webhook of a flash sale on an idle or freshly started process. Signalled at once, before the webhook is
 * even published, so that the ERP side can hold back before the sale's first messages reach it. Steady traffic (a
 * webhook at least every 5 s) never signals; on a quiet store each order that follows a pause signals, which costs
 * its ERP write the hold (a second by default) and nothing else.
 */
@Injectable()
export class BurstDetector {
  private lastArrival = -Infinity;
  private readonly listeners: Array<() => void> = [];

  onStart(listener: () => void): void {
    this.listeners.push(listener);
  }

  arrived(now = Date.now()): void {
    const starts = now - this.lastArrival >= BURST_QUIET_MS;
    this.lastArrival = now;
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
