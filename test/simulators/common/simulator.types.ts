import type { IncomingMessage } from 'node:http';
import type { SimulatedCatalog } from 'test/simulators/common/simulated-catalog';

/**
 * The shapes shared by the ERP simulator core (erp-simulator.ts) and the vendors plugged into it: fault settings,
 * requests and answers, the ledger of committed writes, and what the control API reports. Simulations only.
 */

export type MaintenanceMode = 'off' | '503' | 'refuse' | 'hang';

/** @description Fault settings; all can be changed at runtime through `POST /_control/config`. */
export interface SimulatorConfig {
  /** Governed requests allowed in flight at once; beyond it the vendor's throttle answer. 0 = unlimited. */
  concurrencyLimit: number;
  /** Governed requests accepted per rolling minute; beyond it the vendor's throttle answer. 0 = unlimited. */
  requestsPerMinute: number;
  latencyMs: number;
  latencyJitterMs: number;
  /** Retry-After (seconds) sent with throttle answers when the vendor sends one. */
  retryAfterSeconds: number;
  maintenance: MaintenanceMode;
  /** Share (0..1) of writes committed whose answer is dropped (connection reset). */
  commitThenDropRate: number;
  /**
   * A slow ERP still working after its client gave up: each create (the vendor's `isCreate`, by default a POST) is
   * held this long (ms) before it is handled and committed, whether or not its client is still waiting. 0 = off.
   */
  commitDelayMs: number;
  /** Share (0..1) of accepted requests answered with the vendor's 500, nothing committed. */
  errorRate: number;
  /** Answer every governed request with the vendor's auth failure (expired / revoked credentials). */
  rejectAuth: boolean;
  /** Requests arriving this soon after a throttle answer were in flight already: not counted as early (ms). */
  retryAfterGraceMs: number;
}

export type SimulatorConfigPatch = Partial<SimulatorConfig>;

/** @description A request as the vendor sees it. */
export interface SimRequest {
  method: string;
  url: URL;
  /** Header names lower-cased (Node's convention). */
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** `http://host:port` of this simulator as the client addressed it, for Location headers and links. */
  origin: string;
}

/** @description A response the vendor wants sent. A string body is sent as-is; anything else as JSON. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** @description One committed write: the oracle that tests compare with what they sent. */
export interface SimulatorLedgerEntry {
  seq: number;
  /** `customer`, `salesOrder`, `refund`, … */
  type: string;
  /** The Shopify-side key the record carries (external id, externalDocumentNumber, ExternalID). */
  externalId: string;
  internalId: string;
  created: boolean;
  status: string | null;
  sourceUpdatedAt: string | null;
  at: number;
  inFlightAtStart: number;
  responseDropped: boolean;
  /** sha256 (hex) of the request body, for vendors that record it (the sandbox ERP). */
  payloadHash?: string;
}

export type CommitInput = Omit<SimulatorLedgerEntry, 'seq' | 'at' | 'inFlightAtStart' | 'responseDropped'>;

/** @description A sales document in the vendor-neutral shape the ledger oracle reads. */
export interface SimulatedOrderView {
  externalId: string;
  internalId: string;
  /** `open` or `cancelled`. */
  status: string;
  /** Shopify's `updated_at` of the state written, where the connector stores it; else null. */
  sourceUpdatedAt: string | null;
  total: string | null;
  writeCount: number;
  lines: Array<{ sku: string; quantity: number }>;
  /** NetSuite: the subsidiary and location internal ids the order was written with (per shop ERP scope). */
  subsidiary?: string | null;
  location?: string | null;
  /** The document's currency as the vendor keeps it (NetSuite: currency internal id; BC and Cin7: ISO code). */
  currency?: string | null;
  /** The document's exchange rate where the vendor has one (NetSuite `exchangeRate`, Cin7 `CurrencyRate`). */
  exchangeRate?: number | null;
  /** B2B: the customer's PO number where the vendor keeps it (NetSuite `otherRefNum`, Cin7 `CustomerReference`). */
  purchaseOrderNumber?: string | null;
  /** B2B: the payment terms as the vendor keeps them (NetSuite term id, BC `paymentTermsId`, Cin7 `Terms`). */
  paymentTerms?: string | null;
}

/** @description A customer in the vendor-neutral shape. */
export interface SimulatedCustomerView {
  internalId: string;
  externalId: string | null;
  email: string | null;
  writeCount: number;
  /** The customer's name (company name, display name, Name) where the vendor view has it. */
  name?: string | null;
  /** B2B: the parent customer's id where the vendor has customer hierarchies (NetSuite `parent`). */
  parentInternalId?: string | null;
}

