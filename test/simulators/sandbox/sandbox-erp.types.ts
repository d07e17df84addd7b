import type {
  MaintenanceMode,
  RetryAfterStats,
  SimulatorConfig,
  SimulatorConfigPatch,
  SimulatorLedgerEntry,
} from 'test/simulators/common/erp-simulator';

/**
 * The shapes of the sandbox ERP (a simulation, not an ERP): its configuration, ledger and control-API answers.
 * They are the sandbox's wire contract (README "The sandbox ERP"), kept as they were before the sandbox was rebuilt
 * on the simulator core, with the core's extra settings and Retry-After statistics added.
 */

/** How the simulated ERP misbehaves as a whole (a maintenance window or an outage). */
export type SandboxMaintenanceMode = MaintenanceMode;

/**
 * @description Tunables of the simulated ERP, changed at runtime through the control API: the simulator core's fault
 * settings (concurrency limit answered with 429 + Retry-After, latency ± jitter, maintenance `off|503|refuse|hang`,
 * commit-then-drop and error rates, a per-minute budget, forced auth failures). Unlike the vendor simulators, a
 * `concurrencyLimit` of 0 admits no request at all.
 */
export type SandboxErpConfig = SimulatorConfig;

/** @description The configuration as the control API shows it: the token itself is never echoed. */
export interface SandboxErpPublicConfig extends SandboxErpConfig {
  authRequired: boolean;
}

/** @description A partial configuration change; `authToken: null` turns authentication off. */
export type SandboxErpConfigPatch = SimulatorConfigPatch & { authToken?: string | null };

/** @description Constructor options of the sandbox ERP server: initial fault settings, token and random source. */
export interface SandboxErpServerOptions extends SimulatorConfigPatch {
  /** When set, every record request needs `Authorization: Bearer <authToken>`. */
  authToken?: string;
  /** Random source for latency jitter and fault rates; injectable for deterministic tests. */
  random?: () => number;
}

/** The record types the simulation stores. */
export type SandboxRecordType =
  'customer' | 'salesOrder' | 'creditMemo' | 'returnAuthorization' | 'customerDeposit' | 'deposit';

/** @description One committed write, in commit order: the oracle that tests compare their expectations with. */
export interface SandboxLedgerEntry extends SimulatorLedgerEntry {
  type: SandboxRecordType;
  /** Sales order status after the write; null for customers. */
  status: string | null;
  /** `custbody_source_updated_at` of the written sales order; null for customers. */
  sourceUpdatedAt: string | null;
  /** sha256 (hex) of the request body bytes. */
  payloadHash: string;
}

/** Outcome counters of record requests. */
export interface SandboxErpCounters {
  /** Answered 2xx. */
  ok: number;
  /** Writes that created a record (including dropped answers). */
  created: number;
  /** Writes that updated a record (including dropped answers). */
  updated: number;
  throttled429: number;
  unavailable503: number;
  refused: number;
  hung: number;
  /** Committed, then the connection was reset instead of answering. */
  dropped: number;
  error500: number;
  badRequest400: number;
  unauthorized401: number;
  notFound404: number;
  /** Other 4xx: 405 wrong method, 413 body too large. */
  otherClientError: number;
  /** The client went away before the answer could be written. */
  clientGone: number;
}

/** @description Load statistics of the record API. */
export interface SandboxErpStats {
  counters: SandboxErpCounters;
  /** Highest number of accepted requests in flight at once since the last reset. */
  peakConcurrency: number;
  inFlight: number;
  /** Accepted requests per wall-clock second, for the last 120 s, oldest first. */
  perSecond: Array<{ second: number; accepted: number }>;
  /** Record requests received, whatever their outcome. */
  requests: number;
  /** Whether clients kept to the Retry-After of the 429s (the simulator core's accounting). */
  retryAfter: RetryAfterStats;
}

/** @description What `GET /_control/state` answers. */
export interface SandboxErpState {
  config: SandboxErpPublicConfig;
  stats: SandboxErpStats;
  counts: { customers: number; salesOrders: number };
  catalogSize: number;
}

/** @description A stored record as the control API lists it: the last body written plus bookkeeping. */
export type SandboxStoredRecordView = Record<string, unknown> & {
  internalId: string;
  externalId: string;
  writeCount: number;
  createdAt: string;
  updatedAt: string;
};

/** @description Everything the simulation holds, copied, for in-process test assertions. */
export interface SandboxErpSnapshot extends SandboxErpState {
  customers: SandboxStoredRecordView[];
  salesOrders: SandboxStoredRecordView[];
  /** Deposits (Shopify payouts), as NetSuite's `deposit` record. */
  deposits: SandboxStoredRecordView[];
  ledger: SandboxLedgerEntry[];
}

/** @description Options of a reset: records, ledger and stats are always cleared. */
export interface SandboxResetOptions {
  /** Also return the configuration (and auth token) to the constructor's values. */
  resetConfig?: boolean;
  /** Also return the item catalog to the default one (`SKU-0001` … `SKU-0500`). */
  resetCatalog?: boolean;
  /** Applied after the reset. */
  config?: SandboxErpConfigPatch;
}
