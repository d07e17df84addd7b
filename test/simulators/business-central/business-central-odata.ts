/**
 * The subset of OData v4 query options the simulated Business Central API serves: `$filter` with `eq`, `ne`, `ge`,
 * `gt`, `le`, `lt` joined by `and`; `$orderby` (asc/desc, several keys); `$top`; `$skip`; `$select`; key-based
 * `$skiptoken` paging with `@odata.nextLink` under `Prefer: odata.maxpagesize=N`. String comparisons ignore case,
 * as BC online's SQL collation does. This is a simulation for tests.
 */

export type ODataRecord = Record<string, unknown>;

export class ODataError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'datetime'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'guid'; value: string };

interface Comparison {
  field: string;
  op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  literal: Literal;
}

/** Parses `a eq 'x' and b ge 2026-01-01T00:00:00Z`; throws ODataError(400) on anything else. */
export function parseFilter(filter: string): Comparison[] {
  const comparisons: Comparison[] = [];
  let rest = filter.trim();
  const syntax = () => new ODataError(400, 'BadRequest_NotFound', `Bad Request - Error in query syntax: '${filter}'`);
  while (rest !== '') {
    const head = /^([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ne|ge|gt|le|lt)\s+/.exec(rest);
    if (head === null) {
      throw syntax();
    }
    rest = rest.slice(head[0].length);
    let literal: Literal;
    if (rest.startsWith("'")) {
      let value = '';
      let index = 1;
      for (;;) {
        if (index >= rest.length) {
          throw syntax();
        }
        const char = rest[index];
        if (char === "'") {
          if (rest[index + 1] === "'") {
            value += "'";
            index += 2;
            continue;
          }
          break;
        }
        value += char;
        index++;
      }
      literal = { kind: 'string', value };
      rest = rest.slice(index + 1);
    } else {
      const token = /^[^\s)]+/.exec(rest)?.[0];
      if (token === undefined) {
        throw syntax();
      }
      rest = rest.slice(token.length);
      literal = parseBareLiteral(token, syntax);
    }
    comparisons.push({ field: head[1], op: head[2] as Comparison['op'], literal });
    rest = rest.trim();
    if (rest === '') {
      break;
    }
    const and = /^and\s+/i.exec(rest);
    if (and === null) {
      throw syntax();
    }
    rest = rest.slice(and[0].length);
  }
  return comparisons;
}

function parseBareLiteral(token: string, syntax: () => ODataError): Literal {
  if (token === 'true' || token === 'false') {
    return { kind: 'boolean', value: token === 'true' };
  }
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) {
    return { kind: 'guid', value: token.toLowerCase() };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(token)) {
    const at = Date.parse(token);
    if (Number.isNaN(at)) {
      throw syntax();
    }
    return { kind: 'datetime', value: at };
  }
  if (/^-?\d+(\.\d+)?$/.test(token)) {
    return { kind: 'number', value: Number(token) };
  }
  throw syntax();
}

/**
 * The records that can satisfy `filter`'s equalities on text fields, judged on the raw text before any record is
 * serialized (with the same comparison the filter itself uses, so nothing that matches is dropped). A lookup by
 * `externalDocumentNumber` or `email` then serializes one record instead of every record held: serializing them all
 * per request slowed the simulator's answers as it filled up during a 5,000-order bench. The full filter still runs
 * on what remains; an unparsable filter leaves the records as they are (the full filter reports it).
 */
export function prefilterTextEqualities<T>(
  records: T[],
  filter: string | null,
  textFields: readonly string[],
  text: (record: T, field: string) => string,
): T[] {
  if (filter === null || filter.trim() === '') {
    return records;
  }
  let comparisons: Comparison[];
  try {
    comparisons = parseFilter(filter);
  } catch {
    return records;
  }
  const equalities = comparisons.filter(
    (c) => c.op === 'eq' && c.literal.kind === 'string' && textFields.includes(c.field),
  );
  if (equalities.length === 0) {
    return records;
  }
  return records.filter((record) => equalities.every((c) => compare(text(record, c.field), c.literal) === 0));
}

/** Applies parsed comparisons; a field the entity type does not have is BC's 400. */
export function applyFilter(
  records: ODataRecord[],
  comparisons: Comparison[],
  entityType: string,
  fields: readonly string[],
) {
  for (const comparison of comparisons) {
    if (!fields.includes(comparison.field)) {
      throw new ODataError(
        400,
        'BadRequest_NotFound',
        `Could not find a property named '${comparison.field}' on type 'Microsoft.NAV.${entityType}'.`,
      );
    }
  }
  return records.filter((record) => comparisons.every((c) => matches(record[c.field], c)));
}

function matches(value: unknown, comparison: Comparison): boolean {
  const order = compare(value, comparison.literal);
  switch (comparison.op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'gt':
      return order !== undefined && order > 0;
    case 'le':
      return order !== undefined && order <= 0;
    case 'lt':
      return order !== undefined && order < 0;
  }
}

