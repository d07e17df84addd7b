/**
 * A small SuiteQL interpreter for the NetSuite simulator: enough of NetSuite's SQL dialect to run the statements the
 * connector sends, evaluated for real against the simulator's tables (so a wrong filter or ordering shows up), and
 * nothing more. Anything outside the subset is refused the way NetSuite refuses a bad query (400, INVALID_PARAMETER).
 *
 * Supported: `SELECT expr [AS alias], … FROM table [alias] {[INNER | LEFT [OUTER]] JOIN table [alias] ON cond}
 * [WHERE cond] [ORDER BY expr [ASC|DESC], …]` with `AND`/`OR`/`NOT`, parentheses, `= <> != < <= > >=`,
 * `IS [NOT] NULL`, `[NOT] IN (…)`, string/number literals and `LOWER`, `UPPER`, `TO_CHAR`, `TO_TIMESTAMP`.
 * Timestamps are epoch milliseconds; the session time zone is UTC.
 */

export type SqlColumnType = 'id' | 'text' | 'number' | 'timestamp' | 'bool';
export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlTable {
  columns: Readonly<Record<string, SqlColumnType>>;
  rows(): SqlRow[];
}

export type SqlCatalog = Readonly<Record<string, SqlTable>>;

/** Thrown for a statement outside the subset or naming an unknown table/column; the simulator answers 400. */
export class SuiteQlError extends Error {}

type Expr =
  | { kind: 'col'; alias: string; column: string; type: SqlColumnType }
  | { kind: 'ref'; qualifier?: string; column: string }
  | { kind: 'lit'; value: SqlValue }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'cmp'; op: string; left: Expr; right: Expr }
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'isnull'; item: Expr; negated: boolean }
  | { kind: 'in'; item: Expr; list: Expr[]; negated: boolean };

interface Source {
  table: string;
  alias: string;
  join: 'from' | 'inner' | 'left';
  on?: Expr;
}

interface Statement {
  select: Array<{ expr: Expr; name: string }>;
  sources: Source[];
  where?: Expr;
  orderBy: Array<{ expr: Expr; descending: boolean }>;
}

type Token = { type: 'ident' | 'string' | 'number' | 'symbol'; text: string };

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'NULL',
  'AS',
  'JOIN',
  'INNER',
  'LEFT',
  'OUTER',
  'ON',
  'ASC',
  'DESC',
]);
const FUNCTIONS = new Set(['LOWER', 'UPPER', 'TO_CHAR', 'TO_TIMESTAMP']);
const COMPARATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

/** Runs one statement against `catalog`; rows come back as NetSuite sends them (null columns omitted). */
export function runSuiteQl(sql: string, catalog: SqlCatalog): Array<Record<string, string | number>> {
  const statement = bind(parse(tokenize(sql)), catalog);
  return execute(statement, catalog);
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) {
          throw new SuiteQlError('Unterminated string literal');
        }
        if (sql[i] === "'") {
          if (sql[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      tokens.push({ type: 'string', text: value });
    } else if (/[0-9]/.test(ch)) {
      const match = /^\d+(\.\d+)?/.exec(sql.slice(i));
      tokens.push({ type: 'number', text: match?.[0] ?? ch });
      i += match?.[0].length ?? 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i));
      tokens.push({ type: 'ident', text: match?.[0] ?? ch });
      i += match?.[0].length ?? 1;
    } else {
      const two = sql.slice(i, i + 2);
      if (['<>', '!=', '<=', '>='].includes(two)) {
        tokens.push({ type: 'symbol', text: two });
        i += 2;
      } else if ('(),.=<>*'.includes(ch)) {
        tokens.push({ type: 'symbol', text: ch });
        i++;
      } else {
        throw new SuiteQlError(`Unexpected character '${ch}'`);
      }
    }
  }
  return tokens;
}

