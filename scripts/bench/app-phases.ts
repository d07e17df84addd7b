import type { Phase } from 'scripts/bench/bench-flags';
import type { BenchRun } from 'scripts/bench/bench-run';
import { runConnectorBench } from 'scripts/bench/connectors';
import { formatConnectorResult, renderConnectorSection } from 'scripts/bench/connectors-report';
import { drainPhase } from 'scripts/bench/drain-phase';
import { coldFlashPhase, headlinePhase } from 'scripts/bench/headline-phase';
import {
  type HeadlineSectionOptions,
  renderColdFlashSection,
  renderFlashSection,
  renderOutageSection,
} from 'scripts/bench/headline-report';
import { appPhase, floorPhase } from 'scripts/bench/ingest-phases';
import { renderDrainSection, renderIngestSection } from 'scripts/bench/ingest-report';
import { flashSectionId, type SectionId } from 'scripts/bench/report-sections';
import { slowlorisPhase } from 'scripts/bench/slowloris-phase';
import { renderSlowlorisSection } from 'scripts/bench/slowloris-report';
import { soakPhase } from 'scripts/bench/soak-phase';
import { renderSoakSection } from 'scripts/bench/soak-report';
import { log } from 'scripts/lib/log';
import type { SimulatedErpName } from 'test/simulators/vendor-simulators';

/**
 * The phases that run against the app and the sandbox ERP, in the order they run, each with the section of the
 * report its figures go to. `floor` and `app` share the ingest section, which sets one against the other.
 */

/** A section's lines, between its title and its command. */
export interface SectionFigures {
  id: SectionId;
  body: string[];
}

export interface AppPhase {
  name: Phase;
  run(run: BenchRun): Promise<void>;
  /** The phase's section, once the run holds figures for it (a phase that threw before measuring has none). */
  section(run: BenchRun): SectionFigures | undefined;
}

export const APP_PHASES: readonly AppPhase[] = [
  { name: 'floor', run: floorPhase, section: ingestSection },
  { name: 'app', run: appPhase, section: ingestSection },
  {
    name: 'drain',
    run: drainPhase,
    section: ({ report }) => report.drain && { id: 'drain', body: renderDrainSection(report.drain) },
  },
  {
    name: 'flash',
    run: (run) =>
      run.flags.cold
        ? coldFlashPhase(run, 'cold flash sale (S1)', 2_500_000)
        : headlinePhase(run, 'flash sale (S1)', 2_000_000, 0),
    section: ({ report, flags }) => {
      if (flags.cold) {
        return (
          report.flashCold && {
            id: flashSectionId(flags.flashTopology, true),
            body: renderColdFlashSection(report.flashCold, headlineOptions(flags)),
          }
        );
      }
      return (
        report.flash && {
          id: flashSectionId(flags.flashTopology),
          body: renderFlashSection(report.flash, headlineOptions(flags)),
        }
      );
    },
  },
  {
    name: 'outage',
    run: (run) =>
      headlinePhase(run, `ERP outage ${run.flags.outageSeconds} s (S2)`, 3_000_000, run.flags.outageSeconds),
    section: ({ report, flags }) =>
      report.outage && { id: 'outage', body: renderOutageSection(report.outage, headlineOptions(flags)) },
  },
  {
    name: 'slowloris',
    run: slowlorisPhase,
    section: ({ report }) => report.slowloris && { id: 'slowloris', body: renderSlowlorisSection(report.slowloris) },
  },
  {
    name: 'connectors',
    run: connectorsPhase,
    section: ({ report }) => report.connectors && { id: 'connectors', body: renderConnectorSection(report.connectors) },
  },
  {
    name: 'soak',
    run: soakPhase,
    section: ({ report }) => report.soak && { id: 'soak', body: renderSoakSection(report.soak) },
  },
];

function ingestSection({ report }: BenchRun): SectionFigures | undefined {
  const measured = report.openLoop.length > 0 || report.closedLoop.length > 0;
  return measured ? { id: 'ingest', body: renderIngestSection(report) } : undefined;
}

function headlineOptions(flags: BenchRun['flags']): HeadlineSectionOptions {
  return { topology: flags.flashTopology, warmupOrders: flags.flashWarmup, sockets: flags.flashSockets };
}

/**
 * Issue #3's flash sale per ERP connector (scripts/bench/connectors.ts). Its figures are kept before a failing
 * connector fails the phase, so that the section shows which one failed and why.
 */
const CONNECTORS: readonly SimulatedErpName[] = ['netsuite', 'business-central', 'cin7'];

/** The connectors the phase runs: those BENCH_CONNECTORS names (comma-separated, e.g. `cin7`), else all three. */
function benchConnectors(): SimulatedErpName[] {
  const named = (process.env.BENCH_CONNECTORS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = named.filter((name) => !CONNECTORS.some((known) => known === name));
  if (unknown.length > 0) {
    throw new Error(`BENCH_CONNECTORS names ${unknown.join(', ')}; known: ${CONNECTORS.join(', ')}`);
  }
  return CONNECTORS.filter((known) => named.length === 0 || named.includes(known));
}

async function connectorsPhase(run: BenchRun): Promise<void> {
  const { flags } = run;
  const o = { orders: flags.flashOrders, ratePerSecond: flags.flashRate, limit: 5, latencyMs: 150, jitterMs: 30 };
  const timing = { ...o, outageSeconds: flags.outageSeconds, outageAfterSeconds: flags.outageAfter };
  const results = await runConnectorBench({
    ...timing,
    erps: benchConnectors(),
    urls: run.urls,
    secret: run.secret,
    adminKey: run.adminKey,
    logFile: (erp) => run.logFile(`connectors-${erp}`),
    log,
    logLevel: flags.logLevel,
  });
  run.report.connectors = { results, timing };
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    throw new Error(failed.map((r) => `${r.erp}: ${formatConnectorResult(r)}`).join('\n'));
  }
}
