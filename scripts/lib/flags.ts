/** Checks of numeric command-line flags, each with the message its command has always printed. */

/** An error whose message is the whole story: printed without a stack trace. */
export class UsageError extends Error {}

/** `raw` as a number in [min, max] (the demo's flags). */
export function numberInRange(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be a number in [${min}, ${max}], got "${raw}"`);
  }
  return v;
}

/** `raw` as a positive (or, with `allowZero`, non-negative) number; `fallback` when the flag is absent (the bench's). */
export function positiveNumber(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) {
    return fallback;
  }
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) {
    throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  }
  return v;
}

/** `raw` as a number ≥ `min` (the connector bench's). */
export function numberAtLeast(name: string, raw: string, min: number): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) {
    throw new UsageError(`--${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return v;
}