function parse(tokens: Token[]): Statement {
  let pos = 0;
  const peek = (offset = 0): Token | undefined => tokens[pos + offset];
  const isKeyword = (word: string, offset = 0): boolean => {
    const token = peek(offset);
    return token?.type === 'ident' && token.text.toUpperCase() === word;
  };
  const isSymbol = (symbol: string): boolean => peek()?.type === 'symbol' && peek()?.text === symbol;
  const expectKeyword = (word: string): void => {
    if (!isKeyword(word)) {
      throw new SuiteQlError(`Expected ${word} near '${peek()?.text ?? 'end of query'}'`);
    }
    pos++;
  };
  const expectSymbol = (symbol: string): void => {
    if (!isSymbol(symbol)) {
      throw new SuiteQlError(`Expected '${symbol}' near '${peek()?.text ?? 'end of query'}'`);
    }
    pos++;
  };
  const identifier = (): string => {
    const token = peek();
    if (token?.type !== 'ident' || KEYWORDS.has(token.text.toUpperCase())) {
      throw new SuiteQlError(`Expected an identifier near '${token?.text ?? 'end of query'}'`);
    }
    pos++;
    return token.text.toLowerCase();
  };

  const value = (): Expr => {
    const token = peek();
    if (token === undefined) {
      throw new SuiteQlError('Unexpected end of query');
    }
    if (token.type === 'string') {
      pos++;
      return { kind: 'lit', value: token.text };
    }
    if (token.type === 'number') {
      pos++;
      return { kind: 'lit', value: Number(token.text) };
    }
    if (isKeyword('NULL')) {
      pos++;
      return { kind: 'lit', value: null };
    }
    if (token.type === 'ident' && FUNCTIONS.has(token.text.toUpperCase()) && tokens[pos + 1]?.text === '(') {
      pos += 2;
      const args: Expr[] = [value()];
      while (isSymbol(',')) {
        pos++;
        args.push(value());
      }
      expectSymbol(')');
      return { kind: 'call', name: token.text.toUpperCase(), args };
    }
    const first = identifier();
    if (isSymbol('.')) {
      pos++;
      return { kind: 'ref', qualifier: first, column: identifier() };
    }
    return { kind: 'ref', column: first };
  };

  const predicate = (): Expr => {
    if (isSymbol('(')) {
      pos++;
      const inner = condition();
      expectSymbol(')');
      return inner;
    }
    if (isKeyword('NOT')) {
      pos++;
      return { kind: 'not', item: predicate() };
    }
    const left = value();
    if (isKeyword('IS')) {
      pos++;
      const negated = isKeyword('NOT');
      if (negated) {
        pos++;
      }
      expectKeyword('NULL');
      return { kind: 'isnull', item: left, negated };
    }
    const negated = isKeyword('NOT') && isKeyword('IN', 1);
    if (negated) {
      pos++;
    }
    if (isKeyword('IN')) {
      pos++;
      expectSymbol('(');
      const list: Expr[] = [value()];
      while (isSymbol(',')) {
        pos++;
        list.push(value());
      }
      expectSymbol(')');
      return { kind: 'in', item: left, list, negated };
    }
    const op = peek();
    if (op?.type !== 'symbol' || !COMPARATORS.has(op.text)) {
      throw new SuiteQlError(`Expected a comparison near '${op?.text ?? 'end of query'}'`);
    }
    pos++;
    return { kind: 'cmp', op: op.text === '!=' ? '<>' : op.text, left, right: value() };
  };

  const conjunction = (): Expr => {
    const items = [predicate()];
    while (isKeyword('AND')) {
      pos++;
      items.push(predicate());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };

  function condition(): Expr {
    const items = [conjunction()];
    while (isKeyword('OR')) {
      pos++;
      items.push(conjunction());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  const tableRef = (): { table: string; alias: string } => {
    const table = identifier();
    if (isKeyword('AS')) {
      pos++;
      return { table, alias: identifier() };
    }
    const next = peek();
    if (next?.type === 'ident' && !KEYWORDS.has(next.text.toUpperCase())) {
      return { table, alias: identifier() };
    }
    return { table, alias: table };
  };

  expectKeyword('SELECT');
  if (isSymbol('*')) {
    throw new SuiteQlError('SELECT * is not supported by this simulator');
  }
  const select: Statement['select'] = [];
  do {
    if (select.length > 0) {
      pos++;
    }
    const expr = value();
    let name: string | undefined;
    if (isKeyword('AS')) {
      pos++;
      name = identifier();
    } else if (peek()?.type === 'ident' && !KEYWORDS.has((peek()?.text ?? '').toUpperCase())) {
      name = identifier();
    }
    select.push({ expr, name: name ?? (expr.kind === 'ref' ? expr.column : `expr${select.length + 1}`) });
  } while (isSymbol(','));

  expectKeyword('FROM');
  const sources: Source[] = [{ ...tableRef(), join: 'from' }];
  for (;;) {
    let join: 'inner' | 'left' | undefined;
    if (isKeyword('JOIN')) {
      join = 'inner';
    } else if (isKeyword('INNER') && isKeyword('JOIN', 1)) {
      join = 'inner';
      pos++;
    } else if (isKeyword('LEFT')) {
      join = 'left';
      pos++;
      if (isKeyword('OUTER')) {
        pos++;
      }
    }
    if (join === undefined) {
      break;
    }
    expectKeyword('JOIN');
    const ref = tableRef();
    expectKeyword('ON');
    sources.push({ ...ref, join, on: condition() });
  }
  let where: Expr | undefined;
  if (isKeyword('WHERE')) {
    pos++;
    where = condition();
  }
  const orderBy: Statement['orderBy'] = [];
  if (isKeyword('ORDER')) {
    pos++;
    expectKeyword('BY');
    do {
      if (orderBy.length > 0) {
        pos++;
      }
      const expr = value();
      let descending = false;
      if (isKeyword('ASC') || isKeyword('DESC')) {
        descending = isKeyword('DESC');
        pos++;
      }
      orderBy.push({ expr, descending });
    } while (isSymbol(','));
  }
  if (pos < tokens.length) {
    throw new SuiteQlError(`Unexpected '${peek()?.text ?? ''}' after the end of the query`);
  }
  return { select, sources, where, orderBy };
}

/** Resolves table and column names against the catalog (NetSuite: "Field 'x' for record 'y' was not found"). */
function bind(statement: Statement, catalog: SqlCatalog): Statement {
  const aliases = new Map<string, string>();
  for (const source of statement.sources) {
    if (catalog[source.table] === undefined) {
      throw new SuiteQlError(`Record '${source.table}' was not found.`);
    }
    if (aliases.has(source.alias)) {
      throw new SuiteQlError(`Duplicate table alias '${source.alias}'`);
    }
    aliases.set(source.alias, source.table);
  }
  const visible: string[] = [];
  const resolve = (expr: Expr): Expr => {
    switch (expr.kind) {
      case 'ref': {
        const candidates =
          expr.qualifier === undefined
            ? visible.filter((alias) => catalog[aliases.get(alias) ?? '']?.columns[expr.column] !== undefined)
            : [expr.qualifier];
        const alias = candidates[0];
        if (candidates.length !== 1 || alias === undefined || !visible.includes(alias)) {
          throw new SuiteQlError(
            candidates.length > 1
              ? `Column '${expr.column}' is ambiguous`
              : `Unknown identifier '${expr.qualifier ?? expr.column}'`,
          );
        }
        const table = aliases.get(alias) ?? '';
        const type = catalog[table]?.columns[expr.column];
        if (type === undefined) {
          throw new SuiteQlError(`Field '${expr.column}' for record '${table}' was not found.`);
        }
        return { kind: 'col', alias, column: expr.column, type };
      }
      case 'col':
      case 'lit':
        return expr;
      case 'call':
        return { ...expr, args: expr.args.map(resolve) };
      case 'cmp':
        return { ...expr, left: resolve(expr.left), right: resolve(expr.right) };
      case 'and':
      case 'or':
        return { ...expr, items: expr.items.map(resolve) };
      case 'not':
        return { ...expr, item: resolve(expr.item) };
      case 'isnull':
        return { ...expr, item: resolve(expr.item) };
      case 'in':
        return { ...expr, item: resolve(expr.item), list: expr.list.map(resolve) };
    }
  };
  const sources = statement.sources.map((source) => {
    visible.push(source.alias);
    return source.on === undefined ? source : { ...source, on: resolve(source.on) };
  });
  return {
    select: statement.select.map((item) => ({ ...item, expr: resolve(item.expr) })),
    sources,
    where: statement.where === undefined ? undefined : resolve(statement.where),
    orderBy: statement.orderBy.map((item) => ({ ...item, expr: resolve(item.expr) })),
  };
}

type Context = Record<string, SqlRow | null>;

function execute(statement: Statement, catalog: SqlCatalog): Array<Record<string, string | number>> {
  const [from, ...joins] = statement.sources;
  if (from === undefined) {
    throw new SuiteQlError('No FROM clause');
  }
  let contexts: Context[] = (catalog[from.table]?.rows() ?? []).map((row) => ({ [from.alias]: row }));
  for (const join of joins) {
    const rows = catalog[join.table]?.rows() ?? [];
    const index = equalityIndex(join, rows);
    const next: Context[] = [];
    for (const context of contexts) {
      const candidates = index === undefined ? rows : (index.lookup(context) ?? []);
      let matched = false;
      for (const row of candidates) {
        const candidate = { ...context, [join.alias]: row };
        if (join.on === undefined || truthy(evaluate(join.on, candidate))) {
          next.push(candidate);
          matched = true;
        }
      }
      if (!matched && join.join === 'left') {
        next.push({ ...context, [join.alias]: null });
      }
    }
    contexts = next;
  }
  if (statement.where !== undefined) {
    const where = statement.where;
    contexts = contexts.filter((context) => truthy(evaluate(where, context)));
  }
  if (statement.orderBy.length > 0) {
    const keyed = contexts.map((context, position) => ({
      context,
      position,
      keys: statement.orderBy.map((item) => evaluate(item.expr, context)),
    }));
    keyed.sort((a, b) => {
      for (const [i, item] of statement.orderBy.entries()) {
        const order = compareForSort(a.keys[i] ?? null, b.keys[i] ?? null);
        if (order !== 0) {
          return item.descending ? -order : order;
        }
      }
      return a.position - b.position;
    });
    contexts = keyed.map((entry) => entry.context);
  }
  return contexts.map((context) => {
    const out: Record<string, string | number> = {};
    for (const item of statement.select) {
      const value = scalar(evaluate(item.expr, context));
      if (value !== null) {
        out[item.name] =
          item.expr.kind === 'col' && item.expr.type === 'timestamp' && typeof value === 'number'
            ? formatDefaultDate(value)
            : value;
      }
    }
    return out;
  });
}

/** For `ON a.x = b.y` where one side is the joined table: a hash index instead of a nested loop. */
function equalityIndex(join: Source, rows: SqlRow[]): { lookup(context: Context): SqlRow[] | undefined } | undefined {
  const conjuncts = join.on === undefined ? [] : join.on.kind === 'and' ? join.on.items : [join.on];
  for (const conjunct of conjuncts) {
    if (conjunct.kind !== 'cmp' || conjunct.op !== '=') {
      continue;
    }
    const sides: Array<[Expr, Expr]> = [
      [conjunct.left, conjunct.right],
      [conjunct.right, conjunct.left],
    ];
    for (const [own, other] of sides) {
      if (own.kind === 'col' && own.alias === join.alias && !references(other, join.alias)) {
        const map = new Map<string, SqlRow[]>();
        for (const row of rows) {
          const key = row[own.column];
          if (key !== null && key !== undefined) {
            const list = map.get(String(key)) ?? [];
            list.push(row);
            map.set(String(key), list);
          }
        }
        return {
          lookup: (context) => {
            const key = evaluate(other, context);
            return key === null ? [] : map.get(String(key));
          },
        };
      }
    }
  }
  return undefined;
}

function references(expr: Expr, alias: string): boolean {
  switch (expr.kind) {
    case 'col':
      return expr.alias === alias;
    case 'ref':
    case 'lit':
      return false;
    case 'call':
      return expr.args.some((arg) => references(arg, alias));
    case 'cmp':
      return references(expr.left, alias) || references(expr.right, alias);
    case 'and':
    case 'or':
      return expr.items.some((item) => references(item, alias));
    case 'not':
    case 'isnull':
      return references(expr.item, alias);
    case 'in':
      return references(expr.item, alias) || expr.list.some((item) => references(item, alias));
  }
}

/** Three-valued logic collapsed at the filter: unknown (null) is not true. */
function truthy(value: SqlValue | boolean): boolean {
  return value === true;
}

function evaluate(expr: Expr, context: Context): SqlValue | boolean {
  switch (expr.kind) {
    case 'col': {
      const row = context[expr.alias];
      return row === null || row === undefined ? null : (row[expr.column] ?? null);
    }
    case 'ref':
      throw new SuiteQlError(`Unbound column ${expr.column}`);
    case 'lit':
      return expr.value;
    case 'call':
      return call(
        expr.name,
        expr.args.map((arg) => scalar(evaluate(arg, context))),
      );
    case 'cmp': {
      const left = scalar(evaluate(expr.left, context));
      const right = scalar(evaluate(expr.right, context));
      if (left === null || right === null) {
        return null;
      }
      const order = compareValues(left, right);
      switch (expr.op) {
        case '=':
          return order === 0;
        case '<>':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'and':
      return expr.items.every((item) => evaluate(item, context) === true);
    case 'or':
      return expr.items.some((item) => evaluate(item, context) === true);
    case 'not': {
      const inner = evaluate(expr.item, context);
      return inner === null ? null : inner !== true;
    }
    case 'isnull': {
      const isNull = evaluate(expr.item, context) === null;
      return expr.negated ? !isNull : isNull;
    }
    case 'in': {
      const item = scalar(evaluate(expr.item, context));
      if (item === null) {
        return null;
      }
      const found = expr.list.some((entry) => {
        const value = scalar(evaluate(entry, context));
        return value !== null && compareValues(item, value) === 0;
      });
      return expr.negated ? !found : found;
    }
  }
}

function scalar(value: SqlValue | boolean): SqlValue {
  if (typeof value === 'boolean') {
    throw new SuiteQlError('A condition cannot be used as a value');
  }
  return value;
}

function call(name: string, args: SqlValue[]): SqlValue {
  const [first, second] = args;
  switch (name) {
    case 'LOWER':
      return first === null || first === undefined ? null : String(first).toLowerCase();
    case 'UPPER':
      return first === null || first === undefined ? null : String(first).toUpperCase();
    case 'TO_TIMESTAMP': {
      if (typeof first !== 'string' || second !== 'YYYY-MM-DD HH24:MI:SS' || args.length !== 2) {
        throw new SuiteQlError("TO_TIMESTAMP expects ('YYYY-MM-DD HH24:MI:SS' text, 'YYYY-MM-DD HH24:MI:SS')");
      }
      const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(first);
      if (match === null) {
        throw new SuiteQlError(`Invalid timestamp '${first}' for format ${second}`);
      }
      const [, y, mo, d, h, mi, s] = match;
      return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    }
    case 'TO_CHAR': {
      if (first === null || first === undefined) {
        return null;
      }
      if (typeof second !== 'string' || args.length !== 2 || typeof first !== 'number') {
        throw new SuiteQlError('TO_CHAR expects (timestamp, format)');
      }
      return formatTimestamp(first, second);
    }
    default:
      throw new SuiteQlError(`Unknown function ${name}`);
  }
}

/** Oracle-style format of a UTC timestamp: YYYY MM DD HH24 MI SS TZH TZM; other characters copied. */
function formatTimestamp(epochMs: number, format: string): string {
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const parts: Array<[string, string]> = [
    ['YYYY', String(date.getUTCFullYear())],
    ['HH24', pad(date.getUTCHours())],
    ['TZH', '+00'],
    ['TZM', '00'],
    ['MM', pad(date.getUTCMonth() + 1)],
    ['DD', pad(date.getUTCDate())],
    ['MI', pad(date.getUTCMinutes())],
    ['SS', pad(date.getUTCSeconds())],
  ];
  let out = '';
  let i = 0;
  outer: while (i < format.length) {
    for (const [token, value] of parts) {
      if (format.startsWith(token, i)) {
        out += value;
        i += token.length;
        continue outer;
      }
    }
    out += format[i];
    i++;
  }
  return out;
}

/** Without TO_CHAR, NetSuite formats dates by the user's date preference (here M/D/YYYY): date only. */
function formatDefaultDate(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
}

function compareValues(left: string | number, right: string | number): number {
  const l = typeof left === 'number' ? left : /^-?\d+(\.\d+)?$/.test(left) ? Number(left) : undefined;
  const r = typeof right === 'number' ? right : /^-?\d+(\.\d+)?$/.test(right) ? Number(right) : undefined;
  if (l !== undefined && r !== undefined) {
    return l === r ? 0 : l < r ? -1 : 1;
  }
  const a = String(left);
  const b = String(right);
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Oracle sorts NULLs last in ascending order. */
function compareForSort(left: SqlValue | boolean, right: SqlValue | boolean): number {
  const l = scalar(left);
  const r = scalar(right);
  if (l === null || r === null) {
    return l === r ? 0 : l === null ? 1 : -1;
  }
  return compareValues(l, r);
}
