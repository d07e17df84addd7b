import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAdaptivePhase } from 'scripts/bench/adaptive-phase';
import type { BenchFlags, Phase } from 'scripts/bench/bench-flags';
import { renderReport } from 'scripts/bench/bench-report';
import { type BenchRun, startBenchRun } from 'scripts/bench/bench-run';
import { runConnectorBench } from 'scripts/bench/connectors';
import { formatConnectorResult, renderConnectorBench } from 'scripts/bench/connectors-report';
import { drainPhase } from 'scripts/bench/drain-phase';
import { headlinePhase } from 'scripts/bench/headline-phase';
import { appPhase, floorPhase } from 'scripts/bench/ingest-phases';
import { runInventoryBench } from 'scripts/bench/inventory';
import { errorMessage, log } from 'scripts/lib/log';
import { isolatedRabbitUrl, localServiceUrls } from 'scripts/lib/services';
import { repoRoot } from 'test/support/app-process';
import { checkServices, formatServicesReport } from 'test/support/services';

const BENCH_DATABASE = 'erp_sync_bench';
const BENCH_REDIS_DB = 13;
const SECTION_PHASES: readonly Phase[] = ['adaptive', 'inventory'];

/** The phases that run against the app and the sandbox ERP, in the order they run. */
const APP_PHASES: ReadonlyArray<readonly [Phase, (run: BenchRun, outFile: string) => Promise<void>]> = [
  ['floor', floorPhase],
  ['app', appPhase],
  ['drain', drainPhase],
  ['flash', (run) => headlinePhase(run, 'flash sale (S1)', 2_000_000, 0)],
  [
    'outage',
    (run) => headlinePhase(run, `ERP outage ${run.flags.outageSeconds} s (S2)`, 3_000_000, run.flags.outageSeconds),
  ],
  ['connectors', connectorsPhase],
];

/**
 * Runs the phases `--only` names, saving the report (`--out`, docs/benchmarks.md by default) after each, and
 * resolves the exit code: 0 when every phase completed and the inventory bench (if run) found Shopify = ERP.
 */
export async function runBench(flags: BenchFlags): Promise<number> {
  const outFile = path.resolve(repoRoot(), flags.out);
  if (flags.only.every((phase) => SECTION_PHASES.includes(phase))) {
    // Issue #4's inventory push and S18's adaptive concurrency need no app process, sandbox ERP process or broker.
    return runSectionPhases(flags, outFile);
  }
  const services = await checkServices(localServiceUrls(BENCH_DATABASE, BENCH_REDIS_DB));
  if (!services.ok) {
    console.error(`The benchmark needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  // A vhost of the bench's own where possible: the app's queue names are fixed, so another app would share them.
  const urls = await isolatedRabbitUrl(localServiceUrls(BENCH_DATABASE, BENCH_REDIS_DB));
  const run = await startBenchRun(flags, urls);
  const save = (): void => writeFileSync(outFile, renderReport(run.report) + '\n');
  const onSignal = (): void => {
    console.error('\ninterrupted: stopping the app processes and the sandbox ERP…');
    void run
      .stopApps()
      .then(() => run.sandbox.close())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`body ${run.report.bodyBytes} bytes; app logs in ${run.logFile('*')}; report → ${outFile}`);
    for (const [name, body] of APP_PHASES) {
      if (flags.only.includes(name)) {
        await runPhase(run, name, () => body(run, outFile), save);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await run.stopApps();
    await run.sandbox.close();
  }
  save();
  log(`wrote ${outFile}`);
  // After the last save, which rewrites the file: these phases add their own sections to it.
  const sections = await runSectionPhases(flags, outFile);
  return run.report.failures.length === 0 && sections === 0 ? 0 : 1;
}

/** Phases that write their own section of the report, between markers, after the rest (`adaptive`, `inventory`). */
async function runSectionPhases(flags: BenchFlags, outFile: string): Promise<number> {
  const { quick } = flags;
  const adaptive = flags.only.includes('adaptive') ? await runAdaptivePhase({ quick, out: outFile }) : 0;
  const inventory = flags.only.includes('inventory') ? await runInventoryBench({ quick, out: outFile }) : 0;
  return adaptive === 0 && inventory === 0 ? 0 : 1;
}

/** Runs one phase; a failure is logged and kept in the report, and the next phase still runs. */
async function runPhase(run: BenchRun, name: string, body: () => Promise<void>, save: () => void): Promise<void> {
  log(`── ${name}`);
  try {
    await body();
  } catch (err) {
    log(`${name} failed: ${errorMessage(err)}`);
    run.report.failures.push({ phase: name, error: errorMessage(err) });
  }
  save();
}

/** Issue #3's flash sale per ERP connector (scripts/bench/connectors.ts), reported in a file of its own. */
async function connectorsPhase(run: BenchRun, outFile: string): Promise<void> {
  const { flags } = run;
  const o = { orders: flags.flashOrders, ratePerSecond: flags.flashRate, limit: 5, latencyMs: 150, jitterMs: 30 };
  const timing = { ...o, outageSeconds: flags.outageSeconds, outageAfterSeconds: flags.outageAfter };
  const results = await runConnectorBench({
    ...timing,
    erps: ['netsuite', 'business-central', 'cin7'],
    urls: run.urls,
    secret: run.secret,
    adminKey: run.adminKey,
    logFile: (erp) => run.logFile(`connectors-${erp}`),
    log,
    logLevel: flags.logLevel,
  });
  writeFileSync(outFile.replace(/(\.md)?$/, '-connectors.md'), renderConnectorBench(results, timing));
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new Error(failed.map((r) => `${r.erp}: ${formatConnectorResult(r)}`).join('\n'));
  }
}
