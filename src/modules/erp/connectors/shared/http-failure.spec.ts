import { parseRetryAfter } from 'src/modules/erp/connectors/shared/http-failure';

const NOW = Date.parse('2026-10-05T12:00:00Z');

describe(parseRetryAfter.name, () => {
  it.each([
    ['1', 1_000],
    [' 2 ', 2_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Mon, 05 Oct 2026 12:00:10 GMT', 10_000],
    ['Mon, 05 Oct 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
