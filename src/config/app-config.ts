import type { AllInOnePart } from 'src/app-role';
import type { APP_ROLES, ERP_CONNECTORS, LOG_LEVELS } from 'src/config/env.schema';
import type { CIN7_DOCUMENT_STATUSES, NETSUITE_JWT_ALGORITHMS } from 'src/config/erp-connector-settings.schema';
import type { LocationMapEntry } from 'src/config/location-map.parser';

export type AppRoleName = (typeof APP_ROLES)[number];
export type ErpConnectorName = (typeof ERP_CONNECTORS)[number];

/** Typed, nested configuration built once from the validated environment. */
export interface AppConfig {
  role: AppRoleName;
  /**
   * Which process of APP_ROLE=all this is (`AllInOnePart`): set by main.ts, never read from the environment. Unset,
   * the process runs every capability of its role.
   */
  part?: AllInOnePart;
  /** ERP_PROCESS: where APP_ROLE=all runs the ERP writers and schedules, a child process or its own event loop. */
  erpProcess: 'child' | 'inline';
  /** ERP_PROCESS_NICE: the nice value APP_ROLE=all gives its ERP child process. */
  erpProcessNice: number;
  /** ERP_YIELD_TO_BURST_MS: see BurstYield. */
  erpYieldToBurstMs: number;
  /** NODE_ENV=production: introspection off, terse errors. */
  production: boolean;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  database: {
    url: string;
    /** DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL's statement_timeout for the app's statements (0 = none). */
    statementTimeoutMs: number;
    /** DATABASE_CONNECT_TIMEOUT_MS: the longest wait for a pooled connection. */
    connectTimeoutMs: number;
  };
  rabbitmq: { url: string };
  redis: {
    url: string;
    /** REDIS_COMMAND_TIMEOUT_MS: every non-blocking command of the app's clients. */
    commandTimeoutMs: number;
  };
  /** The HTTP server's timeouts for slow clients (HTTP_*_MS; see HttpServerTimeouts). */
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    timeoutCheckIntervalMs: number;
    /** HTTP_ACCEPT_LANES: see src/common/http/accept-lanes.ts. */
    acceptLanes: number;
  };
  shopify: {
    shopDomain: string;
    /** Current secret first, then the previous one during a rotation window. */
    webhookSecrets: string[];
    adminAccessToken?: string;
    apiVersion: string;
    adminApiUrl: string;
    maxWebhookBodyBytes: number;
    /** WEBHOOK_PUBLISH_LINGER_MS: see LingeringPublisher. */
    publishLingerMs: number;
    /** WEBHOOK_MAX_IN_FLIGHT: webhook bodies held at once; past it 503 with Retry-After. */
    maxWebhooksInFlight: number;
    /** WEBHOOK_WARM_UP_REQUESTS: see IngestWarmUp; 0 = none. */
    warmUpRequests: number;
    /** SHOPIFY_TRACKING_COMPANY_MAP: ERP carrier names → Shopify tracking company names, before the built-in table. */
    trackingCompanyMap: Record<string, string>;
    /** SHOPIFY_TRACKING_UPDATE_NOTIFY_CUSTOMER: notifyCustomer of fulfillmentTrackingInfoUpdate. */
    trackingUpdateNotifyCustomer: boolean;
    /** SHOPIFY_ERP_DOCUMENT_TAG_PREFIX: the order tag carrying the ERP document number is this + the number. */
    erpDocumentTagPrefix: string;
    /** ORDER_TRIGGER: the bootstrap shop's order trigger while none is stored for it. */
    orderTrigger: 'created' | 'paid' | 'fulfilled';
    /** HOLD_HIGH_RISK_ORDERS: the bootstrap shop's high-risk hold while none is stored for it. */
    holdHighRiskOrders: boolean;
  };
  erp: ErpConfig;
  orders: {
    /**
     * ERP_PAYMENT_METHOD_MAP (default `{"gift_card":""}`): the Shopify gateways whose tenders are recorded as ERP
     * payments, each with the ERP's payment method ('' = the ERP's default).
     */
    paymentMethodMap: Readonly<Record<string, string>>;
  };
  /**
   * Shopify Payments payouts → ERP bank deposits (PAYOUTS_ERP_*, docs/payouts.md); undefined = payouts off. Account
   * ids as the ERP knows them.
   */
  payouts?: {
    bankAccount: string;
    clearingAccount: string;
    feeAccount: string;
    adjustmentAccount: string;
    disputeAccount: string;
  };
  inventory: {
    /** Bootstrap of the ERP → Shopify location mapping (kept in PostgreSQL). */
    locationMap: LocationMapEntry[];
    quantityPolicy: 'erp-available' | 'on-hand-minus-shopify-committed';
    bundleSkus: string[];
    /** `HH:MM-HH:MM`, local to `shopTimeZone`. */
    reconcileWindow: string;
    shopTimeZone: string;
    writeConcurrency: number;
  };
  admin: { apiKeys: string[] };
  /** GET /metrics: on its own port (METRICS_PORT) and/or behind a bearer key (METRICS_API_KEY); unset = open on PORT. */
  metrics: { port?: number; apiKey?: string };
  /**
   * SECRETS_ENCRYPTION_KEY(_PREVIOUS), decoded: the AES-256-GCM keys of the secrets stored in PostgreSQL. `previous`
   * only decrypts (during a rotation). Unset, no secret can be stored (the env-bootstrapped shop needs none stored).
   */
  secrets: { encryptionKey?: Buffer; previousEncryptionKey?: Buffer };
  /** Alert rules and their channels (ALERT_*): the signed webhook and e-mail; neither set = alerts are not sent. */
  alerts: {
    webhook?: { url: string; secret: string };
    deadLetters: { threshold: number; windowMs: number };
    erpCircuitOpenMs: number;
    /** ALERT_ORDER_LAG_MINUTES: orders reaching the ERP later than this after their webhook. */
    orderLagMs: number;
    /** ALERT_ERP_FEED_LAG_MINUTES: an ERP change stream without a successful read for this long. */
    erpFeedLagMs: number;
    /** ALERT_RECONCILIATION_WINDOW_MINUTES: reconciliation gaps found within this window. */
    reconciliationWindowMs: number;
    checkIntervalMs: number;
    /** E-mail through SMTP (ALERT_SMTP_URL, ALERT_EMAIL_FROM, ALERT_EMAIL_TO); undefined = no e-mail. */
    email?: { smtpUrl: string; from: string; to: string[] };
  };
  /** SIGTERM handling (`exitGracefullyOnSignals`, src/common/lifecycle/). */
  shutdown: {
    /** SHUTDOWN_GRACE_MS: from the signal to the cut of in-flight message handlers. */
    graceMs: number;
    /** SHUTDOWN_READINESS_DELAY_MS: readiness failed before the listener closes (processes that serve webhooks). */
    readinessDelayMs: number;
  };
}

