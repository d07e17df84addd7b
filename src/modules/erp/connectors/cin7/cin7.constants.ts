/** Cin7 Core API v2 root (the docs write both `externalapi` and `ExternalApi`; paths are case-insensitive). */
export const CIN7_DEFAULT_BASE_URL = 'https://inventory.dearsystems.com/ExternalApi/v2';

/**
 * Cin7 Core allows 60 calls per minute per API application (api-facts §D) and documents no concurrency limit.
 * One request per second keeps a steady flow inside the minute budget; two in flight hide the round-trip latency
 * without bursting. An account on a higher plan (or with a dedicated API application) raises ERP_MAX_RPS /
 * ERP_MAX_CONCURRENCY.
 */
export const CIN7_DEFAULT_LIMITS: { maxConcurrency: number; maxRps?: number } = { maxConcurrency: 2, maxRps: 1 };

/** Cin7's documented page size limit. */
export const CIN7_MAX_PAGE_SIZE = 1000;

/**
 * Cin7 sends no Retry-After with its rate-limit answer. Its budget is 60 calls per rolling minute; 5 s is a twelfth
 * of that window: short enough not to idle long once budget frees, long enough that the re-sent requests (each is a
 * call, and may itself be refused) do not hammer the limit.
 */
export const CIN7_THROTTLE_RETRY_AFTER_MS = 5_000;

/** Marker in a sale order's Memo carrying Shopify's `updated_at` of the state written. */
export const CIN7_UPDATED_AT_MARKER = 'shopify-updated-at';

/** Marker in a credit note's Memo carrying the Shopify refund id: the key of the idempotent create. */
export const CIN7_REFUND_MARKER = 'shopify-refund';
/** Memo token of the DRAFT credit note that records a Shopify return: `[shopify-return:<return id>]`. */
export const CIN7_RETURN_MARKER = 'shopify-return';
