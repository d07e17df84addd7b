import { formatMs } from 'test/support/percentiles';

/** Number formatting of the demo's summary and the bench's reports. */

export const ms = formatMs;

/** One decimal, or `–` for a rate that could not be measured. */
export function rate1(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '–';
}

/** `part` as a whole percentage of `whole`, or `–` when there is nothing to compare with. */
export function pct(part: number, whole: number): string {
  return whole > 0 && Number.isFinite(part) ? `${Math.round((part / whole) * 100)} %` : '–';
}

/** A share (0..1) as a whole percentage. */
export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** Two aligned columns, indented by two spaces. */
export function table(rows: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
