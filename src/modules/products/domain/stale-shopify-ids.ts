/**
 * `userErrors` codes with which Shopify refuses a product write because an id we hold no longer names what it did:
 * the product was deleted (perhaps re-created with new ids for the same SKUs), a variant was deleted, or a variant we
 * hold belongs to another product than the one we hold (ProductVariantsBulkUpdateUserErrorCode,
 * ProductVariantsBulkCreateUserErrorCode, Admin API 2026-10).
 */
export const STALE_SHOPIFY_ID_CODES: ReadonlySet<string> = new Set([
  'PRODUCT_DOES_NOT_EXIST',
  'PRODUCT_VARIANT_DOES_NOT_EXIST',
  'MUST_BE_FOR_THIS_PRODUCT',
]);

/**
 * @description Whether a write's user errors say that the Shopify ids cached for the group are stale: then they are
 * forgotten, the SKUs are looked up again and the write is made once more, instead of failing for good.
 */
export function refusesStaleShopifyIds(userErrors: ReadonlyArray<{ code?: string | null }>): boolean {
  return userErrors.some(
    (error) => error.code !== null && error.code !== undefined && STALE_SHOPIFY_ID_CODES.has(error.code),
  );
}
