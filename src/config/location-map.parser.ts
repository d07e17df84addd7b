/** @description One entry of SHOPIFY_LOCATION_MAP: an ERP location key and the Shopify location it stands for. */
export interface LocationMapEntry {
  erpLocationId: string;
  shopifyLocationId: string;
}

/** @description SHOPIFY_LOCATION_MAP read: its entries, or the first malformed one (1-based, as written). */
export type LocationMapParse = { ok: true; entries: LocationMapEntry[] } | { ok: false; entry: number; reason: string };

const SHOPIFY_LOCATION_GID = /^gid:\/\/shopify\/Location\/\d+$/;

/**
 * @description Reads `erpKey:gid://shopify/Location/<id>[,...]`. An ERP key may hold anything (spaces, unicode, `/`:
 * Cin7 keys its locations by name, e.g. `Main Warehouse`); a `,` or `:` inside a key is written `\,` or `\:`, and a
 * backslash `\\`. Each entry splits on its first unescaped `:`. Spaces around an entry are ignored, and so are
 * empty entries (a trailing comma); entries are numbered as written. Pure.
 *
 * @example
 * parseLocationMap('Main Warehouse:gid://shopify/Location/1,Back\\, Room:gid://shopify/Location/2');
 * // → { ok: true, entries: [{ erpLocationId: 'Main Warehouse', … }, { erpLocationId: 'Back, Room', … }] }
 */
export function parseLocationMap(text: string): LocationMapParse {
  const entries: LocationMapEntry[] = [];
  const raw = splitUnescaped(text, ',');
  for (const [index, entry] of raw.entries()) {
    const number = index + 1;
    if (entry.trim() === '') {
      continue;
    }
    const [key, value] = splitUnescaped(entry.trim(), ':', 2);
    if (value === undefined) {
      return { ok: false, entry: number, reason: "has no ':' between the ERP location and the Shopify location" };
    }
    const erpLocationId = unescapeKey(key ?? '');
    if (erpLocationId === undefined) {
      return { ok: false, entry: number, reason: 'has a backslash that is not \\, \\: or \\\\ in its ERP location' };
    }
    if (erpLocationId.trim() === '') {
      return { ok: false, entry: number, reason: 'has an empty ERP location' };
    }
    const shopifyLocationId = value.trim();
    if (!SHOPIFY_LOCATION_GID.test(shopifyLocationId)) {
      return {
        ok: false,
        entry: number,
        reason: "has no Shopify location GID (gid://shopify/Location/<id>) after its first unescaped ':'",
      };
    }
    entries.push({ erpLocationId: erpLocationId.trim(), shopifyLocationId });
  }
  return { ok: true, entries };
}

/** Splits on `separator` where it is not escaped by a backslash, keeping escapes for `unescapeKey`; `limit` parts at most. */
function splitUnescaped(text: string, separator: string, limit = Number.POSITIVE_INFINITY): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < limit - 1; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `\,` → `,`, `\:` → `:`, `\\` → `\`; undefined when a backslash escapes anything else (or nothing). */
function unescapeKey(key: string): string | undefined {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const char = key[i];
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = key[i + 1];
    if (next !== ',' && next !== ':' && next !== '\\') {
      return undefined;
    }
    out += next;
    i++;
  }
  return out;
}
