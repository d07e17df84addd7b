/** @description A request as the previews compare them (the ERP port's ErpRequestPreview). */
export interface ComparedRequest {
  operation: string;
  method: string;
  path: string;
  body?: unknown;
}

/** @description One field that differs between the request sent under one mapping and under another. */
export interface RequestDifference {
  /** `upsertSalesOrder PUT /…/salesOrder/eid:1001`, the request's identity under the active mapping. */
  request: string;
  /** JSON path inside the body (`shipMethod.id`, `item.items[0].taxCode.id`); `(request)` for a whole request. */
  field: string;
  /** JSON text of the value under each mapping; undefined when absent there. */
  active?: string;
  draft?: string;
}

/**
 * The differences, field by field, between the requests one order makes under two mappings. Requests are paired by
 * position; a request only one side makes is one difference. Pure.
 */
export function diffRequests(
  active: readonly ComparedRequest[],
  draft: readonly ComparedRequest[],
): RequestDifference[] {
  const differences: RequestDifference[] = [];
  for (let i = 0; i < Math.max(active.length, draft.length); i += 1) {
    const a = active[i];
    const d = draft[i];
    if (a === undefined || d === undefined || a.method !== d.method || a.path !== d.path) {
      differences.push({
        request: identity(a ?? d),
        field: '(request)',
        active: a === undefined ? undefined : identity(a),
        draft: d === undefined ? undefined : identity(d),
      });
      continue;
    }
    const left = flatten(a.body);
    const right = flatten(d.body);
    for (const field of new Set([...left.keys(), ...right.keys()])) {
      if (left.get(field) !== right.get(field)) {
        differences.push({ request: identity(a), field, active: left.get(field), draft: right.get(field) });
      }
    }
  }
  return differences;
}

function identity(request: ComparedRequest | undefined): string {
  return request === undefined ? '' : `${request.operation} ${request.method} ${request.path}`;
}

/** Leaf values by JSON path (`a.b[0].c`), each as JSON text. */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item, index) => flatten(item, `${path}[${index}]`, into));
    if (value.length === 0) {
      into.set(path, '[]');
    }
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.forEach(([key, item]) => flatten(item, path === '' ? key : `${path}.${key}`, into));
    if (entries.length === 0 && path !== '') {
      into.set(path, '{}');
    }
  } else if (value !== undefined) {
    into.set(path, JSON.stringify(value));
  }
  return into;
}