function compare(value: unknown, literal: Literal): number | undefined {
  switch (literal.kind) {
    case 'string':
    case 'guid':
      return typeof value === 'string' ? value.toLowerCase().localeCompare(literal.value.toLowerCase()) : undefined;
    case 'number':
      return typeof value === 'number' ? Math.sign(value - literal.value) : undefined;
    case 'boolean':
      return value === literal.value ? 0 : 1;
    case 'datetime': {
      const at = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(at) ? undefined : Math.sign(at - literal.value);
    }
  }
}

interface SortKey {
  field: string;
  descending: boolean;
}

export function parseOrderBy(orderBy: string | null, fields: readonly string[], entityType: string): SortKey[] {
  if (orderBy === null || orderBy.trim() === '') {
    return [];
  }
  return orderBy.split(',').map((part) => {
    const [field = '', direction = 'asc'] = part.trim().split(/\s+/);
    if (!fields.includes(field)) {
      throw new ODataError(
        400,
        'BadRequest_NotFound',
        `Could not find a property named '${field}' on type 'Microsoft.NAV.${entityType}'.`,
      );
    }
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
}

function sortValue(value: unknown): string | number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    return Date.parse(value);
  }
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function compareKeys(a: Array<string | number>, b: Array<string | number>, keys: SortKey[]): number {
  for (let index = 0; index < keys.length; index++) {
    const x = a[index];
    const y = b[index];
    const order =
      typeof x === 'number' && typeof y === 'number' ? Math.sign(x - y) : String(x).localeCompare(String(y));
    if (order !== 0) {
      return keys[index].descending ? -order : order;
    }
  }
  return 0;
}

/** @description A page of a collection, with the nextLink for the rest. */
export interface ODataPage {
  value: ODataRecord[];
  nextLink?: string;
  appliedPageSize?: number;
}

/**
 * Filters, sorts (the requested keys, then `id`, so the order is total), pages. The skip token is the sort key of the
 * last record sent (key-based, like BC's), so records changing between pages never shift a later page.
 */
export function pageCollection(
  records: ODataRecord[],
  url: URL,
  options: {
    entityType: string;
    fields: readonly string[];
    defaultOrderBy: string;
    serverPageSize: number;
    maxPageSizeHeader?: string;
  },
): ODataPage {
  const params = url.searchParams;
  const filter = params.get('$filter');
  let rows = filter === null ? records : applyFilter(records, parseFilter(filter), options.entityType, options.fields);
  const keys = [...parseOrderBy(params.get('$orderby') ?? options.defaultOrderBy, options.fields, options.entityType)];
  if (!keys.some((k) => k.field === 'id')) {
    keys.push({ field: 'id', descending: false });
  }
  const keyOf = (record: ODataRecord) => keys.map((k) => sortValue(record[k.field]));
  rows = [...rows].sort((a, b) => compareKeys(keyOf(a), keyOf(b), keys));
  const skipToken = params.get('$skiptoken');
  if (skipToken !== null) {
    let after: Array<string | number>;
    try {
      after = JSON.parse(Buffer.from(skipToken, 'base64url').toString('utf8')) as Array<string | number>;
    } catch {
      throw new ODataError(400, 'BadRequest_InvalidToken', 'The skip token is not valid.');
    }
    rows = rows.filter((row) => compareKeys(keyOf(row), after, keys) > 0);
  }
  const skip = readCount(params.get('$skip'), '$skip');
  const top = readCount(params.get('$top'), '$top');
  if (skip !== undefined) {
    rows = rows.slice(skip);
  }
  if (top !== undefined) {
    rows = rows.slice(0, top);
  }
  const preferred = /odata\.maxpagesize=(\d+)/.exec(options.maxPageSizeHeader ?? '')?.[1];
  const pageSize = Math.min(
    options.serverPageSize,
    preferred === undefined ? Infinity : Math.max(1, Number(preferred)),
  );
  const value = rows.slice(0, pageSize);
  const page: ODataPage = { value, appliedPageSize: preferred === undefined ? undefined : pageSize };
  if (rows.length > value.length && value.length > 0) {
    const next = new URL(url.toString());
    next.searchParams.set(
      '$skiptoken',
      Buffer.from(JSON.stringify(keyOf(value[value.length - 1]))).toString('base64url'),
    );
    // A $top/$skip already applied must not apply again to the rest.
    next.searchParams.delete('$skip');
    if (top !== undefined) {
      next.searchParams.set('$top', String(top - value.length));
    }
    page.nextLink = next.toString();
  }
  return page;
}

function readCount(value: string | null, name: string): number | undefined {
  if (value === null) {
    return undefined;
  }
  if (!/^\d+$/.test(value)) {
    throw new ODataError(400, 'BadRequest', `Invalid value '${value}' for ${name}.`);
  }
  return Number(value);
}

/** `$select=a,b`: only those properties (plus the ETag and id, which BC always sends). */
export function applySelect(record: ODataRecord, select: string | null): ODataRecord {
  if (select === null || select.trim() === '') {
    return record;
  }
  const wanted = new Set(select.split(',').map((s) => s.trim()));
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => key === '@odata.etag' || key === 'id' || wanted.has(key)),
  );
}
