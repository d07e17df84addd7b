import { isDecimalString } from 'src/modules/orders/domain/money';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

/*
 * The field readers of the webhook payload decoders (decode-order-payload.ts, decode-refund-payload.ts): each returns
 * a field in the shape it must have, or throws OrderError(InvalidPayload) naming the field's path and what it got.
 */

export type JsonObject = Record<string, unknown>;

// An instant needs its offset: a local time without one would compare differently per server time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(\?.*)?$/;
const DIGITS = /^\d+$/;
export const CURRENCY = /^[A-Z]{3}$/;

/** Optional numeric ids (`product_id`, `variant_id`) as exact digit strings; null stays null. */
export function optionalIds<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value === undefined) {
      continue;
    }
    if (value === null) {
      out[key] = null;
      continue;
    }
    const written = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
    out[key] = typeof written === 'string' && DIGITS.test(written) ? written : fail(join(path, key), 'an id', value);
  }
  return out;
}

/** An id that is not a resource of its own (no gid beside it): an integer or a string of digits, as a string. */
export function exactId(value: unknown, path: string): string {
  const written = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof written === 'string' && DIGITS.test(written)) {
    return written;
  }
  return fail(path, 'an integer or a string of digits', value);
}

/**
 * The exact id of a Shopify resource. JSON.parse has already rounded numbers above 2^53, so the numeric tail of
 * `admin_graphql_api_id` wins when present; otherwise the `id` field as written.
 */
export function idOf(owner: JsonObject, path: string): string {
  const gid = owner.admin_graphql_api_id;
  if (typeof gid === 'string') {
    const tail = GID.exec(gid)?.[1];
    if (tail !== undefined) {
      return tail;
    }
  }
  const id = owner.id;
  const written = typeof id === 'number' && Number.isInteger(id) ? String(id) : id;
  if (typeof written === 'string' && DIGITS.test(written)) {
    return written;
  }
  return fail(join(path, 'id'), 'an integer or a string of digits', id);
}

export function gidOf(owner: JsonObject, path: string): { admin_graphql_api_id?: string } {
  const gid = owner.admin_graphql_api_id;
  if (gid === undefined || gid === null) {
    return {};
  }
  return { admin_graphql_api_id: matching(gid, join(path, 'admin_graphql_api_id'), GID, 'a gid://shopify/… id') };
}

export function optional<T>(
  owner: JsonObject,
  key: string,
  path: string,
  decode: (value: unknown, path: string) => T,
): T | undefined {
  const value = owner[key];
  return value === undefined || value === null ? undefined : decode(value, path);
}

/** Copies the listed keys that are present, each a string or null. */
export function optionalFields<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value === undefined) {
      continue;
    }
    if (value !== null && typeof value !== 'string') {
      fail(join(path, key), 'a string or null', value);
    }
    out[key] = value;
  }
  return out;
}

export function optionalInstants<K extends string>(
  owner: JsonObject,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined) {
      out[key] = value === null ? null : instant(value, key);
    }
  }
  return out;
}

/** Like optionalInstants, for the keys of a nested object; an empty string counts as absent. */
export function optionalInstantsAt<K extends string>(
  owner: JsonObject,
  path: string,
  keys: readonly K[],
): Partial<Record<K, string | null>> {
  const out: Partial<Record<K, string | null>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined) {
      out[key] = value === null || value === '' ? null : instant(value, join(path, key));
    }
  }
  return out;
}

export function optionalMoney<K extends string>(
  owner: JsonObject,
  keys: readonly K[],
  path = '',
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = owner[key];
    if (value !== undefined && value !== null) {
      out[key] = money(value, join(path, key));
    }
  }
  return out;
}

/** `{ [key]: value }` when value is defined, so absent fields stay absent rather than becoming `undefined`. */
export function present<K extends string, T>(key: K, value: T | undefined): Partial<Record<K, T>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, T>);
}

export function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, 'an object', value);
  }
  return value as JsonObject;
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    fail(path, 'an array', value);
  }
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string') {
    fail(path, 'a string', value);
  }
  return value;
}

export function nonBlankString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(path, 'a non-empty string', value);
  }
  return value;
}

export function matching(value: unknown, path: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    fail(path, expected, value);
  }
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') {
    fail(path, 'a boolean', value);
  }
  return value;
}

export function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(path, 'an integer ≥ 0', value);
  }
  return value;
}

export function money(value: unknown, path: string): string {
  if (!isDecimalString(value) || value.startsWith('-')) {
    fail(path, 'a non-negative decimal string with at most 4 decimals', value);
  }
  return value;
}

export function instant(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    fail(path, 'an ISO 8601 timestamp with a time zone offset', value);
  }
  return value;
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function fail(path: string, expected: string, actual: unknown): never {
  throw new OrderError(OrderErrorCode.InvalidPayload, `${path} must be ${expected}, got ${describe(actual)}`);
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}
