import { parseArgs } from 'node:util';
import { parseSoakFaults } from 'scripts/bench/soak-faults';
import { positiveNumber, UsageError } from 'scripts/lib/flags';

/** The bench's command line (README: `npm run bench -- --only … --flash-orders … --flash-topology all|split …`). */

/**
 * Keep-alive sockets of the flash sale's generator. Shopify delivers every webhook as a request of its own, from many
 * workers, and never queues one behind another in a client-side pool; a small pool here would (64 sockets at 500/s
 * turn any 128 ms of server time into queueing inside the generator, counted against every later request).
 */
const FLASH_SOCKETS = 512;
export const PHASES = [
  'floor',
  'app',
  'drain',
  'flash',
  'outage',
  'slowloris',
  'connectors',
  'inventory',
  'adaptive',
  'soak',
] as const;
export type Phase = (typeof PHASES)[number];
/**
 * Phases a plain `npm run bench` leaves out: they run only when `--only` names them. The soak takes half an hour and
 * restarts the machine's RabbitMQ (every vhost, not only the bench's): run it on an otherwise idle machine.
 */
const ONLY_WHEN_NAMED: readonly Phase[] = ['slowloris', 'connectors', 'inventory', 'adaptive', 'soak'];

/**
 * How the headline runs deploy the app: `all`, the one command APP_ROLE=all (which runs its ERP side in a child
 * process of its own at nice ERP_PROCESS_NICE); `split`, an APP_ROLE=api process taking
 * the webhooks and an APP_ROLE=worker process writing to the ERP, as docker-compose.yml deploys them.
 */
export type FlashTopology = 'all' | 'split';

export function topologyLabel(topology: FlashTopology): string {
  return topology === 'all'
    ? 'APP_ROLE=all (the one command users start: ingest, and its ERP writers in a child process at nice 15)'
    : 'APP_ROLE=api + APP_ROLE=worker (two processes, as docker-compose: the worker at nice 15, its CPU weight there)';
}

export interface BenchFlags {
  argv: string[];
  quick: boolean;
  only: Phase[];
  rates: number[];
  warmup: number;
  duration: number;
  closedConcurrency: number;
  closedDuration: number;
  drainOrders: number;
  flashOrders: number;
  flashRate: number;
  flashWarmup: number;
  flashSockets: number;
  flashTopology: FlashTopology;
  /**
   * `--cold`: each flash sale meets a freshly started service, sent the moment it reports ready, without warm-up
   * orders (`flashWarmup` 0), `flashRuns` times (3 by default), each on a fresh database, vhost and app process.
   */
  cold: boolean;
  flashRuns: number;
  outageSeconds: number;
  outageAfter: number;
  /** `slowloris`: slow connections kept open, webhooks per second beside them, and seconds of each half. */
  slowlorisConnections: number;
  slowlorisRate: number;
  slowlorisSeconds: number;
  /** `soak` (scripts/bench/soak-phase.ts). */
  soakMinutes: number;
  soakRate: number;
  /** Seconds of the run after which "at start" figures are taken; default 10 % of the run. */
  soakWarmupSeconds: number;
  /** `random` (times drawn from `soakSeed`), `none`, or `outage@600,kill@900,broker@1200` (seconds into the run). */
  soakFaults: string;
  /** Seed of the random fault times; drawn by the soak when absent, and then shown in its command. */
  soakSeed?: number;
  soakOutageSeconds: number;
  soakBrokerSeconds: number;
  pacing: 'spin' | 'timer';
  logLevel: string;
  out: string;
}

