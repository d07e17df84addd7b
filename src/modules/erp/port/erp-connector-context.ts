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

/**
 * What the holder of a keyed lock is lent while its work runs: the signal that says the lock was lost, the fencing
 * check before a write, and the "create in doubt" record of an ERP without idempotency keys.
 */
export interface ErpLockLease {
  /**
   * Aborted (its reason a Transient `LOCK_LOST` ErpError) when the lock is lost: its lease could not be renewed
   * (Redis unreachable) or its key was wiped. Reads stop at once; nothing more is written.
   */
  readonly signal: AbortSignal;
  /**
   * The fencing check, right before a write is sent: throws the Transient `LOCK_LOST` error unless the lock in Redis
   * still carries this holder's token, so a holder whose lease lapsed never writes after another took the key over.
   */
  fence(): Promise<void>;
  /**
   * Before a create: rejects with a Transient `CREATE_IN_DOUBT` ErpError (its `retryAfterMs` the time left) while an
   * earlier create of this key may still be committing in the ERP. `withLock` catches it, waits that time out and
   * runs the work again from its look-up, which then finds what the earlier create committed. Reads the durable
   * record (PostgreSQL) unless this run said `assumeNew()`; rejects with PostgreSQL's own error when it cannot be read
   * (an outage of our own service, which the consumer pauses on).
   */
  admitCreate(): Promise<void>;
  /**
   * Says, for this run of the work, that the caller's own durable record shows no create of this key was ever sent
   * (an order whose first write this is): its creates then consult only the copy of creates in doubt cached in
   * Redis, not PostgreSQL. A run repeated after waiting out a create in doubt starts without it.
   */
  assumeNew(): void;
  /**
   * Sends a create (already fenced) to its answer. Should the lock be lost before the answer comes, the create is
   * recorded as in doubt: the next holder may take the key first, and must not create the record again.
   */
  whileCreating<T>(send: () => Promise<T>): Promise<T>;
  /**
   * Records that a create sent under this lock may still commit although its answer never came (a timeout, a
   * broken connection): the key's next creates are held back for the ERP's settle time, in PostgreSQL (so a Redis
   * that loses its state loses nothing) and in Redis as a cache. Never throws; while PostgreSQL is unreachable the
   * record is kept in this process and written at its next acquisition.
   */
  createInDoubt(): Promise<void>;
}

/** A lock shared by every worker process, for lookup-then-create sequences on ERPs without an upsert. */
export interface ErpKeyedLock {
  /**
   * Runs `work` while holding the lock named `key`; other holders of the same key wait. Resolves only if the lock
   * was held until the work ended: a lost lock aborts the lease's signal and rejects with a Transient `LOCK_LOST`
   * ErpError (retried through the normal retry path). A lock that cannot be taken (Redis unreachable, held too
   * long by another) rejects Transient too.
   */
  withLock<T>(key: string, work: (lease: ErpLockLease) => Promise<T>): Promise<T>;
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
