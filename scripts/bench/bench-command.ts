import { type BenchFlags, type Phase, readBenchFlags } from 'scripts/bench/bench-flags';
import type { SectionId } from 'scripts/bench/report-sections';

/**
 * The command that reproduces a section of the report: `npm run bench -- --only <phase>` with every flag that phase
 * reads spelt out at the value the run used (so `--quick`'s smaller defaults show as the numbers they were), and no
 * `--out`, which says where a report goes, not what it measures.
 */

const INGEST_PHASES: readonly Phase[] = ['floor', 'app'];

type Args = (f: BenchFlags) => Array<string | number>;

const flash: Args = (f) => [
  '--flash-topology',
  f.flashTopology,
  '--flash-orders',
  f.flashOrders,
  '--flash-rate',
  f.flashRate,
  '--flash-warmup',
  f.flashWarmup,
  '--flash-sockets',
  f.flashSockets,
];
const coldFlash: Args = (f) => [
  '--cold',
  '--flash-runs',
  f.flashRuns,
  '--flash-topology',
  f.flashTopology,
  '--flash-orders',
  f.flashOrders,
  '--flash-rate',
  f.flashRate,
  '--flash-sockets',
  f.flashSockets,
];
const outage: Args = (f) => ['--outage-seconds', f.outageSeconds, '--outage-after', f.outageAfter];
const logLevel: Args = (f) => ['--log-level', f.logLevel];
const soakSeed: Args = (f) => (f.soakSeed === undefined ? [] : ['--soak-seed', f.soakSeed]);
const quick: Args = (f) => (f.quick ? ['--quick'] : []);

const ARGS: Record<SectionId, Args> = {
  ingest: (f) => [
    '--only',
    ingestPhases(f).join(','),
    '--rates',
    f.rates.join(','),
    '--warmup',
    f.warmup,
    '--duration',
    f.duration,
    '--closed-concurrency',
    f.closedConcurrency,
    '--closed-duration',
    f.closedDuration,
    '--pacing',
    f.pacing,
    ...logLevel(f),
  ],
  drain: (f) => ['--only', 'drain', '--drain-orders', f.drainOrders, ...logLevel(f)],
  'flash-all': (f) => ['--only', 'flash', ...flash(f), ...logLevel(f)],
  'flash-split': (f) => ['--only', 'flash', ...flash(f), ...logLevel(f)],
  'flash-cold-all': (f) => ['--only', 'flash', ...coldFlash(f), ...logLevel(f)],
  'flash-cold-split': (f) => ['--only', 'flash', ...coldFlash(f), ...logLevel(f)],
  outage: (f) => ['--only', 'outage', ...flash(f), ...outage(f), ...logLevel(f)],
  slowloris: (f) => [
    '--only',
    'slowloris',
    '--slowloris-connections',
    f.slowlorisConnections,
    '--slowloris-rate',
    f.slowlorisRate,
    '--slowloris-seconds',
    f.slowlorisSeconds,
    ...logLevel(f),
  ],
  connectors: (f) => [
    '--only',
    'connectors',
    '--flash-orders',
    f.flashOrders,
    '--flash-rate',
    f.flashRate,
    ...outage(f),
    ...logLevel(f),
  ],
  inventory: (f) => ['--only', 'inventory', ...quick(f)],
  adaptive: (f) => ['--only', 'adaptive', ...quick(f)],
  soak: (f) => [
    '--only',
    'soak',
    '--soak-minutes',
    f.soakMinutes,
    '--soak-rate',
    f.soakRate,
    '--soak-warmup-seconds',
    f.soakWarmupSeconds,
    '--soak-faults',
    f.soakFaults,
    ...soakSeed(f),
    '--soak-outage-seconds',
    f.soakOutageSeconds,
    '--soak-broker-seconds',
    f.soakBrokerSeconds,
    ...logLevel(f),
  ],
};

/** The flags a plain `--only` of each section's phase starts from (the flash sections need their topology). */
const DEFAULT_ARGV: Record<SectionId, string[]> = {
  ingest: ['--only', INGEST_PHASES.join(',')],
  drain: ['--only', 'drain'],
  'flash-all': ['--only', 'flash', '--flash-topology', 'all'],
  'flash-split': ['--only', 'flash', '--flash-topology', 'split'],
  'flash-cold-all': ['--only', 'flash', '--cold', '--flash-topology', 'all'],
  'flash-cold-split': ['--only', 'flash', '--cold', '--flash-topology', 'split'],
  outage: ['--only', 'outage'],
  slowloris: ['--only', 'slowloris'],
  connectors: ['--only', 'connectors'],
  inventory: ['--only', 'inventory'],
  adaptive: ['--only', 'adaptive'],
  soak: ['--only', 'soak'],
};

/** The ingest phases the run named (both when it named neither: the section compares them). */
function ingestPhases(flags: BenchFlags): Phase[] {
  const named = INGEST_PHASES.filter((p) => flags.only.includes(p));
  return named.length > 0 ? named : [...INGEST_PHASES];
}

/** The command that reproduces section `id` as the run with these flags wrote it. */
export function sectionCommand(id: SectionId, flags: BenchFlags): string {
  // The inventory bench reads its write concurrency from the environment (scripts/bench/inventory.ts).
  const concurrency = process.env.BENCH_INVENTORY_CONCURRENCY;
  const env = id === 'inventory' && concurrency !== undefined ? `BENCH_INVENTORY_CONCURRENCY=${concurrency} ` : '';
  return `${env}npm run bench -- ${ARGS[id](flags).join(' ')}`;
}

/** The command of section `id` at the default sizes: what a section that was never run shows. */
export function defaultSectionCommand(id: SectionId): string {
  return `npm run bench -- ${ARGS[id](readBenchFlags(DEFAULT_ARGV[id])).join(' ')}`;
}