/** Passed to a vendor handler: commit records, and learn whether this write's answer will be dropped. */
export interface SimContext {
  commit(entry: CommitInput): void;
  catalog: SimulatedCatalog;
}

/** @description What a vendor simulator implements; the server does the rest. */
export interface SimulatedErpVendor {
  readonly name: string;
  /**
   * Requests outside the vendor's governed API (an OAuth token endpoint): answered without faults, limits or
   * latency. Return undefined when the request is not one of them.
   */
  handleUngoverned?(request: SimRequest): SimResponse | Promise<SimResponse> | undefined;
  /** Checks credentials; returns the vendor's refusal, or undefined when the request is authentic. */
  authenticate(request: SimRequest): SimResponse | undefined;
  /** The vendor's auth failure, for `rejectAuth`. */
  authFailure(): SimResponse;
  /**
   * What `concurrencyLimit: 0` means: no limit (the default), or `closed`, no request admitted at all (the sandbox
   * ERP's contract: every request is throttled).
   */
  readonly zeroConcurrencyLimit?: 'unlimited' | 'closed';
  /** The vendor's answer to a body over the server's limit; the core answers a plain JSON 413 without it. */
  payloadTooLarge?(maxBytes: number): SimResponse;
  /** The vendor's throttle answer (NetSuite 429, Business Central 429, Cin7 503). */
  throttled(reason: 'concurrency' | 'rate', retryAfterSeconds: number): SimResponse;
  unavailable(): SimResponse;
  serverError(): SimResponse;
  /** True for requests that may commit (POST, PUT, PATCH, DELETE): commit-then-drop applies to them. */
  isWrite(request: SimRequest): boolean;
  /** True for requests that create a record (`commitDelayMs` applies to them); default: every POST. */
  isCreate?(request: SimRequest): boolean;
  handle(request: SimRequest, context: SimContext): SimResponse | Promise<SimResponse>;
  orders(): SimulatedOrderView[];
  customers(): SimulatedCustomerView[];
  /**
   * How many of each the vendor holds, cheaply: harnesses poll the state several times a second during a drain, and
   * building every order's view just to count them slowed the simulator's answers as its data grew.
   */
  counts(): { customers: number; salesOrders: number };
  /** Clears the vendor's own documents (the catalog is cleared by the server). */
  reset(): void;
  /**
   * An ERP user merged customer `internalId` into customer `into` (its documents move there, the survivor's empty
   * fields take its values, and it is deleted), or deleted it when `into` is not given. Its id is unknown from then
   * on, and the vendor refuses a document that names it as it documents.
   */
  mergeCustomer?(internalId: string, into?: string): void;
}

/** @description Counters of governed requests by outcome. */
export interface SimulatorCounters {
  ok: number;
  throttled: number;
  unavailable: number;
  refused: number;
  hung: number;
  dropped: number;
  /** Creates held by `commitDelayMs` (committed when the delay is over). */
  delayedCommits: number;
  error500: number;
  unauthorized: number;
  clientError: number;
  clientGone: number;
}

/**
 * @description How well clients kept to the Retry-After of throttle answers (only answers that carry the header
 * count). A *retry* is a request identical to a throttled one (method, path, query and body); a request that arrives
 * within `retryAfterGraceMs` of a throttle answer was already on its way and is not counted as early.
 */
export interface RetryAfterStats {
  /** Throttle answers sent with a Retry-After header. */
  throttleAnswers: number;
  /** Re-sends of a throttled request that arrived before its Retry-After had passed. */
  earlyRetries: number;
  /** Any request that arrived inside a Retry-After window (past the grace) of any throttle answer. */
  earlyRequests: number;
  /** How early the earliest such request was, in ms. */
  maxEarlyMs: number;
}

/** @description What `GET /_control/state` answers. */
export interface SimulatorState {
  vendor: string;
  config: SimulatorConfig;
  stats: {
    counters: SimulatorCounters;
    peakConcurrency: number;
    inFlight: number;
    requests: number;
    perSecond: Array<{ second: number; accepted: number }>;
    retryAfter: RetryAfterStats;
  };
  counts: { customers: number; salesOrders: number };
}

/** @description A control-API request as a {@link ControlRouteHandler} sees it. */
export interface ControlRequest {
  url: URL;
  /** The body as a JSON object (`{}` when empty); a malformed one throws SimulatorConfigError (answered 400). */
  json(): Promise<Record<string, unknown>>;
}

/**
 * @description Answers control routes (`GET /_control/state`, …) a simulator serves in its own shapes, or returns
 * undefined to leave the route to the core. A SimulatorConfigError it throws is answered 400.
 */
export type ControlRouteHandler = (
  route: string,
  request: ControlRequest,
) => SimResponse | undefined | Promise<SimResponse | undefined>;
