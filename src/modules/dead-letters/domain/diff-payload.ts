import type { PayloadChange } from 'src/modules/dead-letters/domain/dead-letter-action';

/** At most this many changed paths are recorded for one edit; a last entry says how many more there were. */
export const MAX_RECORDED_CHANGES = 200;
const MAX_SHOWN_TEXT = 200;
export const REDACTED = '[redacted]';

/**
 * A path segment that may hold a secret (token, signature, card) or a customer's personal data (names, contacts,
 * addresses): its values — and everything below it — are recorded as `[redacted]`, only the path is kept.
 */
const SENSITIVE =
  /secret|token|password|passwd|api_?key|authori[sz]ation|signature|hmac|card|cvv|email|phone|first_name|last_name|address|zip|customer|browser_ip|client_details/i;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown, sensitive: boolean): unknown {
  if (sensitive) {
    return REDACTED;
  }
  return typeof value === 'string' && value.length > MAX_SHOWN_TEXT ? `${value.slice(0, MAX_SHOWN_TEXT)}…` : value;
}

function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/**
 * The changed leaf paths between two JSON documents (an edited dead-letter payload against the original), in
 * document order. Objects and arrays are walked (an added object shows as its added leaves), so that every recorded
 * value sits under its own key and is redacted by it. Pure.
 */
export function diffPayload(before: unknown, after: unknown): PayloadChange[] {
  const changes: PayloadChange[] = [];
  walk(before, after, '', false, changes);
  if (changes.length > MAX_RECORDED_CHANGES) {
    const more = changes.length - MAX_RECORDED_CHANGES;
    return [...changes.slice(0, MAX_RECORDED_CHANGES), { path: `(${more} more changed paths)`, change: 'changed' }];
  }
  return changes;
}

function isContainer(value: unknown): value is Json[] | Record<string, Json> {
  return typeof value === 'object' && value !== null;
}

function emptyOf(value: Json[] | Record<string, Json>): Json[] | Record<string, Json> {
  return Array.isArray(value) ? [] : {};
}

function walk(before: unknown, after: unknown, path: string, sensitive: boolean, out: PayloadChange[]): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const key of keys) {
      walk(before[key], after[key], child(path, key), sensitive || SENSITIVE.test(key), out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      walk(before[i], after[i], child(path, i), sensitive, out);
    }
    return;
  }
  if (isContainer(before) || isContainer(after)) {
    // A container on one side only (or an object against an array): its leaves go or come one by one.
    if (isContainer(before)) {
      walk(before, emptyOf(before), path, sensitive, out);
    } else if (before !== undefined) {
      out.push({ path, change: 'removed', before: shown(before, sensitive) });
    }
    if (isContainer(after)) {
      walk(emptyOf(after), after, path, sensitive, out);
    } else if (after !== undefined) {
      out.push({ path, change: 'added', after: shown(after, sensitive) });
    }
    return;
  }
  if (before === undefined && after === undefined) {
    return;
  }
  if (before === undefined) {
    out.push({ path, change: 'added', after: shown(after, sensitive) });
  } else if (after === undefined) {
    out.push({ path, change: 'removed', before: shown(before, sensitive) });
  } else if (before !== after) {
    out.push({ path, change: 'changed', before: shown(before, sensitive), after: shown(after, sensitive) });
  }
}
