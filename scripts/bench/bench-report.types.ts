import type { BenchFlags } from 'scripts/bench/bench-flags';
import type { ConnectorBenchFigures } from 'scripts/bench/connectors.types';
import type { ClosedLoopResult, OpenLoopRow } from 'scripts/bench/ingest-load';
import type { Machine } from 'scripts/bench/machine';
import type { SlowlorisResult } from 'scripts/bench/slowloris-report';
import type { SoakResult } from 'scripts/bench/soak.types';
import type { FlashSaleResult } from 'scripts/lib/flash-sale.types';
import type { LedgerReport } from 'test/support/ledger';

/** What `npm run bench` measured, phase by phase: the input of each phase's section of the report. */

export interface DrainResult {
  orders: number;
  accepted: number;
  limit: number;
  latencyMs: number;
  theoretical: number;
  writesPerSecond: number;
  ordersPerSecond: number;
  writesPerOrder: number;
  /** Worker spawn → last ERP write. */
  wallMs: number;
  workerStartMs: number;
  peakConcurrency: number;
  throttled429: number;
  ledger: LedgerReport;
  timedOut: boolean;
}

export interface HeadlineResult {
  label: string;
  orders: number;
  rate: number;
  limit: number;
  latencyMs: number;
  flash: FlashSaleResult;
  outage?: {
    startAfterS: number;
    seconds: number;
    backlogAtEnd: number;
    drainAfterEndMs: number;
    boundMs: number;
    /** Committed ERP writes per second from the end of the outage to the last write. */
    writesPerSecondAfter: number;
  };
}

export interface Report {
  machine: Machine;
  flags: BenchFlags;
  bodyBytes: number;
  openLoop: OpenLoopRow[];
  closedLoop: ClosedLoopResult[];
  drain?: DrainResult;
  /** The flash sale (`flash`), in the run's `--flash-topology`. */
  flash?: HeadlineResult;
  /** `flash --cold`: each run's sale against a service started for it (`--flash-runs`). */
  flashCold?: HeadlineResult[];
  /** The flash sale with the ERP down part-way (`outage`). */
  outage?: HeadlineResult;
  connectors?: ConnectorBenchFigures;
  /** Webhooks alone and beside slow connections (`slowloris`, S13). */
  slowloris?: SlowlorisResult;
  /** The soak (`soak`, S19). */
  soak?: SoakResult;
  /** Phases that threw: the run exits 1. */
  failures: Array<{ phase: string; error: string }>;
}
