import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import {
  DiffersFrom,
  EachKeyAtLeast,
  IntSetting,
  IsEncryptionKey,
  IsPaymentMethodMap,
  IsPaymentTermsMap,
  IsTrackingCompanyMap,
  MIN_API_KEY_LENGTH,
  toInt,
  urlOptions,
} from 'src/config/env-validators';
import { parseLocationMap } from 'src/config/location-map.parser';
import { OrderReleaseSettings } from 'src/config/order-release-settings.schema';

export const APP_ROLES = ['all', 'api', 'worker', 'scheduler'] as const;
export const ERP_PROCESS_MODES = ['child', 'inline'] as const;
export const ERP_CONNECTORS = ['sandbox', 'netsuite', 'business-central', 'cin7'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** SHOPIFY_LOCATION_MAP's syntax (location-map.parser.ts); the message names the first malformed entry. */
function IsLocationMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isLocationMap',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseLocationMap(value).ok,
      defaultMessage: (args) => {
        const parsed = typeof args?.value === 'string' ? parseLocationMap(args.value) : undefined;
        const problem =
          parsed === undefined || parsed.ok ? 'must be a string' : `entry ${parsed.entry} ${parsed.reason}`;
        return `${problem}; expected erpLocation:gid://shopify/Location/<id>[,...] with \\, \\: or \\\\ inside a location`;
      },
    },
  });
}

/**
 * Every environment variable the service reads. This class (through load-config.ts) is the ONLY reader of
 * process.env. Variables listed in SECRET_VARIABLES are never echoed in errors or logs.
 */