/** Parses the bench's flags; a bad value throws a UsageError naming it. */
export function readBenchFlags(argv: string[]): BenchFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      rates: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'closed-concurrency': { type: 'string', default: '32' },
      'closed-duration': { type: 'string' },
      'drain-orders': { type: 'string' },
      'flash-orders': { type: 'string' },
      'flash-rate': { type: 'string', default: '500' },
      'flash-warmup': { type: 'string' },
      'flash-sockets': { type: 'string' },
      'flash-topology': { type: 'string', default: 'all' },
      cold: { type: 'boolean', default: false },
      'flash-runs': { type: 'string' },
      'outage-seconds': { type: 'string' },
      'outage-after': { type: 'string', default: '5' },
      'slowloris-connections': { type: 'string' },
      'slowloris-rate': { type: 'string' },
      'slowloris-seconds': { type: 'string' },
      'soak-minutes': { type: 'string' },
      'soak-rate': { type: 'string' },
      'soak-warmup-seconds': { type: 'string' },
      'soak-faults': { type: 'string', default: 'random' },
      'soak-seed': { type: 'string' },
      'soak-outage-seconds': { type: 'string' },
      'soak-broker-seconds': { type: 'string' },
      pacing: { type: 'string', default: 'spin' },
      'log-level': { type: 'string', default: 'info' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
    },
  });
  const quick = values.quick;
  const num = positiveNumber;
  const topology = values['flash-topology'];
  if (topology !== 'all' && topology !== 'split') {
    throw new UsageError(`--flash-topology must be all or split, got "${topology}"`);
  }
  if (values.pacing !== 'spin' && values.pacing !== 'timer') {
    throw new UsageError('--pacing must be spin or timer');
  }
  if (values.cold && values['flash-warmup'] !== undefined && Number(values['flash-warmup']) !== 0) {
    throw new UsageError('--cold sends no warm-up orders: leave out --flash-warmup');
  }
  const soakMinutes = num('soak-minutes', values['soak-minutes'], 30);
  const soakFaults = values['soak-faults'];
  // Checked here so that a typo fails before the half-hour run, not in it.
  parseSoakFaults(soakFaults, soakMinutes * 60);
  return {
    argv,
    quick,
    only: readPhases(values.only),
    rates: (values.rates ?? '500,1000').split(',').map((r) => num('rates', r, 0)),
    warmup: num('warmup', values.warmup, quick ? 1 : 2),
    duration: num('duration', values.duration, quick ? 3 : 10),
    closedConcurrency: Math.floor(num('closed-concurrency', values['closed-concurrency'], 32)),
    closedDuration: num('closed-duration', values['closed-duration'], quick ? 3 : 8),
    drainOrders: Math.floor(num('drain-orders', values['drain-orders'], quick ? 300 : 2000)),
    flashOrders: Math.floor(num('flash-orders', values['flash-orders'], quick ? 1000 : 5000)),
    flashRate: num('flash-rate', values['flash-rate'], 500),
    flashSockets: Math.floor(num('flash-sockets', values['flash-sockets'], FLASH_SOCKETS)),
    flashTopology: topology,
    cold: values.cold,
    flashRuns: Math.floor(num('flash-runs', values['flash-runs'], values.cold ? 3 : 1)),
    // 0 is allowed (a sale that meets a service started for it); --cold means 0.
    flashWarmup: values.cold ? 0 : Math.floor(num('flash-warmup', values['flash-warmup'], quick ? 500 : 2000, true)),
    outageSeconds: num('outage-seconds', values['outage-seconds'], quick ? 15 : 60),
    outageAfter: num('outage-after', values['outage-after'], 5),
    slowlorisConnections: Math.floor(num('slowloris-connections', values['slowloris-connections'], 200)),
    slowlorisRate: num('slowloris-rate', values['slowloris-rate'], quick ? 50 : 100),
    slowlorisSeconds: num('slowloris-seconds', values['slowloris-seconds'], quick ? 10 : 30),
    soakMinutes,
    soakRate: num('soak-rate', values['soak-rate'], 100),
    soakWarmupSeconds: num('soak-warmup-seconds', values['soak-warmup-seconds'], Math.round(soakMinutes * 6)),
    soakFaults,
    soakSeed:
      values['soak-seed'] === undefined ? undefined : Math.floor(num('soak-seed', values['soak-seed'], 0, true)),
    soakOutageSeconds: num('soak-outage-seconds', values['soak-outage-seconds'], 60),
    soakBrokerSeconds: num('soak-broker-seconds', values['soak-broker-seconds'], 20),
    pacing: values.pacing,
    logLevel: values['log-level'],
    out: values.out,
  };
}

/** `--only a,b`: the phases to run; by default all but those run only when named. */
function readPhases(raw: string | undefined): Phase[] {
  const only = (raw ?? PHASES.filter((p) => !ONLY_WHEN_NAMED.includes(p)).join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown phase(s) ${unknown.join(', ')}; choose from ${PHASES.join(', ')}`);
  }
  return only as Phase[];
}
