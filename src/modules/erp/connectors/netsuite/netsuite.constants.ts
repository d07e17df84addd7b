/**
 * NetSuite's default limits for an account of the Standard (formerly Shared) service tier: 5 concurrent requests,
 * shared by SOAP, REST web services and RESTlets. Each SuiteCloud Plus licence adds 10 (Premium 15, Enterprise and
 * Ultimate 20 before licences). NetSuite documents no per-minute rate for REST web services, hence no `maxRps`.
 * See docs/connectors/netsuite.md ("Limits assumed").
 */
export const NETSUITE_DEFAULT_LIMITS: { maxConcurrency: number; maxRps?: number } = { maxConcurrency: 5 };

export const NETSUITE_RECORD_PATH = '/services/rest/record/v1';
export const NETSUITE_SUITEQL_PATH = '/services/rest/query/v1/suiteql';
export const NETSUITE_TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

/** SuiteQL answers at most 1,000 rows per page (`limit`). */
export const NETSUITE_SUITEQL_MAX_LIMIT = 1_000;
/**
 * E-mails one customer look-up asks for (one SuiteQL `IN` list): the look-ups of the orders in flight go out
 * together (LookupBatcher), well below Oracle's 1,000 expressions per list and with a query of at most ~26 KB.
 */
export const NETSUITE_EMAIL_LOOKUP_BATCH = 100;
/** SuiteQL serves at most 100,000 rows of one query through limit/offset paging. */
export const NETSUITE_SUITEQL_MAX_ROWS = 100_000;

/** Custom body field (Transaction Body Field, type Date/Time or Free-Form Text) that keeps Shopify's `updated_at`. */
export const NETSUITE_DEFAULT_SOURCE_UPDATED_AT_FIELD = 'custbody_shopify_updated_at';

/** NetSuite's Base Price price level. */
export const NETSUITE_BASE_PRICE_LEVEL_ID = '1';

/** Pushes older (or further in the future) than this are refused. */
export const NETSUITE_PUSH_MAX_AGE_MS = 5 * 60 * 1_000;

/** An OAuth 2.0 access token is renewed when it has less than this left (NetSuite issues 60-minute tokens). */
export const NETSUITE_TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1_000;

/** Lifetime of the signed client assertion; NetSuite accepts at most 60 minutes. */
export const NETSUITE_ASSERTION_TTL_SECONDS = 300;
