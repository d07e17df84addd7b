import type { FlashSaleResult } from 'scripts/lib/flash-sale.types';
import type { SimulatedErpName } from 'test/simulators/vendor-simulators';
import type { ServiceUrls } from 'test/support/services';

/** The connector bench's options and results (scripts/bench/connectors.ts). */

export interface ConnectorBenchOptions {
  erps: readonly SimulatedErpName[];
  urls: ServiceUrls;
  secret: string;
  adminKey: string;
  orders: number;
  ratePerSecond: number;
  /** The simulated ERP's concurrency limit, also the app's ERP_MAX_CONCURRENCY. */
  limit: number;
  latencyMs: number;
  jitterMs: number;
  /** 0 = no outage. */
  outageSeconds: number;
  outageAfterSeconds: number;
  logFile: (erp: string) => string;
  log: (line: string) => void;
  logLevel?: string;
}

export interface ConnectorBenchResult {
  erp: SimulatedErpName;
  flash: FlashSaleResult;
  theoreticalRps: number;
  /** Governed requests served per second from the end of the outage (or the first write) to the last write. */
  drainRps: number;
  drainShare: number;
  requests: number;
  requestsPerOrder: number;
  throttled: number;
  peakConcurrency: number;
  backlogAtOutageEnd: number;
  exactlyOnce: boolean;
  /** ERP calls per order for new and for returning customers (scripts/bench/connectors-calls.ts). */
  calls?: CallsPerOrder;
  passed: boolean;
  problems: string[];
}

/** One burst of the calls-per-order measurement. */
export interface CallsBurst {
  orders: number;
  /** Requests the ERP served during the burst (throttle answers apart). */
  requests: number;
  throttled: number;
  perOrder: number;
  /** The fewest calls per order the vendor's API allows (issue #15); 5 % above it pass. */
  target: number;
  /** The exact ledger of every sale of the run so far, this burst included. */
  ledgerOk: boolean;
  problems: string[];
}

/** Calls per order for orders of customers the middleware has not seen, then for the same customers again. */
export interface CallsPerOrder {
  newCustomers: CallsBurst;
  returningCustomers: CallsBurst;
}

/** The options the connector section of the report states beside its results. */
export type ConnectorBenchTiming = Pick<
  ConnectorBenchOptions,
  'orders' | 'ratePerSecond' | 'limit' | 'latencyMs' | 'jitterMs' | 'outageSeconds' | 'outageAfterSeconds'
>;

/** One connector bench run: its results, one per ERP, and how it was run. */
export interface ConnectorBenchFigures {
  results: ConnectorBenchResult[];
  timing: ConnectorBenchTiming;
}
