import {
  SecretValue,
  type OrderTrigger,
  type SecretSource,
  type Shop,
  type ShopErpScope,
  type ShopRow,
  type ShopSecretField,
  type ShopView,
} from 'src/modules/shops/domain/shop.types';

/** What the environment says about the shop SHOPIFY_SHOP_DOMAIN names: the defaults of its unset columns. */
export interface EnvironmentShop {
  domain: string;
  webhookSecrets: readonly string[];
  adminAccessToken?: string;
  adminApiUrl: string;
  erpScope: ShopErpScope;
  /** ORDER_TRIGGER and HOLD_HIGH_RISK_ORDERS. */
  orderTrigger: OrderTrigger;
  holdHighRiskOrders: boolean;
}

/**
 * @description The order trigger and high-risk hold in effect for a row: stored, else the environment's for the
 * bootstrap shop, else `created` and no hold (what every shop did before they existed).
 */
export function orderReleaseSettings(
  row: Pick<ShopRow, 'domain' | 'orderTrigger' | 'holdHighRiskOrders'>,
  env: Pick<EnvironmentShop, 'domain' | 'orderTrigger' | 'holdHighRiskOrders'>,
): { orderTrigger: OrderTrigger; holdHighRiskOrders: boolean } {
  const bootstrap = row.domain === env.domain;
  return {
    orderTrigger: row.orderTrigger ?? (bootstrap ? env.orderTrigger : 'created'),
    holdHighRiskOrders: row.holdHighRiskOrders ?? (bootstrap ? env.holdHighRiskOrders : false),
  };
}

/** The stored secrets of a row, opened; `open` throws (SecretDecryptError) for one it cannot open. */
export type OpenSecret = (sealed: string, field: ShopSecretField) => string;

/** Where each secret's AAD binds it: a ciphertext copied to another shop or field does not open. */
export function secretContext(domain: string, field: ShopSecretField): string {
  return `shops/${domain}/${field}`;
}

/** The default Admin GraphQL endpoint of a shop (Shopify's documented URL). */
export function defaultAdminApiUrl(domain: string, apiVersion: string): string {
  return `https://${domain}/admin/api/${apiVersion}/graphql.json`;
}

/**
 * @description A stored row as the product uses it. The bootstrap shop's unset columns take the environment's values
 * (its secrets, Admin API URL and ERP scope), so that a deployment configured by environment alone keeps working, and
 * a value set through the API wins over the environment from then on. Other shops have only what is stored.
 */
export function resolveShop(row: ShopRow, env: EnvironmentShop, apiVersion: string, open: OpenSecret): Shop {
  const bootstrap = row.domain === env.domain;
  const stored = (field: ShopSecretField): SecretValue | undefined => {
    const sealed = row[field];
    return sealed === null ? undefined : new SecretValue(open(sealed, field));
  };
  const current = stored('webhookSecret');
  const previous = stored('webhookSecretPrevious');
  const webhookSecrets =
    current !== undefined
      ? [current, ...(previous === undefined ? [] : [previous])]
      : bootstrap
        ? env.webhookSecrets.map((s) => new SecretValue(s))
        : [];
  const token = stored('adminAccessToken');
  const envToken = bootstrap && env.adminAccessToken !== undefined ? new SecretValue(env.adminAccessToken) : undefined;
  const fallback = (value: string | null, envValue: string | undefined): string | undefined =>
    value ?? (bootstrap ? envValue : undefined);
  return {
    domain: row.domain,
    enabled: row.enabled,
    currency: row.currency ?? undefined,
    erpScope: withoutUndefined({
      netsuiteSubsidiaryId: fallback(row.netsuiteSubsidiaryId, env.erpScope.netsuiteSubsidiaryId),
      netsuiteLocationId: fallback(row.netsuiteLocationId, env.erpScope.netsuiteLocationId),
      businessCentralCompanyId: fallback(row.businessCentralCompanyId, env.erpScope.businessCentralCompanyId),
      cin7Location: fallback(row.cin7Location, env.erpScope.cin7Location),
    }),
    adminApiUrl: row.adminApiUrl ?? (bootstrap ? env.adminApiUrl : defaultAdminApiUrl(row.domain, apiVersion)),
    webhookSecrets,
    adminAccessToken: token ?? envToken,
    ...orderReleaseSettings(row, env),
    bootstrap,
  };
}

/** What the API shows of a row: stored values and each secret's source, never a secret. */
export function toShopView(row: ShopRow, env: EnvironmentShop): ShopView {
  const bootstrap = row.domain === env.domain;
  const source = (field: ShopSecretField, fromEnv: boolean): SecretSource =>
    row[field] !== null ? 'stored' : bootstrap && fromEnv ? 'environment' : 'unset';
  const envCurrent = env.webhookSecrets[0] !== undefined;
  return {
    domain: row.domain,
    enabled: row.enabled,
    currency: row.currency ?? undefined,
    erpScope: withoutUndefined({
      netsuiteSubsidiaryId: row.netsuiteSubsidiaryId ?? undefined,
      netsuiteLocationId: row.netsuiteLocationId ?? undefined,
      businessCentralCompanyId: row.businessCentralCompanyId ?? undefined,
      cin7Location: row.cin7Location ?? undefined,
    }),
    adminApiUrl: row.adminApiUrl ?? undefined,
    secrets: {
      webhookSecret: source('webhookSecret', envCurrent),
      // The environment's previous secret applies only while no current one is stored (they are a pair).
      webhookSecretPrevious:
        row.webhookSecretPrevious !== null
          ? 'stored'
          : bootstrap && row.webhookSecret === null && env.webhookSecrets[1] !== undefined
            ? 'environment'
            : 'unset',
      adminAccessToken: source('adminAccessToken', env.adminAccessToken !== undefined),
    },
    ...orderReleaseSettings(row, env),
    bootstrap,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function withoutUndefined(scope: ShopErpScope): ShopErpScope {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined));
}
