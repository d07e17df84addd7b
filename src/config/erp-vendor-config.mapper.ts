import type {
  BusinessCentralConfig,
  Cin7Config,
  ErpVendorConfig,
  NetsuiteAuthConfig,
  NetsuiteConfig,
  PaymentTermsMap,
} from 'src/config/app-config';
import { ConfigError } from 'src/config/config.error';
import type { EnvironmentVariables } from 'src/config/env.schema';
import { parsePaymentTermsMap } from 'src/config/payment-terms-map.parser';

type VariableName = keyof EnvironmentVariables;

/**
 * @description ERP_CONNECTOR and the typed section of the connector it selects, from the validated environment. The
 * other connectors' variables are not carried into the app. Parsing happens here (currency pairs, the private key's
 * written `\n`s, the authentication scheme), so connectors get plain typed values.
 */
export function erpVendorConfig(env: EnvironmentVariables): ErpVendorConfig {
  switch (env.ERP_CONNECTOR) {
    case 'sandbox':
      return { connector: 'sandbox', sandbox: { url: env.SANDBOX_ERP_URL, paymentTermsMap: paymentTermsMap(env) } };
    case 'netsuite':
      return { connector: 'netsuite', netsuite: netsuiteConfig(env) };
    case 'business-central':
      return { connector: 'business-central', businessCentral: businessCentralConfig(env) };
    case 'cin7':
      return { connector: 'cin7', cin7: cin7Config(env) };
  }
}

function netsuiteConfig(env: EnvironmentVariables): NetsuiteConfig {
  return {
    accountId: required(env, 'NETSUITE_ACCOUNT_ID'),
    baseUrl: env.NETSUITE_BASE_URL,
    tokenUrl: env.NETSUITE_TOKEN_URL,
    auth: netsuiteAuth(env),
    sourceUpdatedAtField: env.NETSUITE_SOURCE_UPDATED_AT_FIELD,
    subsidiaryId: env.NETSUITE_SUBSIDIARY_ID,
    locationId: env.NETSUITE_LOCATION_ID,
    currencyIds: env.NETSUITE_CURRENCY_IDS === undefined ? undefined : currencyIds(env.NETSUITE_CURRENCY_IDS),
    discountItemId: env.NETSUITE_DISCOUNT_ITEM_ID,
    shipMethodId: env.NETSUITE_SHIP_METHOD_ID,
    shippingRefundItemId: env.NETSUITE_SHIPPING_REFUND_ITEM_ID,
    adjustmentItemId: env.NETSUITE_ADJUSTMENT_ITEM_ID,
    timeZone: env.NETSUITE_TIME_ZONE,
    priceLevelId: env.NETSUITE_PRICE_LEVEL_ID,
    compareAtPriceLevelId: env.NETSUITE_COMPARE_AT_PRICE_LEVEL,
    paymentTermsMap: paymentTermsMap(env),
  };
}

function netsuiteAuth(env: EnvironmentVariables): NetsuiteAuthConfig {
  switch (env.NETSUITE_AUTH) {
    case 'tba':
      return {
        kind: 'tba',
        consumerKey: required(env, 'NETSUITE_CONSUMER_KEY'),
        consumerSecret: required(env, 'NETSUITE_CONSUMER_SECRET'),
        tokenId: required(env, 'NETSUITE_TOKEN_ID'),
        tokenSecret: required(env, 'NETSUITE_TOKEN_SECRET'),
      };
    case 'oauth2-m2m':
      return {
        kind: 'oauth2-m2m',
        clientId: required(env, 'NETSUITE_CLIENT_ID'),
        certificateId: required(env, 'NETSUITE_CERTIFICATE_ID'),
        // A PEM does not fit on one line of an env file, so its newlines may be written as `\n`.
        privateKeyPem: required(env, 'NETSUITE_PRIVATE_KEY').replace(/\\n/g, '\n'),
        algorithm: env.NETSUITE_JWT_ALGORITHM,
      };
  }
}

/** `EUR=1,USD=2` (shape checked by env.schema) → `{ EUR: '1', USD: '2' }`. */
function currencyIds(pairs: string): Record<string, string> {
  return Object.fromEntries(
    pairs.split(',').map((pair) => {
      const [code = '', id = ''] = pair.split('=');
      return [code, id];
    }),
  );
}

function businessCentralConfig(env: EnvironmentVariables): BusinessCentralConfig {
  return {
    tenantId: required(env, 'BC_TENANT_ID'),
    environment: required(env, 'BC_ENVIRONMENT'),
    companyId: required(env, 'BC_COMPANY_ID'),
    clientId: required(env, 'BC_CLIENT_ID'),
    clientSecret: required(env, 'BC_CLIENT_SECRET'),
    apiBaseUrl: env.BC_API_BASE_URL,
    tokenUrl: env.BC_TOKEN_URL,
    shippingAccountNumber: required(env, 'BC_SHIPPING_ACCOUNT_NO'),
    refundAccountNumber: env.BC_REFUND_ACCOUNT_NO,
    localCurrencyCode: env.BC_LOCAL_CURRENCY_CODE,
    inventoryLocationCode: env.BC_INVENTORY_LOCATION_CODE,
    trackingNumberField: env.BC_TRACKING_NUMBER_FIELD,
    carrierField: env.BC_CARRIER_FIELD,
    payoutJournalCode: env.BC_PAYOUT_JOURNAL_CODE,
    paymentTermsMap: paymentTermsMap(env),
  };
}

function cin7Config(env: EnvironmentVariables): Cin7Config {
  return {
    accountId: required(env, 'CIN7_ACCOUNT_ID'),
    applicationKey: required(env, 'CIN7_APPLICATION_KEY'),
    baseUrl: env.CIN7_BASE_URL,
    location: required(env, 'CIN7_LOCATION'),
    taxRule: required(env, 'CIN7_TAX_RULE'),
    paymentTerm: required(env, 'CIN7_PAYMENT_TERM'),
    accountReceivable: required(env, 'CIN7_ACCOUNT_RECEIVABLE'),
    revenueAccount: required(env, 'CIN7_REVENUE_ACCOUNT'),
    customerPriceTier: env.CIN7_CUSTOMER_PRICE_TIER,
    sellingPriceTier: env.CIN7_SELLING_PRICE_TIER,
    compareAtPriceTier: env.CIN7_COMPARE_AT_PRICE_TIER,
    orderStatus: env.CIN7_ORDER_STATUS,
    creditNoteStatus: env.CIN7_CREDIT_NOTE_STATUS,
    paymentTermsMap: paymentTermsMap(env),
  };
}

/** ERP_PAYMENT_TERMS_MAP's entries, or undefined when unset; env.schema has already refused a malformed map. */
function paymentTermsMap(env: EnvironmentVariables): PaymentTermsMap | undefined {
  if (env.ERP_PAYMENT_TERMS_MAP === undefined) {
    return undefined;
  }
  const parsed = parsePaymentTermsMap(env.ERP_PAYMENT_TERMS_MAP);
  if (!parsed.ok) {
    throw new ConfigError(`Invalid configuration: ERP_PAYMENT_TERMS_MAP ${parsed.reason}`);
  }
  return parsed.map;
}

/**
 * A variable env.schema requires for the selected connector. Validation has already refused its absence, so this
 * only narrows the type; should the two ever disagree, the app still stops with the variable named.
 */
function required(env: EnvironmentVariables, name: VariableName): string {
  const value = env[name];
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`Invalid configuration: ${name} is missing`);
  }
  return value;
}
