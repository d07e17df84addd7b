/**
 * PostgreSQL's `text` and `jsonb` cannot hold a NUL character (SQLSTATE 22021 and 22P05), and a lone UTF-16
 * surrogate (half of an emoji cut by a `slice`) has no UTF-8 form, so `pg` would send U+FFFD in its place. Text
 * that comes from outside (an ERP's error message, a webhook header) can carry either: these write them as the
 * visible escapes `\u0000` and `\udXXX`, so the row is stored and a reader still sees what was there.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (char: string): string => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/** `value` with every NUL and lone surrogate written as a `\uXXXX` escape; other text unchanged. */
export function escapeUnstorableText(value: string): string {
  return value.replace(UNSTORABLE, escape);
}

/** A JSON-able value with `escapeUnstorableText` applied to every string in it, keys included. */
export function escapeUnstorableJson(value: unknown): unknown {
  if (typeof value === 'string') {
    return escapeUnstorableText(value);
  }
  if (Array.isArray(value)) {
    return value.map(escapeUnstorableJson);
  }
  if (Buffer.isBuffer(value)) {
    return value;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [escapeUnstorableText(key), escapeUnstorableJson(inner)]),
    );
  }
  return value;
}

/** `value` as a PostgreSQL `integer`: a non-finite number is `fallback`, anything else rounded and clamped. */
export function toStorableInteger(value: number, fallback: number): number {
  if (!Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(2_147_483_647, Math.max(-2_147_483_648, Math.round(value)));
}
