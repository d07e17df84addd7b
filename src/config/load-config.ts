import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { AppConfig } from 'src/config/app-config';
import { ConfigError } from 'src/config/config.error';
import { decodeEncryptionKey } from 'src/config/env-validators';
import { EnvironmentVariables, SECRET_VARIABLES } from 'src/config/env.schema';
import { erpVendorConfig } from 'src/config/erp-vendor-config.mapper';
import { parseLocationMap, type LocationMapEntry } from 'src/config/location-map.parser';
import { DEFAULT_PAYMENT_METHOD_MAP, parsePaymentMethodMap } from 'src/config/payment-method-map.parser';
import { parseTrackingCompanyMap } from 'src/config/tracking-company-map.parser';

export { ConfigError };

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
    erpProcess: env.ERP_PROCESS,
    erpProcessNice: env.ERP_PROCESS_NICE,
    erpYieldToBurstMs: env.ERP_YIELD_TO_BURST_MS,
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: {
      url: env.DATABASE_URL,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    },
    rabbitmq: { url: env.RABBITMQ_URL },
    redis: { url: env.REDIS_URL, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS },
    http: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      timeoutCheckIntervalMs: env.HTTP_TIMEOUT_CHECK_INTERVAL_MS,
      acceptLanes: env.HTTP_ACCEPT_LANES,
    },
    shopify: {
      shopDomain: shop,
      webhookSecrets: [env.SHOPIFY_WEBHOOK_SECRET, env.SHOPIFY_WEBHOOK_SECRET_PREVIOUS].filter(
        (s): s is string => typeof s === 'string',
      ),
      adminAccessToken: env.SHOPIFY_ADMIN_ACCESS_TOKEN,
      apiVersion: env.SHOPIFY_API_VERSION,
      adminApiUrl: env.SHOPIFY_ADMIN_API_URL ?? `https://${shop}/admin/api/${env.SHOPIFY_API_VERSION}/graphql.json`,
      maxWebhookBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
      publishLingerMs: env.WEBHOOK_PUBLISH_LINGER_MS,
      maxWebhooksInFlight: env.WEBHOOK_MAX_IN_FLIGHT,
      warmUpRequests: env.WEBHOOK_WARM_UP_REQUESTS,
      trackingCompanyMap:
        env.SHOPIFY_TRACKING_COMPANY_MAP === undefined ? {} : trackingCompanyMap(env.SHOPIFY_TRACKING_COMPANY_MAP),
      trackingUpdateNotifyCustomer: env.SHOPIFY_TRACKING_UPDATE_NOTIFY_CUSTOMER === 'true',
      erpDocumentTagPrefix: env.SHOPIFY_ERP_DOCUMENT_TAG_PREFIX,
      orderTrigger: env.ORDER_TRIGGER,
      holdHighRiskOrders: env.HOLD_HIGH_RISK_ORDERS === 'true',
    },
    erp: {
      ...erpVendorConfig(env),
      maxConcurrency: env.ERP_MAX_CONCURRENCY,
      maxRps: env.ERP_MAX_RPS,
      requestTimeoutMs: env.ERP_REQUEST_TIMEOUT_MS,
      probeIntervalMs: env.ERP_PROBE_INTERVAL_SECONDS * 1000,
      createSettleMs: env.ERP_CREATE_SETTLE_SECONDS * 1000,
      maxRetryAfterMs: env.ERP_MAX_RETRY_AFTER_SECONDS * 1000,
      pollIntervalSeconds: env.ERP_POLL_INTERVAL_SECONDS,
      push: {
        secret: env.ERP_PUSH_SECRET,
        notificationUrl: env.ERP_PUSH_NOTIFICATION_URL,
        maxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
        replayWindowMs: env.ERP_PUSH_REPLAY_WINDOW_SECONDS * 1000,
      },
    },
    orders: {
      paymentMethodMap:
        env.ERP_PAYMENT_METHOD_MAP === undefined
          ? DEFAULT_PAYMENT_METHOD_MAP
          : paymentMethodMap(env.ERP_PAYMENT_METHOD_MAP),
    },
    payouts:
      env.PAYOUTS_ERP_BANK_ACCOUNT === undefined ||
      env.PAYOUTS_ERP_CLEARING_ACCOUNT === undefined ||
      env.PAYOUTS_ERP_FEE_ACCOUNT === undefined
        ? undefined
        : {
            bankAccount: env.PAYOUTS_ERP_BANK_ACCOUNT,
            clearingAccount: env.PAYOUTS_ERP_CLEARING_ACCOUNT,
            feeAccount: env.PAYOUTS_ERP_FEE_ACCOUNT,
            adjustmentAccount: env.PAYOUTS_ERP_ADJUSTMENT_ACCOUNT ?? env.PAYOUTS_ERP_CLEARING_ACCOUNT,
            disputeAccount: env.PAYOUTS_ERP_DISPUTE_ACCOUNT ?? env.PAYOUTS_ERP_CLEARING_ACCOUNT,
          },
    inventory: {
      locationMap: env.SHOPIFY_LOCATION_MAP === undefined ? [] : locationMap(env.SHOPIFY_LOCATION_MAP),
      quantityPolicy: env.INVENTORY_QUANTITY_POLICY,
      bundleSkus: (env.INVENTORY_BUNDLE_SKUS ?? '')
        .split(',')
        .map((sku) => sku.trim())
        .filter((sku) => sku.length > 0),
      reconcileWindow: env.INVENTORY_RECONCILE_WINDOW,
      shopTimeZone: env.SHOP_TIMEZONE,
      writeConcurrency: env.INVENTORY_WRITE_CONCURRENCY,
    },
    admin: {
      apiKeys: (env.ADMIN_API_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter((k) => k.length > 0),
    },
    metrics: { port: env.METRICS_PORT, apiKey: env.METRICS_API_KEY },
    secrets: {
      encryptionKey: optionalKey(env.SECRETS_ENCRYPTION_KEY),
      previousEncryptionKey: optionalKey(env.SECRETS_ENCRYPTION_KEY_PREVIOUS),
    },
    alerts: {
      webhook:
        env.ALERT_WEBHOOK_URL === undefined || env.ALERT_WEBHOOK_SECRET === undefined
          ? undefined
          : { url: env.ALERT_WEBHOOK_URL, secret: env.ALERT_WEBHOOK_SECRET },
      deadLetters: {
        threshold: env.ALERT_DEAD_LETTERS_THRESHOLD,
        windowMs: env.ALERT_DEAD_LETTERS_WINDOW_MINUTES * 60_000,
      },
      erpCircuitOpenMs: env.ALERT_ERP_CIRCUIT_OPEN_MINUTES * 60_000,
      orderLagMs: env.ALERT_ORDER_LAG_MINUTES * 60_000,
      erpFeedLagMs: env.ALERT_ERP_FEED_LAG_MINUTES * 60_000,
      reconciliationWindowMs: env.ALERT_RECONCILIATION_WINDOW_MINUTES * 60_000,
      checkIntervalMs: env.ALERT_CHECK_INTERVAL_SECONDS * 1_000,
      email:
        env.ALERT_SMTP_URL === undefined || env.ALERT_EMAIL_FROM === undefined || env.ALERT_EMAIL_TO === undefined
          ? undefined
          : {
              smtpUrl: env.ALERT_SMTP_URL,
              from: env.ALERT_EMAIL_FROM.trim(),
              to: env.ALERT_EMAIL_TO.split(',')
                .map((address) => address.trim())
                .filter((address) => address.length > 0),
            },
    },
    shutdown: { graceMs: env.SHUTDOWN_GRACE_MS, readinessDelayMs: env.SHUTDOWN_READINESS_DELAY_MS },
  };
}

