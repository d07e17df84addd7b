import type { DrainStats, FlashSaleResult } from 'scripts/lib/flash-sale.types';
import { pct, table } from 'scripts/lib/format';
import type { SandboxErpState } from 'test/simulators/sandbox/sandbox-erp.types';
import { formatLedgerVerdict } from 'test/support/ledger';
import { formatMs } from 'test/support/percentiles';

/** @description What the demo's summary reports besides the flash sale's own result. */
export interface DemoSummaryInput {
  result: FlashSaleResult;
  /** The ERP's concurrency limit (`--concurrency`). */
  limit: number;
  /** Writes (sandbox) or requests (vendor simulator) per second the ERP allows at most. */
  theoretical: number;
  /** Requests per second the app may send at most (lower than `theoretical` when ERP_MAX_RPS binds). */
  requestCeiling: number;
  /** True on a vendor simulator: the summary adds its request rate. */
  onSimulator: boolean;
  drainTimeoutMs: number;
  logFile: string;
}

/** Prints the summary table and the verdict; true when every order is in the ERP exactly once. */
export function printDemoSummary(input: DemoSummaryInput): boolean {
  const { result, drainTimeoutMs, logFile } = input;
  const l = result.ledger;
  const { state } = result;
  console.log(`\nSummary\n${'─'.repeat(7)}`);
  console.log(table(summaryRows(input)));
  for (const problem of l.problems) {
    console.log(`  ✗ ${problem}`);
  }
  if (result.timedOut) {
    console.log(`  ✗ gave up waiting for the ERP after ${Math.round(drainTimeoutMs / 1000)} s`);
  }
  const exactlyOnce = l.ok && !result.timedOut && state.counts.salesOrders === l.orders.expectedInErp;
  console.log(
    exactlyOnce
      ? `\n✓ Every order is in the ERP exactly once.`
      : `\n✗ Not every order is in the ERP exactly once (app log: ${logFile}).`,
  );
  return exactlyOnce;
}

function summaryRows(input: DemoSummaryInput): Array<[string, string]> {
  const { result, limit, theoretical, requestCeiling } = input;
  const l = result.ledger;
  const { drain, state, ack } = result;
  const writesPerOrder = drain.salesOrderWrites > 0 ? drain.erpWrites / drain.salesOrderWrites : 0;
  return [
    ['orders sent', `${l.sent} (mean body ${Math.round(result.meanBodyBytes)} bytes)`],
    [
      'accepted (200)',
      `${l.accepted} (${result.acceptedFirstAttempt} on the first attempt, ${result.retried} after retries)` +
        (l.rejected + l.failed > 0 ? `; rejected ${l.rejected}, failed ${l.failed}` : ''),
    ],
    ['in the ERP', `${state.counts.salesOrders} of ${l.orders.expectedInErp} expected`],
    ['duplicates', String(l.duplicatedRecords.length)],
    ['dead letters', `${result.deadLetters} (${l.orders.expectedDeadLettered} expected)`],
    [
      'ack latency p50 / p99',
      `${formatMs(ack.latencyMs.p50)} / ${formatMs(ack.latencyMs.p99)} ms (max ${formatMs(ack.latencyMs.max)} ms; ` +
        `open loop from the scheduled send time; generator lag p99 ${formatMs(ack.lagMs.p99)} ms)`,
    ],
    ['ERP peak concurrency', `${state.stats.peakConcurrency} (limit ${limit})`],
    ['ERP 429s seen', String(state.stats.counters.throttled429)],
    [
      'ERP drain rate',
      `${drain.writesPerSecond.toFixed(1)} writes/s vs ${theoretical.toFixed(1)} theoretical ` +
        `(${pct(drain.writesPerSecond, theoretical)}); ${drain.ordersPerSecond.toFixed(1)} orders/s at ` +
        `${writesPerOrder.toFixed(1)} writes per order`,
    ],
    ...(input.onSimulator
      ? ([['ERP request rate', erpRequestRate(state, drain, requestCeiling)]] as Array<[string, string]>)
      : []),
    ['done after', `${(drain.completedAfterStartMs / 1000).toFixed(1)} s`],
    ['ledger', formatLedgerVerdict(l)],
  ];
}

/** Governed requests the simulator served per second over the drain, against the limit's theoretical maximum. */
function erpRequestRate(state: SandboxErpState, drain: DrainStats, theoretical: number): string {
  const c = state.stats.counters;
  const served = c.ok + c.badRequest400 + c.unauthorized401 + c.dropped + c.error500;
  const spanS =
    drain.firstWriteAt !== undefined && drain.lastWriteAt !== undefined
      ? (drain.lastWriteAt - drain.firstWriteAt) / 1000
      : 0;
  const rate = spanS > 0 ? served / spanS : 0;
  return `${rate.toFixed(1)} requests/s vs ${theoretical.toFixed(1)} theoretical (${pct(rate, theoretical)}); ${served} requests, ${(served / Math.max(1, state.counts.salesOrders)).toFixed(1)} per order`;
}
