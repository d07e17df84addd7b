import type { AuditLogRow } from 'src/modules/audit';
import type { DeadLetterView } from 'src/modules/dead-letters';
import type { OrderShipmentFulfilment } from 'src/modules/fulfilments';
import type { OrderTrail } from 'src/modules/orders';

/** @description Where a hop of an order trace comes from (one owning module each). */
export enum TraceHopKind {
  /**
   * A Shopify webhook about the order or one of its refunds: received by ingest, then processed (or not) by the order
   * writer.
   */
  Webhook = 'webhook',
  /** A step of a queue message of the order (audit row): queued, sent to the ERP, retry scheduled, succeeded… */
  Message = 'message',
  /** A message given up on (dead letter), and its retry by an operator. */
  DeadLetter = 'dead_letter',
  /** The ERP sales order the order writer recorded. */
  ErpDocument = 'erp_document',
  /** A Shopify fulfilment made from an ERP shipment of the order. */
  Fulfilment = 'fulfilment',
}

/** @description One hop of an order trace: what happened, when, and the ids that link it to the next. */
export interface TraceHop {
  at: Date;
  kind: TraceHopKind;
  /**
   * What the hop ended as: a webhook `accepted` / `stale` / `erp-owned` / `duplicate` / `received` (not processed
   * yet); a message step's audit status; a dead letter `dead` / `retried`; a fulfilment's state.
   */
  outcome: string;
  entity: string | null;
  topic: string | null;
  webhookId: string | null;
  eventId: string | null;
  attempt: number | null;
  erpId: string | null;
  /** The ERP document's reference: Shopify's order name (`#1001`) the writer sent, when recorded. */
  reference: string | null;
  mappingVersion: number | null;
  /** A Shopify id the hop made or is about other than the order (a fulfilment or refund id). */
  shopifyId: string | null;
  /** The ERP shipment a fulfilment came from (`<connector>:<shipment id>`). */
  erpShipment: string | null;
  /** Why: a skip reason, the error of a failed attempt, a dead letter's reason. */
  detail: string | null;
}

/** @description Where the order stands, from the hops. */
export enum OrderTraceStage {
  /** Seen (received or queued), not in the ERP yet. */
  Received = 'received',
  /** A message of the order is dead-lettered and not retried. */
  DeadLettered = 'dead_lettered',
  InErp = 'in_erp',
  /** In the ERP, and at least one Shopify fulfilment was made from its shipments. */
  Fulfilled = 'fulfilled',
}

/** @description The trace in figures. */
export interface OrderTraceSummary {
  stage: OrderTraceStage;
  firstSeenAt: Date;
  lastSeenAt: Date;
  webhooks: number;
  duplicateWebhooks: number;
  staleWebhooks: number;
  /** ERP write attempts of the order's messages (`sent_to_erp` steps). */
  erpAttempts: number;
  retriesScheduled: number;
  deadLetters: number;
  /** Dead letters still waiting for an operator. */
  openDeadLetters: number;
  erpId: string | null;
  reference: string | null;
  mappingVersion: number | null;
  /** Shopify fulfilments created (a GID recorded). */
  fulfilments: number;
  /** Shopify refunds of the order the writer recorded in the ERP (credit memos). */
  refunds: number;
}

/** @description One Shopify order followed end to end through every module that handled it. */
export interface OrderTrace {
  shop: string;
  orderId: string;
  orderGid: string;
  hops: TraceHop[];
  summary: OrderTraceSummary;
}

/** @description What each owning module recorded of the order (read through its own query). */
export interface OrderTraceParts {
  shop: string;
  orderId: string;
  orderGid: string;
  order: OrderTrail;
  audit: readonly AuditLogRow[];
  deadLetters: readonly DeadLetterView[];
  fulfilments: readonly OrderShipmentFulfilment[];
}

const NO_IDS = {
  entity: null,
  topic: null,
  webhookId: null,
  eventId: null,
  attempt: null,
  erpId: null,
  reference: null,
  mappingVersion: null,
  shopifyId: null,
  erpShipment: null,
  detail: null,
} as const;

/** The inbox's word for a delivery the writer applied; operators read it as the webhook being accepted. */
const INBOX_OUTCOME: Readonly<Record<string, string>> = { applied: 'accepted' };

/** Same moment: the order in which the pipeline makes them. */
const KIND_ORDER: readonly TraceHopKind[] = [
  TraceHopKind.Webhook,
  TraceHopKind.Message,
  TraceHopKind.DeadLetter,
  TraceHopKind.ErpDocument,
  TraceHopKind.Fulfilment,
];

/**
 * The order's hops in time order (one list across the modules) and its summary; undefined when no module recorded
 * anything of the order (an unknown order). A webhook is one hop: received (ingest's audit row, by event id) and what
 * the order writer made of it (its inbox row, with the webhook id); every other audit row is a message step.
 */
