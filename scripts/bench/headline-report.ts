import { type FlashTopology, topologyLabel } from 'scripts/bench/bench-flags';
import type { HeadlineResult } from 'scripts/bench/bench-report.types';
import { theoreticalWritesPerSecond } from 'scripts/lib/drain';
import { ms, pct, rate1 } from 'scripts/lib/format';
import { formatLedgerVerdict } from 'test/support/ledger';
import { formatServerAck } from 'test/support/server-ack-histogram';

/** The report's flash-sale (one per topology) and ERP-outage sections (scripts/bench/report-file.ts). */

export interface HeadlineSectionOptions {
  topology: FlashTopology;
  warmupOrders: number;
  sockets: number;
}

/** The flash sale of issue #2 (scenario S1): one table, the warm figures and the cold start side by side. */
export function renderFlashSection(h: HeadlineResult, o: HeadlineSectionOptions): string[] {
  return [setup(h, o), '', ...table([...ackRows(h, o), ...erpRows(h), ...targetRow(h)])];
}

/** Issue #15's cold-start target: every webhook 200, ack p99 under 50 ms, each order once, in every run. */
const COLD_P99_TARGET_MS = 50;

/**
 * `flash --cold`: one row per run (a service started for it, the sale sent the moment it reported ready, no
 * warm-up), then the median and the worst of the runs' p99 and the target.
 */
export function renderColdFlashSection(runs: readonly HeadlineResult[], o: HeadlineSectionOptions): string[] {
  const first = runs[0];
  if (first === undefined) {
    return ['No run finished.'];
  }
  const setupText =
    `${first.orders} signed \`orders/create\` webhooks at ${first.rate}/s into the app deployed as ` +
    `${topologyLabel(o.topology)}, sent the moment the freshly started service reported ready on fresh ` +
    'infrastructure (new database, vhost and Redis), with no warm-up orders: what a new deployment, or an instance ' +
    `started because traffic spiked, meets. ${runs.length} runs, each quoted. The generator sends each webhook on a ` +
    `pool of up to ${o.sockets} keep-alive sockets. Sandbox ERP (a simulation): limit ${first.limit} concurrent ` +
    `requests of ${first.latencyMs} ± 30 ms, draining during the sale.`;
  const rows = runs.map((h, i) => {
    const { ack, ledger: l, serverAck } = h.flash;
    return (
      `| ${i + 1} | ${l.accepted === l.sent ? 'yes' : `no (${l.accepted} of ${l.sent})`} | ${ms(ack.latencyMs.p50)} / ` +
      `**${ms(ack.latencyMs.p99)}** / ${ms(ack.latencyMs.max)} | ${formatServerAck(serverAck)} | ${ms(ack.lagMs.p99)} | ` +
      `${h.flash.deadLetters} | ${formatLedgerVerdict(l)} |`
    );
  });
  const p99s = runs.map((h) => h.flash.ack.latencyMs.p99).sort((a, b) => a - b);
  const median = p99s[Math.floor((p99s.length - 1) / 2)] ?? NaN;
  const worst = p99s.at(-1) ?? NaN;
  const met = runs.every(
    (h) =>
      h.flash.ledger.accepted === h.flash.ledger.sent &&
      h.flash.ack.latencyMs.p99 < COLD_P99_TARGET_MS &&
      h.flash.ledger.verdict === 'pass',
  );
  return [
    setupText,
    '',
    '| run | every webhook 200 | ack p50 / p99 / max (ms) | ack in the app p50 / p99 / max (ms) | generator lag p99 (ms) | dead letters | ledger |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Ack p99 over the runs: median **${ms(median)} ms**, worst **${ms(worst)} ms**. Target (every run: all 200, ack ` +
      `p99 < ${COLD_P99_TARGET_MS} ms, ledger exact): ${met ? 'met' : '**not met**'}.`,
  ];
}

