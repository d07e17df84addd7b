import type {
  APP_ROLES,
  CIN7_DOCUMENT_STATUSES,
  ERP_CONNECTORS,
  LOG_LEVELS,
  NETSUITE_JWT_ALGORITHMS,
} from 'src/config/env.schema';
import type { LocationMapEntry } from 'src/config/location-map.parser';

export type AppRoleName = (typeof APP_ROLES)[number];
export type ErpConnectorName = (typeof ERP_CONNECTORS)[number];

/** Typed, nested configuration built once from the validated environment. */
export interface AppConfig {
  role: AppRoleName;
  /** NODE_ENV=production: introspection off, terse errors. */
  production: boolean;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  database: { url: string };
  rabbitmq: { url: string };
  redis: { url: string };
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
  };
  erp: ErpConfig;
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
  secretsEncryptionKey?: string;
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
  /** How often each change stream (items, inventory, shipments) is read when no push comes. */
  pollIntervalSeconds: number;
  push: {
    /** Shared secret of ERP pushes (Business Central: the subscriptions' clientState). */
    secret?: string;
    /** Public URL of `POST /webhooks/erp/:connector`, where subscriptions (Business Central) point. */
    notificationUrl?: string;
    maxBodyBytes: number;
  };
}

/** @description ERP_CONNECTOR and the section of the connector it selects (docs/connectors/*.md name each variable). */
export type ErpVendorConfig =
  | { connector: 'sandbox'; sandbox: { url: string } }
  | { connector: 'netsuite'; netsuite: NetsuiteConfig }
  | { connector: 'business-central'; businessCentral: BusinessCentralConfig }
  | { connector: 'cin7'; cin7: Cin7Config };

/** @description NETSUITE_* (docs/connectors/netsuite.md). */
export interface NetsuiteConfig {
  accountId: string;
  baseUrl?: string;
  tokenUrl?: string;
  /** NETSUITE_AUTH and the credentials it needs. */
  auth: NetsuiteAuthConfig;
  sourceUpdatedAtField?: string;
  subsidiaryId?: string;
  locationId?: string;
  /** NETSUITE_CURRENCY_IDS `EUR=1,USD=2` read as ISO 4217 code → currency internal id. */
  currencyIds?: Readonly<Record<string, string>>;
  discountItemId?: string;
  shipMethodId?: string;
  shippingRefundItemId?: string;
  adjustmentItemId?: string;
  timeZone?: string;
  priceLevelId?: string;
}

/** @description NETSUITE_AUTH=oauth2-m2m (the default) or tba, each with only its own credentials. */
export type NetsuiteAuthConfig =
  | {
      kind: 'oauth2-m2m';
      clientId: string;
      certificateId: string;
      /** NETSUITE_PRIVATE_KEY as PEM text, its written `\n`s turned into newlines. */
      privateKeyPem: string;
      algorithm?: (typeof NETSUITE_JWT_ALGORITHMS)[number];
    }
  | { kind: 'tba'; consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };

/** @description BC_* (docs/connectors/business-central.md). */
export interface BusinessCentralConfig {
  tenantId: string;
  environment: string;
  companyId: string;
  clientId: string;
  clientSecret: string;
  apiBaseUrl?: string;
  tokenUrl?: string;
  /** BC_SHIPPING_ACCOUNT_NO */
  shippingAccountNumber: string;
  /** BC_REFUND_ACCOUNT_NO */
  refundAccountNumber?: string;
  localCurrencyCode?: string;
  inventoryLocationCode?: string;
  trackingNumberField?: string;
  carrierField?: string;
}

/** @description CIN7_* (docs/connectors/cin7.md). */
export interface Cin7Config {
  accountId: string;
  applicationKey: string;
  baseUrl?: string;
  location: string;
  taxRule: string;
  paymentTerm: string;
  accountReceivable: string;
  revenueAccount: string;
  customerPriceTier?: string;
  sellingPriceTier?: string;
  orderStatus?: (typeof CIN7_DOCUMENT_STATUSES)[number];
  creditNoteStatus?: (typeof CIN7_DOCUMENT_STATUSES)[number];
}

export const APP_CONFIG = Symbol('APP_CONFIG');
