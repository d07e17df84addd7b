import { normaliseDecimal } from 'src/modules/products/domain/plan-product-sync';
import type { PushedFields } from 'src/modules/products/domain/product-sync.types';

/** @description The fields of a `products/update` webhook variant this check reads (Shopify's REST-style body). */
export interface ProductWebhookVariant {
  id?: number | string;
  admin_graphql_api_id?: string;
  sku?: string | null;
  price?: string | number | null;
  barcode?: string | null;
}

export interface FieldDrift {
  field: 'sku' | 'price' | 'barcode';
  shopify: string | null;
  pushed: string | null;
}

/** `gid://shopify/ProductVariant/…` of a webhook variant (REST numeric id or GID). */
export function variantGidOf(variant: ProductWebhookVariant): string | undefined {
  if (typeof variant.admin_graphql_api_id === 'string') {
    return variant.admin_graphql_api_id;
  }
  return variant.id === undefined ? undefined : `gid://shopify/ProductVariant/${String(variant.id)}`;
}

/**
 * Compares the ERP-owned fields a `products/update` webhook carries (SKU, price, barcode; cost is on the inventory
 * item and not in this payload) with what the sync last pushed. No difference: our own write coming back (or a
 * change of Shopify-owned fields only) — nothing to do. A difference: a Shopify-side change of an ERP-owned field,
 * i.e. drift; it is never written to the ERP.
 */
export function driftOf(variant: ProductWebhookVariant, pushed: PushedFields): FieldDrift[] {
  const shopify = {
    sku: variant.sku === undefined ? pushed.sku : (variant.sku ?? null),
    price: variant.price === undefined ? pushed.price : normaliseDecimal(variant.price),
    barcode: variant.barcode === undefined ? pushed.barcode : variant.barcode === '' ? null : (variant.barcode ?? null),
  };
  const drift: FieldDrift[] = [];
  for (const field of ['sku', 'price', 'barcode'] as const) {
    const a = shopify[field] ?? null;
    const b = pushed[field] ?? null;
    // A price the ERP never set is Shopify's to choose.
    if (field === 'price' && b === null) {
      continue;
    }
    if (a !== b) {
      drift.push({ field, shopify: a, pushed: b });
    }
  }
  return drift;
}
