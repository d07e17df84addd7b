import {
  Kind,
  OperationTypeNode,
  defaultFieldResolver,
  execute,
  parse,
  validate,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
} from 'graphql';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bulkOperationsExtension, type SimBulkOperation } from 'test/simulators/shopify/bulk-operations';
import { catalogExtension, type CatalogState, type CatalogViews } from 'test/simulators/shopify/catalog-extension';
import { queryCost } from 'test/simulators/shopify/query-cost';
import { shopifySchema } from 'test/simulators/shopify/shopify-schema';
import {
  GidFactory,
  IDEMPOTENT_REQUIRED,
  IdempotencyStore,
  SimLedger,
  shopifyError,
  systemClock,
  type ShopifySimExtension,
  type SimClock,
  type SimContext,
  type SimLedgerEntry,
  type SimRequestContext,
  type SimResolver,
} from 'test/simulators/shopify/sim-context';

/**
 * A simulation of Shopify's Admin GraphQL API (2026-10) for tests, the demo and benchmarks — not Shopify.
 *
 * `POST /admin/api/2026-10/graphql.json` with `X-Shopify-Access-Token`: every document is parsed and validated
 * against Shopify's real schema, its requested cost computed (query-cost.ts), charged against a leaky bucket
 * (20 × restore rate; Plus: 1,000 pts/s) and executed with graphql-js against the registered extensions'
 * resolvers. Every answer carries `extensions.cost`; THROTTLED and MAX_COST_EXCEEDED answers have Shopify's shapes
 * (api-facts A.2). Inventory mutations need `@idempotent(key:)` (api-facts A.3). See README.md for the extension API.
 */

export const SIM_API_VERSION = '2026-10';
export const MAX_QUERY_COST = 1_000;
export const RATE_LIMIT_DOC = 'https://shopify.dev/api/usage/rate-limits';

export interface ShopifySimulatorOptions {
  accessToken?: string;
  /** Points per second (Plus: 1,000). The bucket holds 20 × this. */
  restoreRate?: number;
  clock?: SimClock;
  /** Delay before a bulk operation completes. */
  bulkDelayMs?: number;
  /** Shop time zone (`shop { ianaTimezone }`). */
  ianaTimezone?: string;
  shopDomain?: string;
}

/** Fault switches; change them at any time (`sim.faults.outage = true`). */
export interface ShopifySimFaults {
  /** Every request answered 503. */
  outage: boolean;
  /** Added to every answer. */
  latencyMs: number;
  /** The next N GraphQL requests are answered THROTTLED whatever the bucket holds (the bucket is drained too). */
  throttleStorm: number;
  /** Answer throttles with HTTP 429 instead of Shopify's usual 200. */
  throttleAs429: boolean;
}

export interface ShopifySimStats {
  requests: number;
  throttled: number;
  maxCostExceeded: number;
  invalid: number;
  unauthorized: number;
  outage: number;
  /** Sum of actual costs charged. */
  pointsUsed: number;
  /** Lowest bucket level seen after a request. */
  minAvailable: number;
  firstRequestAt: number | null;
  lastRequestAt: number | null;
}

interface Bucket {
  available: number;
  updatedAt: number;
}

function freshStats(capacity: number): ShopifySimStats {
  return {
    requests: 0,
    throttled: 0,
    maxCostExceeded: 0,
    invalid: 0,
    unauthorized: 0,
    outage: 0,
    pointsUsed: 0,
    minAvailable: capacity,
    firstRequestAt: null,
    lastRequestAt: null,
  };
}

export class ShopifySimulator {
  readonly schema = shopifySchema();
  readonly context: SimContext;
  readonly ledger = new SimLedger();
  readonly idempotency = new IdempotencyStore();
  readonly ids = new GidFactory();
  readonly events = new EventEmitter();
  /** Every event the areas emitted, in order: `{ topic, payload }` (webhook-shaped; tests deliver them). */
  readonly webhooks: { topic: string; payload: Record<string, unknown>; at: number }[] = [];
  readonly catalog: CatalogState;
  readonly catalogViews: CatalogViews;
  readonly bulkOperations: Map<string, SimBulkOperation>;
  readonly faults: ShopifySimFaults = { outage: false, latencyMs: 0, throttleStorm: 0, throttleAs429: false };
  stats: ShopifySimStats;
  accessToken: string;
  bulkDelayMs: number;
  ianaTimezone: string;
  readonly shopDomain: string;

  private restoreRate: number;
  private bucket: Bucket;
  private readonly extensions: ShopifySimExtension[] = [];
  private readonly queryResolvers = new Map<string, SimResolver>();
  private readonly mutationResolvers = new Map<string, SimResolver>();
  private readonly nodeResolvers = new Map<string, (gid: string, ctx: SimRequestContext) => unknown>();
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private baseUrl = '';

