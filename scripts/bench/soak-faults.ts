import { UsageError } from 'scripts/lib/flags';

/**
 * The soak's fault schedule (scenario S19): an ERP outage, a worker killed, and RabbitMQ restarted, each once, at
 * random times (reproducible from a seed) or at the times `--soak-faults` names.
 */

export const SOAK_FAULT_KINDS = ['outage', 'kill', 'broker'] as const;
export type SoakFaultKind = (typeof SOAK_FAULT_KINDS)[number];

/** @description One fault of the soak: what, and when, in seconds after the first webhook. */
export interface SoakFault {
  kind: SoakFaultKind;
  atS: number;
}

/** What the random schedule needs to know: the run, its warm-up and how long each fault keeps things down. */
export interface SoakFaultWindow {
  durationS: number;
  warmupS: number;
  outageS: number;
  brokerS: number;
}

/**
 * `--soak-faults`: `random`, `none`, or a list such as `outage@600,kill@900,broker@1200` (seconds after the first
 * webhook, inside the run). Returns `random` or the faults in time order; throws a UsageError naming what is wrong.
 */
export function parseSoakFaults(spec: string, durationS: number): SoakFault[] | 'random' {
  const text = spec.trim();
  if (text === 'random') {
    return 'random';
  }
  if (text === 'none') {
    return [];
  }
  const faults = text.split(',').map((entry) => {
    const match = /^(\w+)@(\d+(?:\.\d+)?)$/.exec(entry.trim());
    const kind = match?.[1];
    const atS = Number(match?.[2]);
    if (!match || !(SOAK_FAULT_KINDS as readonly string[]).includes(kind ?? '') || !(atS > 0 && atS < durationS)) {
      throw new UsageError(
        `--soak-faults: "${entry}" is not <${SOAK_FAULT_KINDS.join('|')}>@<seconds into the run, 0–${durationS}>; ` +
          'or use random or none',
      );
    }
    return { kind: kind as SoakFaultKind, atS };
  });
  return faults.sort((a, b) => a.atS - b.atS);
}

/**
 * One of each fault at random times drawn from `seed`: after the warm-up and before the last fifth of the run (so
 * that the end of the load is measured on a recovered service), never two at once. Each fault is given the time it
 * keeps something down plus a recovery margin; the free time left is split into random gaps between them.
 */
export function randomSoakFaults(window: SoakFaultWindow, seed: number): SoakFault[] {
  const random = mulberry32(seed);
  const from = window.warmupS + window.durationS * 0.05;
  const to = window.durationS * 0.8;
  const margin = Math.min(30, window.durationS * 0.03);
  const length: Record<SoakFaultKind, number> = {
    outage: window.outageS + margin,
    kill: margin,
    broker: window.brokerS + margin,
  };
  const kinds = shuffle([...SOAK_FAULT_KINDS], random);
  const busy = kinds.reduce((sum, kind) => sum + length[kind], 0);
  const free = Math.max(0, to - from - busy);
  // Random cut points of the free time: the gaps before, between and after the faults.
  const cuts = kinds.map(() => random() * free).sort((a, b) => a - b);
  let spent = 0;
  return kinds.map((kind, i) => {
    const atS = Math.round(from + cuts[i] + spent);
    spent += length[kind];
    return { kind, atS };
  });
}

/** A small seeded PRNG (mulberry32): the same seed gives the same schedule on any machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
