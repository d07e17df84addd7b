/** @description Every step an event goes through; one audit row per step. */
export enum AuditStatus {
  Received = 'received',
  Queued = 'queued',
  /** Accepted while RabbitMQ was unreachable: held in the PostgreSQL outbox. */
  QueuedOutbox = 'queued_outbox',
  /** Moved from the outbox to RabbitMQ. */
  Relayed = 'relayed',
  Duplicate = 'duplicate',
  Skipped = 'skipped',
  SentToErp = 'sent_to_erp',
  Succeeded = 'succeeded',
  RetryScheduled = 'retry_scheduled',
  DeadLettered = 'dead_lettered',
  Replayed = 'replayed',
  /** A request that failed verification (e.g. an ERP push with a wrong secret). */
  Rejected = 'rejected',
}

/** `document_number`: the ERP's document number written back to a Shopify order (docs/erp-to-shopify.md). */
export type AuditEntity =
  | 'order'
  | 'refund'
  | 'return'
  | 'customer'
  | 'product'
  | 'inventory'
  | 'fulfillment'
  | 'webhook'
  | 'document_number'
  | 'payout';

/** @description One audit row as written by any step of the pipeline. */
export interface AuditEntry {
  eventId: string;
  entity: AuditEntity;
  topic?: string;
  shop: string;
  shopifyId?: string;
  erpId?: string;
  status: AuditStatus;
  /** Why a step ended as it did: `stale`, `duplicate`, `unknown SKU`, `circuit open`… */
  reason?: string;
  attempt?: number;
  latencyMs?: number;
  error?: string;
  at?: Date;
}
