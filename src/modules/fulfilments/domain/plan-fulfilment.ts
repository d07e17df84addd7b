import { FulfilmentError, FulfilmentErrorCode } from 'src/modules/fulfilments/domain/fulfilment.errors';
import type {
  ExistingFulfilment,
  FulfillmentOrderView,
  FulfilmentGroup,
  FulfilmentPlan,
  FulfilmentTrackingInput,
  ShipmentToFulfil,
} from 'src/modules/fulfilments/domain/fulfilment.types';
import { resolveTrackingCompany, type TrackingCompanyMap } from 'src/modules/fulfilments/domain/tracking-company';

/** Fulfilment orders `fulfillmentCreate` accepts line items of. */
const FULFILLABLE = new Set(['OPEN', 'IN_PROGRESS']);
/** Fulfilment orders Shopify will make fulfillable by itself later (a hold released, a scheduled date reached). */
const LATER = new Set(['ON_HOLD', 'SCHEDULED']);
/** Shopify's limit of fulfilment-order line items per `fulfillmentCreate` (api-facts §A.3). */
export const MAX_LINE_ITEMS_PER_CALL = 512;

/**
 * Plans the `fulfillmentCreate` calls of one ERP shipment against the order's fulfilment orders: only the shipped
 * quantities (a partial shipment leaves the rest open; a later shipment of the same order fulfils from what remains),
 * fulfilment orders at different locations in separate calls (Shopify requires one location per call), and the
 * fewest locations possible (fulfilment orders that can take more of the shipment are used first).
 *
 * @throws FulfilmentError InvalidShipment, UnknownSku, OverShipped (permanent) or NotFulfillableYet (transient).
 */
export function planFulfilment(shipment: ShipmentToFulfil, orders: readonly FulfillmentOrderView[]): FulfilmentPlan {
  const wanted = shippedQuantities(shipment);
  const fulfillable = orders.filter((fo) => FULFILLABLE.has(fo.status));
  const remaining = new Map<string, number>();
  for (const fo of fulfillable) {
    for (const line of fo.lineItems) {
      remaining.set(line.id, Math.max(0, line.remainingQuantity));
    }
  }

  for (const [sku, quantity] of wanted) {
    const onOrder = orders.some((fo) => fo.lineItems.some((line) => normaliseSku(line.sku) === sku));
    if (!onOrder) {
      throw new FulfilmentError(
        FulfilmentErrorCode.UnknownSku,
        `shipment ${shipment.erpShipmentId}: SKU ${sku} is not on Shopify order ${shipment.orderExternalId}`,
      );
    }
    const open = sumRemaining(fulfillable, sku);
    if (open < quantity) {
      const later = sumRemaining(
        orders.filter((fo) => LATER.has(fo.status)),
        sku,
      );
      if (open + later >= quantity) {
        throw new FulfilmentError(
          FulfilmentErrorCode.NotFulfillableYet,
          `shipment ${shipment.erpShipmentId}: ${quantity - open} of SKU ${sku} are on fulfilment orders that are on hold or scheduled`,
        );
      }
      throw new FulfilmentError(
        FulfilmentErrorCode.OverShipped,
        `shipment ${shipment.erpShipmentId}: ships ${quantity} of SKU ${sku}, Shopify order ${shipment.orderExternalId} has ${open} left to fulfil`,
      );
    }
  }

  // Fulfilment orders that can take the largest share of the shipment first, so a shipment from one warehouse
  // lands on that warehouse's fulfilment order; ties keep Shopify's order.
  const coverage = (fo: FulfillmentOrderView): number =>
    [...wanted].reduce((sum, [sku, quantity]) => sum + Math.min(quantity, sumRemaining([fo], sku)), 0);
  const ranked = fulfillable
    .map((fo, index) => ({ fo, index, coverage: coverage(fo) }))
    .sort((a, b) => b.coverage - a.coverage || a.index - b.index)
    .map((entry) => entry.fo);

  const groups = new Map<string, FulfilmentGroup>();
  for (const [sku, quantity] of wanted) {
    let left = quantity;
    for (const fo of ranked) {
      for (const line of fo.lineItems) {
        if (left === 0) {
          break;
        }
        const available = remaining.get(line.id) ?? 0;
        if (normaliseSku(line.sku) !== sku || available === 0) {
          continue;
        }
        const take = Math.min(left, available);
        remaining.set(line.id, available - take);
        left -= take;
        addToGroup(groups, fo, line, sku, take);
      }
    }
  }
  for (const group of groups.values()) {
    const count = group.lineItemsByFulfillmentOrder.reduce((n, fo) => n + fo.fulfillmentOrderLineItems.length, 0);
    if (count > MAX_LINE_ITEMS_PER_CALL) {
      throw new FulfilmentError(
        FulfilmentErrorCode.InvalidShipment,
        `shipment ${shipment.erpShipmentId}: ${count} fulfilment-order line items at one location (Shopify takes ${MAX_LINE_ITEMS_PER_CALL} per call)`,
      );
    }
  }
  return { groups: [...groups.values()] };
}