  constructor(options: ShopifySimulatorOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.accessToken = options.accessToken ?? 'shpat_simulator_token';
    this.restoreRate = options.restoreRate ?? 1_000;
    this.bulkDelayMs = options.bulkDelayMs ?? 50;
    this.ianaTimezone = options.ianaTimezone ?? 'Europe/Madrid';
    this.shopDomain = options.shopDomain ?? 'test-store.myshopify.com';
    this.bucket = { available: this.capacity, updatedAt: clock.now() };
    this.stats = freshStats(this.capacity);
    this.context = {
      clock,
      ids: this.ids,
      idempotency: this.idempotency,
      ledger: this.ledger,
      origin: () => this.baseUrl,
      emit: (topic, payload) => {
        this.webhooks.push({ topic, payload, at: clock.now() });
        this.events.emit(topic, payload);
        this.events.emit('*', topic, payload);
      },
    };
    const catalog = catalogExtension(this.context);
    this.catalog = catalog.state;
    this.catalogViews = catalog.views;
    this.use(catalog.extension);
    const bulk = bulkOperationsExtension(this.context, this.schema, (q) => this.runBulkQuery(q), {
      delayMs: () => this.bulkDelayMs,
    });
    this.bulkOperations = bulk.operations;
    this.use(bulk.extension);
    this.use(this.coreExtension());
  }

  // ---- extension API -------------------------------------------------------------------------------------------

  /** Registers an area's resolvers. A root field may be registered once. */
  use(extension: ShopifySimExtension): this {
    const add = (
      map: Map<string, SimResolver>,
      fields: Record<string, SimResolver> | undefined,
      root: string,
    ): void => {
      for (const [name, resolver] of Object.entries(fields ?? {})) {
        if (map.has(name)) {
          throw new Error(`${extension.name}: ${root}.${name} is already registered`);
        }
        map.set(name, resolver);
      }
    };
    add(this.queryResolvers, extension.query, 'query');
    add(this.mutationResolvers, extension.mutation, 'mutation');
    for (const [type, resolver] of Object.entries(extension.nodes ?? {})) {
      this.nodeResolvers.set(type, resolver);
    }
    this.extensions.push(extension);
    return this;
  }

  // ---- bucket --------------------------------------------------------------------------------------------------

  get capacity(): number {
    return 20 * this.restoreRate;
  }

  /** Current bucket level after leaking. */
  available(): number {
    const now = this.context.clock.now();
    const level = Math.min(
      this.capacity,
      this.bucket.available + ((now - this.bucket.updatedAt) * this.restoreRate) / 1000,
    );
    this.bucket = { available: level, updatedAt: now };
    return level;
  }

  /** Changes the plan (restore rate); the bucket is refilled to the new capacity. */
  setRestoreRate(restoreRate: number): void {
    this.restoreRate = restoreRate;
    this.bucket = { available: this.capacity, updatedAt: this.context.clock.now() };
  }

  /** Empties (or sets) the bucket, e.g. to simulate another app of the same shop having spent it. */
  drainBucket(to = 0): void {
    this.bucket = { available: to, updatedAt: this.context.clock.now() };
  }

