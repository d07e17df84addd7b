import { formatMs, percentile, percentileOfSorted, summarise } from 'test/support/percentiles';

describe(summarise.name, () => {
  it('reports nearest-rank percentiles of 1..1000', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(summarise(values)).toEqual({
      count: 1000,
      min: 1,
      mean: 500.5,
      p50: 500,
      p90: 900,
      p99: 990,
      p999: 999,
      max: 1000,
    });
  });

  it('reports only observed values, never interpolations', () => {
    const values = [1, 100];
    expect(percentile(values, 50)).toBe(1);
    expect(percentile(values, 51)).toBe(100);
  });

  it('lets one outlier in 100 samples show at p99.9 and max but not at p99', () => {
    const values = [...Array.from({ length: 99 }, () => 2), 500];
    const d = summarise(values);
    expect(d.p99).toBe(2);
    expect(d.p999).toBe(500);
    expect(d.max).toBe(500);
  });

  it('sorts numerically, not as strings', () => {
    expect(summarise([10, 9, 100, 1]).p50).toBe(9);
  });

  it('gives NaN for an empty input instead of a made-up zero', () => {
    const d = summarise([]);
    expect(d.count).toBe(0);
    expect(d.p99).toBeNaN();
    expect(d.mean).toBeNaN();
  });

  it('accepts a typed array and does not reorder it', () => {
    const values = Float64Array.from([3, 1, 2]);
    expect(summarise(values).p50).toBe(2);
    expect(Array.from(values)).toEqual([3, 1, 2]);
  });
});

describe(percentileOfSorted.name, () => {
  it('returns the minimum at p0 and the maximum at p100', () => {
    expect(percentileOfSorted([1, 2, 3], 0)).toBe(1);
    expect(percentileOfSorted([1, 2, 3], 100)).toBe(3);
  });

  it('rejects a percentile outside [0, 100]', () => {
    expect(() => percentileOfSorted([1], 101)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], Number.NaN)).toThrow(RangeError);
  });
});

describe(formatMs.name, () => {
  it.each([
    [0.2134, '0.21'],
    [3.9, '3.90'],
    [42.04, '42.0'],
    [1234.4, '1234'],
    [Number.NaN, '–'],
  ])('formats %p as %p', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