/** The same sale with the ERP down part-way (scenario S2): what ingest felt, and how the backlog drained after. */
export function renderOutageSection(h: HeadlineResult, o: HeadlineSectionOptions): string[] {
  const outage = h.outage;
  if (!outage) {
    return renderFlashSection(h, o);
  }
  const rows = [
    ...ackRows(h, o),
    `| ERP down (maintenance 503) | from ${outage.startAfterS} s to ${outage.startAfterS + outage.seconds} s after the first webhook |`,
    `| orders waiting when the ERP came back | ${outage.backlogAtEnd} |`,
    `| backlog drained after the outage | **${(outage.drainAfterEndMs / 1000).toFixed(1)} s** (S2 bound: backlog ÷ ` +
      `theoretical × 1.1 + 30 s = ${(outage.boundMs / 1000).toFixed(1)} s) |`,
    ...erpRows(h),
    ...targetRow(h),
  ];
  const down = ` The ERP is down (maintenance 503) for ${outage.seconds} s from ${outage.startAfterS} s after the first webhook.`;
  return [setup(h, o) + down, '', ...table(rows)];
}

function setup(h: HeadlineResult, o: HeadlineSectionOptions): string {
  return (
    `${h.orders} signed \`orders/create\` webhooks at ${h.rate}/s into the app deployed as ${topologyLabel(o.topology)}, ` +
    `right after ${o.warmupOrders} warm-up orders sent by the same open loop at the same rate, so that the timed sale ` +
    'meets a running service as a real one does; the warm-up orders are real orders (in the ledger and the drain), ' +
    'and their own ack is the cold-start figure. The generator sends each webhook on a pool of up to ' +
    `${o.sockets} keep-alive sockets (Shopify queues no webhook behind another). Sandbox ERP (a simulation): limit ` +
    `${h.limit} concurrent requests of ${h.latencyMs} ± 30 ms.`
  );
}

function table(rows: readonly string[]): string[] {
  return ['| measure | value |', '|---|---|', ...rows];
}

function ackRows(h: HeadlineResult, o: HeadlineSectionOptions): string[] {
  const { ack, ledger: l, serverAck } = h.flash;
  const warmup = ack.warmupLatencyMs;
  return [
    `| every webhook answered 200 | ${l.accepted === l.sent ? 'yes' : 'no'} (${l.accepted} of ${l.sent}) |`,
    `| ack p50 / p99 / max, warm (the ${h.orders} timed orders) | ${ms(ack.latencyMs.p50)} / ` +
      `**${ms(ack.latencyMs.p99)}** / ${ms(ack.latencyMs.max)} ms |`,
    `| ack p50 / p99 / max, cold start (the ${o.warmupOrders} warm-up orders) | ` +
      `${warmup ? `${ms(warmup.p50)} / **${ms(warmup.p99)}** / ${ms(warmup.max)} ms` : 'no warm-up in this run'} |`,
    `| ack in the app p50 / p99 / max (its histogram's bucket bounds, timed sale) | ${formatServerAck(serverAck)} ms |`,
    `| generator lag p99 (actual send − due time) | ${ms(ack.lagMs.p99)} ms |`,
  ];
}

function erpRows(h: HeadlineResult): string[] {
  const f = h.flash;
  const theoretical = theoreticalWritesPerSecond(h.limit, h.latencyMs);
  // While the ERP is down nothing can be written: an outage run's rate is the one after the ERP came back.
  const writes = h.outage ? h.outage.writesPerSecondAfter : f.drain.writesPerSecond;
  return [
    `| committed ERP writes/s${h.outage ? ' after the outage' : ''} | ${rate1(writes)} = ` +
      `${pct(writes, theoretical)} of ${rate1(theoretical)} |`,
    `| ERP peak concurrency / limit; 429s | ${f.state.stats.peakConcurrency} / ${h.limit}; ${f.state.stats.counters.throttled429} |`,
    `| dead letters | ${f.deadLetters} |`,
    `| first webhook → last ERP write | ${(f.drain.completedAfterStartMs / 1000).toFixed(1)} s${f.timedOut ? ' (timed out)' : ''} |`,
    `| ledger | ${formatLedgerVerdict(f.ledger)} |`,
    ...f.ledger.problems.map((p) => `| ledger problem | ${p} |`),
  ];
}

/** Issue #2's target: every webhook 200, ack p99 < 50 ms, each order once, ERP concurrency ≤ limit. */
function targetRow(h: HeadlineResult): string[] {
  const f = h.flash;
  const met =
    f.ledger.accepted === f.ledger.sent &&
    f.ack.latencyMs.p99 < 50 &&
    f.ledger.verdict === 'pass' &&
    f.state.stats.peakConcurrency <= h.limit;
  return [
    `| target: all 200, warm ack p99 < 50 ms, each order once, concurrency ≤ limit | ${met ? 'met' : '**not met**'} |`,
  ];
}
