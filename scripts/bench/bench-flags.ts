import { parseArgs } from 'node:util';
import { positiveNumber, UsageError } from 'scripts/lib/flags';

/** The bench's command line (README: `npm run bench -- --only … --flash-orders … --flash-topology all|split …`). */

/**
 * Keep-alive sockets of the flash sale's generator. Shopify delivers every webhook as a request of its own, from many
 * workers, and never queues one behind another in a client-side pool; a small pool here would (64 sockets at 500/s
 * turn any 128 ms of server time into queueing inside the generator, counted against every later request).
 */
const FLASH_SOCKETS = 512;
export const PHASES = ['floor', 'app', 'drain', 'flash', 'outage', 'connectors', 'inventory', 'adaptive'] as const;
export type Phase = (typeof PHASES)[number];
/** Phases a plain `npm run bench` leaves out: they run only when `--only` names them. */
const ONLY_WHEN_NAMED: readonly Phase[] = ['connectors', 'inventory', 'adaptive'];

/**
 * How the headline runs deploy the app: `all`, one process with APP_ROLE=all; `split`, an APP_ROLE=api process taking
 * the webhooks and an APP_ROLE=worker process writing to the ERP, as docker-compose.yml deploys them.
 */
export type FlashTopology = 'all' | 'split';

export function topologyLabel(topology: FlashTopology): string {
  return topology === 'all' ? 'APP_ROLE=all' : 'APP_ROLE=api + APP_ROLE=worker (two processes, as docker-compose)';
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
  outageSeconds: number;
  outageAfter: number;
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
      'outage-seconds': { type: 'string' },
      'outage-after': { type: 'string', default: '5' },
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
    // 0 is allowed: a cold-start run.
    flashWarmup: Math.floor(num('flash-warmup', values['flash-warmup'], quick ? 500 : 2000, true)),
    outageSeconds: num('outage-seconds', values['outage-seconds'], quick ? 15 : 60),
    outageAfter: num('outage-after', values['outage-after'], 5),
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
