import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { createHash } from 'node:crypto';

/**
 * The pieces every area of the Shopify simulator shares (catalog, orders, …): the clock, GID helpers, the
 * idempotency store and the ledger of applied mutations. An *extension* adds root query and mutation resolvers for
 * its area (see README.md). This is a simulation for tests and benchmarks; it talks to no real Shopify.
 */

/** @description Clock of the simulator (tests may replace it). */
export interface SimClock {
  now(): number;
}

export const systemClock: SimClock = { now: () => Date.now() };

export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `gid://shopify/{type}/{n}` with one counter per type, starting at a realistic 13-digit base. */
export class GidFactory {
  private readonly counters = new Map<string, number>();

  next(type: string): string {
    const n = (this.counters.get(type) ?? 7_000_000_000_000) + 1;
    this.counters.set(type, n);
    return `gid://shopify/${type}/${n}`;
  }

  static parse(gid: string): { type: string; id: string } | undefined {
    const m = /^gid:\/\/shopify\/([A-Za-z]+)\/([^/?]+)/.exec(gid);
    return m ? { type: m[1], id: m[2] } : undefined;
  }

  /** The numeric part (`legacyResourceId`, REST webhook `id`). */
  static numeric(gid: string): string {
    return GidFactory.parse(gid)?.id ?? gid;
  }
}

/** @description One request the simulator answered (throttled and rejected ones included). */
export interface SimLedgerEntry {
  seq: number;
  at: number;
  /** Root field names of the operation, e.g. `['inventorySetQuantities']`. */
  fields: string[];
  operationType: 'query' | 'mutation';
  operationName: string | null;
  variables: Record<string, unknown>;
  requestedCost: number;
  /** Points charged; 0 when throttled or rejected. */
  actualCost: number;
  outcome: 'ok' | 'throttled' | 'max_cost' | 'invalid' | 'error';
  /** Bucket level after the request. */
  availableAfter: number;
  idempotencyKey?: string;
  /** An identical idempotent request answered from the store (nothing applied again). */
  replayed?: boolean;
  /** `userErrors` of every root mutation field (flattened). */
  userErrors: { field?: string[] | null; message: string; code?: string | null }[];
}

export class SimLedger {
  readonly entries: SimLedgerEntry[] = [];

  add(entry: Omit<SimLedgerEntry, 'seq'>): SimLedgerEntry {
    const full = { seq: this.entries.length + 1, ...entry };
    this.entries.push(full);
    return full;
  }

  /** Mutations that were executed (not throttled, not rejected, not replays), optionally of one root field. */
  appliedMutations(field?: string): SimLedgerEntry[] {
    return this.entries.filter(
      (e) =>
        e.operationType === 'mutation' &&
        e.outcome === 'ok' &&
        !e.replayed &&
        (field === undefined || e.fields.includes(field)),
    );
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/**
 * Idempotency store for `@idempotent(key:)` mutations (api-facts A.3): same key + same variables → the original
 * result; same key with other variables → IDEMPOTENCY_KEY_PARAMETER_MISMATCH.
 */
export class IdempotencyStore {
  private readonly results = new Map<string, { fingerprint: string; result: unknown }>();

  static fingerprint(field: string, args: unknown): string {
    return createHash('sha256')
      .update(`${field}\n${JSON.stringify(args)}`)
      .digest('hex');
  }

  lookup(key: string, fingerprint: string): { hit: true; result: unknown } | { hit: false; mismatch: boolean } {
    const stored = this.results.get(key);
    if (!stored) {
      return { hit: false, mismatch: false };
    }
    return stored.fingerprint === fingerprint ? { hit: true, result: stored.result } : { hit: false, mismatch: true };
  }

  remember(key: string, fingerprint: string, result: unknown): void {
    this.results.set(key, { fingerprint, result });
  }

  get size(): number {
    return this.results.size;
  }

  clear(): void {
    this.results.clear();
  }
}

/** What every resolver receives as GraphQL context. */
export interface SimRequestContext {
  sim: SimContext;
  /** True while a bulk operation runs its query: connections ignore `first`/`last` and return everything. */
  bulk: boolean;
  /** `@idempotent(key:)` of the root field being resolved, if any. */
  idempotencyKey?: string;
}

/** A root field resolver: `(args, context, info)` as graphql-js calls it. Return plain objects; nested fields may be functions of `(args, context)`. */
export type SimResolver = (args: Record<string, any>, context: SimRequestContext, info: GraphQLResolveInfo) => unknown;

/** @description An area of the simulated shop, registered with `ShopifySimulator.use()`. */
export interface ShopifySimExtension {
  name: string;
  query?: Record<string, SimResolver>;
  mutation?: Record<string, SimResolver>;
  /** Resolves `node(id:)` / `nodes(ids:)` for the GID types this area owns, e.g. `{ Order: (gid, ctx) => … }`. */
  nodes?: Record<string, (gid: string, context: SimRequestContext) => unknown>;
  /** Clears this area's state (`sim.reset()`). */
  reset?: () => void;
}

/** Root mutation fields that must carry `@idempotent(key:)` since 2026-04 (api-facts A.3). */
export const IDEMPOTENT_REQUIRED = new Set([
  'inventorySetQuantities',
  'inventoryAdjustQuantities',
  'inventoryMoveQuantities',
  'inventoryActivate',
  'refundCreate',
  'locationActivate',
  'locationDeactivate',
]);

/** Shared state of one simulated shop. */
export interface SimContext {
  clock: SimClock;
  ids: GidFactory;
  idempotency: IdempotencyStore;
  ledger: SimLedger;
  /** `http://host:port` of the simulator (bulk operation result URLs). */
  origin(): string;
  /** Webhook-shaped events the areas emit (`products/update`, `inventory_levels/update`, …) for tests to deliver. */
  emit(topic: string, payload: Record<string, unknown>): void;
}

/** A top-level GraphQL error in Shopify's shape (`extensions.code`). */
export function shopifyError(message: string, code: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