/**
 * The tracking input of a shipment: one number as `number`, several as `numbers`; the carrier as the Shopify tracking
 * company it maps to (`resolveTrackingCompany`: configured names, the built-in table, else the ERP's name as given),
 * and the feed's tracking URL when it has one.
 */
export function trackingInputOf(
  shipment: Pick<ShipmentToFulfil, 'trackingNumbers' | 'carrier' | 'trackingUrl'>,
  companies: TrackingCompanyMap = {},
): FulfilmentTrackingInput {
  const numbers = uniqueTrackingNumbers(shipment);
  const { company } = resolveTrackingCompany(shipment.carrier, companies);
  return {
    ...(company !== undefined ? { company } : {}),
    ...(numbers.length === 1 ? { number: numbers[0] } : numbers.length > 1 ? { numbers } : {}),
    ...(shipment.trackingUrl ? { url: shipment.trackingUrl } : {}),
  };
}

/**
 * Whether two tracking inputs say the same: company, URL and the set of numbers (`number` and `numbers` alike).
 */
export function sameTracking(a: FulfilmentTrackingInput, b: FulfilmentTrackingInput): boolean {
  const numbers = (t: FulfilmentTrackingInput): string[] => [
    ...(t.number === undefined ? [] : [t.number]),
    ...(t.numbers ?? []),
  ];
  return (
    (a.company ?? null) === (b.company ?? null) &&
    (a.url ?? null) === (b.url ?? null) &&
    sameSet(numbers(a), numbers(b))
  );
}

/**
 * Finds the fulfilment a create of `group` made, among the order's fulfilments, after an unknown outcome (a crash or
 * a lost response). With tracking numbers: a fulfilment at the group's location carrying exactly the shipment's
 * numbers. Without: one at that location with exactly the group's line items and quantities, created after the
 * attempt began (less a clock-skew margin). Fulfilments other shipments already claimed are ignored.
 */
export function findOurFulfilment(
  shipment: ShipmentToFulfil,
  group: FulfilmentGroup,
  existing: readonly ExistingFulfilment[],
  options: { pendingAt: Date; claimed: ReadonlySet<string>; skewMs?: number },
): ExistingFulfilment | undefined {
  const numbers = uniqueTrackingNumbers(shipment);
  const since = options.pendingAt.getTime() - (options.skewMs ?? 120_000);
  return existing.find((fulfilment) => {
    if (options.claimed.has(fulfilment.id) || fulfilment.status === 'CANCELLED' || fulfilment.status === 'ERROR') {
      return false;
    }
    if (!group.locationKey.startsWith('name:') && fulfilment.locationId !== group.locationKey) {
      return false;
    }
    if (numbers.length > 0) {
      return sameSet(numbers, fulfilment.trackingNumbers);
    }
    return (
      Date.parse(fulfilment.createdAt) >= since &&
      sameQuantities(
        group.lineItems.map((line) => ({ lineItemId: line.lineItemId, quantity: line.quantity })),
        fulfilment.lineItems,
      )
    );
  });
}

