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
  passed: boolean;
  problems: string[];
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
