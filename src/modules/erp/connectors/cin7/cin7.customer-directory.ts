import type { Cin7Client } from 'src/modules/erp/connectors/cin7/cin7.client';
import { CIN7_MAX_PAGE_SIZE } from 'src/modules/erp/connectors/cin7/cin7.constants';
import { fromCin7Date } from 'src/modules/erp/connectors/cin7/cin7.delta-mappers';
import { toCin7Date } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type { Cin7Customer, Cin7CustomerListResponse } from 'src/modules/erp/connectors/cin7/cin7.types';
import { LookupBatcher, normaliseEmail } from 'src/modules/erp/connectors/shared/lookup-batcher';

/**
 * How far before the newest `LastModifiedOn` seen each refresh reads again: a customer Cin7 stamped before that
 * instant but whose write became visible only after our read (a transaction still committing) is read by the next
 * refresh. The customers re-read cost nothing but bytes, as long as they fit one page.
 */
export const CIN7_CUSTOMER_REFRESH_OVERLAP_MS = 10_000;

/** @description How a {@link Cin7CustomerDirectory} reads. */
export interface Cin7CustomerDirectoryOptions {
  /** How long the first look-up of a batch waits for others (LookupBatcher's window). */
  windowMs?: number;
  /** Default CIN7_CUSTOMER_REFRESH_OVERLAP_MS. */
  overlapMs?: number;
}

/**
 * @description Answers "which Cin7 customer has this e-mail now?" for many e-mails with one request. Cin7 Core API v2
 * has no query for several e-mails (`GET /customer` takes one `ContactFilter`), but it lists the customers modified
 * since an instant (`ModifiedSince`, with `IncludeDeprecated` so that a customer deprecated since is seen too). So
 * this keeps a copy of every customer's ID, Name and contacts in the worker process: read whole once (one request
 * per 1,000 customers, at the first look-up), then brought up to date before each batch of look-ups by one request
 * for what changed since the newest change it holds. The look-ups of the orders in flight wait for the same refresh
 * (LookupBatcher): a look-up is answered only from a refresh that began after it was asked, so it sees every
 * customer Cin7 had then, the merchant's own included, and after a create whose answer was lost the customer it made.
 *
 * A customer removed from Cin7 (deleted, or merged into another) is not listed as changed: its copy stays until a
 * look-up by its ID finds it gone ({@link forget}); a sale written for it is refused and the order writer resolves the
 * customer again, which does that look-up.
 */
export class Cin7CustomerDirectory {
  private readonly byId = new Map<string, Cin7Customer>();
  private readonly idsByEmail = new Map<string, Set<string>>();
  /** The newest `LastModifiedOn` read (ms); undefined until the first, full, read. */
  private newestChange?: number;
  private readonly batcher: LookupBatcher<Cin7Customer>;
  private readonly overlapMs: number;

  constructor(
    private readonly client: Cin7Client,
    options: Cin7CustomerDirectoryOptions = {},
  ) {
    this.overlapMs = options.overlapMs ?? CIN7_CUSTOMER_REFRESH_OVERLAP_MS;
    this.batcher = new LookupBatcher({
      find: (emails) => this.refreshThenFind(emails),
      // The request carries no e-mail: a batch is as large as the orders in flight make it.
      maxBatchSize: Number.MAX_SAFE_INTEGER,
      windowMs: options.windowMs,
      normalise: normaliseEmail,
    });
  }

  /**
   * The active customer whose contacts include `email` (case-insensitive) as Cin7 has it now; of several, the one
   * changed last. `signal` (a lock's lease) ends this caller's wait; the refresh goes on for the others.
   */
  find(email: string, signal?: AbortSignal): Promise<Cin7Customer | undefined> {
    return this.batcher.find(email, signal);
  }

  /** Holds what Cin7 answered a create or an update with, before the next refresh lists it. */
  remember(customer: Cin7Customer): void {
    if (customer.ID === undefined) {
      return;
    }
    this.drop(customer.ID);
    if (customer.Status?.toLowerCase() === 'deprecated') {
      return;
    }
    this.byId.set(customer.ID, {
      ID: customer.ID,
      Name: customer.Name,
      Contacts: customer.Contacts,
      LastModifiedOn: customer.LastModifiedOn,
    });
    for (const email of emailsOf(customer)) {
      const ids = this.idsByEmail.get(email) ?? new Set<string>();
      ids.add(customer.ID);
      this.idsByEmail.set(email, ids);
    }
  }

  /** Drops a customer Cin7 no longer has (a look-up by its ID found nothing). */
  forget(id: string): void {
    this.drop(id);
  }

  private async refreshThenFind(emails: string[]): Promise<Map<string, Cin7Customer>> {
    await this.refresh();
    const found = new Map<string, Cin7Customer>();
    for (const email of emails) {
      const customer = this.newestWith(email);
      if (customer !== undefined) {
        found.set(email, customer);
      }
    }
    return found;
  }

  /** Reads every customer changed since the newest change held (all of them the first time), page by page. */
  private async refresh(): Promise<void> {
    const since =
      this.newestChange === undefined
        ? undefined
        : toCin7Date(new Date(this.newestChange - this.overlapMs).toISOString());
    let newest = this.newestChange;
    for (let page = 1; ; page++) {
      const answer = await this.client.get<Cin7CustomerListResponse>('customer.list', 'customer', {
        Page: page,
        Limit: CIN7_MAX_PAGE_SIZE,
        IncludeDeprecated: true,
        ...(since === undefined ? {} : { ModifiedSince: since }),
      });
      const customers = answer.CustomerList ?? [];
      for (const customer of customers) {
        this.remember(customer);
        const changed = Date.parse(fromCin7Date(customer.LastModifiedOn ?? ''));
        if (!Number.isNaN(changed) && (newest === undefined || changed > newest)) {
          newest = changed;
        }
      }
      if (
        customers.length < CIN7_MAX_PAGE_SIZE ||
        (answer.Total !== undefined && page * CIN7_MAX_PAGE_SIZE >= answer.Total)
      ) {
        break;
      }
    }
    // Counted from Cin7's own stamps, never our clock. An account without customers has none: it is read whole
    // again, which is one short request.
    this.newestChange = newest;
  }

  private newestWith(email: string): Cin7Customer | undefined {
    let newest: Cin7Customer | undefined;
    for (const id of this.idsByEmail.get(email) ?? []) {
      const customer = this.byId.get(id);
      if (customer !== undefined && (newest === undefined || changedAt(customer) > changedAt(newest))) {
        newest = customer;
      }
    }
    return newest;
  }

  private drop(id: string): void {
    const held = this.byId.get(id);
    if (held === undefined) {
      return;
    }
    this.byId.delete(id);
    for (const email of emailsOf(held)) {
      const ids = this.idsByEmail.get(email);
      ids?.delete(id);
      if (ids?.size === 0) {
        this.idsByEmail.delete(email);
      }
    }
  }
}

function emailsOf(customer: Cin7Customer): string[] {
  return (customer.Contacts ?? [])
    .map((contact) => contact.Email)
    .filter((email): email is string => email !== undefined && email.trim() !== '')
    .map(normaliseEmail);
}

function changedAt(customer: Cin7Customer): number {
  const at = Date.parse(fromCin7Date(customer.LastModifiedOn ?? ''));
  return Number.isNaN(at) ? 0 : at;
}
