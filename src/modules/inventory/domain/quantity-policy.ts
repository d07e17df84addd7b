/**
 * @description How the quantity written to Shopify's `available` is derived from the ERP's stock, per shop.
 * - `erp-available`: Shopify `available` := ERP `available` (on hand minus everything the ERP has committed, which
 *   includes the Shopify orders already synced to it). Shopify's own `committed` is not subtracted again.
 * - `on-hand-minus-shopify-committed`: Shopify `available` := ERP `on_hand` minus Shopify's own `committed` (its
 *   unfulfilled orders), read from Shopify just before the write. The ERP's `committed` is ignored, because it holds
 *   the same Shopify orders once they have synced: subtracting both would count each reserved unit twice.
 */
export enum QuantityPolicyMode {
  ErpAvailable = 'erp-available',
  OnHandMinusShopifyCommitted = 'on-hand-minus-shopify-committed',
}

export const QUANTITY_POLICY_MODES: readonly QuantityPolicyMode[] = Object.values(QuantityPolicyMode);

/** @description One ERP stock level (erp_inventory_level), in units. */
export interface ErpStock {
  onHand: number;
  available: number;
  committed: number | null;
}

/** @description What to write to Shopify's `available` for one level, or why nothing is written. */
export type QuantityDecision = { push: true; quantity: number } | { push: false; reason: string };

export interface QuantityContext {
  /** Products whose stock comes from their components: Shopify derives it, we never push it. */
  isBundle: boolean;
  /** Shopify's current `committed` at the level; required by `on-hand-minus-shopify-committed`. */
  shopifyCommitted?: number;
}

/** Whether the mode needs Shopify's current `committed` before computing the quantity. */
export function needsShopifyCommitted(mode: QuantityPolicyMode): boolean {
  return mode === QuantityPolicyMode.OnHandMinusShopifyCommitted;
}

/**
 * The quantity that lands in Shopify's `available`. ERP quantities may be fractional (numeric columns) or negative
 * (oversold); Shopify counts whole units, so the result is floored (a part unit cannot be sold) and never below 0.
 */
export function shopifyAvailableFor(
  mode: QuantityPolicyMode,
  erp: ErpStock,
  context: QuantityContext,
): QuantityDecision {
  if (context.isBundle) {
    return { push: false, reason: 'bundle: its stock comes from its components' };
  }
  switch (mode) {
    case QuantityPolicyMode.ErpAvailable:
      return { push: true, quantity: wholeUnits(erp.available) };
    case QuantityPolicyMode.OnHandMinusShopifyCommitted:
      if (context.shopifyCommitted === undefined) {
        throw new Error('on-hand-minus-shopify-committed needs Shopify committed quantity');
      }
      return { push: true, quantity: wholeUnits(erp.onHand - context.shopifyCommitted) };
  }
}

function wholeUnits(value: number): number {
  if (!Number.isFinite(value)) {
    throw new Error(`not a quantity: ${value}`);
  }
  return Math.max(0, Math.floor(value + 1e-9));
}
