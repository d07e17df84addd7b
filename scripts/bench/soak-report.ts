import type { ProcessSample, QueueSample, SoakProcess, SoakResult, SoakVerdict } from 'scripts/bench/soak.types';
import { ms } from 'scripts/lib/format';
import { ORDER_PARTITIONS, ORDER_PREFETCH } from 'src/common/messaging/topology';
import { formatLedgerVerdict } from 'test/support/ledger';

/** The soak's verdict and its section of the report (scenario S19; scripts/bench/soak-phase.ts measures). */

/** RSS may grow this much from the end of the warm-up to the end of the load (the issue's "flat"). */
const RSS_GROWTH_LIMIT = 0.1;
/**
 * RSS is judged on windows of readings, not on two single readings. A Node process's RSS follows its V8 heap, a
 * sawtooth: garbage piles up in the old space until a major collection (every minute or two at 100 webhooks a
 * second), and a single reading lands anywhere on it. Measured with heap snapshots, the live heap of both processes
 * stayed flat while single readings moved by up to 40 % either way (docs/benchmarks-history.md, "Soak (S19): where
 * the RSS went"). The median of a window of a few of those cycles is the process's level: a leak raises it, the
 * sawtooth does not, and neither does a minute of idleness (an ERP outage) or of catching up afterwards. The lowest
 * and highest readings are shown.
 */
const RSS_WINDOW_S = 300;

/** When the load ended and how long a process warms up: all a process's window depends on. */
type RunTimes = Pick<SoakResult, 'loadEndedAtS' | 'warmupS'>;

/** The median, lowest and highest RSS and the lowest heap reading of a window of readings. */
export interface ReadingEnvelope {
  fromS: number;
  toS: number;
  readings: number;
  medianRssMiB: number;
  minRssMiB: number;
  maxRssMiB: number;
  minHeapUsedMiB?: number;
}

/**
 * A process's figures. Its window starts after the warm-up counted from the process's own start, so that a process
 * started during the run (the worker restarted after the kill) gets the same warm-up as the first ones, and ends
 * with its last reading under load.
 */
export interface ProcessWindow {
  start?: ProcessSample;
  end?: ProcessSample;
  afterDrain?: ProcessSample;
  maxRssMiB?: number;
  /** The first and the last `RSS_WINDOW_S` (at most a quarter of the process's window) of readings. */
  first?: ReadingEnvelope;
  last?: ReadingEnvelope;
  /** Its window is long enough (a quarter of the measured run) to judge growth on. */
  judged: boolean;
}

