/** @description A JSON object of non-empty names read from a setting, or why it is malformed. */
export type StringMapParse = { ok: true; map: Record<string, string> } | { ok: false; reason: string };

/**
 * @description Reads a setting that maps names to names as a JSON object, e.g. `{"Net 30":"2"}`: every key and value a
 * non-empty string (trimmed). `entry` says what an entry needs, for the reason of a bad one (e.g. "a non-empty ERP
 * name and Shopify company name"). Pure.
 */
export function parseStringMap(text: string, entry: string): StringMapParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'is not a JSON object' };
  }
  const map: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.trim() === '' || typeof value !== 'string' || value.trim() === '') {
      return { ok: false, reason: `entry ${JSON.stringify(key)} needs ${entry}` };
    }
    map[key.trim()] = value.trim();
  }
  return { ok: true, map };
}
