import DataLoader from 'dataloader';

/** How long the first look-up of a batch waits for others before the batch may be sent. */
export const LOOKUP_BATCH_WINDOW_MS = 5;

/** @description How one connector's look-ups are batched. */
export interface LookupBatcherOptions<V> {
  /**
   * One ERP request for many keys (already normalised and without duplicates), answering the value found per key;
   * a key absent from the map was not found. A rejection fails every look-up of that batch with the same error.
   */
  find(keys: string[]): Promise<ReadonlyMap<string, V>>;
  /** Keys one request may carry: what keeps the vendor's URL or query within its limits. */
  maxBatchSize: number;
  /** How long the first key waits for others; default LOOKUP_BATCH_WINDOW_MS. */
  windowMs?: number;
  /**
   * Batches sent at the same time; default 1. Keys that come while they run wait for the next batch, so under load
   * one request carries the look-ups of every order that reached this point meanwhile.
   */
  maxBatchesInFlight?: number;
  /** The key as the ERP matches it (both for the request and for the answer's map); default: as given. */
  normalise?(key: string): string;
}

/**
 * @description Looks keys up in the ERP in batches: the look-ups of the orders in flight in this process (customers
 * by e-mail, typically) are sent as one request (SuiteQL `IN (...)`, an OData `or` filter) instead of one each.
 * Built on `dataloader` with its cache off: every `find` asks the ERP, because a record can be created or changed in
 * the ERP at any time and a look-up that decides between "create" and "update" must see the ERP as it is now.
 *
 * A batch is sent `windowMs` after its first key, or later while `maxBatchesInFlight` batches are still running;
 * it holds at most `maxBatchSize` keys (another batch starts when it is full).
 *
 * @example
 * const byEmail = new LookupBatcher({ find: (emails) => findCustomersByEmail(emails), maxBatchSize: 50,
 *   normalise: normaliseEmail });
 * const customerId = await byEmail.find(draft.email, lease.signal); // undefined: no such customer
 */
export class LookupBatcher<V> {
  private readonly loader: DataLoader<string, V | undefined>;
  private readonly maxInFlight: number;
  private inFlight = 0;
  /** Batches whose window passed, waiting for one in flight to end, oldest first. */
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: LookupBatcherOptions<V>) {
    this.maxInFlight = Math.max(1, options.maxBatchesInFlight ?? 1);
    const windowMs = options.windowMs ?? LOOKUP_BATCH_WINDOW_MS;
    this.loader = new DataLoader<string, V | undefined>((keys) => this.send(keys), {
      cache: false,
      maxBatchSize: Math.max(1, Math.floor(options.maxBatchSize)),
      batchScheduleFn: (dispatch) => {
        setTimeout(() => this.whenFree(dispatch), windowMs);
      },
    });
  }

  /**
   * The value the ERP holds for `key` (normalised first), or undefined when it has none. `signal` (a lock's lease)
   * ends this caller's wait at once with the signal's reason; the batch itself still runs for the others.
   */
  find(key: string, signal?: AbortSignal): Promise<V | undefined> {
    if (signal?.aborted === true) {
      return Promise.reject(abortReason(signal));
    }
    const found = this.loader.load(this.normalise(key));
    if (signal === undefined) {
      return found;
    }
    return new Promise<V | undefined>((resolve, reject) => {
      const onAbort = (): void => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      void found.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * The values the ERP holds for several keys (each normalised; the map is keyed by the normalised key, a key the ERP
   * does not have is left out). The keys join the same batches as single look-ups.
   */
  async findMany(keys: readonly string[], signal?: AbortSignal): Promise<Map<string, V>> {
    const unique = [...new Set(keys.map((key) => this.normalise(key)))];
    const values = await Promise.all(unique.map((key) => this.find(key, signal)));
    const found = new Map<string, V>();
    unique.forEach((key, index) => {
      const value = values[index];
      if (value !== undefined) {
        found.set(key, value);
      }
    });
    return found;
  }

  private normalise(key: string): string {
    return this.options.normalise === undefined ? key : this.options.normalise(key);
  }

  private whenFree(dispatch: () => void): void {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      dispatch();
    } else {
      this.waiting.push(dispatch);
    }
  }

  private async send(keys: readonly string[]): Promise<Array<V | undefined>> {
    try {
      const found = await this.options.find([...new Set(keys)]);
      return keys.map((key) => found.get(key));
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) {
        this.inFlight -= 1;
      } else {
        next();
      }
    }
  }
}

/** @description An e-mail address as ERPs match it: trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The lease's reason (a Transient `LOCK_LOST` ErpError), or a plain error for a signal aborted without one. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('look-up aborted');
}
