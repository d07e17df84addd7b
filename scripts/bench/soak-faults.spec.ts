import { parseSoakFaults, randomSoakFaults, type SoakFaultWindow } from 'scripts/bench/soak-faults';
import { UsageError } from 'scripts/lib/flags';

describe('the soak fault schedule', () => {
  it('reads an explicit list in time order, and random or none', () => {
    expect(parseSoakFaults('kill@900, outage@600,broker@1200', 1800)).toEqual([
      { kind: 'outage', atS: 600 },
      { kind: 'kill', atS: 900 },
      { kind: 'broker', atS: 1200 },
    ]);
    expect(parseSoakFaults('random', 1800)).toBe('random');
    expect(parseSoakFaults('none', 1800)).toEqual([]);
  });

  it('refuses an unknown fault, a missing time and a time outside the run, naming the entry', () => {
    expect(() => parseSoakFaults('reboot@60', 1800)).toThrow(UsageError);
    expect(() => parseSoakFaults('outage', 1800)).toThrow(/"outage" is not/);
    expect(() => parseSoakFaults('outage@1900', 1800)).toThrow(/"outage@1900"/);
  });

  const window: SoakFaultWindow = { durationS: 1800, warmupS: 180, outageS: 60, brokerS: 20 };

  it('draws one of each fault after the warm-up and before the last fifth, never two at once', () => {
    for (let seed = 0; seed < 200; seed++) {
      const faults = randomSoakFaults(window, seed);
      expect(faults.map((f) => f.kind).sort()).toEqual(['broker', 'kill', 'outage']);
      const ends = faults.map((f) => f.atS + (f.kind === 'outage' ? 60 : f.kind === 'broker' ? 20 : 0));
      expect(faults[0].atS).toBeGreaterThanOrEqual(180 + 90);
      expect(Math.max(...ends)).toBeLessThanOrEqual(1800 * 0.8);
      faults.slice(1).forEach((f, i) => expect(f.atS).toBeGreaterThanOrEqual(ends[i]));
    }
  });

  it('gives the same times for the same seed, and other times for another', () => {
    expect(randomSoakFaults(window, 42)).toEqual(randomSoakFaults(window, 42));
    expect(randomSoakFaults(window, 42)).not.toEqual(randomSoakFaults(window, 43));
  });

  it('still fits the three faults, in order, into a three-minute soak', () => {
    const faults = randomSoakFaults({ durationS: 180, warmupS: 18, outageS: 20, brokerS: 10 }, 7);
    expect(faults).toHaveLength(3);
    expect(faults[0].atS).toBeGreaterThan(18);
    expect(faults[2].atS).toBeLessThan(180);
  });
});