export function buildOrderTrace(parts: OrderTraceParts): OrderTrace | undefined {
  const { order, audit, deadLetters, fulfilments } = parts;
  if (
    order.deliveries.length === 0 &&
    order.document === null &&
    audit.length === 0 &&
    deadLetters.length === 0 &&
    fulfilments.length === 0
  ) {
    return undefined;
  }
  const hops: TraceHop[] = [];
  const receivedAt = new Map<string, Date>();
  for (const row of audit) {
    if (row.status === 'received' && row.entity !== 'fulfillment' && !receivedAt.has(row.eventId)) {
      receivedAt.set(row.eventId, row.createdAt);
    }
  }
  const processed = new Set<string>();
  for (const delivery of order.deliveries) {
    processed.add(delivery.eventId);
    const refund = isRefundDelivery(delivery);
    const returned = isReturnDelivery(delivery);
    hops.push({
      ...NO_IDS,
      at: receivedAt.get(delivery.eventId) ?? delivery.completedAt,
      kind: TraceHopKind.Webhook,
      outcome: INBOX_OUTCOME[delivery.outcome] ?? delivery.outcome,
      entity: refund ? 'refund' : returned ? 'return' : 'order',
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      shopifyId: refund || returned ? delivery.resourceId : null,
    });
  }
  for (const row of audit) {
    const isReceipt = row.status === 'received' && row.entity !== 'fulfillment';
    if (isReceipt && processed.has(row.eventId)) {
      continue;
    }
    hops.push({
      ...NO_IDS,
      at: row.createdAt,
      kind: isReceipt
        ? TraceHopKind.Webhook
        : row.entity === 'fulfillment'
          ? TraceHopKind.Fulfilment
          : TraceHopKind.Message,
      outcome: row.status,
      entity: row.entity,
      topic: row.topic,
      eventId: row.eventId,
      attempt: isReceipt ? null : row.attempt,
      erpId: row.erpId,
      shopifyId: row.shopifyId === parts.orderId || row.shopifyId === parts.orderGid ? null : row.shopifyId,
      detail: joinDetail(row.reason, row.error),
    });
  }
  for (const letter of deadLetters) {
    const ids = {
      ...NO_IDS,
      kind: TraceHopKind.DeadLetter,
      entity: letter.entity,
      topic: letter.topic,
      webhookId: letter.webhookId,
      eventId: letter.eventId,
      attempt: letter.attempts,
    };
    hops.push({ ...ids, at: letter.createdAt, outcome: 'dead', detail: joinDetail(letter.reason, letter.lastError) });
    if (letter.retriedAt !== null) {
      hops.push({ ...ids, at: letter.retriedAt, outcome: 'retried', detail: letter.retriedBy });
    }
    if (letter.discardedAt !== null) {
      hops.push({ ...ids, at: letter.discardedAt, outcome: 'discarded', detail: letter.discardedBy });
    }
  }
  if (order.document !== null && order.document.erpId !== null) {
    hops.push({
      ...NO_IDS,
      at: order.document.recordedAt,
      kind: TraceHopKind.ErpDocument,
      outcome: order.document.status ?? 'written',
      entity: 'order',
      erpId: order.document.erpId,
      reference: order.document.orderName,
      mappingVersion: order.document.mappingVersion,
    });
  }
  for (const shipment of fulfilments) {
    const erpShipment = `${shipment.connector}:${shipment.erpShipmentId}`;
    const base = { ...NO_IDS, kind: TraceHopKind.Fulfilment, entity: 'fulfillment', erpShipment };
    if (shipment.fulfilments.length === 0) {
      hops.push({ ...base, at: shipment.updatedAt, outcome: shipment.status, detail: shipment.lastError });
    }
    for (const made of shipment.fulfilments) {
      hops.push({
        ...base,
        at: made.createdAt,
        outcome: made.fulfillmentGid === null ? 'pending' : 'created',
        shopifyId: made.fulfillmentGid,
        attempt: shipment.attempts,
        detail: made.fulfillmentGid === null ? shipment.lastError : null,
      });
    }
  }
  hops.sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return { shop: parts.shop, orderId: parts.orderId, orderGid: parts.orderGid, hops, summary: summarize(parts, hops) };
}

function summarize(parts: OrderTraceParts, hops: readonly TraceHop[]): OrderTraceSummary {
  const webhooks = hops.filter((h) => h.kind === TraceHopKind.Webhook);
  const messages = hops.filter((h) => h.kind === TraceHopKind.Message);
  const document = parts.order.document;
  const openDeadLetters = parts.deadLetters.filter((d) => d.status === 'dead').length;
  const fulfilments = parts.fulfilments.reduce(
    (n, s) => n + s.fulfilments.filter((f) => f.fulfillmentGid !== null).length,
    0,
  );
  const erpId = document?.erpId ?? null;
  return {
    stage:
      openDeadLetters > 0
        ? OrderTraceStage.DeadLettered
        : erpId !== null && fulfilments > 0
          ? OrderTraceStage.Fulfilled
          : erpId !== null
            ? OrderTraceStage.InErp
            : OrderTraceStage.Received,
    firstSeenAt: hops[0]?.at ?? new Date(0),
    lastSeenAt: hops[hops.length - 1]?.at ?? new Date(0),
    webhooks: webhooks.length,
    duplicateWebhooks:
      webhooks.filter((h) => h.outcome === 'duplicate').length +
      messages.filter((h) => h.outcome === 'duplicate').length,
    staleWebhooks: webhooks.filter((h) => h.outcome === 'stale').length,
    erpAttempts: messages.filter((h) => h.outcome === 'sent_to_erp').length,
    retriesScheduled: messages.filter((h) => h.outcome === 'retry_scheduled').length,
    deadLetters: parts.deadLetters.length,
    openDeadLetters,
    erpId,
    reference: document?.orderName ?? null,
    mappingVersion: document?.mappingVersion ?? null,
    fulfilments,
    refunds: parts.order.deliveries.filter((d) => isRefundDelivery(d) && d.outcome === 'applied').length,
  };
}

/** A return's delivery (`returns/*`), listed with its order's: its resource id is the return's own. */
export function isReturnDelivery(delivery: { topic: string }): boolean {
  return delivery.topic.startsWith('returns/');
}

/** A refund's delivery, listed with its order's: its resource id is the refund's own. */
export function isRefundDelivery(delivery: { topic: string }): boolean {
  return delivery.topic.startsWith('refunds/');
}

function joinDetail(reason: string | null, error: string | null): string | null {
  const parts = [reason, error].filter((p): p is string => p !== null && p.length > 0);
  return parts.length === 0 ? null : parts.join(': ');
}
