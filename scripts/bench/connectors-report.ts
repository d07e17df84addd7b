import os from 'node:os';
import type { ConnectorBenchOptions, ConnectorBenchResult } from 'scripts/bench/connectors.types';
import { percent as pct } from 'scripts/lib/format';
import { formatLedgerVerdict } from 'test/support/ledger';
import { formatMs } from 'test/support/percentiles';

/** The connector bench's verdict line per connector, and its Markdown report (docs/benchmarks-connectors.md). */

/** One line per connector, for the log and the demo-style summary. */
export function formatConnectorResult(r: ConnectorBenchResult): string {
  return (
    `${r.passed ? 'PASS' : 'FAIL'}: ${formatLedgerVerdict(r.flash.ledger)}; in the ERP ${r.flash.state.counts.salesOrders}/` +
    `${r.flash.ledger.orders.expectedInErp}; drain ${r.drainRps.toFixed(1)} of ${r.theoreticalRps.toFixed(1)} requests/s ` +
    `(${pct(r.drainShare)}); ${r.requestsPerOrder.toFixed(1)} requests per order; peak concurrency ${r.peakConcurrency}; ` +
    `throttled ${r.throttled}; dead letters ${r.flash.deadLetters}; ack p99 ${formatMs(r.flash.ack.latencyMs.p99)} ms` +
    (r.problems.length > 0 ? ` — ${r.problems.join('; ')}` : '')
  );
}

/** A Markdown report of the phase. */
export function renderConnectorBench(
  results: readonly ConnectorBenchResult[],
  o: Pick<
    ConnectorBenchOptions,
    'orders' | 'ratePerSecond' | 'limit' | 'latencyMs' | 'jitterMs' | 'outageSeconds' | 'outageAfterSeconds'
  >,
): string {
  const lines = [
    '# Connector benchmark: the flash sale per ERP connector (issue #3)',
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores. ${o.orders} signed orders/create at ${o.ratePerSecond}/s; ` +
      `each vendor simulator allows ${o.limit} concurrent requests of ${o.latencyMs} ± ${o.jitterMs} ms` +
      (o.outageSeconds > 0 ? `, and is down (503) for ${o.outageSeconds} s from ${o.outageAfterSeconds} s` : '') +
      '. Drain = governed requests served per second after the outage (or from the first write) against ' +
      "`limit ÷ latency`; the target is ≥ 90 %. Cin7: the simulator's 60/min budget is lifted; Cin7 and Business Central: " +
      'ERP_MAX_RPS is lifted so that only the concurrency limit binds (see bench-connectors.ts).',
    '',
    '| ERP | verdict | in the ERP | duplicates | dead letters | drain requests/s | of theoretical | requests per order | peak concurrency | throttled | backlog after outage | ack p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.erp} | ${r.passed ? 'PASS' : 'FAIL'} | ${r.flash.state.counts.salesOrders} / ${r.flash.ledger.orders.expectedInErp} | ` +
        `${r.flash.ledger.duplicatedRecords.length} | ${r.flash.deadLetters} | ${r.drainRps.toFixed(1)} | ${pct(r.drainShare)} | ` +
        `${r.requestsPerOrder.toFixed(1)} | ${r.peakConcurrency} / ${o.limit} | ${r.throttled} | ${r.backlogAtOutageEnd} | ` +
        `${formatMs(r.flash.ack.latencyMs.p99)} |`,
    ),
    '',
    ...results.flatMap((r) => (r.problems.length > 0 ? [`- ${r.erp}: ${r.problems.join('; ')}`] : [])),
  ];
  return lines.join('\n') + '\n';
}
