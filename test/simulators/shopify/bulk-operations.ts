import {
  getNamedType,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { connection, parseSearchQuery } from 'test/simulators/shopify/connection';
import { GidFactory, isoAt, type ShopifySimExtension, type SimContext } from 'test/simulators/shopify/sim-context';

/**
 * Bulk query operations (api-facts A.2): `bulkOperationRunQuery` validates the query, runs it after a short delay
 * with every connection unpaged, and writes Shopify's JSONL: one line per connection node, nested connections'
 * nodes as their own lines with `__parentId`. Status through `bulkOperation(id)`, `bulkOperations(query:
 * "status:running")`, the deprecated `currentBulkOperation`, or `node(id)`. Results at `GET /bulk/{n}.jsonl`.
 */

export const MAX_CONCURRENT_BULK_OPERATIONS = 5;

export interface SimBulkOperation {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED';
  query: string;
  createdAt: number;
  completedAt: number | null;
  jsonl: string | null;
  objectCount: number;
  rootObjectCount: number;
  errorCode: string | null;
}

type Json = Record<string, unknown>;

function isConnectionValue(value: unknown): value is { edges?: { node: unknown }[]; nodes?: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (Array.isArray((value as Json).edges) || Array.isArray((value as Json).nodes))
  );
}

function nodesOf(value: { edges?: { node: unknown }[]; nodes?: unknown[] }): Json[] {
  return (value.nodes ?? value.edges!.map((e) => e.node)) as Json[];
}

/** Shopify's JSONL layout of a bulk query result. */
export function flattenBulkResult(data: Json): { lines: Json[]; roots: number } {
  const lines: Json[] = [];
  let roots = 0;
  const emit = (node: Json, parentId: string | undefined): void => {
    const line: Json = {};
    const nested: { value: { edges?: { node: unknown }[]; nodes?: unknown[] } }[] = [];
    const strip = (obj: Json, into: Json): void => {
      for (const [k, v] of Object.entries(obj)) {
        if (isConnectionValue(v)) {
          nested.push({ value: v });
        } else if (v && typeof v === 'object' && !Array.isArray(v)) {
          const copy: Json = {};
          strip(v as Json, copy);
          into[k] = copy;
        } else {
          into[k] = v;
        }
      }
    };
    strip(node, line);
    if (parentId !== undefined) {
      line.__parentId = parentId;
    }
    lines.push(line);
    for (const n of nested) {
      for (const child of nodesOf(n.value)) {
        emit(child, typeof node.id === 'string' ? node.id : parentId);
      }
    }
  };
  for (const value of Object.values(data)) {
    if (isConnectionValue(value)) {
      for (const node of nodesOf(value)) {
        roots += 1;
        emit(node, undefined);
      }
    }
  }
  return { lines, roots };
}

function hasConnection(schema: GraphQLSchema, doc: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type && getNamedType(type).name.endsWith('Connection')) {
          found = true;
        }
      },
    }),
  );
  return found;
}

