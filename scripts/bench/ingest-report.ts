import type { DrainResult, Report } from 'scripts/bench/bench-report.types';
import { FLOOR_QUEUE } from 'scripts/bench/floor';
import type { ClosedLoopResult, OpenLoopRow } from 'scripts/bench/ingest-load';
import { ms, pct, rate1 } from 'scripts/lib/format';
import { formatLedgerVerdict } from 'test/support/ledger';

/** The report's ingest and ERP drain sections (the lines between title and command; scripts/bench/report-file.ts). */

const TARGETS = ['floor', 'app'] as const;

/** Floor and app, open loop at each rate and closed loop, in one table; the ratio and the targets under it. */
export function renderIngestSection(r: Report): string[] {
  const { flags } = r;
  const rows = TARGETS.flatMap((target) => [
    ...r.openLoop.filter((row) => row.target === target).map(openLoopRow),
    ...r.closedLoop.filter((c) => c.target === target).map(closedLoopRow),
  ]);
  return [
    `The same signed \`orders/create\` body (${r.bodyBytes} bytes, fresh delivery ids each time) into the **floor** — ` +
      'bare `node:http` in a worker thread: raw body, HMAC checked with `timingSafeEqual`, confirmed publish to the ' +
      `quorum queue \`${FLOOR_QUEUE}\`, then 200 — and into the **app**'s real ingest (\`APP_ROLE=api\`, so that no ` +
      `ERP work competes). Open loop: ${flags.warmup} s warm-up, then ${flags.duration} s measured at each rate ` +
      `(pacing \`${flags.pacing}\`, up to 64 keep-alive sockets). Closed loop: ${flags.closedConcurrency} senders, ` +
      `each sending again on its answer, for ${flags.closedDuration} s after 1 s warm-up; its latency counts from ` +
      'the actual send (a throughput figure). Latencies in ms.',
    '',
    '| target | load | req/s | p50 | p90 | p99 | p99.9 | max | generator lag p99 / max | non-2xx / errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...ingestVerdict(r),
  ];
}

function openLoopRow(row: OpenLoopRow): string {
  const { latencyMs: l, lagMs } = row.result;
  return (
    `| ${row.target} | open loop, ${row.rate}/s offered | ${rate1(row.result.achievedRatePerSecond)} | ${ms(l.p50)} | ` +
    `${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${ms(lagMs.p99)} / ${ms(lagMs.max)} | ` +
    `${row.result.non2xx} / ${row.result.errors} |`
  );
}

function closedLoopRow(c: ClosedLoopResult): string {
  const l = c.latencyMs;
  return (
    `| ${c.target} | closed loop, ${c.concurrency} in flight | ${Math.round(c.perSecond)} | ${ms(l.p50)} | ` +
    `${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | – | ${c.failed} |`
  );
}

/** app ÷ floor in the closed loop (target ≥ 70 %) and the app's ack p99 at 1,000/s (target < 50 ms). */
function ingestVerdict(r: Report): string[] {
  const floor = r.closedLoop.find((c) => c.target === 'floor');
  const app = r.closedLoop.find((c) => c.target === 'app');
  const ratio =
    floor && app
      ? `**app ÷ floor = ${pct(app.perSecond, floor.perSecond)}** in the closed loop (target ≥ 70 %).`
      : `app ÷ floor: not measured (this run measured the ${floor ? 'floor' : 'app'} only).`;
  const app1000 = r.openLoop.find((row) => row.target === 'app' && row.rate === 1000);
  const p99 = app1000
    ? ` App ack p99 at 1,000/s: **${ms(app1000.result.latencyMs.p99)} ms** (target < 50 ms).`
    : ' App ack p99 at 1,000/s (target < 50 ms): not measured.';
  return [ratio + p99];
}

/** One worker draining a backlog queued while none ran, against the sandbox's limit ÷ latency. */
export function renderDrainSection(d: DrainResult): string[] {
  return [
    `${d.accepted} of ${d.orders} orders queued at 500/s through \`APP_ROLE=api\` while no worker runs, then one ` +
      `\`APP_ROLE=worker\` process started. Sandbox ERP (a simulation) limit ${d.limit} concurrent requests of ` +
      `${d.latencyMs} ± 30 ms → theoretical ${rate1(d.theoretical)} writes/s. Rates from the sandbox's ledger of ` +
      'committed writes, first to last write.',
    '',
    '| measure | value |',
    '|---|---|',
    `| committed ERP writes/s | ${rate1(d.writesPerSecond)} = **${pct(d.writesPerSecond, d.theoretical)}** of ` +
      `${rate1(d.theoretical)} (target ≥ 95 %) |`,
    `| sales orders/s | ${rate1(d.ordersPerSecond)} (${rate1(d.writesPerOrder)} writes per order) |`,
    `| worker start → ready | ${(d.workerStartMs / 1000).toFixed(1)} s |`,
    `| worker spawn → last write | ${(d.wallMs / 1000).toFixed(1)} s |`,
    `| ERP peak concurrency / limit | ${d.peakConcurrency} / ${d.limit} |`,
    `| ERP 429s | ${d.throttled429} |`,
    `| ledger | ${formatLedgerVerdict(d.ledger)}${d.timedOut ? ' — **timed out**' : ''} |`,
  ];
}
