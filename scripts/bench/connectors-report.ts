import os from 'node:os';
import type { ConnectorBenchFigures, ConnectorBenchResult } from 'scripts/bench/connectors.types';
import { percent as pct } from 'scripts/lib/format';
import { ORDER_PARTITIONS, ORDERS_IN_FLIGHT_PER_PARTITION } from 'src/common/messaging/topology';
import { formatLedgerVerdict } from 'test/support/ledger';
import { formatMs } from 'test/support/percentiles';

/** The connector bench's verdict line per connector, its section of the bench report, and its standalone report. */

/** One line per connector, for the log and the demo-style summary. */
export function formatConnectorResult(r: ConnectorBenchResult): string {
  return (
    `${r.passed ? 'PASS' : 'FAIL'}: ${formatLedgerVerdict(r.flash.ledger)}; in the ERP ${r.flash.state.counts.salesOrders}/` +
    `${r.flash.ledger.orders.expectedInErp}; drain ${r.drainRps.toFixed(1)} of ${r.theoreticalRps.toFixed(1)} requests/s ` +
    `(${pct(r.drainShare)}); ${r.requestsPerOrder.toFixed(1)} requests per order; ` +
    (r.calls === undefined
      ? ''
      : `calls per order ${r.calls.newCustomers.perOrder.toFixed(2)} new / ${r.calls.returningCustomers.perOrder.toFixed(2)} returning customers; `) +
    `peak concurrency ${r.peakConcurrency}; ` +
    `throttled ${r.throttled}; dead letters ${r.flash.deadLetters}; ack p99 ${formatMs(r.flash.ack.latencyMs.p99)} ms` +
    (r.problems.length > 0 ? ` — ${r.problems.join('; ')}` : '')
  );
}

/**
 * The lines of the connector section (between its title and its command): setup, the sale's table, any problems, then
 * the calls per order for new and returning customers.
 */
export function renderConnectorSection({ results, timing: o }: ConnectorBenchFigures): string[] {
  const problems = results.filter((r) => r.problems.length > 0).map((r) => `- ${r.erp}: ${r.problems.join('; ')}`);
  return [
    `Issue #3's flash sale through each real ERP connector to that vendor's simulator: ${o.orders} signed ` +
      `\`orders/create\` at ${o.ratePerSecond}/s, no warm-up; each simulator allows ${o.limit} concurrent requests of ` +
      `${o.latencyMs} ± ${o.jitterMs} ms` +
      (o.outageSeconds > 0 ? ` and is down (503) for ${o.outageSeconds} s from ${o.outageAfterSeconds} s` : '') +
      '. Drain = governed requests served per second after the outage (or from the first write) against ' +
      "`limit ÷ latency`, target ≥ 90 %. Cin7's 60/min budget is lifted in its simulator, and `ERP_MAX_RPS` for " +
      'Cin7 and Business Central, so that only the concurrency limit binds (scripts/bench/connectors.ts).',
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
    ...(problems.length > 0 ? ['', ...problems] : []),
    '',
    'Calls per order (issue #15): after the sale, two bursts of orders without an outage into the same app and ERP: ' +
      'first orders of customers nobody has seen (each its own Shopify customer and e-mail), then orders of those ' +
      'same customers, unchanged. Calls are the requests the ERP served in the burst (throttle answers apart) per ' +
      'order; the target is the fewest the API allows on the first attempt (NetSuite and Business Central 2 and 1, ' +
      'Cin7 3 and 2), 5 % above it passes, and the exact ledger judges every sale of the run together ' +
      "(scripts/bench/connectors-calls.ts). A new customer's e-mail look-up is shared by the orders in flight, at " +
      `most ${ORDER_PARTITIONS * ORDERS_IN_FLIGHT_PER_PARTITION} at a time (${ORDERS_IN_FLIGHT_PER_PARTITION} per ` +
      `order partition, ${ORDER_PARTITIONS} partitions).`,
    '',
    '| ERP | new customers: orders | calls per order | target | returning customers: orders | calls per order | target | ledger |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((r) =>
      r.calls === undefined
        ? `| ${r.erp} | – | not measured (the sale did not drain) | | | | | |`
        : `| ${r.erp} | ${r.calls.newCustomers.orders} | ${r.calls.newCustomers.perOrder.toFixed(2)} | ` +
          `${r.calls.newCustomers.target} | ${r.calls.returningCustomers.orders} | ` +
          `${r.calls.returningCustomers.perOrder.toFixed(2)} | ${r.calls.returningCustomers.target} | ` +
          `${r.calls.newCustomers.ledgerOk && r.calls.returningCustomers.ledgerOk ? 'exact' : 'FAIL'} |`,
    ),
  ];
}

/** The standalone command's report (scripts/bench-connectors.ts): a title, the run's date, then the section's lines. */
export function renderConnectorBench(figures: ConnectorBenchFigures, at = new Date()): string {
  return (
    [
      '# Connector benchmark: the flash sale per ERP connector (issue #3)',
      '',
      `Run ${at.toISOString()} on ${os.cpus().length} cores.`,
      '',
      ...renderConnectorSection(figures),
    ].join('\n') + '\n'
  );
}