/**
 * @description The ERP settings. The selected connector's own section sits beside `connector` and only there: a
 * connector's variables are validated only when it is selected, so the other sections do not exist (and the
 * compiler, narrowing on `connector`, never lets code read one).
 */
export type ErpConfig = ErpCommonConfig & ErpVendorConfig;

/** @description ERP settings every connector shares. */
export interface ErpCommonConfig {
  /** Hard cap on concurrent ERP requests across all workers; undefined = the connector's vendor default. */
  maxConcurrency?: number;
  /** Hard cap on ERP requests per second across all workers; undefined = none. */
  maxRps?: number;
  requestTimeoutMs: number;
  /** ERP_PROBE_INTERVAL_SECONDS in ms: one test call per interval while the ERP is down or refuses our settings. */
  probeIntervalMs: number;
  /** ERP_CREATE_SETTLE_SECONDS in ms: a create that may still commit holds back the next one of its record this long. */
  createSettleMs: number;
  /** ERP_MAX_RETRY_AFTER_SECONDS in ms: a longer Retry-After is cut to this before every worker waits it out. */
  maxRetryAfterMs: number;
  /** How often each change stream (items, inventory, shipments) is read when no push comes. */
  pollIntervalSeconds: number;
  push: {
    /** Shared secret of ERP pushes (Business Central: the subscriptions' clientState). */
    secret?: string;
    /** Public URL of `POST /webhooks/erp/:connector`, where subscriptions (Business Central) point. */
    notificationUrl?: string;
    maxBodyBytes: number;
    /** ERP_PUSH_REPLAY_WINDOW_SECONDS in ms: a signed push whose timestamp is further from now is refused. */
    replayWindowMs: number;
  };
}

