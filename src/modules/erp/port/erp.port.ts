import type { ErpCustomerDraft, ErpRecordRef, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

/**
 * The operations the product needs from any ERP. Every write is idempotent on its external key, so that a
 * redelivered message never creates a second record. Failures are thrown as `ErpError` with a kind.
 */
export interface ErpPort {
  /** The connector's name, for logs, metrics and audit rows. */
  readonly name: string;

  /**
   * @description The vendor's default limits, used when ERP_MAX_CONCURRENCY / ERP_MAX_RPS are unset.
   */
  readonly defaultLimits: { maxConcurrency: number; maxRps?: number };

  /** Create or update the customer matched by email, then by `draft.externalId`. */
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef>;

  /** Create or update the sales order whose external id is `draft.externalId`; never duplicates on redelivery. */
  upsertSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpRecordRef>;

  /**
   * Cancel (or close) the sales order with this external id. If the ERP has no such order yet, creates it from
   * `draft` in cancelled state, so that a cancel that overtook its create still ends cancelled.
   */
  cancelSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpRecordRef>;

  /** Cheap authenticated call used by /health/ready and by the circuit breaker's probe. */
  checkConnection(): Promise<void>;
}

export const ERP_PORT = Symbol('ERP_PORT');