function shippedQuantities(shipment: ShipmentToFulfil): Map<string, number> {
  if (shipment.lines.length === 0) {
    throw new FulfilmentError(FulfilmentErrorCode.InvalidShipment, `shipment ${shipment.erpShipmentId} has no lines`);
  }
  const wanted = new Map<string, number>();
  shipment.lines.forEach((line, index) => {
    const sku = normaliseSku(line.sku);
    if (sku === null) {
      throw new FulfilmentError(
        FulfilmentErrorCode.InvalidShipment,
        `shipment ${shipment.erpShipmentId}: line ${index} has no SKU`,
      );
    }
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw new FulfilmentError(
        FulfilmentErrorCode.InvalidShipment,
        `shipment ${shipment.erpShipmentId}: line ${index} (${sku}) has quantity ${String(line.quantity)}, expected a whole number ≥ 1`,
      );
    }
    wanted.set(sku, (wanted.get(sku) ?? 0) + line.quantity);
  });
  return wanted;
}

function addToGroup(
  groups: Map<string, FulfilmentGroup>,
  fo: FulfillmentOrderView,
  line: FulfillmentOrderView['lineItems'][number],
  sku: string,
  quantity: number,
): void {
  const locationKey = fo.locationId ?? `name:${fo.locationName}`;
  let group = groups.get(locationKey);
  if (group === undefined) {
    group = { locationKey, lineItemsByFulfillmentOrder: [], lineItems: [] };
    groups.set(locationKey, group);
  }
  let entry = group.lineItemsByFulfillmentOrder.find((e) => e.fulfillmentOrderId === fo.id);
  if (entry === undefined) {
    entry = { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [] };
    group.lineItemsByFulfillmentOrder.push(entry);
  }
  entry.fulfillmentOrderLineItems.push({ id: line.id, quantity });
  const known = group.lineItems.find((l) => l.lineItemId === line.lineItemId);
  if (known) {
    known.quantity += quantity;
  } else {
    group.lineItems.push({ lineItemId: line.lineItemId, sku, quantity });
  }
}

function sumRemaining(orders: readonly FulfillmentOrderView[], sku: string): number {
  return orders.reduce(
    (sum, fo) =>
      sum +
      fo.lineItems
        .filter((line) => normaliseSku(line.sku) === sku)
        .reduce((n, line) => n + Math.max(0, line.remainingQuantity), 0),
    0,
  );
}

/** SKUs compare trimmed and case-sensitively (Shopify keeps SKUs as typed; ERPs may pad them). */
function normaliseSku(sku: string | null | undefined): string | null {
  const trimmed = sku?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function uniqueTrackingNumbers(shipment: Pick<ShipmentToFulfil, 'trackingNumbers'>): string[] {
  return [...new Set(shipment.trackingNumbers.map((n) => n.trim()).filter((n) => n !== ''))];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b.map((n) => n.trim()));
  return left.size === right.size && [...left].every((n) => right.has(n));
}

function sameQuantities(
  a: ReadonlyArray<{ lineItemId: string; quantity: number }>,
  b: ReadonlyArray<{ lineItemId: string; quantity: number }>,
): boolean {
  const total = (lines: ReadonlyArray<{ lineItemId: string; quantity: number }>): Map<string, number> => {
    const map = new Map<string, number>();
    for (const line of lines) {
      map.set(line.lineItemId, (map.get(line.lineItemId) ?? 0) + line.quantity);
    }
    return map;
  };
  const left = total(a);
  const right = total(b);
  return left.size === right.size && [...left].every(([id, quantity]) => right.get(id) === quantity);
}
