import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { toInt, urlOptions } from 'src/config/env-validators';
import type { ERP_CONNECTORS, EnvironmentVariables } from 'src/config/env.schema';

export const NETSUITE_AUTH_KINDS = ['oauth2-m2m', 'tba'] as const;
/** Signature algorithms NetSuite accepts for the OAuth 2.0 client credentials assertion. */
export const NETSUITE_JWT_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export const CIN7_DOCUMENT_STATUSES = ['AUTHORISED', 'DRAFT'] as const;

/** A non-empty string required when `condition` holds for the environment (e.g. the selected connector). */
function RequiredIf(condition: (env: EnvironmentVariables) => boolean): PropertyDecorator {
  return applyDecorators(ValidateIf(condition), IsString(), IsNotEmpty());
}

/** A non-empty string required when ERP_CONNECTOR selects this connector. */
function RequiredFor(connector: (typeof ERP_CONNECTORS)[number]): PropertyDecorator {
  return RequiredIf((env) => env.ERP_CONNECTOR === connector);
}

/**
 * The NETSUITE_*, BC_* and CIN7_* variables (docs/connectors/*.md): part of EnvironmentVariables, kept apart for size.
 * The root of the chain (PayoutSettings extends it), so that a config error still lists these variables after
 * EnvironmentVariables' own and before the payout, alert and order-release ones (class-validator's order).
 */
export class ErpConnectorSettings {
  // ERP connectors: required ones are checked only when that connector is selected (docs/connectors/*.md).
  @RequiredFor('netsuite') NETSUITE_ACCOUNT_ID?: string;
  /** `oauth2-m2m` (recommended; NetSuite accepts no new TBA integrations from 2027.1) or `tba`. */
  @IsOptional() @IsIn(NETSUITE_AUTH_KINDS) NETSUITE_AUTH: (typeof NETSUITE_AUTH_KINDS)[number] = 'oauth2-m2m';
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH !== 'tba') NETSUITE_CLIENT_ID?: string;
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH !== 'tba') NETSUITE_CERTIFICATE_ID?: string;
  /** PEM text of the certificate's private key (newlines may be written as \n). */
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH !== 'tba') NETSUITE_PRIVATE_KEY?: string;
  @IsOptional() @IsIn(NETSUITE_JWT_ALGORITHMS) NETSUITE_JWT_ALGORITHM?: (typeof NETSUITE_JWT_ALGORITHMS)[number];
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH === 'tba') NETSUITE_CONSUMER_KEY?: string;
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH === 'tba') NETSUITE_CONSUMER_SECRET?: string;
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH === 'tba') NETSUITE_TOKEN_ID?: string;
  @RequiredIf((e) => e.ERP_CONNECTOR === 'netsuite' && e.NETSUITE_AUTH === 'tba') NETSUITE_TOKEN_SECRET?: string;
  @IsOptional() @IsUrl(urlOptions) NETSUITE_BASE_URL?: string;
  @IsOptional() @IsUrl(urlOptions) NETSUITE_TOKEN_URL?: string;
  @IsOptional() @IsString() NETSUITE_SOURCE_UPDATED_AT_FIELD?: string;
  @IsOptional() @IsString() NETSUITE_SUBSIDIARY_ID?: string;
  @IsOptional() @IsString() NETSUITE_LOCATION_ID?: string;
  /** `EUR=1,USD=2`: ISO code → NetSuite currency internal id. */
  @IsOptional()
  @Matches(/^[A-Z]{3}=\d+(,[A-Z]{3}=\d+)*$/, { message: 'must be ISO=internalId pairs such as EUR=1,USD=2' })
  NETSUITE_CURRENCY_IDS?: string;
  @IsOptional() @IsString() NETSUITE_DISCOUNT_ITEM_ID?: string;
  @IsOptional() @IsString() NETSUITE_SHIP_METHOD_ID?: string;
  @IsOptional() @IsString() NETSUITE_SHIPPING_REFUND_ITEM_ID?: string;
  @IsOptional() @IsString() NETSUITE_ADJUSTMENT_ITEM_ID?: string;
  /** IANA time zone of the integration user (SuiteQL compares timestamps in it). */
  @IsOptional() @IsString() NETSUITE_TIME_ZONE?: string;
  @IsOptional() @IsString() NETSUITE_PRICE_LEVEL_ID?: string;
  /** Internal id of the price level read as the compare-at price; unset = no compare-at price. */
  @IsOptional()
  @Matches(/^\d+$/, { message: 'must be a price level internal id (digits)' })
  NETSUITE_COMPARE_AT_PRICE_LEVEL?: string;

  @RequiredFor('business-central') BC_TENANT_ID?: string;
  @RequiredFor('business-central') BC_ENVIRONMENT?: string;
  @RequiredFor('business-central') BC_COMPANY_ID?: string;
  @RequiredFor('business-central') BC_CLIENT_ID?: string;
  @RequiredFor('business-central') BC_CLIENT_SECRET?: string;
  /** G/L account number the shipping charge line is posted to. */
  @RequiredFor('business-central') BC_SHIPPING_ACCOUNT_NO?: string;
  @IsOptional() @IsUrl(urlOptions) BC_API_BASE_URL?: string;
  @IsOptional() @IsUrl(urlOptions) BC_TOKEN_URL?: string;
  @IsOptional() @IsString() BC_REFUND_ACCOUNT_NO?: string;
  @IsOptional() @IsString() BC_LOCAL_CURRENCY_CODE?: string;
  @IsOptional() @IsString() BC_INVENTORY_LOCATION_CODE?: string;
  @IsOptional() @IsString() BC_TRACKING_NUMBER_FIELD?: string;
  @IsOptional() @IsString() BC_CARRIER_FIELD?: string;
  /** The general journal batch payouts are written to (docs/payouts.md). */
  @IsOptional() @IsString() BC_PAYOUT_JOURNAL_CODE?: string;

  @RequiredFor('cin7') CIN7_ACCOUNT_ID?: string;
  @RequiredFor('cin7') CIN7_APPLICATION_KEY?: string;
  @RequiredFor('cin7') CIN7_LOCATION?: string;
  @RequiredFor('cin7') CIN7_TAX_RULE?: string;
  @RequiredFor('cin7') CIN7_PAYMENT_TERM?: string;
  @RequiredFor('cin7') CIN7_ACCOUNT_RECEIVABLE?: string;
  @RequiredFor('cin7') CIN7_REVENUE_ACCOUNT?: string;
  @IsOptional() @IsUrl(urlOptions) CIN7_BASE_URL?: string;
  @IsOptional() @IsString() CIN7_CUSTOMER_PRICE_TIER?: string;
  @IsOptional() @IsString() CIN7_SELLING_PRICE_TIER?: string;
  /** Number of the price tier (PriceTier1–PriceTier10) read as the compare-at price; unset = no compare-at price. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10)
  CIN7_COMPARE_AT_PRICE_TIER?: number;
  @IsOptional() @IsIn(CIN7_DOCUMENT_STATUSES) CIN7_ORDER_STATUS?: (typeof CIN7_DOCUMENT_STATUSES)[number];
  @IsOptional() @IsIn(CIN7_DOCUMENT_STATUSES) CIN7_CREDIT_NOTE_STATUS?: (typeof CIN7_DOCUMENT_STATUSES)[number];
}
