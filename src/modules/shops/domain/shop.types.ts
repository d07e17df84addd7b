import { inspect } from 'node:util';

/**
 * @description Where a shop's ERP writes go: the parts of the ERP account that differ between the stores of one
 * merchant. Each connector reads only its own: NetSuite the subsidiary (and location) on sales orders and customers,
 * Business Central the company every request is addressed to, Cin7 Core the location sales are fulfilled from.
 */
export interface ShopErpScope {
  netsuiteSubsidiaryId?: string;
  netsuiteLocationId?: string;
  businessCentralCompanyId?: string;
  cin7Location?: string;
}

/** @description When an order is first written to the ERP: at creation, once paid, or once fulfilled. */
export type OrderTrigger = 'created' | 'paid' | 'fulfilled';

/** The order triggers, in the order the API and the docs show them. */
export const ORDER_TRIGGERS: readonly OrderTrigger[] = ['created', 'paid', 'fulfilled'];

/** The ERP scope fields, in the order the API and the docs show them. */
export const ERP_SCOPE_FIELDS = [
  'netsuiteSubsidiaryId',
  'netsuiteLocationId',
  'businessCentralCompanyId',
  'cin7Location',
] as const satisfies ReadonlyArray<keyof ShopErpScope>;

/** The secrets a shop holds: write-only through the API, encrypted at rest, never logged. */
export const SHOP_SECRET_FIELDS = ['webhookSecret', 'webhookSecretPrevious', 'adminAccessToken'] as const;
export type ShopSecretField = (typeof SHOP_SECRET_FIELDS)[number];

/**
 * @description A secret in memory. It prints, logs and serialises as `[secret]`, so that a shop handed to a logger or
 * to JSON.stringify by mistake shows nothing; `reveal()` is the one way to read it, at the point of use.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}

/**
 * @description Where a secret of a shop comes from: stored (encrypted) in PostgreSQL, from the environment (only the
 * shop SHOPIFY_SHOP_DOMAIN bootstraps, while nothing is stored for it), or nowhere.
 */
export type SecretSource = 'stored' | 'environment' | 'unset';

/**
 * @description One Shopify store as the product uses it internally, with its secrets decrypted and its settings
 * resolved (for the bootstrap shop, the environment's values where nothing was stored). Never returned by the API:
 * `ShopView` is what operators see.
 */
export interface Shop {
  /** The myshopify domain, lower case: `my-store.myshopify.com`. */
  domain: string;
  enabled: boolean;
  /** ISO 4217, the store's currency; undefined when not set. */
  currency?: string;
  erpScope: ShopErpScope;
  /** Shopify Admin GraphQL endpoint of this shop (a simulator's in tests and the demo). */
  adminApiUrl: string;
  /** Current secret first, then the previous one during a rotation window; empty = no webhook can be verified. */
  webhookSecrets: readonly SecretValue[];
  adminAccessToken?: SecretValue;
  /** When its orders are first written to the ERP. */
  orderTrigger: OrderTrigger;
  /** Whether orders Shopify rates high risk are held before their first ERP write. */
  holdHighRiskOrders: boolean;
  /** This is the shop SHOPIFY_SHOP_DOMAIN names. */
  bootstrap: boolean;
}

/** @description A shop as the admin API shows it: each secret's source, never its value. */
export interface ShopView {
  domain: string;
  enabled: boolean;
  currency?: string;
  erpScope: ShopErpScope;
  /** The stored override of the Admin API URL, if any. */
  adminApiUrl?: string;
  secrets: Record<ShopSecretField, SecretSource>;
  /** In effect (stored, else the environment's for the bootstrap shop, else `created`). */
  orderTrigger: OrderTrigger;
  /** In effect (stored, else the environment's for the bootstrap shop, else false). */
  holdHighRiskOrders: boolean;
  bootstrap: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** @description A field's validation error, named as the API names the field (`erpScope.cin7Location`). */
export interface ShopFieldError {
  field: string;
  message: string;
}

/** A `shops` row as stored: the secret columns hold sealed values (SecretCipher), never plain text. */
export interface ShopRow {
  domain: string;
  enabled: boolean;
  currency: string | null;
  netsuiteSubsidiaryId: string | null;
  netsuiteLocationId: string | null;
  businessCentralCompanyId: string | null;
  cin7Location: string | null;
  adminApiUrl: string | null;
  webhookSecret: string | null;
  webhookSecretPrevious: string | null;
  adminAccessToken: string | null;
  orderTrigger: OrderTrigger | null;
  holdHighRiskOrders: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The settable columns: a key absent leaves the column as it is; `null` clears it. */
export type ShopRowPatch = Partial<Omit<ShopRow, 'domain' | 'createdAt' | 'updatedAt'>>;
