import type { HeadlineResult } from 'scripts/bench/bench-report.types';
import type { BenchRun } from 'scripts/bench/bench-run';
import { drainStats, theoreticalWritesPerSecond } from 'scripts/lib/drain';
import { runFlashSale } from 'scripts/lib/flash-sale';
import type { FlashSaleResult } from 'scripts/lib/flash-sale.types';
import { ms } from 'scripts/lib/format';
import { log } from 'scripts/lib/log';
import { resetInfrastructure } from 'scripts/lib/services';
import { formatLedgerVerdict } from 'test/support/ledger';

/**
 * The headline runs (`flash`, `outage`): `--flash-orders` signed orders/create at `--flash-rate` after
 * `--flash-warmup` warm-up orders, into the app deployed as `--flash-topology`, written to the sandbox ERP (limit
 * 5 × 100 ms); `outage` takes the ERP down (maintenance 503) for `--outage-seconds` from `--outage-after`.
 */

const LIMIT = 5;
const LATENCY_MS = 100;

/** What the outage timers saw: when the ERP came back and how many accepted orders were still waiting then. */
interface OutageWatch {
  endedAt: number;
  backlogAtEnd: number;
  acceptedSoFar: number;
  timers: NodeJS.Timeout[];
}

export async function headlinePhase(
  run: BenchRun,
  label: string,
  seedBase: number,
  outageSeconds: number,
): Promise<void> {
  const result = await oneSale(run, label, seedBase, outageSeconds);
  if (outageSeconds > 0) {
    run.report.outage = result;
  } else {
    run.report.flash = result;
  }
}

/**
 * `flash --cold`: `--flash-runs` sales, each against a service started for it on fresh infrastructure (database,
 * vhost, Redis) and sent the moment it reports ready, with no warm-up: what a new deployment, or an instance
 * started because traffic spiked, meets. Every run is kept (the section quotes each, the median and the worst).
 */
export async function coldFlashPhase(run: BenchRun, label: string, seedBase: number): Promise<void> {
  const runs: HeadlineResult[] = [];
  run.report.flashCold = runs;
  for (let i = 0; i < run.flags.flashRuns; i++) {
    // Distinct order ids per run: each run's ledger is its own.
    runs.push(await oneSale(run, `${label} ${i + 1}/${run.flags.flashRuns}`, seedBase + i * 100_000, 0));
  }
}

/** One sale on fresh infrastructure and a freshly started app (`--flash-topology`), judged by its ledger. */
async function oneSale(run: BenchRun, label: string, seedBase: number, outageSeconds: number): Promise<HeadlineResult> {
  const { flags } = run;
  await resetInfrastructure(run.urls);
  await run.control.reset();
  await run.sandbox.configure({
    concurrencyLimit: LIMIT,
    latencyMs: LATENCY_MS,
    latencyJitterMs: 30,
    maintenance: 'off',
  });
  // In the split topology the worker starts first, so that its consumers are up when the sale begins.
  const app =
    flags.flashTopology === 'all'
      ? await run.launch('all', LIMIT)
      : await run.launch('worker', LIMIT).then(() => run.launch('api', LIMIT));
  const watch: OutageWatch = { endedAt: 0, backlogAtEnd: 0, acceptedSoFar: 0, timers: [] };
  try {
    if (outageSeconds > 0) {
      scheduleOutage(run, label, outageSeconds, watch);
    }
    const flash = await playSale(run, label, app.url, seedBase, outageSeconds, watch);
    const result: HeadlineResult = {
      label,
      orders: flags.flashOrders,
      rate: flags.flashRate,
      limit: LIMIT,
      latencyMs: LATENCY_MS,
      flash,
    };
    if (outageSeconds > 0) {
      result.outage = await outageFigures(run, flash, outageSeconds, watch);
    }
    log(
      `${label}: ${formatLedgerVerdict(flash.ledger)}; ack p99 ${ms(flash.ack.latencyMs.p99)} ms; dead letters ${flash.deadLetters}`,
    );
    log(`${label}: send → answer p99 by second of the sale (ms): ${p99ByWindow(flash, flags.flashRate).join(', ')}`);
    log(
      `${label}: the first 2 s by 100 ms (send → answer p99, ms): ${p99ByWindow(flash, flags.flashRate / 10, 20).join(', ')}`,
    );
    return result;
  } finally {
    for (const t of watch.timers) {
      clearTimeout(t);
    }
    await run.sandbox.configure({ maintenance: 'off' });
    await run.stopApps();
  }
}

