/**
 * The one port to Shopify's Admin GraphQL API (docs/architecture.md: each external system behind one port). Entity modules
 * (products, inventory, fulfilments, order reconciliation) depend on this interface only; the implementation
 * (`ShopifyAdminClient`) adds the cost-based throttle shared through Redis, THROTTLED retries and error typing.
 *
 * Every document sent through it is declared with `shopifyDocument` in a file named `*.shopify-graphql.ts`, so that
 * one test can validate all of them against Shopify's own 2026-10 schema (test/fixtures/shopify/).
 */

/** A GraphQL document the project sends to Shopify, with a name for logs and metrics. */
export interface ShopifyDocument<TData = unknown, TVariables = Record<string, unknown>> {
  readonly name: string;
  readonly source: string;
  /** Phantom fields: carry the result and variable types; never set at run time. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

const registry = new Map<string, ShopifyDocument>();

/** Declares (and registers, for the schema test) one document. Names are unique. */
export function shopifyDocument<TData, TVariables = Record<string, unknown>>(
  name: string,
  source: string,
): ShopifyDocument<TData, TVariables> {
  if (registry.has(name)) {
    throw new Error(`Shopify document ${name} declared twice`);
  }
  const doc: ShopifyDocument<TData, TVariables> = { name, source };
  registry.set(name, doc as ShopifyDocument);
  return doc;
}

/** Every document declared so far (the schema test imports every `*.shopify-graphql.ts` first). */
export function registeredShopifyDocuments(): ShopifyDocument[] {
  return [...registry.values()];
}

/** `userErrors[]` entry of a mutation payload. */
export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** `extensions.cost` of a response. */
export interface ShopifyQueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface ShopifyRequestOptions {
  /**
   * Points the caller expects the request to cost, used to wait for the shared bucket before sending (never fire
   * into a throttle). The client refines it from what the same document cost last time.
   */
  expectedCost?: number;
  /** Abort waiting / retrying after this long (ms). */
  timeoutMs?: number;
}

export interface ShopifyResponse<TData> {
  data: TData;
  cost?: ShopifyQueryCost;
}

export interface ShopifyAdminPort {
  /**
   * Sends one query or mutation. Waits for the shared bucket, retries THROTTLED and transient failures within its
   * budget, and throws a `ShopifyAdminError` (kind: throttled | transient | permanent | auth) otherwise. Top-level
   * `errors[]` become errors; `userErrors` are left in `data` for the caller (see `assertNoUserErrors`).
   */
  request<TData, TVariables>(
    document: ShopifyDocument<TData, TVariables>,
    variables: TVariables,
    options?: ShopifyRequestOptions,
  ): Promise<ShopifyResponse<TData>>;

  /**
   * Runs a bulk query (`bulkOperationRunQuery`), waits for it to finish, downloads the JSONL result and yields
   * each object (with `__parentId` for nested connections, as Shopify writes it).
   */
  bulkQuery(
    query: string,
    options?: { pollIntervalMs?: number; timeoutMs?: number },
  ): AsyncIterable<Record<string, unknown>>;
}