  private throttleStatus(): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } {
    return {
      maximumAvailable: this.capacity,
      currentlyAvailable: Math.floor(this.available()),
      restoreRate: this.restoreRate,
    };
  }

  /** Clears data, ledger, idempotency keys, stats, faults and events; refills the bucket. */
  reset(): void {
    for (const e of this.extensions) {
      e.reset?.();
    }
    this.ledger.clear();
    this.idempotency.clear();
    this.webhooks.length = 0;
    Object.assign(this.faults, { outage: false, latencyMs: 0, throttleStorm: 0, throttleAs429: false });
    this.bucket = { available: this.capacity, updatedAt: this.context.clock.now() };
    this.stats = freshStats(this.capacity);
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------------

  /** `http://127.0.0.1:port/admin/api/2026-10/graphql.json` (what SHOPIFY_ADMIN_API_URL should be). */
  get graphqlUrl(): string {
    return `${this.baseUrl}/admin/api/${SIM_API_VERSION}/graphql.json`;
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(JSON.stringify({ errors: [{ message: `simulator failure: ${String(error)}` }] }));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.graphqlUrl;
  }

  async stop(): Promise<void> {
    if (!this.server) {
      return;
    }
    for (const s of this.sockets) {
      s.destroy();
    }
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const path = (req.url ?? '').split('?')[0];
    if (this.faults.latencyMs > 0) {
      await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const bulkFile = /^\/bulk\/(\d+)\.jsonl$/.exec(path);
    if (req.method === 'GET' && bulkFile) {
      const op = this.bulkOperations.get(`gid://shopify/BulkOperation/${bulkFile[1]}`);
      if (!op?.jsonl) {
        send(404, { errors: 'Not Found' });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/jsonl' });
      res.end(op.jsonl);
      return;
    }
    if (path !== `/admin/api/${SIM_API_VERSION}/graphql.json`) {
      send(404, { errors: 'Not Found' });
      return;
    }
    if (req.method !== 'POST') {
      send(405, { errors: 'Method Not Allowed' });
      return;
    }
    if (this.faults.outage) {
      this.stats.outage += 1;
      send(503, { errors: 'Service Unavailable' });
      return;
    }
    if (req.headers['x-shopify-access-token'] !== this.accessToken) {
      this.stats.unauthorized += 1;
      send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      send(400, { errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    if (typeof body.query !== 'string') {
      send(400, { errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const answer = await this.graphql(
      body.query,
      variables,
      typeof body.operationName === 'string' ? body.operationName : undefined,
    );
    send(answer.status, answer.body);
  }

  // ---- GraphQL -------------------------------------------------------------------------------------------------

  /** Answers one GraphQL request exactly as the HTTP endpoint would (status + body). */
  async graphql(
    query: string,
    variables: Record<string, unknown>,
    operationName?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const now = this.context.clock.now();
    this.stats.requests += 1;
    this.stats.firstRequestAt ??= now;
    this.stats.lastRequestAt = now;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      this.stats.invalid += 1;
      return { status: 200, body: { errors: [(error as GraphQLError).toJSON()] } };
    }
    const validationErrors = validate(this.schema, document);
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [s.name.value] : [],
    );
    const base: Pick<SimLedgerEntry, 'at' | 'fields' | 'operationType' | 'operationName' | 'variables' | 'userErrors'> =
      {
        at: now,
        fields,
        operationType: operation?.operation === OperationTypeNode.MUTATION ? 'mutation' : 'query',
        operationName: operation?.name?.value ?? null,
        variables,
        userErrors: [],
      };
    if (validationErrors.length > 0 || !operation || (operations.length > 1 && !operationName)) {
      this.stats.invalid += 1;
      this.ledger.add({
        ...base,
        requestedCost: 0,
        actualCost: 0,
        outcome: 'invalid',
        availableAfter: this.available(),
      });
      const errors =
        validationErrors.length > 0
          ? validationErrors.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }))
          : [{ message: 'An operation name is required when the document has several operations' }];
      return { status: 200, body: { errors } };
    }
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) {
        fragments[d.name.value] = d;
      }
    }
    const requested = queryCost(this.schema, operation, fragments, variables);
    if (requested > MAX_QUERY_COST) {
      this.stats.maxCostExceeded += 1;
      this.ledger.add({
        ...base,
        requestedCost: requested,
        actualCost: 0,
        outcome: 'max_cost',
        availableAfter: this.available(),
      });
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).

See ${RATE_LIMIT_DOC} for more information on how the
cost of a query is calculated.

To query larger amounts of data with fewer limits, bulk operations should be used instead.
See https://shopify.dev/api/usage/bulk-operations/queries for usage details.
`,
              extensions: {
                code: 'MAX_COST_EXCEEDED',
                cost: requested,
                maxCost: MAX_QUERY_COST,
                documentation: RATE_LIMIT_DOC,
              },
            },
          ],
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.throttleStatus() },
          },
        },
      };
    }
    const storm = this.faults.throttleStorm > 0;
    if (storm) {
      this.faults.throttleStorm -= 1;
      this.drainBucket(Math.min(this.available(), requested - 1));
    }
    if (storm || this.available() < requested) {
      this.stats.throttled += 1;
      const status = this.throttleStatus();
      this.ledger.add({
        ...base,
        requestedCost: requested,
        actualCost: 0,
        outcome: 'throttled',
        availableAfter: status.currentlyAvailable,
      });
      return {
        status: this.faults.throttleAs429 ? 429 : 200,
        body: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMIT_DOC } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status } },
        },
      };
    }
    // Charge the requested cost up front; refund the difference to the actual cost afterwards.
    this.bucket.available -= requested;
    const ledgerNotes: { idempotencyKey?: string; replayed?: boolean } = {};
    const result = await this.run(document, variables, operation.name?.value, false, ledgerNotes);
    const actual =
      operation.operation === OperationTypeNode.MUTATION
        ? requested
        : Math.min(requested, queryCost(this.schema, operation, fragments, variables, result.data ?? null));
    this.bucket.available += requested - actual;
    this.stats.pointsUsed += actual;
    const status = this.throttleStatus();
    this.stats.minAvailable = Math.min(this.stats.minAvailable, status.currentlyAvailable);
    const userErrors = Object.values(
      (result.data ?? {}) as Record<string, { userErrors?: SimLedgerEntry['userErrors'] } | null>,
    ).flatMap((payload) => (payload && Array.isArray(payload.userErrors) ? payload.userErrors : []));
    this.ledger.add({
      ...base,
      requestedCost: requested,
      actualCost: actual,
      outcome: result.errors?.length ? 'error' : 'ok',
      availableAfter: status.currentlyAvailable,
      userErrors,
      ...ledgerNotes,
    });
    const body: Record<string, unknown> = { data: result.data ?? null };
    if (result.errors?.length) {
      body.errors = result.errors.map((e) => e.toJSON());
    }
    body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status } };
    return { status: 200, body };
  }

  /** Runs a document against the resolvers (no bucket, no ledger): bulk operations and in-process inspection. */
  private async run(
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    bulk: boolean,
    notes: { idempotencyKey?: string; replayed?: boolean } = {},
  ): Promise<ExecutionResult> {
    const queryType = this.schema.getQueryType();
    const mutationType = this.schema.getMutationType();
    const contextValue: SimRequestContext = { sim: this.context, bulk };
    const fieldResolver: GraphQLFieldResolver<unknown, SimRequestContext> = (source, args, ctx, info) => {
      const isQuery = info.parentType === queryType;
      const isMutation = info.parentType === mutationType;
      if (!isQuery && !isMutation) {
        return defaultFieldResolver(source, args, ctx, info);
      }
      const resolver = (isQuery ? this.queryResolvers : this.mutationResolvers).get(info.fieldName);
      if (!resolver) {
        throw shopifyError(
          `The Shopify simulator does not implement ${isQuery ? 'query' : 'mutation'} field ${info.fieldName}`,
          'NOT_IMPLEMENTED',
        );
      }
      if (!isMutation) {
        return resolver(args, ctx, info);
      }
      const directive = info.fieldNodes[0].directives?.find((d) => d.name.value === 'idempotent');
      const keyArg = directive?.arguments?.find((a) => a.name.value === 'key');
      const key = keyArg ? valueFromASTUntyped(keyArg.value, info.variableValues) : undefined;
      if (directive && (typeof key !== 'string' || key.trim() === '')) {
        throw shopifyError('The idempotency key must be a non-empty string.', 'BAD_REQUEST');
      }
      if (typeof key !== 'string') {
        if (IDEMPOTENT_REQUIRED.has(info.fieldName)) {
          // Required since 2026-04 although the schema does not say so (api-facts A.3): a runtime error.
          throw shopifyError(
            `The @idempotent directive is required for the ${info.fieldName} mutation. See https://shopify.dev/docs/api/usage/implementing-idempotency`,
            'BAD_REQUEST',
          );
        }
        return resolver(args, ctx, info);
      }
      notes.idempotencyKey = key;
      const fingerprint = IdempotencyStore.fingerprint(info.fieldName, args);
      const found = this.idempotency.lookup(key, fingerprint);
      if (found.hit) {
        notes.replayed = true;
        return found.result;
      }
      if (found.mismatch) {
        return {
          userErrors: [
            {
              field: null,
              message: 'The same idempotency key was used with different parameters.',
              code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
            },
          ],
        };
      }
      const result = resolver(args, { ...ctx, idempotencyKey: key }, info);
      this.idempotency.remember(key, fingerprint, result);
      return result;
    };
    return execute({
      schema: this.schema,
      document,
      variableValues: variables,
      operationName,
      contextValue,
      rootValue: {},
      fieldResolver,
    });
  }

  private async runBulkQuery(query: string): Promise<ExecutionResult> {
    return this.run(parse(query), {}, undefined, true);
  }

  /** `node`, `nodes` and `shop`, shared by every area. */
  private coreExtension(): ShopifySimExtension {
    const resolveNode = (gid: string, ctx: SimRequestContext): unknown => {
      const type = GidFactory.parse(gid)?.type;
      const resolver = type ? this.nodeResolvers.get(type) : undefined;
      return resolver ? resolver(gid, ctx) : null;
    };
    return {
      name: 'core',
      query: {
        node: (args, ctx) => resolveNode(args.id as string, ctx),
        nodes: (args, ctx) => (args.ids as string[]).map((id) => resolveNode(id, ctx)),
        shop: () => ({
          id: 'gid://shopify/Shop/70000000001',
          name: 'Simulated Store',
          myshopifyDomain: this.shopDomain,
          currencyCode: this.catalog.currencyCode,
          ianaTimezone: this.ianaTimezone,
          timezoneAbbreviation: 'CET',
          plan: {
            partnerDevelopment: false,
            shopifyPlus: this.restoreRate >= 1_000,
            publicDisplayName: 'Shopify Plus',
          },
        }),
      },
    };
  }
}
