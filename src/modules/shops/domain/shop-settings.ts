import { normalizeShopDomain } from 'src/modules/shops/domain/shop-domain';
import {
  ERP_SCOPE_FIELDS,
  ORDER_TRIGGERS,
  SHOP_SECRET_FIELDS,
  type OrderTrigger,
  type ShopErpScope,
  type ShopFieldError,
  type ShopRow,
  type ShopSecretField,
} from 'src/modules/shops/domain/shop.types';

/**
 * @description What an operator asks to set on a shop. A key left out keeps the stored value; `null` clears it (a
 * cleared column of the bootstrap shop follows the environment again). Secrets are plain here and nowhere after.
 */
export interface ShopSettings {
  enabled?: boolean;
  currency?: string | null;
  erpScope?: { [K in keyof ShopErpScope]?: string | null };
  adminApiUrl?: string | null;
  webhookSecret?: string | null;
  webhookSecretPrevious?: string | null;
  adminAccessToken?: string | null;
  /** When orders are first written to the ERP; null follows the default (docs/orders.md). */
  orderTrigger?: OrderTrigger | null;
  /** Hold orders Shopify rates high risk before their first ERP write; null follows the default. */
  holdHighRiskOrders?: boolean | null;
}

/** The ERP connector the deployment runs: it decides which scope fields a shop must have. */
export type ScopeConnector = 'sandbox' | 'netsuite' | 'business-central' | 'cin7';

/** Scope fields a shop of its own (not the environment's) must have for each connector. */
const REQUIRED_SCOPE: Record<ScopeConnector, ReadonlyArray<keyof ShopErpScope>> = {
  sandbox: [],
  netsuite: [],
  'business-central': ['businessCentralCompanyId'],
  cin7: ['cin7Location'],
};

const SCOPE_FORMAT: Record<keyof ShopErpScope, { pattern: RegExp; message: string }> = {
  netsuiteSubsidiaryId: { pattern: /^\d{1,18}$/, message: 'must be a NetSuite internal id (digits)' },
  netsuiteLocationId: { pattern: /^\d{1,18}$/, message: 'must be a NetSuite internal id (digits)' },
  businessCentralCompanyId: {
    pattern: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    message: 'must be a Business Central company id (a GUID, from GET …/api/v2.0/companies)',
  },
  // Cin7 Core names its locations; any printable name up to Cin7's 256 characters.
  cin7Location: { pattern: /^[^\p{Cc}]{1,256}$/u, message: 'must be a Cin7 location name (1–256 characters)' },
};

const SECRET_LIMITS: Record<ShopSecretField, { min: number; max: number }> = {
  webhookSecret: { min: 8, max: 1024 },
  webhookSecretPrevious: { min: 8, max: 1024 },
  adminAccessToken: { min: 8, max: 1024 },
};

/**
 * @description Every field-level problem of `settings` for the shop `existing` (undefined: a new shop). Messages
 * name the field and the rule, never the value (a secret's least of all). `canStoreSecrets` false: any secret given
 * is refused, naming SECRETS_ENCRYPTION_KEY.
 */
export function validateShopSettings(
  settings: ShopSettings,
  context: {
    existing?: ShopRow;
    bootstrap: boolean;
    connector: ScopeConnector;
    canStoreSecrets: boolean;
  },
): ShopFieldError[] {
  const errors: ShopFieldError[] = [];
  const { existing, bootstrap, connector } = context;
  if (settings.currency !== undefined && settings.currency !== null && !/^[A-Z]{3}$/.test(settings.currency)) {
    errors.push({ field: 'currency', message: 'must be an ISO 4217 code in capitals, such as EUR' });
  }
  if (
    settings.orderTrigger !== undefined &&
    settings.orderTrigger !== null &&
    !(ORDER_TRIGGERS as readonly string[]).includes(settings.orderTrigger)
  ) {
    errors.push({ field: 'orderTrigger', message: `must be one of ${ORDER_TRIGGERS.join(', ')}` });
  }
  for (const field of ERP_SCOPE_FIELDS) {
    const value = settings.erpScope?.[field];
    if (value !== undefined && value !== null && !SCOPE_FORMAT[field].pattern.test(value)) {
      errors.push({ field: `erpScope.${field}`, message: SCOPE_FORMAT[field].message });
    }
  }
  if (!bootstrap) {
    // The environment's shop falls back to the environment's values; a shop of its own has only what is stored.
    for (const field of REQUIRED_SCOPE[connector]) {
      const given = settings.erpScope?.[field];
      const stored = existing?.[field] ?? null;
      if (given === null || (given === undefined && stored === null)) {
        errors.push({ field: `erpScope.${field}`, message: `is required with ERP_CONNECTOR=${connector}` });
      }
    }
  }
  if (settings.adminApiUrl !== undefined && settings.adminApiUrl !== null && !isHttpUrl(settings.adminApiUrl)) {
    errors.push({ field: 'adminApiUrl', message: 'must be an absolute http(s) URL' });
  }
  for (const field of SHOP_SECRET_FIELDS) {
    const value = settings[field];
    if (value === undefined || value === null) {
      continue;
    }
    const { min, max } = SECRET_LIMITS[field];
    if (value.length < min || value.length > max) {
      errors.push({ field, message: `must be ${min} to ${max} characters` });
    } else if (!context.canStoreSecrets) {
      errors.push({ field, message: 'cannot be stored: SECRETS_ENCRYPTION_KEY is not set on the server' });
    }
  }
  const currentAfter =
    settings.webhookSecret === undefined ? (existing?.webhookSecret ?? null) : settings.webhookSecret;
  const previousAfter =
    settings.webhookSecretPrevious === undefined
      ? (existing?.webhookSecretPrevious ?? null)
      : settings.webhookSecretPrevious;
  if (previousAfter !== null && currentAfter === null) {
    errors.push({ field: 'webhookSecretPrevious', message: 'needs a stored webhookSecret (the current one)' });
  }
  if (!bootstrap && currentAfter === null && settings.webhookSecret !== undefined) {
    errors.push({ field: 'webhookSecret', message: 'is required: without it no webhook of the shop can be verified' });
  }
  return errors;
}

/** The shop key of an API argument, or its field error. */
export function parseShopArgument(text: string): { shop: string } | { error: ShopFieldError } {
  const shop = normalizeShopDomain(text);
  return shop === undefined
    ? { error: { field: 'shop', message: 'must be a myshopify domain such as my-store.myshopify.com' } }
    : { shop };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && text.length <= 2048;
  } catch {
    return false;
  }
}
