import type { ProductCreateInput, VariantBulkInput } from 'src/modules/products/domain/plan-product-sync';
import { shopifyDocument, type ShopifyUserError } from 'src/modules/shopify';

/** The ids the sync writes back into erp_item_xref, per variant. */
export interface SyncedVariantIds {
  id: string;
  sku: string | null;
  inventoryItem: { id: string };
}

/**
 * Creates a product (no identifier: `productSet` is a create). Never used on an existing product: its list fields
 * (variants, files, metafields…) are replace-all (api-facts A.3).
 */
export const PRODUCT_CREATE = shopifyDocument<
  {
    productSet: {
      product: { id: string; variants: { nodes: SyncedVariantIds[] } } | null;
      userErrors: ShopifyUserError[];
    } | null;
  },
  { input: ProductCreateInput }
>(
  'ProductSyncCreate',
  `mutation ProductSyncCreate($input: ProductSetInput!) {
  productSet(input: $input, synchronous: true) {
    product { id variants(first: 100) { nodes { id sku inventoryItem { id } } } }
    userErrors { field message code }
  }
}`,
);

/** Changes ERP-owned variant fields only (price, barcode, inventoryItem.cost / sku); nothing else is touched. */
export const VARIANTS_UPDATE = shopifyDocument<
  {
    productVariantsBulkUpdate: {
      productVariants: SyncedVariantIds[] | null;
      userErrors: ShopifyUserError[];
    } | null;
  },
  { productId: string; variants: VariantBulkInput[] }
>(
  'ProductSyncUpdateVariants',
  `mutation ProductSyncUpdateVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id sku inventoryItem { id } }
    userErrors { field message code }
  }
}`,
);

/** Adds the SKUs the ERP added to a group as variants of its existing product. */
export const VARIANTS_CREATE = shopifyDocument<
  {
    productVariantsBulkCreate: {
      productVariants: SyncedVariantIds[] | null;
      userErrors: ShopifyUserError[];
    } | null;
  },
  { productId: string; variants: VariantBulkInput[] }
>(
  'ProductSyncCreateVariants',
  `mutation ProductSyncCreateVariants($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $productId, variants: $variants) {
    productVariants { id sku inventoryItem { id } }
    userErrors { field message code }
  }
}`,
);

/** Variants Shopify already has for some SKUs (adopting existing products; recovering a create whose answer was lost). */
export const VARIANTS_BY_SKU = shopifyDocument<
  { productVariants: { nodes: (SyncedVariantIds & { product: { id: string } })[] } },
  { query: string }
>(
  'ProductSyncVariantsBySku',
  `query ProductSyncVariantsBySku($query: String!) {
  productVariants(first: 100, query: $query) { nodes { id sku product { id } inventoryItem { id } } }
}`,
);