/** @description ERP_CONNECTOR and the section of the connector it selects (docs/connectors/*.md name each variable). */
export type ErpVendorConfig =
  | { connector: 'sandbox'; sandbox: { url: string; paymentTermsMap?: PaymentTermsMap } }
  | { connector: 'netsuite'; netsuite: NetsuiteConfig }
  | { connector: 'business-central'; businessCentral: BusinessCentralConfig }
  | { connector: 'cin7'; cin7: Cin7Config };

/** @description ERP_PAYMENT_TERMS_MAP read: Shopify payment terms name → the selected ERP's terms. */
export type PaymentTermsMap = Readonly<Record<string, string>>;

/**
 * @description NETSUITE_* (docs/connectors/netsuite.md): how to reach one NetSuite account and what to put on the
 * records the connector creates. The connector's options extend this section.
 */
export interface NetsuiteConfig {
  /** Account id as NetSuite shows it: `1234567`, `1234567_SB1` (NETSUITE_ACCOUNT_ID). */
  accountId: string;
  /** Overrides `https://{account}.suitetalk.api.netsuite.com` (NETSUITE_BASE_URL), e.g. to point at a simulator. */
  baseUrl?: string;
  /** Overrides `{baseUrl}/services/rest/auth/oauth2/v1/token` (NETSUITE_TOKEN_URL). */
  tokenUrl?: string;
  /** NETSUITE_AUTH: OAuth 2.0 M2M (recommended) or TBA, each with only its own credentials. */
  auth: NetsuiteAuthConfig;
  /** Custom body field for Shopify's `updated_at`; default `custbody_shopify_updated_at`. */
  sourceUpdatedAtField?: string;
  subsidiaryId?: string;
  locationId?: string;
  /** NETSUITE_CURRENCY_IDS `EUR=1,USD=2`, read as ISO 4217 code → NetSuite currency internal id. */
  currencyIds?: Readonly<Record<string, string>>;
  discountItemId?: string;
  shipMethodId?: string;
  shippingRefundItemId?: string;
  adjustmentItemId?: string;
  /**
   * The integration user's time zone preference (IANA, e.g. `America/Los_Angeles`): SuiteQL reads `TO_TIMESTAMP`
   * literals in it. Unset, the connector assumes the westernmost zone (UTC−12), which never misses a change but
   * re-reads up to a day of them on every poll.
   */
  timeZone?: string;
  /** Price level read as the item price; default 1 (Base Price). */
  priceLevelId?: string;
  /** Price level read as the compare-at price; undefined = no compare-at price is read. */
  compareAtPriceLevelId?: string;
  /** ERP_PAYMENT_TERMS_MAP: Shopify payment terms name → NetSuite term internal id (the sales order's `terms`). */
  paymentTermsMap?: PaymentTermsMap;
}

/** @description NETSUITE_AUTH=oauth2-m2m (the default) or tba. */
export type NetsuiteAuthConfig = NetsuiteOAuth2Config | NetsuiteTbaConfig;

/**
 * @description OAuth 2.0 machine-to-machine (client credentials with a JWT assertion), the recommended way: an
 * integration record with "Client Credentials (Machine to Machine) grant" and a certificate uploaded under
 * Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup.
 */
export interface NetsuiteOAuth2Config {
  kind: 'oauth2-m2m';
  /** The integration record's client id (consumer key). */
  clientId: string;
  /** The certificate id NetSuite shows for the uploaded public certificate (the JWT `kid`). */
  certificateId: string;
  /** The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1); NETSUITE_PRIVATE_KEY's written `\n`s are newlines here. Secret. */
  privateKeyPem: string;
  /** Default PS256. */
  algorithm?: (typeof NETSUITE_JWT_ALGORITHMS)[number];
}

/**
 * @description Token-based authentication (OAuth 1.0a, HMAC-SHA256). NetSuite stops accepting NEW TBA integrations
 * from 2027.1 (end of support planned for 2028.2); existing ones keep working until then.
 */