export class EnvironmentVariables extends OrderReleaseSettings {
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @IsString()
  @Matches(/^amqps?:\/\//, { message: 'must be an amqp:// URL' })
  RABBITMQ_URL!: string;

  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'must be a redis:// URL' })
  REDIS_URL!: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @IsIn(APP_ROLES)
  APP_ROLE: (typeof APP_ROLES)[number] = 'all';

  /**
   * APP_ROLE=all only: the nice value of the child process that runs the ERP writers and schedules (0 = the same
   * priority as ingest, 19 = the lowest), so that a sale's webhooks are answered first when both need the CPU.
   */
  @IntSetting(0, 19) ERP_PROCESS_NICE: number = 15;

  /**
   * Every topology: when webhooks start coming after 5 s without one (a flash sale's first webhook), the ERP side
   * starts no new queue message for this long, and no scheduled job while the sale goes on (BurstYield); 0 = off.
   */
  @IntSetting(0, 5_000) ERP_YIELD_TO_BURST_MS: number = 1_000;

  /**
   * APP_ROLE=all only: `child` (default) runs the ERP writers and schedules in a supervised child process; `inline`
   * runs them on the event loop of the process started (one process, about 150 MB less memory, a slower first second
   * of a flash sale).
   */
  @IsOptional()
  @IsIn(ERP_PROCESS_MODES)
  ERP_PROCESS: (typeof ERP_PROCESS_MODES)[number] = 'child';

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /**
   * The HTTP server's patience with slow clients (slowloris): headers within 5 s of a request's first byte, the whole
   * request within 9 s, both checked every second, so that a client trickling bytes is gone within 10 s. Shopify
   * itself gives up on a delivery after 5 s. Keep-alive 65 s: longer than a load balancer's idle timeout (60 s on
   * AWS), so that the balancer, not this server, closes an idle connection and never sends on one just closed.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(300_000)
  @ValidateBy({
    name: 'notAfterRequestTimeout',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'number' && value <= (args?.object as EnvironmentVariables).HTTP_REQUEST_TIMEOUT_MS,
      defaultMessage: () => 'must not be greater than HTTP_REQUEST_TIMEOUT_MS',
    },
  })
  HTTP_HEADERS_TIMEOUT_MS: number = 5_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(300_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 9_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  HTTP_TIMEOUT_CHECK_INTERVAL_MS: number = 1_000;

  /**
   * Handles on the listening socket, each accepting one new connection per turn of the event loop (see
   * src/common/http/accept-lanes.ts): a busy process still takes a sale's burst of new connections at once. 1 = off.
   */
  @IntSetting(1, 64) HTTP_ACCEPT_LANES: number = 16;

  /** The shop the environment bootstraps; more are added through the admin API (the `shops` table). */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, { message: 'must look like my-store.myshopify.com' })
  SHOPIFY_SHOP_DOMAIN!: string;

  @IsString()
  @MinLength(8)
  SHOPIFY_WEBHOOK_SECRET!: string;

  /** The previous secret, accepted during a rotation window (Shopify may sign with the old one for up to 1 h). */
  @IsOptional()
  @IsString()
  @MinLength(8)
  SHOPIFY_WEBHOOK_SECRET_PREVIOUS?: string;

  @IsOptional()
  @IsString()
  SHOPIFY_ADMIN_ACCESS_TOKEN?: string;

  @IsOptional()
  @Matches(/^\d{4}-(01|04|07|10)$/, { message: 'must be a Shopify API version such as 2026-10' })
  SHOPIFY_API_VERSION: string = '2026-10';

  @IsOptional()
  @IsUrl(urlOptions)
  SHOPIFY_ADMIN_API_URL?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  WEBHOOK_MAX_BODY_BYTES: number = 2 * 1024 * 1024;

  /** How long a verified webhook's publish may wait for others to go to RabbitMQ with it (0 = never waits). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(50)
  WEBHOOK_PUBLISH_LINGER_MS: number = 5;

  @IsOptional()
  @IsIn(ERP_CONNECTORS)
  ERP_CONNECTOR: (typeof ERP_CONNECTORS)[number] = 'sandbox';

  /** B2B: JSON of Shopify payment terms name → NetSuite term id / BC payment terms code / Cin7 payment term name. */
  @IsOptional() @IsPaymentTermsMap() ERP_PAYMENT_TERMS_MAP?: string;

  /**
   * Tenders as ERP payments: JSON of Shopify gateway → NetSuite payment method id / BC payment method code / Cin7
   * account code ('' = the ERP's default). Unset = gift cards only, with the ERP's default method.
   */
  @IsOptional() @IsPaymentMethodMap() ERP_PAYMENT_METHOD_MAP?: string;

  /** Upper bound of concurrent ERP requests across every worker process. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ERP_MAX_CONCURRENCY?: number;

  /** Upper bound of ERP requests per second across every worker process; unset = no rate cap. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  ERP_MAX_RPS?: number;

  /** Timeout of one ERP HTTP request. Kept far below RabbitMQ's 30 min consumer timeout. */
  @IntSetting(100, 600000) ERP_REQUEST_TIMEOUT_MS: number = 15000;

  /**
   * The ERP's longest plausible run time for a create: after a create timed out or lost its connection (the ERP may
   * still commit it), the next create of the same record waits this long from then, looking up again after.
   */
  @IntSetting(1, 3600) ERP_CREATE_SETTLE_SECONDS: number = 120;

  /** Seconds between delta reads of each ERP change stream (pushes add reads in between). */
  @IntSetting(5, 86400) ERP_POLL_INTERVAL_SECONDS: number = 60;

  /** Shared secret that ERP pushes to /webhooks/erp/:connector must carry (Business Central: clientState). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(2048)
  ERP_PUSH_SECRET?: string;

  /** Public URL of this service's /webhooks/erp/<connector>, for ERPs that push through subscriptions. */
  @IsOptional()
  @IsUrl({ ...urlOptions, require_tld: false })
  ERP_PUSH_NOTIFICATION_URL?: string;

  /**
   * ERP location → Shopify location, `Main Warehouse:gid://shopify/Location/1,...` (`\,` `\:` `\\` escape inside an
   * ERP location); bootstraps the operator-set mapping.
   */
  @IsOptional()
  @IsLocationMap()
  SHOPIFY_LOCATION_MAP?: string;

  /**
   * ERP carrier / ship method → Shopify tracking company, a JSON object (`{"Next Day Pallet":"Palletways"}`); names
   * compare case-insensitively, punctuation as spaces. Consulted before the built-in table (docs/erp-to-shopify.md "Carriers").
   */
  @IsOptional()
  @IsTrackingCompanyMap()
  SHOPIFY_TRACKING_COMPANY_MAP?: string;

  /** Whether Shopify e-mails the customer when the ERP changes a fulfilment's tracking (fulfillmentTrackingInfoUpdate). */
  @IsOptional()
  @IsIn(['true', 'false'])
  SHOPIFY_TRACKING_UPDATE_NOTIFY_CUSTOMER: 'true' | 'false' = 'true';

  /**
   * Prefix of the tag that carries the ERP's document number on the Shopify order (`ERP:` + `SO1234`); the number also
   * goes to the metafield `erp_sync.erp_document_number` (docs/erp-to-shopify.md "ERP document number").
   */
  @IsOptional()
  @Matches(/^[^,]{0,30}$/, { message: 'must be at most 30 characters, without commas' })
  SHOPIFY_ERP_DOCUMENT_TAG_PREFIX: string = 'ERP:';

  /** Which ERP number lands in Shopify's `available` (README "ERP → Shopify: inventory"); bootstraps the shop's policy. */
  @IsOptional()
  @IsIn(['erp-available', 'on-hand-minus-shopify-committed'])
  INVENTORY_QUANTITY_POLICY: 'erp-available' | 'on-hand-minus-shopify-committed' = 'erp-available';

  /** SKUs whose stock comes from components (bundles): never pushed as stock. Comma-separated. */
  @IsOptional()
  @IsString()
  INVENTORY_BUNDLE_SKUS?: string;

  /** Off-hours window of the full inventory reconciliation, `HH:MM-HH:MM` in SHOP_TIMEZONE (may cross midnight). */
  @IsOptional()
  @Matches(/^(?!(\d\d:\d\d)-\1$)([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, {
    message: 'must be HH:MM-HH:MM with different start and end',
  })
  INVENTORY_RECONCILE_WINDOW: string = '01:00-04:00';

  /** The shop's IANA time zone (the reconciliation window is local to it). */
  @IsOptional()
  @IsTimeZone()
  SHOP_TIMEZONE: string = 'UTC';

  /** `inventorySetQuantities` calls in flight at once per process (the shared cost bucket paces them). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32)
  INVENTORY_WRITE_CONCURRENCY: number = 4;

  // Bounds (README "Reliability choices"): nothing waits, holds or buffers without a limit.

  /**
   * Webhook bodies being read or made durable at once per process; past it a webhook is answered 503 with
   * Retry-After (Shopify delivers it again) instead of being buffered. Worst-case memory: this × WEBHOOK_MAX_BODY_BYTES.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WEBHOOK_MAX_IN_FLIGHT: number = 128;

  /** Webhooks run through ingest before the port opens (published to no queue), so a sale meets compiled code. */
  @IntSetting(0, 10_000) WEBHOOK_WARM_UP_REQUESTS: number = 1_000;

  /** Longest Retry-After of an ERP that is honoured (and shared with every worker); a longer one is cut to this. */
  @IntSetting(1, 86_400) ERP_MAX_RETRY_AFTER_SECONDS: number = 300;

  /** A Redis command without an answer within this fails (a stalled connection never holds a caller forever). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  REDIS_COMMAND_TIMEOUT_MS: number = 5_000;

  /** PostgreSQL cancels an app statement running longer than this (migrations are exempt); 0 = no limit. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS: number = 30_000;

  /** Longest wait for a PostgreSQL connection from the pool (a new one included) before the query fails. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS: number = 5_000;

  /**
   * On SIGTERM: in-flight message handlers are cut this long after the signal (their messages go back to the queue)
   * and the process exits. Below the orchestrator's grace period (Docker 10 s, Kubernetes 30 s).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600_000)
  SHUTDOWN_GRACE_MS: number = 8_000;

  /**
   * On SIGTERM, how long a process that serves webhooks keeps answering with readiness already failed, so that load
   * balancers stop sending before its listener closes (counted inside SHUTDOWN_GRACE_MS).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_READINESS_DELAY_MS: number = 2_000;

  @ValidateIf((env: EnvironmentVariables) => env.ERP_CONNECTOR === 'sandbox')
  @IsOptional()
  @IsUrl(urlOptions)
  SANDBOX_ERP_URL: string = 'http://127.0.0.1:4010';

  /** Comma-separated bearer keys of the admin API, each at least 32 characters (a short one stops the app). */
  @IsOptional()
  @IsString()
  @EachKeyAtLeast(MIN_API_KEY_LENGTH)
  ADMIN_API_KEYS?: string;

  // Operations endpoints and the ERP's pause (README "Operations", "Reliability choices").
  /** Serve GET /metrics on this port only, not on PORT (unset: on PORT, as before). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  @DiffersFrom('PORT')
  METRICS_PORT?: number;

  /** Bearer key GET /metrics then requires (unset: open, as before). */
  @IsOptional()
  @IsString()
  @MinLength(MIN_API_KEY_LENGTH)
  METRICS_API_KEY?: string;

  /** While the ERP is down or refuses our settings, each process tests it with one call per this interval. */
  @IntSetting(1, 300) ERP_PROBE_INTERVAL_SECONDS: number = 5;

  /** A signed ERP push (NetSuite) is refused when its X-Erp-Timestamp is further than this from now. */
  @IntSetting(10, 3600) ERP_PUSH_REPLAY_WINDOW_SECONDS: number = 300;

  /** AES-256-GCM key of the secrets stored in PostgreSQL (shops' webhook secrets and Admin API tokens). */
  @IsOptional()
  @IsEncryptionKey()
  SECRETS_ENCRYPTION_KEY?: string;

  /** The key being rotated away from: still decrypts, never encrypts; unset it once the rotation has run. */
  @IsOptional()
  @IsEncryptionKey()
  @DiffersFrom('SECRETS_ENCRYPTION_KEY')
  SECRETS_ENCRYPTION_KEY_PREVIOUS?: string;
}

/** Variables whose values must never appear in an error, a log line or an API response. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'SHOPIFY_WEBHOOK_SECRET',
  'SHOPIFY_WEBHOOK_SECRET_PREVIOUS',
  'SHOPIFY_ADMIN_ACCESS_TOKEN',
  'ADMIN_API_KEYS',
  'METRICS_API_KEY',
  'ALERT_WEBHOOK_SECRET',
  'ALERT_SMTP_URL',
  'SECRETS_ENCRYPTION_KEY',
  'SECRETS_ENCRYPTION_KEY_PREVIOUS',
  'NETSUITE_CONSUMER_SECRET',
  'NETSUITE_PRIVATE_KEY',
  'NETSUITE_TOKEN_SECRET',
  'BC_CLIENT_SECRET',
  'CIN7_APPLICATION_KEY',
  'CIN7_ACCOUNT_ID',
  'ERP_PUSH_SECRET',
  'DATABASE_URL',
  'RABBITMQ_URL',
  'REDIS_URL',
]);
