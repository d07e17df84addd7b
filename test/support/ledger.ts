/**
 * The exact ledger oracle (shared/facts/reliability-notes.md §4; the shape of Hookdeck Outpost's
 * `published == completed + missing + cutoff` and Jepsen's lost / unexpected / duplicated checker).
 *
 * It judges a run by what the harness sent and what the sandbox ERP says it committed, never by the app's own
 * metrics. A run whose deliveries do not balance (a delivery without a final outcome) is void: a test error, never
 * a pass.
 */

/** One webhook delivery the harness generated (retries of it are the same event). */
export interface GeneratedEvent {
  /** Shopify order id, as the ERP's external id (a numeric string; a GraphQL gid is accepted too). */
  orderId: string;
  eventId: string;
  webhookId: string;
  topic: string;
  /** The order's `updated_at` in this event's body. */
  updatedAt: string;
  /** The ERP sales-order status this event should leave behind if it is the latest. */
  expectedStatus: 'open' | 'cancelled';
  /** false when the order carries a SKU the ERP does not know: it must be dead-lettered, not written. */
  validSkus: boolean;
}

/**
 * What `GET /_control/orders` returns per sales order (fields the oracle reads). The sandbox ERP carries Shopify's
 * `updated_at` as `custbody_source_updated_at`; the vendor simulators' common view as `sourceUpdatedAt`.
 */
export interface ErpOrderRecord {
  externalId: string;
  status: string;
  custbody_source_updated_at?: string | null;
  sourceUpdatedAt?: string | null;
  writeCount?: number;
}

/** The Shopify `updated_at` an ERP order record carries, whichever ERP's control API listed it. */
export function recordSourceUpdatedAt(record: ErpOrderRecord): string | null {
  return record.sourceUpdatedAt ?? record.custbody_source_updated_at ?? null;
}

/** What `GET /_control/ledger` returns per committed write (fields the oracle reads). */
export interface ErpLedgerEntry {
  seq: number;
  type: string;
  externalId: string;
  created: boolean;
  status?: string | null;
  sourceUpdatedAt?: string | null;
  /** Epoch ms of the commit. */
  at?: number;
}

export interface LedgerInput {
  events: readonly GeneratedEvent[];
  /** Final HTTP status per event, same index as `events` (after the sender's retries); 0 = timeout/no response. */
  finalStatuses: readonly (number | undefined)[];
  erpOrders: readonly ErpOrderRecord[];
  erpLedger: readonly ErpLedgerEntry[];
  /** Shopify order ids found in the dead-letter list. */
  deadLetteredOrderIds: readonly string[];
}

export interface RepeatedWrite {
  externalId: string;
  sourceUpdatedAt: string | null;
  status: string | null;
  count: number;
}

export interface NotLatest {
  orderId: string;
  expected: { status: string; updatedAt: string };
  actual: { status: string; updatedAt: string | null };
}

export type LedgerVerdict = 'pass' | 'fail' | 'void';

export interface LedgerReport {
  verdict: LedgerVerdict;
  /** verdict === 'pass' */
  ok: boolean;
  sent: number;
  /** Final 2xx. */
  accepted: number;
  /** Final 4xx. */
  rejected: number;
  /** Final 5xx, other statuses or no response. */
  failed: number;
  /** Events without a final outcome (the run ended early). Any makes the run void. */
  unresolved: number;
  balanced: boolean;
  orders: { sent: number; expectedInErp: number; expectedDeadLettered: number; inErp: number };
  /** Orders with an accepted valid event but no ERP sales order. */
  lost: string[];
  /** Orders with more than one ERP record or more than one `created` write. */
  duplicatedRecords: string[];
  /** Orders whose ERP state is not that of their latest accepted event. */
  notLatest: NotLatest[];
  /** ERP sales orders for order ids the harness never sent. */
  unexpected: string[];
  /** ERP sales orders of orders whose every delivery was rejected (4xx): something unverified got through. */
  rejectedInErp: string[];
  /** ERP sales orders of orders whose only accepted events carry unknown SKUs. */
  invalidInErp: string[];
  /** Orders with an accepted invalid-SKU event that is not in the dead-letter list. */
  missingDeadLetters: string[];
  /** Orders dead-lettered although none of their accepted events was invalid (e.g. lost to an outage). */
  unexpectedDeadLetters: string[];
  /**
   * The same (externalId, sourceUpdatedAt, status) sales-order write committed more than once. Idempotent upserts
   * make these harmless to the ERP's state, so they are reported (a cost: extra ERP calls) but fail the run only
   * with `strictWrites`.
   */
  repeatedWrites: RepeatedWrite[];
  /** One line per problem, for a test failure message or the demo's summary. */
  problems: string[];
}

