/** Keyset ids are bigint serials; 19 digits is the most a PostgreSQL bigint can have. */
const ID_PATTERN = /^\d{1,19}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]{1,28}={0,2}$/;

/** An opaque page cursor: base64 of the row id. Clients pass it back as `after`; they must not build one. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64');
}

/** The row id inside a cursor from `encodeCursor`, or null when the value is not one. */
export function decodeCursor(cursor: string): string | null {
  if (!BASE64_PATTERN.test(cursor)) {
    return null;
  }
  const id = Buffer.from(cursor, 'base64').toString('utf8');
  return ID_PATTERN.test(id) && encodeCursor(id) === cursor ? id : null;
}

/** One page of rows fetched with `limit = first + 1`: the extra row only says that another page exists. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export function toPage<T extends { id: string }>(rows: readonly T[], first: number): Page<T> {
  const items = rows.slice(0, first);
  const last = items.at(-1);
  return { items, hasNextPage: rows.length > first, endCursor: last === undefined ? null : encodeCursor(last.id) };
}
