import type { OrderTrigger } from 'src/modules/shops';

/** @description What the first ERP write of an order waits on, read from its Shopify payload (REST webhook shape). */
export interface OrderReleaseFacts {
  /** `financial_status`: pending, authorized, partially_paid, paid, partially_refunded, refunded, voided, expired. */
  financialStatus: string | null;
  /** `fulfillment_status`: null (unfulfilled), partial, fulfilled, restocked. */
  fulfillmentStatus: string | null;
  /** The order carries a `cancelled_at`. */
  cancelled: boolean;
}

/** @description Where an order held before its first ERP write stands: held, or settled by an operator. */
export type OrderHoldStatus = 'held' | 'released' | 'cancelled';

/**
 * Financial statuses of an order whose payment was captured at least once: `paid` and `partially_paid`, and the
 * refunded ones (a refund follows a capture). `authorized` is not paid: the capture (Shopify's `orders/paid`) is.
 */
const PAID_STATUSES: ReadonlySet<string> = new Set(['paid', 'partially_paid', 'partially_refunded', 'refunded']);

/** Fulfillment statuses of an order at least one of whose lines was shipped. */
const FULFILLED_STATUSES: ReadonlySet<string> = new Set(['fulfilled', 'partial']);

/**
 * @description Whether an order meets its shop's trigger; when not, why (the audit's words).
 */
export type TriggerDecision = { met: true } | { met: false; reason: string };

/** Decides whether `facts` meet `trigger`: `created` always, `paid` once captured, `fulfilled` once shipped (in part). */
export function decideOrderTrigger(trigger: OrderTrigger, facts: OrderReleaseFacts): TriggerDecision {
  switch (trigger) {
    case 'created':
      return { met: true };
    case 'paid':
      return facts.financialStatus !== null && PAID_STATUSES.has(facts.financialStatus)
        ? { met: true }
        : { met: false, reason: `waiting for trigger paid: financial_status ${facts.financialStatus ?? 'none'}` };
    case 'fulfilled':
      return facts.fulfillmentStatus !== null && FULFILLED_STATUSES.has(facts.fulfillmentStatus)
        ? { met: true }
        : {
            met: false,
            reason: `waiting for trigger fulfilled: fulfillment_status ${facts.fulfillmentStatus ?? 'unfulfilled'}`,
          };
  }
}

/**
 * @description What to do with an event of an order the ERP does not have yet:
 * - `write` — write it (an operator released its hold, or its trigger is met and no risk check applies);
 * - `check-risk` — its trigger is met; read Shopify's risk assessment first (the shop holds high-risk orders);
 * - `wait` — its trigger is not met yet: not written, a later event that meets it is;
 * - `skip-cancelled` — cancelled before it met a `paid` or `fulfilled` trigger: it never goes to the ERP;
 * - `keep-held` — it is held: not written, its kept payload is brought up to date;
 * - `hold-cancelled` — an operator cancelled its hold: it stays out of the ERP.
 */
export type FirstWriteDecision =
  | { action: 'write' }
  | { action: 'check-risk' }
  | { action: 'wait'; reason: string }
  | { action: 'skip-cancelled'; reason: string }
  | { action: 'keep-held' }
  | { action: 'hold-cancelled' };

/**
 * Decides the first ERP write of an order (nothing applied yet). An operator's decision on a hold comes first: a
 * released order is written as if its trigger had just fired (release means "send it"), a cancelled one never is.
 * Then the trigger; then, if the shop holds high-risk orders, the risk check.
 */
export function decideFirstWrite(input: {
  trigger: OrderTrigger;
  holdHighRiskOrders: boolean;
  hold: OrderHoldStatus | null;
  facts: OrderReleaseFacts;
}): FirstWriteDecision {
  switch (input.hold) {
    case 'held':
      return { action: 'keep-held' };
    case 'cancelled':
      return { action: 'hold-cancelled' };
    case 'released':
      return { action: 'write' };
    case null:
      break;
  }
  const trigger = decideOrderTrigger(input.trigger, input.facts);
  if (!trigger.met) {
    return input.facts.cancelled
      ? { action: 'skip-cancelled', reason: `cancelled before trigger ${input.trigger}: never written to the ERP` }
      : { action: 'wait', reason: trigger.reason };
  }
  return input.holdHighRiskOrders ? { action: 'check-risk' } : { action: 'write' };
}

/** The facts of a REST-shaped order payload (`financial_status`, `fulfillment_status`, `cancelled_at`). */
export function orderReleaseFactsOf(payload: unknown): OrderReleaseFacts {
  const order = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return {
    financialStatus: text(order.financial_status),
    fulfillmentStatus: text(order.fulfillment_status),
    cancelled: text(order.cancelled_at) !== null,
  };
}
