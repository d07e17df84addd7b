import type { DrainStats } from 'scripts/lib/flash-sale.types';
import type { SandboxLedgerEntry } from 'test/simulators/sandbox/sandbox-erp.types';

/** How fast the ERP took a run's writes, read from its ledger, against what its limit allows. */

/** Committed writes per second (first to last write) and how long after `startedAtEpochMs` the last one landed. */
export function drainStats(ledger: readonly SandboxLedgerEntry[], startedAtEpochMs: number): DrainStats {
  const times = ledger.map((e) => e.at).sort((a, b) => a - b);
  const salesOrders = ledger.filter((e) => e.type === 'salesOrder');
  const created = salesOrders.filter((e) => e.created).length;
  const first = times[0];
  const last = times[times.length - 1];
  const spanS = first !== undefined && last !== undefined ? (last - first) / 1000 : 0;
  return {
    erpWrites: ledger.length,
    salesOrderWrites: salesOrders.length,
    firstWriteAt: first,
    lastWriteAt: last,
    writesPerSecond: spanS > 0 ? (ledger.length - 1) / spanS : 0,
    ordersPerSecond: spanS > 0 ? (created - 1) / spanS : 0,
    completedAfterStartMs: last !== undefined ? last - startedAtEpochMs : 0,
  };
}

/** ERP writes per second the sandbox can take at most: its concurrency limit over its mean latency. */
export function theoreticalWritesPerSecond(limit: number, latencyMs: number): number {
  return limit / (latencyMs / 1000);
}

/** A generous wait for the backlog: twice the theoretical drain time of two writes per order, plus a minute. */
export function defaultDrainTimeoutMs(orders: number, limit: number, latencyMs: number): number {
  return Math.ceil((orders / theoreticalWritesPerSecond(limit, latencyMs)) * 2 * 1000 + 60_000);
}
