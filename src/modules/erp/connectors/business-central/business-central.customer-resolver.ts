import {
  CUSTOMER_IMMUTABLE_FIELDS,
  changedFields,
  eqFilter,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type { BcCustomer, BcCustomerBody } from 'src/modules/erp/connectors/business-central/business-central.types';
import type { ErpCustomerXref } from 'src/modules/erp/port/erp-customer-xref';
import type { ErpCustomerDraft, ErpRecordRef } from 'src/modules/erp/port/erp.types';

/** The customer calls the resolver makes, bound by the connector to its client (and the lock it holds). */
export interface BcCustomerCalls {
  /** Customers matching an OData `$filter`, at most `top`. */
  list(filter: string, top: number): Promise<BcCustomer[]>;
  /**
   * A customer whose e-mail is this one (case-insensitive), if any; the look-ups of concurrent upserts share one
   * request.
   */
  findByEmail(email: string): Promise<BcCustomer | undefined>;
  create(body: BcCustomerBody): Promise<BcCustomer>;
  /** PATCHes `changes` onto `customer`, with its ETag. */
  update(customer: BcCustomer, changes: Partial<BcCustomerBody>): Promise<void>;
}

/**
 * How far BC's clock (`lastModifiedDateTime`) may be behind PostgreSQL's (`create_sent_at`) when a customer whose
 * create answer was lost is looked for.
 */
export const BC_CLOCK_SKEW_MS = 5 * 60_000;

/** BC ids are GUIDs; anything else in the cross-reference is not sent into a filter. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * @description Business Central customers matched on our own key. BC's `customers` entity has no field of ours to
 * filter on (API v2.0: number, displayName, address, phone, email, … but no external id), so the erp module keeps
 * our key (the Shopify customer id; `email:<address>` for a guest; `guest:<order id>` for a guest without e-mail)
 * → BC customer id in erp_customer_xref. A customer is found:
 * 1. by our key, when the cross-reference has it and BC still does (a customer merged or deleted in BC is forgotten
 *    and found again below);
 * 2. by e-mail (one request for the e-mails of every upsert in flight), and then remembered under our key (so a later
 *    change of e-mail still finds it);
 * 3. after a create whose answer was lost (recorded before it was sent): a customer modified since that holds every
 *    value the create sent (name, e-mail or none, address, phone) and that no other key of ours claims;
 * 4. else it is created, and remembered.
 * Never by display name alone: two people of the same name stay two customers, and neither is PATCHed with the
 * other's address. The connector runs this under its lock for the e-mail (or our key).
 */
export class BusinessCentralCustomerResolver {
  constructor(private readonly xref: ErpCustomerXref) {}

  async upsert(draft: ErpCustomerDraft, body: BcCustomerBody, calls: BcCustomerCalls): Promise<ErpRecordRef> {
    const key = draft.externalId;
    const known = await this.xref.find(key);
    let found = known?.erpId === undefined ? undefined : await this.byId(known.erpId, calls);
    if (known?.erpId !== undefined && found === undefined) {
      // Merged into another customer or deleted in BC since we matched it: found again by e-mail, or created.
      await this.xref.forget(key);
    }
    if (found === undefined && body.email !== undefined) {
      found = await calls.findByEmail(body.email);
    }
    if (found === undefined && known?.createSentAt !== undefined) {
      found = await this.createdUnanswered(key, body, known.createSentAt, calls);
    }
    if (found === undefined) {
      await this.xref.createSending(key);
      const created = await calls.create(body);
      await this.xref.remember(key, created.id);
      return { erpId: created.id, externalId: key };
    }
    if (found.id !== known?.erpId) {
      await this.xref.remember(key, found.id);
    }
    const changes = changedFields(found, body, CUSTOMER_IMMUTABLE_FIELDS);
    if (Object.keys(changes).length > 0) {
      await calls.update(found, changes);
    }
    return { erpId: found.id, externalId: key };
  }

  private async byId(erpId: string, calls: BcCustomerCalls): Promise<BcCustomer | undefined> {
    if (!GUID.test(erpId)) {
      return undefined;
    }
    // A filtered list rather than GET customers(id): a customer that is gone is an empty list, not an error.
    const [customer] = await calls.list(`id eq ${erpId}`, 1);
    return customer;
  }

  /**
   * The customer an earlier create of this key may have committed without its answer: created (so modified) since
   * that create was sent, holding every value it was sent with (a namesake entered by someone else differs in its
   * address, phone or e-mail), and claimed by no other key of ours.
   */
  private async createdUnanswered(
    key: string,
    body: BcCustomerBody,
    createSentAt: Date,
    calls: BcCustomerCalls,
  ): Promise<BcCustomer | undefined> {
    const since = new Date(createSentAt.getTime() - BC_CLOCK_SKEW_MS).toISOString();
    const candidates = (
      await calls.list(`${eqFilter('displayName', body.displayName)} and lastModifiedDateTime ge ${since}`, 20)
    ).filter(
      (candidate) =>
        (candidate.email ?? '') === (body.email ?? '') &&
        Object.keys(changedFields(candidate, body, CUSTOMER_IMMUTABLE_FIELDS)).length === 0,
    );
    const claimed = await this.xref.claimedByOthers(
      candidates.map((candidate) => candidate.id),
      key,
    );
    return candidates.find((candidate) => !claimed.has(candidate.id));
  }
}

/** The lock a customer upsert holds: its e-mail when it has one (two keys may share it), else our key. */
export function bcCustomerLockKey(draft: ErpCustomerDraft, body: BcCustomerBody): string {
  return `business-central:customer:${body.email !== undefined ? `email:${body.email.toLowerCase()}` : `key:${draft.externalId}`}`;
}
