import type { ErpCustomerXref } from 'src/modules/erp/port/erp-customer-xref';

/**
 * What the ERP machinery lends a connector. Connectors stay plain classes that know one vendor's API; the shared
 * limits, locks and the SKU cross-reference come from here, so no connector re-implements them.
 */

/** Runs one HTTP request to the ERP under the limits shared by every worker process. */
export interface ErpRequestGate {
  /**
   * Takes a shared concurrency permit and a rate token, sends, and frees them. A throttled answer (thrown as an
   * `ErpError` of kind Throttled, with `retryAfterMs` when the ERP said) is waited out and re-sent here: throttled
   * requests were not processed, so re-sending any of them is safe. Every other failure is thrown to the caller.
   * Token requests to an identity provider do not go through the gate.
   */
  request<T>(operation: string, send: () => Promise<T>): Promise<T>;
}

/** A lock shared by every worker process, for lookup-then-create sequences on ERPs without an upsert. */
export interface ErpKeyedLock {
  /** Runs `work` while holding the lock named `key`; other holders of the same key wait. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** The SKU → ERP item cross-reference that item delta reads keep current (a PostgreSQL table). */
export interface ErpItemXref {
  /** The ERP item id last seen for this SKU, if any. */
  find(sku: string): Promise<string | undefined>;
  /** Records what an ERP lookup found, so the next order does not look it up again. */
  remember(sku: string, erpItemId: string): Promise<void>;
  /** Drops a stale mapping (the ERP says the item no longer exists). */
  forget(sku: string): Promise<void>;
}

export interface ErpConnectorContext {
  gate: ErpRequestGate;
  locks: ErpKeyedLock;
  items: ErpItemXref;
  /** Our customer key → ERP customer id, for ERPs whose customers carry no key of ours (Business Central). */
  customers: ErpCustomerXref;
  /** Each ERP request (answer included) is aborted after this long and reported as Transient. */
  requestTimeoutMs: number;
}