export interface NetsuiteTbaConfig {
  kind: 'tba';
  consumerKey: string;
  /** Secret. */
  consumerSecret: string;
  tokenId: string;
  /** Secret. */
  tokenSecret: string;
}

/**
 * @description BC_* (docs/connectors/business-central.md): how to reach one Business Central company, and the
 * account-specific values orders need. The connector's options extend this section.
 */
export interface BusinessCentralConfig {
  /** Microsoft Entra tenant (directory) id or domain. */
  tenantId: string;
  /** Environment name, e.g. `Production` or `Sandbox`. */
  environment: string;
  /** Company id (GUID), from `GET …/api/v2.0/companies`. */
  companyId: string;
  /** Entra app registration (client) id, registered in BC's "Microsoft Entra Applications" page. */
  clientId: string;
  /** Entra client secret. Secret. */
  clientSecret: string;
  /** Replaces `https://api.businesscentral.dynamics.com/v2.0` (simulators, sovereign clouds). */
  apiBaseUrl?: string;
  /** Replaces `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`; `{tenantId}` is filled in. */
  tokenUrl?: string;
  /** BC_SHIPPING_ACCOUNT_NO: G/L account number that shipping charges are booked to (an `Account` line). */
  shippingAccountNumber: string;
  /** BC_REFUND_ACCOUNT_NO: G/L account for refunds not tied to a restocked item. Default: shipping. */
  refundAccountNumber?: string;
  /** The company's local currency (LCY): BC wants a blank currency code for it. Default: none (always sent). */
  localCurrencyCode?: string;
  /** Location id reported for `items.inventory` (all locations summed). Default `ALL`. */
  inventoryLocationCode?: string;
  /** Sales shipment field carrying the tracking number, if an extension adds one. Default `packageTrackingNo`. */
  trackingNumberField?: string;
  /** Sales shipment field carrying the carrier, if an extension adds one. Default `shippingAgentCode`. */
  carrierField?: string;
  /** BC_PAYOUT_JOURNAL_CODE: the general journal batch payouts are written to; unset = no deposits on Business Central. */
  payoutJournalCode?: string;
  /** ERP_PAYMENT_TERMS_MAP: Shopify payment terms name → Business Central payment terms code (looked up for the sales order's `paymentTermsId`). */
  paymentTermsMap?: PaymentTermsMap;
}

/**
 * @description CIN7_* (docs/connectors/cin7.md): how to reach a Cin7 Core account, and the account-specific values
 * its documents need. These are the connector's options.
 */
export interface Cin7Config {
  /** API root; default `https://inventory.dearsystems.com/ExternalApi/v2` (override to point at a simulator). */
  baseUrl?: string;
  /** Cin7 Account ID (secret: with the key it is a login). */
  accountId: string;
  /** API Application Key (secret). */
  applicationKey: string;
  /** Location name sales are fulfilled from. */
  location: string;
  /** Tax rule name for sales, lines, charges, credit notes and new customers (e.g. `Tax on Sales`). */
  taxRule: string;
  /** Payment term name for new customers (e.g. `30 days`). */
  paymentTerm: string;
  /** Accounts receivable account code for new customers (e.g. `610`). */
  accountReceivable: string;
  /** Revenue account code for new customers (e.g. `200`). */
  revenueAccount: string;
  /** Price tier name given to new customers; Cin7's default when unset. */
  customerPriceTier?: string;
  /** Name of the price tier that is Shopify's selling price (a key of `PriceTiers`); default `PriceTier1`. */
  sellingPriceTier?: string;
  /** Number (1–10) of the `PriceTierN` read as the compare-at price; undefined = no compare-at price is read. */
  compareAtPriceTier?: number;
  /** Status of the sale order written for an open Shopify order; default AUTHORISED (allocates stock). */
  orderStatus?: (typeof CIN7_DOCUMENT_STATUSES)[number];
  /** Status of credit notes written for refunds; default AUTHORISED. */
  creditNoteStatus?: (typeof CIN7_DOCUMENT_STATUSES)[number];
  /** ERP_PAYMENT_TERMS_MAP: Shopify payment terms name → Cin7 Core payment term name (the sale's `Terms`). */
  paymentTermsMap?: PaymentTermsMap;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
