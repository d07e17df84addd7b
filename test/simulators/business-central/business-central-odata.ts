/**
 * The subset of OData v4 query options the simulated Business Central API serves: `$filter` with `eq`, `ne`, `ge`,
 * `gt`, `le`, `lt` joined by `and` and `or` (`and` binds tighter) and grouped by parentheses, where an `or` may only
 * join comparisons of one field, as in BC ("The 'OR' operator is not supported on distinct fields on an OData filter",
 * learn.microsoft.com/dynamics365/business-central/dev-itpro/webservices/odata-known-limitations); `$orderby`
 * (asc/desc, several keys); `$top`; `$skip`; `$select`; key-based `$skiptoken` paging with `@odata.nextLink` under
 * `Prefer: odata.maxpagesize=N`. String comparisons ignore case, as BC online's SQL collation does. This is a
 * simulation for tests.
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
  | { kind: 'date'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'guid'; value: string };

interface Comparison {
  kind: 'comparison';
  field: string;
  op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  literal: Literal;
}

/** @description A parsed `$filter`: comparisons joined by `and` / `or`. */
export type FilterExpression = Comparison | { kind: 'and' | 'or'; terms: FilterExpression[] };

/**
 * Parses `a eq 'x' and (b eq 1 or b eq 2)`; throws ODataError(400) on anything else, and on an `or` that joins
 * comparisons of different fields (BC refuses those).
 */
export function parseFilter(filter: string): FilterExpression {
  const syntax = () => new ODataError(400, 'BadRequest_NotFound', `Bad Request - Error in query syntax: '${filter}'`);
  let rest = filter.trim();
  const keyword = (word: 'and' | 'or'): boolean => {
    const found = new RegExp(`^${word}(\\s+|(?=\\())`, 'i').exec(rest);
    if (found === null) {
      return false;
    }
    rest = rest.slice(found[0].length).trimStart();
    return true;
  };
  const joined = (kind: 'and' | 'or', terms: FilterExpression[]): FilterExpression =>
    terms.length === 1 ? terms[0] : { kind, terms };
  const orExpression = (): FilterExpression => {
    const terms = [andExpression()];
    while (keyword('or')) {
      terms.push(andExpression());
    }
    const or = joined('or', terms);
    if (or.kind === 'or' && new Set(fieldsOf(or)).size > 1) {
      throw new ODataError(
        400,
        'BadRequest',
        "An error occurred while processing this request. The 'OR' operator is not supported on distinct fields on an OData filter.",
      );
    }
    return or;
  };
  const andExpression = (): FilterExpression => {
    const terms = [primary()];
    while (keyword('and')) {
      terms.push(primary());
    }
    return joined('and', terms);
  };
  const primary = (): FilterExpression => {
    if (rest.startsWith('(')) {
      rest = rest.slice(1).trimStart();
      const inner = orExpression();
      if (!rest.startsWith(')')) {
        throw syntax();
      }
      rest = rest.slice(1).trimStart();
      return inner;
    }
    const parsed = parseComparison(rest, syntax);
    rest = parsed.rest.trimStart();
    return parsed.comparison;
  };
  if (rest === '') {
    throw syntax();
  }
  const expression = orExpression();
  if (rest !== '') {
    throw syntax();
  }
  return expression;
}

/** One `field op literal` at the start of `text`, and what follows it. */
function parseComparison(text: string, syntax: () => ODataError): { comparison: Comparison; rest: string } {
  const head = /^([A-Za-z_][A-Za-z0-9_]*)\s+(eq|ne|ge|gt|le|lt)\s+/.exec(text);
  if (head === null) {
    throw syntax();
  }
  let rest = text.slice(head[0].length);
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
  return { comparison: { kind: 'comparison', field: head[1], op: head[2] as Comparison['op'], literal }, rest };
}

function fieldsOf(expression: FilterExpression): string[] {
  return expression.kind === 'comparison' ? [expression.field] : expression.terms.flatMap(fieldsOf);
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
  if (/^\d{4}-\d{2}-\d{2}$/.test(token)) {
    // An Edm.Date literal (`orderDate ge 2026-10-05`).
    return { kind: 'date', value: token };
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
  let expression: FilterExpression;
  try {
    expression = parseFilter(filter);
  } catch {
    return records;
  }
  const necessary = textCondition(expression, textFields);
  if (necessary === undefined) {
    return records;
  }
  return records.filter((record) => necessary((field) => text(record, field)));
}

type TextCondition = (text: (field: string) => string) => boolean;

/**
 * A condition on text fields that every record matching `expression` meets (its text equalities), or undefined when
 * there is none to narrow by: a comparison is one when it is a text equality; `and` needs any of its terms' conditions,
 * `or` all of them.
 */
function textCondition(expression: FilterExpression, textFields: readonly string[]): TextCondition | undefined {
  if (expression.kind === 'comparison') {
    const { field, op, literal } = expression;
    return op === 'eq' && literal.kind === 'string' && textFields.includes(field)
      ? (text) => compare(text(field), literal) === 0
      : undefined;
  }
  const terms = expression.terms.map((term) => textCondition(term, textFields));
  const known = terms.filter((term): term is TextCondition => term !== undefined);
  if (expression.kind === 'and') {
    return known.length === 0 ? undefined : (text) => known.every((term) => term(text));
  }
  return known.length < terms.length ? undefined : (text) => known.some((term) => term(text));
}

/** Applies a parsed filter; a field the entity type does not have is BC's 400. */
export function applyFilter(
  records: ODataRecord[],
  expression: FilterExpression,
  entityType: string,
  fields: readonly string[],
) {
  for (const field of fieldsOf(expression)) {
    if (!fields.includes(field)) {
      throw new ODataError(
        400,
        'BadRequest_NotFound',
        `Could not find a property named '${field}' on type 'Microsoft.NAV.${entityType}'.`,
      );
    }
  }
  return records.filter((record) => evaluate(record, expression));
}

function evaluate(record: ODataRecord, expression: FilterExpression): boolean {
  switch (expression.kind) {
    case 'comparison':
      return matches(record[expression.field], expression);
    case 'and':
      return expression.terms.every((term) => evaluate(record, term));
    case 'or':
      return expression.terms.some((term) => evaluate(record, term));
  }
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
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)
        ? Math.sign(value.slice(0, 10).localeCompare(literal.value))
        : undefined;
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
