import path from 'node:path';
import { runAdaptivePhase } from 'scripts/bench/adaptive-phase';
import { type AppPhase, APP_PHASES } from 'scripts/bench/app-phases';
import type { BenchFlags, Phase } from 'scripts/bench/bench-flags';
import { type BenchRun, startBenchRun } from 'scripts/bench/bench-run';
import { runInventoryBench } from 'scripts/bench/inventory';
import { machineFacts } from 'scripts/bench/machine';
import { type SectionWriter, sectionWriter } from 'scripts/bench/report-file';
import type { SectionId } from 'scripts/bench/report-sections';
import { errorMessage, log } from 'scripts/lib/log';
import { isolatedRabbitUrl, localServiceUrls } from 'scripts/lib/services';
import { repoRoot } from 'test/support/app-process';
import { checkServices, formatServicesReport } from 'test/support/services';

/**
 * The run's database and RabbitMQ vhost, and its Redis db index (on REDIS_URL's server): BENCH_DATABASE and
 * BENCH_REDIS_DB name others, so that two benches on one machine do not reset each other's.
 */
const BENCH_DATABASE = process.env.BENCH_DATABASE ?? 'erp_sync_bench';
const BENCH_REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 13);
/**
 * A run of the soak alone (half an hour) has a database and a vhost of its own, so that another bench run started on
 * the same machine meanwhile (which resets `erp_sync_bench` and purges its vhost) cannot empty its queues mid-run.
 */
const SOAK_DATABASE = 'erp_sync_bench_soak';

function benchDatabase(flags: BenchFlags): string {
  if (process.env.BENCH_DATABASE !== undefined) {
    return BENCH_DATABASE;
  }
  return flags.only.length === 1 && flags.only[0] === 'soak' ? SOAK_DATABASE : BENCH_DATABASE;
}
const SECTION_PHASES: readonly Phase[] = ['adaptive', 'inventory'];

/**
 * Runs the phases `--only` names. Each writes its own section of the report (`--out`, docs/benchmarks.md by default)
 * as soon as it has figures, and leaves every other section as it was. Resolves the exit code: 0 when every phase
 * completed and the inventory bench (if run) found Shopify = ERP.
 */
export async function runBench(flags: BenchFlags): Promise<number> {
  const outFile = path.resolve(repoRoot(), flags.out);
  if (flags.only.every((phase) => SECTION_PHASES.includes(phase))) {
    // Issue #4's inventory push and S18's adaptive concurrency need no app process, sandbox ERP process or broker.
    const machine = await machineFacts(localServiceUrls(BENCH_DATABASE, BENCH_REDIS_DB));
    return runSectionPhases(flags, sectionWriter(outFile, flags, machine));
  }
  const services = await checkServices(localServiceUrls(benchDatabase(flags), BENCH_REDIS_DB));
  if (!services.ok) {
    console.error(`The benchmark needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  // A vhost of the bench's own where possible: the app's queue names are fixed, so another app would share them.
  const urls = await isolatedRabbitUrl(localServiceUrls(benchDatabase(flags), BENCH_REDIS_DB));
  const run = await startBenchRun(flags, urls);
  const write = sectionWriter(outFile, flags, run.report.machine);
  const stopOnSignal = stopAppsOnSignal(run);
  try {
    log(`body ${run.report.bodyBytes} bytes; app logs in ${run.logFile('*')}; report → ${outFile}`);
    const firstStart = new Map<SectionId, Date>();
    for (const phase of APP_PHASES.filter((p) => flags.only.includes(p.name))) {
      await runPhase(run, phase, write, firstStart);
    }
  } finally {
    stopOnSignal();
    await run.stopApps();
    await run.sandbox.close();
  }
  const sections = await runSectionPhases(flags, write);
  return run.report.failures.length === 0 && sections === 0 ? 0 : 1;
}

/** Phases that need no app process (`adaptive`, `inventory`), after the rest. */
async function runSectionPhases(flags: BenchFlags, write: SectionWriter): Promise<number> {
  const { quick } = flags;
  const adaptive = flags.only.includes('adaptive') ? await runAdaptivePhase({ quick, write }) : 0;
  const inventory = flags.only.includes('inventory') ? await runInventoryBench({ quick, write }) : 0;
  return adaptive === 0 && inventory === 0 ? 0 : 1;
}

/**
 * Runs one phase; a failure is logged and kept for the exit code, and the next phase still runs. The phase's section
 * is rewritten when the run holds figures for it (dated from the first phase that fed it: floor and app share one).
 */
async function runPhase(
  run: BenchRun,
  phase: AppPhase,
  write: SectionWriter,
  firstStart: Map<SectionId, Date>,
): Promise<void> {
  log(`── ${phase.name}`);
  const startedAt = new Date();
  try {
    await phase.run(run);
  } catch (err) {
    log(`${phase.name} failed: ${errorMessage(err)}`);
    run.report.failures.push({ phase: phase.name, error: errorMessage(err) });
  }
  const section = phase.section(run);
  if (section) {
    const since = firstStart.get(section.id) ?? startedAt;
    firstStart.set(section.id, since);
    write(section.id, section.body, since);
    log(`wrote the ${section.id} section of ${run.flags.out}`);
  } else {
    log(`${phase.name}: no figures, its section is left as it was`);
  }
}

/** On SIGINT or SIGTERM, stops the app processes and the sandbox ERP before exiting; returns the un-registration. */
function stopAppsOnSignal(run: BenchRun): () => void {
  const onSignal = (): void => {
    console.error('\ninterrupted: stopping the app processes and the sandbox ERP…');
    void run
      .stopApps()
      .then(() => run.sandbox.close())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
