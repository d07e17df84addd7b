import type { ProcessSample, QueueSample, SoakProcess, SoakResult, SoakVerdict } from 'scripts/bench/soak.types';
import { ms } from 'scripts/lib/format';
import { ORDER_PARTITIONS } from 'src/common/messaging/topology';
import { formatLedgerVerdict } from 'test/support/ledger';

/** The soak's verdict and its section of the report (scenario S19; scripts/bench/soak-phase.ts measures). */

/** RSS may grow this much from the end of the warm-up to the end of the load (the issue's "flat"). */
const RSS_GROWTH_LIMIT = 0.1;
/** The order consumers' prefetch: unacknowledged messages are bounded by it per partition, whatever the load. */
const ORDER_PREFETCH = 2;

/** A process's figures: after the warm-up (its own start + the run's warm-up), at the end of the load, max. */
interface ProcessWindow {
  start?: ProcessSample;
  end?: ProcessSample;
  afterDrain?: ProcessSample;
  maxRssMiB?: number;
  /** Its window is long enough (a quarter of the measured run) to judge growth on. */
  judged: boolean;
}

function processWindow(p: SoakProcess, r: SoakResult): ProcessWindow {
  // Readings of a live process only: a killed worker's last sampling found no process (no RSS) and ends its window.
  const underLoad = p.samples.filter((s) => !s.afterDrain && s.atS <= r.loadEndedAtS + 1 && s.rssMiB !== undefined);
  const start = underLoad.find((s) => s.atS >= p.startedAtS + r.warmupS);
  const end = underLoad.at(-1);
  const rss = p.samples.flatMap((s) => (s.rssMiB === undefined ? [] : [s.rssMiB]));
  const measured = r.loadEndedAtS - r.warmupS;
  return {
    start,
    end,
    afterDrain: p.samples.find((s) => s.afterDrain),
    maxRssMiB: rss.length > 0 ? Math.max(...rss) : undefined,
    judged: start !== undefined && end !== undefined && end.atS - start.atS >= measured / 4,
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
    const rss = flat(w.start?.rssMiB, w.end?.rssMiB, RSS_GROWTH_LIMIT);
    verdicts.push({
      check: `${p.label}: RSS flat (< ${RSS_GROWTH_LIMIT * 100} % growth)`,
      ok: rss === true,
      detail: `${mib(w.start?.rssMiB)} → ${mib(w.end?.rssMiB)} MiB (${growth(w.start?.rssMiB, w.end?.rssMiB)})`,
    });
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
      `concurrent requests of ${r.erp.latencyMs} ± ${r.erp.jitterMs} ms). Faults \`${r.faultsSpec}\`${seed}. "After ` +
      `warm-up" is each process's first reading ${r.warmupS} s after it started; "end" its last reading under load.`,
    '',
    '| process | RSS after warm-up → end (MiB) | growth | RSS max | heap used after warm-up → end (MiB) | open fds after warm-up → end | active handles after warm-up → end | after the drain: RSS, fds, handles |',
    '|---|---|---|---|---|---|---|---|',
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
  return (
    `| ${p.label}${lived} | ${mib(w.start?.rssMiB)} → ${mib(w.end?.rssMiB)} | ${growth(w.start?.rssMiB, w.end?.rssMiB)}` +
    `${w.judged ? '' : ' (window too short to judge)'} | ${mib(w.maxRssMiB)} | ${mib(w.start?.heapUsedMiB)} → ` +
    `${mib(w.end?.heapUsedMiB)} | ${num(w.start?.fds)} → ${num(w.end?.fds)} | ${num(w.start?.activeHandles)} → ` +
    `${num(w.end?.activeHandles)} | ${drained ? `${mib(drained.rssMiB)} MiB, ${num(drained.fds)}, ${num(drained.activeHandles)}` : '–'} |`
  );
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
