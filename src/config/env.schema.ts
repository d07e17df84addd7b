import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';

export const APP_ROLES = ['all', 'api', 'worker', 'scheduler'] as const;
export const ERP_CONNECTORS = ['sandbox', 'netsuite', 'business-central', 'cin7'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const urlOptions = { require_tld: false, require_protocol: true };

/**
 * Every environment variable the service reads. This class (through load-config.ts) is the ONLY reader of
 * process.env. Variables listed in SECRET_VARIABLES are never echoed in errors or logs.
 */
export class EnvironmentVariables {
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

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** One shop per process today; more shops are a list in SHOPIFY_SHOPS (issue-tracked). */
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

  @IsOptional()
  @IsIn(ERP_CONNECTORS)
  ERP_CONNECTOR: (typeof ERP_CONNECTORS)[number] = 'sandbox';

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
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  ERP_REQUEST_TIMEOUT_MS: number = 15000;

  @ValidateIf((env: EnvironmentVariables) => env.ERP_CONNECTOR === 'sandbox')
  @IsOptional()
  @IsUrl(urlOptions)
  SANDBOX_ERP_URL: string = 'http://127.0.0.1:4010';

  @IsOptional()
  @IsString()
  ADMIN_API_KEYS?: string;

  @IsOptional()
  @IsString()
  @MinLength(32)
  SECRETS_ENCRYPTION_KEY?: string;

  // ERP connector credentials (used by the connectors of the ERP issue; validated when selected).
  @ValidateIf((env: EnvironmentVariables) => env.ERP_CONNECTOR === 'netsuite')
  @IsString()
  NETSUITE_ACCOUNT_ID?: string;
  @IsOptional() @IsString() NETSUITE_CONSUMER_KEY?: string;
  @IsOptional() @IsString() NETSUITE_CONSUMER_SECRET?: string;
  @IsOptional() @IsString() NETSUITE_TOKEN_ID?: string;
  @IsOptional() @IsString() NETSUITE_TOKEN_SECRET?: string;
  @IsOptional() @IsUrl(urlOptions) NETSUITE_BASE_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => env.ERP_CONNECTOR === 'business-central')
  @IsString()
  BC_TENANT_ID?: string;
  @IsOptional() @IsString() BC_ENVIRONMENT?: string;
  @IsOptional() @IsString() BC_COMPANY_ID?: string;
  @IsOptional() @IsString() BC_CLIENT_ID?: string;
  @IsOptional() @IsString() BC_CLIENT_SECRET?: string;
  @IsOptional() @IsUrl(urlOptions) BC_API_BASE_URL?: string;
  @IsOptional() @IsUrl(urlOptions) BC_TOKEN_URL?: string;

  @ValidateIf((env: EnvironmentVariables) => env.ERP_CONNECTOR === 'cin7')
  @IsString()
  CIN7_ACCOUNT_ID?: string;
  @IsOptional() @IsString() CIN7_APPLICATION_KEY?: string;
  @IsOptional() @IsUrl(urlOptions) CIN7_BASE_URL?: string;
}

/** Variables whose values must never appear in an error, a log line or an API response. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'SHOPIFY_WEBHOOK_SECRET',
  'SHOPIFY_WEBHOOK_SECRET_PREVIOUS',
  'SHOPIFY_ADMIN_ACCESS_TOKEN',
  'ADMIN_API_KEYS',
  'SECRETS_ENCRYPTION_KEY',
  'NETSUITE_CONSUMER_SECRET',
  'NETSUITE_TOKEN_SECRET',
  'BC_CLIENT_SECRET',
  'CIN7_APPLICATION_KEY',
  'DATABASE_URL',
  'RABBITMQ_URL',
  'REDIS_URL',
]);