/** The readings of `samples` within [fromS, toS], as an envelope; undefined without any. */
export function envelope(samples: readonly ProcessSample[], fromS: number, toS: number): ReadingEnvelope | undefined {
  const inside = samples.filter((s) => s.atS >= fromS && s.atS <= toS && s.rssMiB !== undefined);
  if (inside.length === 0) {
    return undefined;
  }
  const rss = inside.map((s) => s.rssMiB ?? 0);
  const heap = inside.flatMap((s) => (s.heapUsedMiB === undefined ? [] : [s.heapUsedMiB]));
  return {
    fromS: inside[0].atS,
    toS: inside[inside.length - 1].atS,
    readings: inside.length,
    medianRssMiB: median(rss),
    minRssMiB: Math.min(...rss),
    maxRssMiB: Math.max(...rss),
    minHeapUsedMiB: heap.length > 0 ? Math.min(...heap) : undefined,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function processWindow(p: SoakProcess, r: RunTimes): ProcessWindow {
  // Readings of a live process only: a killed worker's last sampling found no process (no RSS) and ends its window.
  const underLoad = p.samples.filter((s) => !s.afterDrain && s.atS <= r.loadEndedAtS + 1 && s.rssMiB !== undefined);
  const start = underLoad.find((s) => s.atS >= p.startedAtS + r.warmupS);
  const end = underLoad.at(-1);
  const rss = p.samples.flatMap((s) => (s.rssMiB === undefined ? [] : [s.rssMiB]));
  const measured = r.loadEndedAtS - r.warmupS;
  const span = start !== undefined && end !== undefined ? end.atS - start.atS : 0;
  const windowS = Math.min(RSS_WINDOW_S, span / 4);
  const measurable = start !== undefined && end !== undefined && span > 0;
  return {
    start,
    end,
    afterDrain: p.samples.find((s) => s.afterDrain),
    maxRssMiB: rss.length > 0 ? Math.max(...rss) : undefined,
    first: measurable ? envelope(underLoad, start.atS, start.atS + windowS) : undefined,
    last: measurable ? envelope(underLoad, end.atS - windowS, end.atS) : undefined,
    judged: measurable && span >= measured / 4,
  };
}

function queueWindow(r: SoakResult): {
  start?: QueueSample;
  end?: QueueSample;
  max?: QueueSample;
  afterDrain?: QueueSample;
} {
  const underLoad = r.queues.filter((q) => !q.afterDrain && q.atS <= r.loadEndedAtS + 1);
  return {
    start: underLoad.find((q) => q.atS >= r.warmupS),
    end: underLoad.at(-1),
    max: underLoad.reduce<QueueSample | undefined>(
      (m, q) => (m === undefined || q.unacked > m.unacked ? q : m),
      undefined,
    ),
    afterDrain: r.queues.find((q) => q.afterDrain),
  };
}

/** Grew from `start` to `end` by no more than `share` of `start` plus `floor` (a handful of handles is no leak). */
function flat(start: number | undefined, end: number | undefined, share: number, floor = 0): boolean | undefined {
  return start === undefined || end === undefined ? undefined : end <= start * (1 + share) + floor;
}

/** RSS flat: the median of the process's last window of readings against that of its first. */
export function rssVerdict(p: SoakProcess, w: ProcessWindow): SoakVerdict {
  const level = flat(w.first?.medianRssMiB, w.last?.medianRssMiB, RSS_GROWTH_LIMIT);
  return {
    check: `${p.label}: RSS flat (median of a window, < ${RSS_GROWTH_LIMIT * 100} % growth)`,
    ok: level === true,
    detail:
      `median ${mib(w.first?.medianRssMiB)} → ${mib(w.last?.medianRssMiB)} MiB ` +
      `(${growth(w.first?.medianRssMiB, w.last?.medianRssMiB)}) in ${windowLabel(w)}; lowest ` +
      `${mib(w.first?.minRssMiB)} → ${mib(w.last?.minRssMiB)}, highest ${mib(w.first?.maxRssMiB)} → ` +
      `${mib(w.last?.maxRssMiB)}; single readings ${mib(w.start?.rssMiB)} → ${mib(w.end?.rssMiB)} MiB ` +
      `(${growth(w.start?.rssMiB, w.end?.rssMiB)})`,
  };
}

/** The pass/fail lines: the exact ledger, RSS, handles and unacknowledged messages flat, nothing left behind. */
export function judgeSoak(r: SoakResult): SoakVerdict[] {
  const verdicts: SoakVerdict[] = [
    { check: 'ledger exact', ok: r.ledger.verdict === 'pass', detail: formatLedgerVerdict(r.ledger) },
    {
      check: 'backlog drained',
      ok: r.drainedAfterS !== undefined,
      detail: r.drainedAfterS === undefined ? 'not within 10 min' : `${r.drainedAfterS.toFixed(0)} s after the load`,
    },
  ];
  for (const p of r.processes) {
    const w = processWindow(p, r);
    if (!w.judged) {
      continue;
    }
    verdicts.push(rssVerdict(p, w));
    const fds = flat(w.start?.fds, w.end?.fds, 0.1, 10);
    const handles = flat(w.start?.activeHandles, w.end?.activeHandles, 0.1, 10);
    verdicts.push({
      check: `${p.label}: open handles flat`,
      ok: fds !== false && handles !== false,
      detail: `fds ${num(w.start?.fds)} → ${num(w.end?.fds)}, active handles ${num(w.start?.activeHandles)} → ${num(w.end?.activeHandles)}`,
    });
  }
  const q = queueWindow(r);
  const bound = ORDER_PARTITIONS * ORDER_PREFETCH;
  verdicts.push({
    check: 'unacknowledged messages flat',
    ok: q.end !== undefined && q.end.unacked <= Math.max(bound, q.start?.unacked ?? 0),
    detail: `${num(q.start?.unacked)} after the warm-up, ${num(q.end?.unacked)} at the end of the load (bound: ${ORDER_PARTITIONS} partitions × prefetch ${ORDER_PREFETCH} = ${bound})`,
  });
  const left = q.afterDrain && q.afterDrain.ready + q.afterDrain.unacked + q.afterDrain.retrying;
  verdicts.push({
    check: 'nothing left in the queues',
    ok: left === 0,
    detail: left === undefined ? 'queues not read after the drain' : `${left} messages after the drain`,
  });
  return verdicts;
}

/** The section: setup, the processes, the queues, the faults, the ledger and the verdict. */
export function renderSoakSection(r: SoakResult): string[] {
  const q = queueWindow(r);
  const total = r.webhooks.creates + r.webhooks.updates;
  const seed = r.seed === undefined ? '' : ` (seed ${r.seed})`;
  return [
    `${total} signed webhooks (${r.webhooks.creates} \`orders/create\`, ${r.webhooks.updates} \`orders/updated\` of ` +
      `earlier orders) at ${r.rate}/s for ${r.minutes} min, open loop, re-sent like Shopify re-sends a failure, into ` +
      'the app deployed as APP_ROLE=api + APP_ROLE=worker (two processes, as docker-compose; a killed worker is ' +
      `started again 5 s later, as a supervisor would), written to the sandbox ERP (a simulation: limit ${r.erp.limit} ` +
      `concurrent requests of ${r.erp.latencyMs} ± ${r.erp.jitterMs} ms). Faults \`${r.faultsSpec}\`${seed}. Each ` +
      `process is read every 5 s. Its window starts ${r.warmupS} s after the process itself started (a worker ` +
      'started during the run gets the same warm-up) and ends with its last reading under load. RSS is judged on ' +
      `its first and its last ${RSS_WINDOW_S / 60} minutes of readings (a quarter of the window if that is shorter): ` +
      `the median of the last must be less than ${RSS_GROWTH_LIMIT * 100} % above that of the first. Single ` +
      "readings land anywhere on the V8 heap's sawtooth (garbage piling up until a major collection), so they are " +
      'shown but not judged; "heap used, lowest" is the nearest these readings come to the live heap.',
    '',
    '| process | RSS median, first → last window (MiB) | RSS lowest–highest, first window → last window | RSS single readings, after warm-up → end | RSS max | heap used lowest, first → last window (MiB) | open fds after warm-up → end | active handles after warm-up → end | after the drain: RSS, fds, handles |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.processes.map((p) => processRow(p, r)),
    '',
    '| order queues (RabbitMQ) | after warm-up | end of load | max unacked | after the drain |',
    '|---|---|---|---|---|',
    `| unacknowledged | ${num(q.start?.unacked)} | ${num(q.end?.unacked)} | ${num(q.max?.unacked)} (at ${secs(q.max?.atS)}) | ${num(q.afterDrain?.unacked)} |`,
    `| ready | ${num(q.start?.ready)} | ${num(q.end?.ready)} | | ${num(q.afterDrain?.ready)} |`,
    `| in retry queues | ${num(q.start?.retrying)} | ${num(q.end?.retrying)} | | ${num(q.afterDrain?.retrying)} |`,
    '',
    '| fault | planned | started | whole again | what happened |',
    '|---|---|---|---|---|',
    ...(r.faults.length === 0
      ? ['| none | | | | |']
      : r.faults.map(
          (f) => `| ${f.kind} | ${secs(f.plannedAtS)} | ${secs(f.startedAtS)} | ${secs(f.recoveredAtS)} | ${f.note} |`,
        )),
    '',
    '| measure | value |',
    '|---|---|',
    `| first attempts: ack p50 / p99 / max (from the due time) | ${ms(r.ack.p50)} / ${ms(r.ack.p99)} / ${ms(r.ack.max)} ms |`,
    `| first attempts not answered 200 / deliveries re-sent | ${r.firstAttemptsNot200} / ${r.retried} |`,
    `| backlog drained after the load | ${r.drainedAfterS === undefined ? 'no (10 min bound)' : `${r.drainedAfterS.toFixed(0)} s`} |`,
    `| dead letters | ${r.deadLetters} |`,
    `| ledger | ${formatLedgerVerdict(r.ledger)} |`,
    '',
    '| check | verdict | figures |',
    '|---|---|---|',
    ...r.verdicts.map((v) => `| ${v.check} | ${v.ok ? 'pass' : '**FAIL**'} | ${v.detail} |`),
  ];
}

function processRow(p: SoakProcess, r: SoakResult): string {
  const w = processWindow(p, r);
  const lived =
    p.endedAtS === undefined
      ? p.startedAtS > 1
        ? ` (from ${secs(p.startedAtS)})`
        : ''
      : ` (${secs(p.startedAtS)}–${secs(p.endedAtS)}${p.killed ? ', SIGKILLed' : ''})`;
  const drained = w.afterDrain;
  const short = w.judged ? '' : ' (window too short to judge)';
  return (
    `| ${p.label}${lived} | ${mib(w.first?.medianRssMiB)} → ${mib(w.last?.medianRssMiB)} ` +
    `(${growth(w.first?.medianRssMiB, w.last?.medianRssMiB)})${short} | ${mib(w.first?.minRssMiB)}–` +
    `${mib(w.first?.maxRssMiB)} → ${mib(w.last?.minRssMiB)}–${mib(w.last?.maxRssMiB)} | ${mib(w.start?.rssMiB)} → ` +
    `${mib(w.end?.rssMiB)} (${growth(w.start?.rssMiB, w.end?.rssMiB)}) | ${mib(w.maxRssMiB)} | ` +
    `${mib(w.first?.minHeapUsedMiB)} → ${mib(w.last?.minHeapUsedMiB)} | ${num(w.start?.fds)} → ${num(w.end?.fds)} | ` +
    `${num(w.start?.activeHandles)} → ${num(w.end?.activeHandles)} | ` +
    `${drained ? `${mib(drained.rssMiB)} MiB, ${num(drained.fds)}, ${num(drained.activeHandles)}` : '–'} |`
  );
}

function windowLabel(w: ProcessWindow): string {
  return `${secs(w.first?.fromS)}–${secs(w.first?.toS)} and ${secs(w.last?.fromS)}–${secs(w.last?.toS)}`;
}

function mib(v: number | undefined): string {
  return v === undefined ? '–' : v.toFixed(1);
}

function num(v: number | undefined): string {
  return v === undefined ? '–' : String(Math.round(v));
}

function secs(v: number | undefined): string {
  return v === undefined ? '–' : `${Math.round(v)} s`;
}

function growth(start: number | undefined, end: number | undefined): string {
  if (start === undefined || end === undefined || start === 0) {
    return '–';
  }
  const share = (end - start) / start;
  return `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %`;
}
