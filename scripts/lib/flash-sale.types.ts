import type { SandboxControl } from 'scripts/lib/sandbox-control';
import type { BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import type { SandboxErpState } from 'test/simulators/sandbox/sandbox-erp.types';
import type { GeneratedEvent, LedgerReport } from 'test/support/ledger';
import type { OpenLoopResult } from 'test/support/open-loop';
import type { ServerAckSummary } from 'test/support/server-ack-histogram';
import type { Delivery, SendOutcome } from 'test/support/webhook-sender';

/** What a flash sale is given, reports while it runs, and returns (scripts/lib/flash-sale.ts). */

export interface FlashProgress {
  phase: 'sending' | 'retrying' | 'draining' | 'done';
  elapsedMs: number;
  total: number;
  /** First attempts answered. */
  answered: number;
  /** Deliveries that ended 2xx (first try or after retries). */
  accepted: number;
  inErp: number;
  deadLetters: number;
  throttled429: number;
}

export interface FlashSaleOptions {
  appUrl: string;
  sandbox: SandboxControl;
  secret: string;
  adminKey: string;
  orders: number;
  ratePerSecond: number;
  /** Seeds of the order factory start here; give each run in one database its own range. */
  seedBase?: number;
  /** Share of orders (0–100) carrying a SKU the ERP does not know; they must end in the dead letters. */
  badSkuPercent?: number;
  lineCount?: number;
  /**
   * Builds the valid order of delivery `index` (its factory seed `seed`) instead of the factory's default, e.g. with
   * a customer of its own or one of an earlier sale (the connector bench's new and returning customers).
   */
  buildOrder?: (index: number, seed: number) => BuiltShopifyOrder;
  /**
   * An earlier sale into the same ERP in this run (its events and final statuses): its orders are expected in the
   * ERP as well, so the drain waits for both and the exact ledger judges both together.
   */
  prior?: { events: readonly GeneratedEvent[]; finalStatuses: readonly number[] };
  retryDelaysMs?: readonly number[];
  maxSockets?: number;
  /**
   * Orders delivered first, at the same rate, before the `orders` that are timed: a flash sale reaches a service that
   * has been running, not one that has just started (JIT-compiled code, connection pools, caches). They are real
   * orders, judged by the same ledger, sent in the same open loop just before the timed ones; only their ack latency
   * is reported apart (`ack.warmupLatencyMs`). Default 0.
   */
  warmupOrders?: number;
  /** How long to wait, after the last delivery, for every accepted order to reach the ERP or the dead letters. */
  drainTimeoutMs: number;
  onProgress?: (progress: FlashProgress) => void;
}

export interface DrainStats {
  /** Committed ERP writes (customers and sales orders) during the run. */
  erpWrites: number;
  salesOrderWrites: number;
  firstWriteAt?: number;
  lastWriteAt?: number;
  /** Committed writes per second between the first and the last write. */
  writesPerSecond: number;
  /** Sales orders created per second between the first and the last write. */
  ordersPerSecond: number;
  /** From the first scheduled webhook to the last ERP write. */
  completedAfterStartMs: number;
}

export interface FlashSaleResult {
  events: GeneratedEvent[];
  finalStatuses: number[];
  deliveries: Delivery[];
  /** First attempts of the timed orders, open-loop from their scheduled send time (warm-up not included). */
  ack: OpenLoopResult<SendOutcome>;
  /**
   * The app's own view of the timed orders' acks: `erp_sync_webhook_ack_seconds` (controller entry → durable) over
   * the timed sale, from /metrics before and after it. Undefined if /metrics could not be read.
   */
  serverAck?: ServerAckSummary;
  acceptedFirstAttempt: number;
  /** Deliveries that needed more than one attempt. */
  retried: number;
  meanBodyBytes: number;
  state: SandboxErpState;
  ledger: LedgerReport;
  deadLetters: number;
  drain: DrainStats;
  timedOut: boolean;
  startedAtEpochMs: number;
}