/** Maintenance 503 from `--outage-after` for `outageSeconds`; notes the backlog when the ERP comes back. */
function scheduleOutage(run: BenchRun, label: string, outageSeconds: number, watch: OutageWatch): void {
  const { flags } = run;
  watch.timers.push(
    setTimeout(() => {
      log(`${label}: ERP down (maintenance 503) for ${outageSeconds} s`);
      void run.sandbox.configure({ maintenance: '503' });
    }, flags.outageAfter * 1000),
    setTimeout(
      () => {
        watch.endedAt = Date.now();
        void run.sandbox
          .configure({ maintenance: 'off' })
          .then(() => run.control.state())
          .then((state) => {
            watch.backlogAtEnd = Math.max(0, watch.acceptedSoFar - state.counts.salesOrders);
            log(`${label}: ERP back; ${watch.backlogAtEnd} orders waiting`);
          });
      },
      (flags.outageAfter + outageSeconds) * 1000,
    ),
  );
}

function playSale(
  run: BenchRun,
  label: string,
  appUrl: string,
  seedBase: number,
  outageSeconds: number,
  watch: OutageWatch,
): Promise<FlashSaleResult> {
  const { flags } = run;
  let lastLog = 0;
  return runFlashSale({
    appUrl,
    sandbox: run.control,
    secret: run.secret,
    adminKey: run.adminKey,
    orders: flags.flashOrders,
    ratePerSecond: flags.flashRate,
    warmupOrders: flags.flashWarmup,
    maxSockets: flags.flashSockets,
    seedBase,
    drainTimeoutMs:
      ((flags.flashOrders + flags.flashWarmup) / theoreticalWritesPerSecond(LIMIT, LATENCY_MS)) * 2 * 1000 +
      60_000 +
      outageSeconds * 1000,
    onProgress: (p) => {
      watch.acceptedSoFar = p.accepted;
      if (p.elapsedMs - lastLog >= 10_000 || p.phase === 'done') {
        lastLog = p.elapsedMs;
        log(
          `${label}: ${p.phase} ${(p.elapsedMs / 1000).toFixed(0)} s, accepted ${p.accepted}/${p.total}, in the ERP ${p.inErp}, 429s ${p.throttled429}`,
        );
      }
    },
  });
}

/** How the backlog drained after the outage, against scenario S2's bound. */
async function outageFigures(
  run: BenchRun,
  flash: FlashSaleResult,
  outageSeconds: number,
  watch: OutageWatch,
): Promise<NonNullable<HeadlineResult['outage']>> {
  const theoretical = theoreticalWritesPerSecond(LIMIT, LATENCY_MS);
  const writesPerOrder = flash.drain.salesOrderWrites > 0 ? flash.drain.erpWrites / flash.drain.salesOrderWrites : 2;
  const outageEndedAt = watch.endedAt;
  const after = drainStats(
    (await run.control.ledger()).filter((entry) => outageEndedAt > 0 && entry.at >= outageEndedAt),
    outageEndedAt,
  );
  return {
    writesPerSecondAfter: after.writesPerSecond,
    startAfterS: run.flags.outageAfter,
    seconds: outageSeconds,
    backlogAtEnd: watch.backlogAtEnd,
    drainAfterEndMs: outageEndedAt > 0 && flash.drain.lastWriteAt ? flash.drain.lastWriteAt - outageEndedAt : 0,
    boundMs: ((watch.backlogAtEnd * writesPerOrder) / theoretical) * 1.1 * 1000 + 30_000,
  };
}

/**
 * Where in the sale the slow answers are (a cold start's cost is in its first seconds): p99 of the sends of each
 * window of `perWindow` requests (the rate: one second), the first `windows` of them or all.
 */
function p99ByWindow(flash: FlashSaleResult, perWindow: number, windows = Number.POSITIVE_INFINITY): string[] {
  const buckets: number[][] = [];
  flash.ack.results.forEach((r, i) => {
    const w = Math.floor(i / perWindow);
    if (r !== undefined && w < windows) {
      (buckets[w] ??= []).push(r.endedAt - r.startedAt);
    }
  });
  return buckets.map((latencies) => {
    const sorted = [...latencies].sort((a, b) => a - b);
    return ms(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0);
  });
}
