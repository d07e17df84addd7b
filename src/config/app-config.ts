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
  };
  erp: {
    connector: ErpConnectorName;
    /** Hard cap on concurrent ERP requests across all workers; undefined = the connector's vendor default. */
    maxConcurrency?: number;
    /** Hard cap on ERP requests per second across all workers; undefined = none. */
    maxRps?: number;
    requestTimeoutMs: number;
    sandbox: { url: string };
    netsuite: {
      accountId?: string;
      consumerKey?: string;
      consumerSecret?: string;
      tokenId?: string;
      tokenSecret?: string;
      baseUrl?: string;
    };
    businessCentral: {
      tenantId?: string;
      environment?: string;
      companyId?: string;
      clientId?: string;
      clientSecret?: string;
      apiBaseUrl?: string;
      tokenUrl?: string;
    };
    cin7: { accountId?: string; applicationKey?: string; baseUrl?: string };
  };
  admin: { apiKeys: string[] };
  secretsEncryptionKey?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
