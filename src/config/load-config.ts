import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig } from 'src/config/app-config';
import { EnvironmentVariables, SECRET_VARIABLES } from 'src/config/env.schema';

/** Thrown when the environment is invalid; its message is ONE line naming every bad variable, never a secret value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {});
  if (error.value === undefined || error.value === '') {
    return `${error.property} is missing`;
  }
  const shown = SECRET_VARIABLES.has(error.property) ? '' : ` (got "${String(error.value)}")`;
  return `${error.property} ${reasons.join('; ')}${shown}`;
}

/** Validates the raw environment and builds the typed AppConfig, or throws a one-line ConfigError. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && value !== '') {
      cleaned[key] = value;
    }
  }
  const env = plainToInstance(EnvironmentVariables, cleaned, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid configuration: ${errors.map(describe).join('; ')}`);
  }
  const shop = env.SHOPIFY_SHOP_DOMAIN;
  return {
    role: env.APP_ROLE,
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: { url: env.DATABASE_URL },
    rabbitmq: { url: env.RABBITMQ_URL },
    redis: { url: env.REDIS_URL },
    shopify: {
      shopDomain: shop,
      webhookSecrets: [env.SHOPIFY_WEBHOOK_SECRET, env.SHOPIFY_WEBHOOK_SECRET_PREVIOUS].filter(
        (s): s is string => typeof s === 'string',
      ),
      adminAccessToken: env.SHOPIFY_ADMIN_ACCESS_TOKEN,
      apiVersion: env.SHOPIFY_API_VERSION,
      adminApiUrl: env.SHOPIFY_ADMIN_API_URL ?? `https://${shop}/admin/api/${env.SHOPIFY_API_VERSION}/graphql.json`,
      maxWebhookBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    },
    erp: {
      connector: env.ERP_CONNECTOR,
      maxConcurrency: env.ERP_MAX_CONCURRENCY,
      maxRps: env.ERP_MAX_RPS,
      requestTimeoutMs: env.ERP_REQUEST_TIMEOUT_MS,
      sandbox: { url: env.SANDBOX_ERP_URL },
      netsuite: {
        accountId: env.NETSUITE_ACCOUNT_ID,
        consumerKey: env.NETSUITE_CONSUMER_KEY,
        consumerSecret: env.NETSUITE_CONSUMER_SECRET,
        tokenId: env.NETSUITE_TOKEN_ID,
        tokenSecret: env.NETSUITE_TOKEN_SECRET,
        baseUrl: env.NETSUITE_BASE_URL,
      },
      businessCentral: {
        tenantId: env.BC_TENANT_ID,
        environment: env.BC_ENVIRONMENT,
        companyId: env.BC_COMPANY_ID,
        clientId: env.BC_CLIENT_ID,
        clientSecret: env.BC_CLIENT_SECRET,
        apiBaseUrl: env.BC_API_BASE_URL,
        tokenUrl: env.BC_TOKEN_URL,
      },
      cin7: { accountId: env.CIN7_ACCOUNT_ID, applicationKey: env.CIN7_APPLICATION_KEY, baseUrl: env.CIN7_BASE_URL },
    },
    admin: {
      apiKeys: (env.ADMIN_API_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    },
    secretsEncryptionKey: env.SECRETS_ENCRYPTION_KEY,
  };
}