export interface LedgerOptions {
  /** Count repeated identical writes as a failure. */
  strictWrites?: boolean;
  /**
   * The ERP cancels a document without rewriting it (Cin7 Core voids a sale as it stands, and a voided sale can no
   * longer be edited), so the cancel's `updated_at` never reaches the ERP: a record whose latest event is a cancel
   * is then judged by its status, with a stamp no later than the cancel's.
   */
  cancelKeepsStamp?: boolean;
}

const GID_PREFIX = /^gid:\/\/shopify\/Order\//;

/** `gid://shopify/Order/123` and `123` are the same order. */
export function normaliseOrderId(id: string | number): string {
  return String(id).trim().replace(GID_PREFIX, '');
}

/** Same instant, whatever the ISO form (`Z` vs `-04:00`, with or without ms); falls back to string equality. */
export function sameInstant(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return a === b;
  }
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) ? a === b : ta === tb;
}

function instant(value: string): number {
  const t = Date.parse(value);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

type Outcome = 'accepted' | 'rejected' | 'failed' | 'unresolved';

export function classifyStatus(status: number | undefined): Outcome {
  if (status === undefined || !Number.isInteger(status) || status < 0) {
    return 'unresolved';
  }
  if (status >= 200 && status < 300) {
    return 'accepted';
  }
  if (status >= 400 && status < 500) {
    return 'rejected';
  }
  return 'failed';
}

interface OrderTally {
  sent: number;
  accepted: GeneratedEvent[];
  rejectedOnly: boolean;
}

export function checkLedger(input: LedgerInput, options: LedgerOptions = {}): LedgerReport {
  const problems: string[] = [];
  const counts = { accepted: 0, rejected: 0, failed: 0, unresolved: 0 };
  const byOrder = new Map<string, OrderTally>();

  input.events.forEach((event, i) => {
    const outcome = classifyStatus(input.finalStatuses[i]);
    counts[outcome]++;
    const orderId = normaliseOrderId(event.orderId);
    const tally = byOrder.get(orderId) ?? { sent: 0, accepted: [], rejectedOnly: true };
    tally.sent++;
    if (outcome === 'accepted') {
      tally.accepted.push(event);
    }
    if (outcome !== 'rejected') {
      tally.rejectedOnly = false;
    }
    byOrder.set(orderId, tally);
  });
  if (input.finalStatuses.length !== input.events.length) {
    problems.push(`${input.events.length} events but ${input.finalStatuses.length} outcomes`);
  }
  const sent = input.events.length;
  const balanced =
    input.finalStatuses.length === sent &&
    counts.unresolved === 0 &&
    sent === counts.accepted + counts.rejected + counts.failed;
  if (!balanced) {
    problems.push(
      `unbalanced: sent ${sent} ≠ accepted ${counts.accepted} + rejected ${counts.rejected} + failed ${counts.failed} (${counts.unresolved} unresolved)`,
    );
  }

  const recordsById = new Map<string, ErpOrderRecord[]>();
  for (const record of input.erpOrders) {
    const id = normaliseOrderId(record.externalId);
    recordsById.set(id, [...(recordsById.get(id) ?? []), record]);
  }
  const createdWrites = new Map<string, number>();
  const writeKeys = new Map<string, RepeatedWrite>();
  for (const entry of input.erpLedger) {
    if (entry.type !== 'salesOrder') {
      continue;
    }
    const id = normaliseOrderId(entry.externalId);
    if (entry.created) {
      createdWrites.set(id, (createdWrites.get(id) ?? 0) + 1);
    }
    const at = entry.sourceUpdatedAt ?? null;
    const status = entry.status ?? null;
    const normalisedAt = at === null || Number.isNaN(Date.parse(at)) ? at : String(Date.parse(at));
    const key = JSON.stringify([id, normalisedAt, status]);
    const write = writeKeys.get(key) ?? { externalId: id, sourceUpdatedAt: at, status, count: 0 };
    write.count++;
    writeKeys.set(key, write);
  }
  const deadLettered = new Set(input.deadLetteredOrderIds.map(normaliseOrderId));

  const lost: string[] = [];
  const notLatest: NotLatest[] = [];
  const rejectedInErp: string[] = [];
  const invalidInErp: string[] = [];
  const missingDeadLetters: string[] = [];
  const unexpectedDeadLetters: string[] = [];
  let expectedInErp = 0;
  let expectedDeadLettered = 0;

  for (const [orderId, tally] of byOrder) {
    const records = recordsById.get(orderId) ?? [];
    const valid = tally.accepted.filter((e) => e.validSkus);
    const invalid = tally.accepted.filter((e) => !e.validSkus);
    if (invalid.length > 0) {
      expectedDeadLettered++;
      if (!deadLettered.has(orderId)) {
        missingDeadLetters.push(orderId);
      }
    } else if (deadLettered.has(orderId)) {
      unexpectedDeadLetters.push(orderId);
    }
    if (tally.rejectedOnly && records.length > 0) {
      rejectedInErp.push(orderId);
    }
    if (valid.length === 0) {
      if (invalid.length > 0 && records.length > 0) {
        invalidInErp.push(orderId);
      }
      continue;
    }
    expectedInErp++;
    if (records.length === 0) {
      lost.push(orderId);
      continue;
    }
    // The latest valid accepted event decides the final state; ties keep the later-generated event.
    const latest = valid.reduce((a, b) => (instant(b.updatedAt) >= instant(a.updatedAt) ? b : a));
    const record = records[records.length - 1];
    const actualAt = recordSourceUpdatedAt(record);
    const stampOk =
      sameInstant(actualAt, latest.updatedAt) ||
      (options.cancelKeepsStamp === true &&
        latest.expectedStatus === 'cancelled' &&
        (actualAt === null || instant(actualAt) <= instant(latest.updatedAt)));
    if (record.status !== latest.expectedStatus || !stampOk) {
      notLatest.push({
        orderId,
        expected: { status: latest.expectedStatus, updatedAt: latest.updatedAt },
        actual: { status: record.status, updatedAt: actualAt },
      });
    }
  }

  const duplicatedRecords = [...new Set([...recordsById.keys(), ...createdWrites.keys()])].filter(
    (id) => (recordsById.get(id)?.length ?? 0) > 1 || (createdWrites.get(id) ?? 0) > 1,
  );
  const unexpected = [...recordsById.keys()].filter((id) => !byOrder.has(id));
  const repeatedWrites = [...writeKeys.values()].filter((w) => w.count > 1);

  const report = (label: string, ids: readonly unknown[]): void => {
    if (ids.length > 0) {
      const sample = ids
        .slice(0, 5)
        .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
        .join(', ');
      problems.push(`${label}: ${ids.length} (${sample}${ids.length > 5 ? ', …' : ''})`);
    }
  };
  report('lost', lost);
  report('duplicated', duplicatedRecords);
  report('not the latest state', notLatest);
  report('unexpected ERP orders', unexpected);
  report('rejected but in the ERP', rejectedInErp);
  report('invalid SKUs but in the ERP', invalidInErp);
  report('missing dead letters', missingDeadLetters);
  report('unexpected dead letters', unexpectedDeadLetters);
  if (options.strictWrites) {
    report('repeated identical writes', repeatedWrites);
  }

  const failed =
    lost.length +
      duplicatedRecords.length +
      notLatest.length +
      unexpected.length +
      rejectedInErp.length +
      invalidInErp.length +
      missingDeadLetters.length +
      unexpectedDeadLetters.length +
      (options.strictWrites ? repeatedWrites.length : 0) >
    0;
  const verdict: LedgerVerdict = !balanced ? 'void' : failed ? 'fail' : 'pass';

  return {
    verdict,
    ok: verdict === 'pass',
    sent,
    accepted: counts.accepted,
    rejected: counts.rejected,
    failed: counts.failed,
    unresolved: counts.unresolved,
    balanced,
    orders: { sent: byOrder.size, expectedInErp, expectedDeadLettered, inErp: recordsById.size },
    lost,
    duplicatedRecords,
    notLatest,
    unexpected,
    rejectedInErp,
    invalidInErp,
    missingDeadLetters,
    unexpectedDeadLetters,
    repeatedWrites,
    problems,
  };
}

/** One line: "PASS — 2000 sent = 2000 accepted + 0 rejected + 0 failed; 0 lost, 0 duplicated, …". */
export function formatLedgerVerdict(r: LedgerReport): string {
  const head = r.verdict === 'void' ? 'VOID (run does not balance)' : r.verdict.toUpperCase();
  return (
    `${head} — ${r.sent} sent = ${r.accepted} accepted + ${r.rejected} rejected + ${r.failed} failed` +
    (r.unresolved > 0 ? ` (+${r.unresolved} unresolved)` : '') +
    `; ${r.lost.length} lost, ${r.duplicatedRecords.length} duplicated, ${r.notLatest.length} not latest, ` +
    `${r.unexpected.length} unexpected, ${r.repeatedWrites.length} repeated writes`
  );
}
