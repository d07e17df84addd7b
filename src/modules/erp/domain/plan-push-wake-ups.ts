import type { ErpChangeStream } from 'src/modules/erp/port/erp.types';

/** Coalesces pushes: while a wake-up read of a stream is waiting, more pushes for it add nothing. */
export const WAKE_DEBOUNCE_MS = 2_000;

/** @description One delta read a verified push schedules: which stream, under which job id, after which delay. */
export interface ErpWakeUp {
  stream: ErpChangeStream;
  /**
   * `push:{stream}:{slot}`, the same for every push of the stream within one debounce slot, so the queue keeps one
   * job per stream per slot however many pushes arrive.
   */
  jobId: string;
  delayMs: number;
}

/**
 * @description The delta reads a verified push may wake. Pure: the streams it names that the connector can read
 * (every stream when the connector does not say), in the push's order, keyed by the debounce slot `now` falls in.
 *
 * @example
 * planPushWakeUps(['items', 'shipments'], ['items', 'inventory'], 4_100);
 * // → [{ stream: 'items', jobId: 'push:items:2', delayMs: 2000 }]
 */
export function planPushWakeUps(
  requested: readonly ErpChangeStream[],
  readable: readonly ErpChangeStream[] | undefined,
  now: number,
): ErpWakeUp[] {
  const slot = Math.floor(now / WAKE_DEBOUNCE_MS);
  return requested
    .filter((stream) => readable === undefined || readable.includes(stream))
    .map((stream) => ({ stream, jobId: `push:${stream}:${slot}`, delayMs: WAKE_DEBOUNCE_MS }));
}
