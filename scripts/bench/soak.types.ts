import type { SoakFaultKind } from 'scripts/bench/soak-faults';
import type { LedgerReport } from 'test/support/ledger';
import type { Distribution } from 'test/support/percentiles';

/** What the soak (scenario S19, scripts/bench/soak-phase.ts) measured: the input of its section of the report. */

/** @description One reading of an app process, `atS` seconds after the first webhook. */
export interface ProcessSample {
  atS: number;
  rssMiB?: number;
  /** Open file descriptors (/proc/<pid>/fd): sockets, files, pipes. */
  fds?: number;
  /** From the process's own /metrics (prom-client's default metrics). */
  heapUsedMiB?: number;
  activeHandles?: number;
  /** Taken once the backlog had drained after the load (not "under load"). */
  afterDrain?: boolean;
}

/** @description One app process of the soak, from its start to its end (a killed worker and its successor are two). */
export interface SoakProcess {
  label: string;
  role: 'api' | 'worker';
  pid: number;
  startedAtS: number;
  endedAtS?: number;
  killed?: boolean;
  samples: ProcessSample[];
}

/** @description The order partitions' messages (RabbitMQ), `atS` seconds after the first webhook. */
export interface QueueSample {
  atS: number;
  ready: number;
  unacked: number;
  /** The retry queues' messages (waiting out their backoff). */
  retrying: number;
  afterDrain?: boolean;
}

/** @description A fault as it happened: planned and actual start, when things were back, and how. */
export interface SoakFaultRecord {
  kind: SoakFaultKind;
  plannedAtS: number;
  startedAtS?: number;
  /** When the service was whole again: ERP back, new worker ready, broker up and both processes ready. */
  recoveredAtS?: number;
  note: string;
}

/** @description A pass/fail line of the soak's verdict. */
export interface SoakVerdict {
  check: string;
  ok: boolean;
  detail: string;
}

export interface SoakResult {
  minutes: number;
  rate: number;
  warmupS: number;
  faultsSpec: string;
  seed?: number;
  erp: { limit: number; latencyMs: number; jitterMs: number };
  webhooks: { creates: number; updates: number };
  /** First attempts, from each webhook's due time (open loop). */
  ack: Distribution;
  firstAttemptsNot200: number;
  /** Deliveries re-sent (Shopify-like) after a failed first attempt. */
  retried: number;
  loadEndedAtS: number;
  /** From the end of the load until every queue was empty and every accepted order in the ERP; undefined = timed out. */
  drainedAfterS?: number;
  processes: SoakProcess[];
  queues: QueueSample[];
  faults: SoakFaultRecord[];
  ledger: LedgerReport;
  deadLetters: number;
  verdicts: SoakVerdict[];
}
