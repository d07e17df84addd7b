import { processWindow, rssVerdict } from 'scripts/bench/soak-report';
import type { ProcessSample, SoakProcess } from 'scripts/bench/soak.types';

/** A reading every 5 s from `fromS` to `toS`, RSS and heap from `rss(atS)`. */
function readings(fromS: number, toS: number, rss: (atS: number) => number): ProcessSample[] {
  const out: ProcessSample[] = [];
  for (let atS = fromS; atS <= toS; atS += 5) {
    out.push({ atS, rssMiB: rss(atS), heapUsedMiB: rss(atS) - 100 });
  }
  return out;
}

/** V8's old space: garbage piles up for 90 s, then a major collection takes it back to the live size. */
const sawtooth =
  (floor: number, amplitude: number, leakPerMinute = 0) =>
  (atS: number): number =>
    floor + amplitude * ((atS % 90) / 90) + (leakPerMinute * atS) / 60;

function worker(samples: ProcessSample[], startedAtS = 0): SoakProcess {
  return { label: 'worker', role: 'worker', pid: 1, startedAtS, samples };
}

const RUN = { loadEndedAtS: 1800, warmupS: 180 };

describe('the soak RSS verdict', () => {
  it('passes a sawtooth whose level stays put, though single readings differ by 40 %', () => {
    const p = worker(readings(0, 1795, sawtooth(200, 90)));
    const w = processWindow(p, RUN);

    expect(w.start?.rssMiB).toBe(200);
    expect(w.end?.rssMiB).toBe(285);
    expect(w.first).toMatchObject({ fromS: 180, toS: 480, minRssMiB: 200, maxRssMiB: 285 });
    expect(w.last).toMatchObject({ fromS: 1495, toS: 1795, minRssMiB: 200, maxRssMiB: 285 });
    // Windows of a few cycles catch the sawtooth at different phases: their medians differ a little.
    expect(rssVerdict(p, w)).toMatchObject({ ok: true, detail: expect.stringMatching(/^median 235\.0 → 250\.0 MiB/) });
  });

  it('fails a leak that raises the level by more than 10 %', () => {
    // 1.5 MiB a minute: 40 MiB over the measured 27 minutes.
    const p = worker(readings(0, 1795, sawtooth(200, 90, 1.5)));
    const w = processWindow(p, RUN);
    const verdict = rssVerdict(p, w);

    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toMatch(/^median 244\.9 → 289\.5 MiB \(\+18\.2 %\)/);
  });

  it('is not swayed by a minute of idleness (an ERP outage) or of catching up afterwards', () => {
    const outage = (atS: number): number => (atS >= 300 && atS < 360 ? 160 : atS >= 360 && atS < 420 ? 330 : 0);
    const p = worker(readings(0, 1795, (atS) => outage(atS) || sawtooth(200, 90)(atS)));

    expect(rssVerdict(p, processWindow(p, RUN)).ok).toBe(true);
  });

  it('gives a process started during the run its own warm-up', () => {
    const restarted = worker(readings(305, 1800, sawtooth(200, 90)), 304);
    const w = processWindow(restarted, RUN);

    expect(w.start?.atS).toBe(485);
    expect(w.first?.fromS).toBe(485);
    expect(w.judged).toBe(true);
  });

  it('does not judge a process that lived less than a quarter of the measured run', () => {
    const killed = worker(readings(0, 300, sawtooth(200, 90)));

    expect(processWindow(killed, RUN).judged).toBe(false);
  });
});
