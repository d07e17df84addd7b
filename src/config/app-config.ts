import type { APP_ROLES, ERP_CONNECTORS, LOG_LEVELS } from 'src/config/env.schema';

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
  erp: {
    connector: ErpConnectorName;
    /** Hard cap on concurrent ERP requests across all workers; undefined = the connector's vendor default. */
    maxConcurrency?: number;
    /** Hard cap on ERP requests per second across all workers; undefined = none. */
    maxRps?: number;
    requestTimeoutMs: number;
    sandbox: { url: string };
    /** How often each change stream (items, inventory, shipments) is read when no push comes. */
    pollIntervalSeconds: number;
    push: {
      /** Shared secret of ERP pushes (Business Central: the subscriptions' clientState). */
      secret?: string;
      /** Public URL of `POST /webhooks/erp/:connector`, where subscriptions (Business Central) point. */
      notificationUrl?: string;
      maxBodyBytes: number;
    };
    /** The selected connector's variables, as validated (names as in .env.example); mapped onto its options. */
    vendor: Readonly<Record<string, string | undefined>>;
  };
  inventory: {
    /** Bootstrap of the ERP → Shopify location mapping (kept in PostgreSQL). */
    locationMap: Array<{ erpLocationId: string; shopifyLocationId: string }>;
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

export const APP_CONFIG = Symbol('APP_CONFIG');
