/** @description What the product sync needs from the configuration. */
export interface ProductSyncSettings {
  connector: string;
  shop: string;
  /** Product groups written to Shopify at once (each is 1–2 requests; the shared cost bucket paces them). */
  concurrency: number;
}

export const PRODUCT_SYNC_SETTINGS = Symbol('PRODUCT_SYNC_SETTINGS');