export function bulkOperationsExtension(
  sim: SimContext,
  schema: GraphQLSchema,
  run: (query: string) => Promise<{ data?: Json | null; errors?: readonly unknown[] }>,
  options: { delayMs: () => number },
): { extension: ShopifySimExtension; operations: Map<string, SimBulkOperation> } {
  const operations = new Map<string, SimBulkOperation>();

  const view = (op: SimBulkOperation): unknown => ({
    __typename: 'BulkOperation',
    id: op.id,
    status: op.status,
    type: 'QUERY',
    query: op.query,
    createdAt: isoAt(op.createdAt),
    completedAt: op.completedAt === null ? null : isoAt(op.completedAt),
    errorCode: op.errorCode,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.jsonl === null ? null : String(Buffer.byteLength(op.jsonl)),
    url: op.jsonl ? `${sim.origin()}/bulk/${GidFactory.numeric(op.id)}.jsonl` : null,
    partialDataUrl: null,
  });

  const start = (op: SimBulkOperation): void => {
    op.status = 'RUNNING';
    setTimeout(() => {
      void run(op.query).then(
        (result) => {
          if (result.errors?.length || !result.data) {
            op.status = 'FAILED';
            op.errorCode = 'INTERNAL_SERVER_ERROR';
          } else {
            const { lines, roots } = flattenBulkResult(result.data);
            op.jsonl = lines.length > 0 ? `${lines.map((l) => JSON.stringify(l)).join('\n')}\n` : null;
            op.objectCount = lines.length;
            op.rootObjectCount = roots;
            op.status = 'COMPLETED';
          }
          op.completedAt = sim.clock.now();
          sim.emit('bulk_operations/finish', {
            admin_graphql_api_id: op.id,
            completed_at: isoAt(op.completedAt),
            created_at: isoAt(op.createdAt),
            error_code: op.errorCode?.toLowerCase() ?? null,
            status: op.status.toLowerCase(),
            type: 'query',
          });
        },
        () => {
          op.status = 'FAILED';
          op.errorCode = 'INTERNAL_SERVER_ERROR';
          op.completedAt = sim.clock.now();
        },
      );
    }, options.delayMs());
  };

  const running = (): SimBulkOperation[] =>
    [...operations.values()].filter((o) => o.status === 'RUNNING' || o.status === 'CREATED');

  const extension: ShopifySimExtension = {
    name: 'bulk-operations',
    reset: () => operations.clear(),
    mutation: {
      bulkOperationRunQuery: (args) => {
        const query = args.query as string;
        let problems: string[];
        try {
          const doc = parse(query);
          problems = validate(schema, doc).map((e) => e.message);
          if (problems.length === 0 && !hasConnection(schema, doc)) {
            problems = ['Bulk queries must contain at least one connection.'];
          }
        } catch (error) {
          problems = [(error as Error).message];
        }
        if (problems.length > 0) {
          return {
            bulkOperation: null,
            userErrors: [{ field: ['query'], message: problems.join('; '), code: 'INVALID' }],
          };
        }
        if (running().length >= MAX_CONCURRENT_BULK_OPERATIONS) {
          return {
            bulkOperation: null,
            userErrors: [
              {
                field: null,
                message: `A maximum of ${MAX_CONCURRENT_BULK_OPERATIONS} bulk operations can run at once.`,
                code: 'LIMIT_REACHED',
              },
            ],
          };
        }
        const op: SimBulkOperation = {
          id: sim.ids.next('BulkOperation'),
          status: 'CREATED',
          query,
          createdAt: sim.clock.now(),
          completedAt: null,
          jsonl: null,
          objectCount: 0,
          rootObjectCount: 0,
          errorCode: null,
        };
        operations.set(op.id, op);
        start(op);
        return { bulkOperation: view(op), userErrors: [] };
      },
      bulkOperationCancel: (args) => {
        const op = operations.get(args.id as string);
        if (!op) {
          return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
        }
        if (op.status === 'RUNNING' || op.status === 'CREATED') {
          op.status = 'CANCELED';
          op.completedAt = sim.clock.now();
        }
        return { bulkOperation: view(op), userErrors: [] };
      },
    },
    query: {
      bulkOperation: (args) => {
        const op = operations.get(args.id as string);
        return op ? view(op) : null;
      },
      bulkOperations: (args, ctx) => {
        const terms = parseSearchQuery(args.query as string);
        const ops = [...operations.values()].filter((o) =>
          terms.every((t) => (t.key === 'status' ? o.status.toLowerCase() === t.value.toLowerCase() : true)),
        );
        return connection(ops.reverse(), args, ctx, view);
      },
      currentBulkOperation: () => {
        const ops = [...operations.values()];
        return ops.length > 0 ? view(ops[ops.length - 1]) : null;
      },
    },
    nodes: {
      BulkOperation: (gid) => {
        const op = operations.get(gid);
        return op ? view(op) : null;
      },
    },
  };
  return { extension, operations };
}
