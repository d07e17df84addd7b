/** Business Central online API root; `BC_API_BASE_URL` replaces it (e.g. with a simulator's `http://host:port/v2.0`). */
export const BUSINESS_CENTRAL_DEFAULT_API_BASE_URL = 'https://api.businesscentral.dynamics.com/v2.0';

/** Microsoft Entra token endpoint for the client-credentials grant; `{tenantId}` is filled in. */
export const BUSINESS_CENTRAL_DEFAULT_TOKEN_URL = 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token';

/** The scope of a service-to-service token for Business Central online (api-facts §C). */
export const BUSINESS_CENTRAL_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

/**
 * Business Central online processes 5 requests at once per user (service principal) and accepts 6,000 requests per
 * 5-minute sliding window, i.e. 20 per second on average (api-facts §C, "operational limits"). It queues up to 95
 * more before answering 429; we stay at the processing limit so that nothing waits in BC's queue while our own
 * timeout runs.
 */
export const BUSINESS_CENTRAL_DEFAULT_LIMITS: { maxConcurrency: number; maxRps?: number } = {
  maxConcurrency: 5,
  maxRps: 20,
};

/** Server-driven paging: Business Central online pages at 20,000 entities at most, whatever the client prefers. */
export const BUSINESS_CENTRAL_MAX_PAGE_SIZE = 20_000;

/** BC sends Retry-After with 429 only sometimes (unconfirmed); without it we wait this long. */
export const BUSINESS_CENTRAL_THROTTLE_RETRY_AFTER_MS = 1_000;

/** `externalDocumentNumber` is Code[35]. */
export const BUSINESS_CENTRAL_EXTERNAL_DOCUMENT_NUMBER_MAX = 35;

/** Item `No.` is Code[20]: a longer SKU cannot be an item number (BC would answer a filter error). */
export const BUSINESS_CENTRAL_ITEM_NUMBER_MAX = 20;

/**
 * E-mail look-ups of the customers of the orders in flight share one `GET customers?$filter=email eq 'a' or email eq
 * 'b' …` (an `or` of one field is what BC OData accepts; an `or` across fields is refused). At most this many e-mails
 * per request.
 */
export const BC_EMAIL_LOOKUP_BATCH_SIZE = 20;

/**
 * The longest `$filter` value (percent-encoded) one request carries. Business Central documents no URL limit; IIS's
 * default for a query string is 2,048 characters, so a look-up whose filter would be longer is split into several
 * requests below it (unconfirmed for BC online, which may allow more).
 */
export const BC_FILTER_MAX_ENCODED_CHARS = 1_500;

/** Sales line `Description` is Text[100]. */
export const BUSINESS_CENTRAL_DESCRIPTION_MAX = 100;

/** Webhook subscriptions expire after three days; renew those that expire within this window. */
export const BUSINESS_CENTRAL_SUBSCRIPTION_RENEW_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Comment lines the connector keeps on a sales order. Business Central API v2.0 has no free header field, so the
 * Shopify state the middleware needs to find again travels as `Comment` lines whose description starts with these
 * prefixes. Only lines with these prefixes are ever changed or deleted; other comments are left alone.
 */
export const BC_COMMENT_PREFIX = {
  /** `Shopify order #1001`: the customer-facing reference, for people searching in BC. */
  reference: 'Shopify order ',
  /** `Shopify updated_at 2026-10-01T12:00:00Z`: the Shopify state written (staleness watermark). */
  updatedAt: 'Shopify updated_at ',
  /** `Shopify cancelled: <reason>`: present iff the order was cancelled in Shopify (all quantities are then 0). */
  cancelled: 'Shopify cancelled',
  /**
   * `Customer PO 4500012345`: a B2B order's purchase order number. API v2.0 `salesOrders` has no field for it
   * (`externalDocumentNumber` is our key; `customerPurchaseOrderReference` exists on `salesInvoices` only).
   */
  purchaseOrder: 'Customer PO ',
} as const;

/** Prefix of a customer payment's `externalDocumentNumber`: `TX-<Shopify transaction id>`. */
export const BC_PAYMENT_DOCUMENT_PREFIX = 'TX-';

/**
 * The customer payment journal (`customerPaymentJournals` code) a tender goes to when ERP_PAYMENT_METHOD_MAP names
 * none for its gateway: BC's usual cash receipt batch.
 */
export const BC_DEFAULT_PAYMENT_JOURNAL = 'GENERAL';

/** Prefix of a credit memo's `externalDocumentNumber`: `SR-<Shopify refund id>`. */
export const BC_REFUND_DOCUMENT_PREFIX = 'SR-';
/** `externalDocumentNumber` prefix of the draft credit memo that records a Shopify return: `RMA-<return id>`. */
export const BC_RETURN_DOCUMENT_PREFIX = 'RMA-';

/** Tracking number field read from sales shipments when present (an extension field; standard v2.0 has none). */
export const BC_DEFAULT_TRACKING_NUMBER_FIELD = 'packageTrackingNo';

/** Carrier field read from sales shipments when present (an extension field; standard v2.0 has none). */
export const BC_DEFAULT_CARRIER_FIELD = 'shippingAgentCode';

/** Location id reported for `items.inventory`, which sums every location. */
export const BC_DEFAULT_INVENTORY_LOCATION_CODE = 'ALL';

/** Separates an item number from a variant code in a variant's SKU (`TEE-RED`). */
export const BC_DEFAULT_VARIANT_SKU_SEPARATOR = '-';

/** Separates the item id from the variant id in the ERP id of an item variant (`<itemId>:<variantId>`). */
export const BC_VARIANT_ID_SEPARATOR = ':';
