import { shopifyError, type SimRequestContext } from 'test/simulators/shopify/sim-context';

/** Arguments every Shopify connection takes. */
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  query?: string | null;
}

export const MAX_PAGE_SIZE = 250;

function cursorOf(index: number): string {
  return Buffer.from(JSON.stringify({ last_id: index })).toString('base64');
}

function indexOf(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    if (typeof parsed.last_id === 'number') {
      return parsed.last_id;
    }
  } catch {
    // fall through
  }
  throw shopifyError(`Invalid cursor for current pagination sort.`, 'BAD_REQUEST');
}

/**
 * A connection page in Shopify's shape (`edges { cursor node }`, `nodes`, `pageInfo`) over `items`, with
 * first/last/after/before/reverse. Shopify requires `first` or `last` (at most 250); inside a bulk operation every
 * item is returned.
 */
export function connection<T>(
  items: readonly T[],
  args: ConnectionArgs,
  context: SimRequestContext,
  toNode: (item: T) => unknown,
): unknown {
  const ordered = args.reverse ? [...items].reverse() : items;
  let start = 0;
  let end = ordered.length;
  if (args.after) {
    start = indexOf(args.after) + 1;
  }
  if (args.before) {
    end = Math.min(end, indexOf(args.before));
  }
  if (!context.bulk) {
    const first = args.first ?? undefined;
    const last = args.last ?? undefined;
    if (first === undefined && last === undefined) {
      throw shopifyError('you must provide one of first or last', 'BAD_REQUEST');
    }
    const size = first ?? last!;
    if (size > MAX_PAGE_SIZE || size < 0) {
      throw shopifyError(`The value for first/last must be between 0 and ${MAX_PAGE_SIZE}`, 'BAD_REQUEST');
    }
    if (first !== undefined) {
      end = Math.min(end, start + first);
    } else {
      start = Math.max(start, end - last!);
    }
  }
  const edges: { cursor: string; node: unknown }[] = [];
  for (let i = start; i < end; i += 1) {
    edges.push({ cursor: cursorOf(i), node: toNode(ordered[i]) });
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: end < ordered.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** One `key:value` term of Shopify's search syntax (`updated_at:>'2026-10-01'`, `sku:ABC`, `status:running`). */
export interface SearchTerm {
  key: string;
  comparator: ':' | '>' | '<' | '>=' | '<=';
  value: string;
}

/**
 * Parses the subset of Shopify's search syntax the simulator supports: whitespace- or `AND`-separated `key:value`
 * terms, values optionally quoted, comparators `>`, `<`, `>=`, `<=` after the colon. Anything else is an error,
 * so a test cannot silently rely on an unsupported filter.
 */
export function parseSearchQuery(query: string | null | undefined): SearchTerm[] {
  if (!query || query.trim() === '') {
    return [];
  }
  const terms: SearchTerm[] = [];
  const re = /\s*([a-z_]+):(>=|<=|>|<)?(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))\s*/gy;
  const text = query.replace(/\s+AND\s+/g, ' ');
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(text)) !== null) {
    terms.push({
      key: m[1],
      comparator: (m[2] as SearchTerm['comparator'] | undefined) ?? ':',
      value: (m[3] ?? m[4])?.replace(/\\(.)/g, '$1') ?? m[5],
    });
    pos = re.lastIndex;
  }
  if (pos !== text.length) {
    throw shopifyError(`Simulator does not support the search query "${query}"`, 'BAD_REQUEST');
  }
  return terms;
}

/** `a:1 OR b:2 c:3` → [[a:1], [b:2, c:3]] (OR of AND-lists; no parentheses). */
export function parseSearchAlternatives(query: string | null | undefined): SearchTerm[][] {
  if (!query || query.trim() === '') {
    return [];
  }
  return query.split(/\s+OR\s+/).map((part) => parseSearchQuery(part));
}

/** Compares a term with a string/number/date field value. */
export function matchesTerm(term: SearchTerm, actual: string | number | null | undefined): boolean {
  if (actual === null || actual === undefined) {
    return false;
  }
  if (term.comparator === ':') {
    return String(actual).toLowerCase() === term.value.toLowerCase();
  }
  const a = typeof actual === 'number' ? actual : Date.parse(actual);
  const b = typeof actual === 'number' ? Number(term.value) : Date.parse(term.value);
  switch (term.comparator) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
  }
}