/** SHOPIFY_LOCATION_MAP's entries; env.schema has already refused a malformed map with the entry named. */
function locationMap(text: string): LocationMapEntry[] {
  const parsed = parseLocationMap(text);
  if (!parsed.ok) {
    throw new ConfigError(`Invalid configuration: SHOPIFY_LOCATION_MAP entry ${parsed.entry} ${parsed.reason}`);
  }
  return parsed.entries;
}

/** SHOPIFY_TRACKING_COMPANY_MAP's entries; env.schema has already refused a malformed map. */
function trackingCompanyMap(text: string): Record<string, string> {
  const parsed = parseTrackingCompanyMap(text);
  if (!parsed.ok) {
    throw new ConfigError(`Invalid configuration: SHOPIFY_TRACKING_COMPANY_MAP ${parsed.reason}`);
  }
  return parsed.map;
}

function paymentMethodMap(text: string): Record<string, string> {
  const parsed = parsePaymentMethodMap(text);
  if (!parsed.ok) {
    throw new ConfigError(`Invalid configuration: ERP_PAYMENT_METHOD_MAP ${parsed.reason}`);
  }
  return parsed.map;
}

/** A key env.schema has already checked (IsEncryptionKey), as bytes. */
function optionalKey(text: string | undefined): Buffer | undefined {
  return text === undefined ? undefined : decodeEncryptionKey(text);
}
