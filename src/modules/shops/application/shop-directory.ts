import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { errorMessage } from 'src/common/errors/app-error';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { resolveShop, secretContext, toShopView, type EnvironmentShop } from 'src/modules/shops/domain/resolve-shop';
import { SecretCipher, SecretDecryptError } from 'src/modules/shops/domain/secret-cipher';
import type { Shop, ShopRow, ShopView } from 'src/modules/shops/domain/shop.types';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';

/** How often each process checks whether the shops changed (one index-only query); changes made here apply at once. */
export const SHOPS_REFRESH_INTERVAL_MS = 2_000;

/** A stored secret that does not open: names the shop and field, never the value. */
export class ShopSecretUnreadableError extends Error {
  constructor(domain: string, field: string, cause: SecretDecryptError) {
    super(`shop ${domain}: stored ${field} cannot be decrypted: ${cause.message}`);
    this.name = ShopSecretUnreadableError.name;
  }
}

/**
 * @description Every shop of the deployment, kept in memory and refreshed when the `shops` table changes (checked
 * every SHOPS_REFRESH_INTERVAL_MS, and at once after a change made through this process), so that the webhook hot
 * path reads a Map instead of PostgreSQL. The port other modules use: `get` (synchronous, the hot path), `find` and
 * `list` (current to the moment: they check the table's version first). Shops carry their decrypted secrets as
 * SecretValue, for internal use only; the API shows `ShopView`s.
 */
@Injectable()
export class ShopDirectory implements OnModuleDestroy {
  private readonly logger = new Logger(ShopDirectory.name);
  private shops = new Map<string, Shop>();
  private rows: ShopRow[] = [];
  private version: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  readonly environmentShop: EnvironmentShop;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ShopRepository,
    private readonly cipher: SecretCipher,
  ) {
    this.environmentShop = environmentShopOf(config);
  }

  /** The shop SHOPIFY_SHOP_DOMAIN names (the one the environment bootstraps). */
  get bootstrapDomain(): string {
    return this.environmentShop.domain;
  }

  /** From memory, without I/O: the webhook hot path. Undefined for a shop unknown here (so far). */
  get(domain: string): Shop | undefined {
    return this.shops.get(domain);
  }

  /** The shop as the table holds it now (enabled or not); undefined when no shop has this domain. */
  async find(domain: string): Promise<Shop | undefined> {
    await this.refresh();
    return this.shops.get(domain);
  }

  /** Every shop, by domain, as the table holds it now. */
  async list(): Promise<readonly Shop[]> {
    await this.refresh();
    return [...this.shops.values()];
  }

  /**
   * The shops the ERP → Shopify writers deliver to, as the table holds them now: every enabled shop, the
   * environment's shop first.
   */
  async enabled(): Promise<Shop[]> {
    const shops = (await this.list()).filter((shop) => shop.enabled);
    return [...shops.filter((shop) => shop.bootstrap), ...shops.filter((shop) => !shop.bootstrap)];
  }

  /**
   * The enabled shops that sell the ERP catalogue the item and stock reads bring (read in the connector's own
   * scope): all of them, except with Business Central, where items and stock belong to a company, the shops of
   * another company than BC_COMPANY_ID. The environment's shop always (as before shops).
   */
  async catalogueShops(): Promise<Shop[]> {
    const company = this.environmentShop.erpScope.businessCentralCompanyId;
    return (await this.enabled()).filter(
      (shop) =>
        shop.bootstrap ||
        company === undefined ||
        shop.erpScope.businessCentralCompanyId?.toLowerCase() === company.toLowerCase(),
    );
  }

  /** Every shop as operators see it (no secret), by domain. */
  async views(): Promise<ShopView[]> {
    await this.refresh();
    return this.rows.map((row) => toShopView(row, this.environmentShop));
  }

  /** One shop as operators see it; undefined when no shop has this domain. */
  async view(domain: string): Promise<ShopView | undefined> {
    await this.refresh();
    const row = this.rows.find((r) => r.domain === domain);
    return row === undefined ? undefined : toShopView(row, this.environmentShop);
  }

  /**
   * Loads the shops if the table changed since the last load (one cheap query otherwise). Throws
   * ShopSecretUnreadableError when a stored secret does not open, keeping the previous copy.
   */
  async refresh(force = false): Promise<void> {
    // One load at a time, in call order: a load asked for after a change starts after it.
    const next = (this.loading ?? Promise.resolve()).catch(() => undefined).then(() => this.load(force));
    this.loading = next;
    return next;
  }

  /** Loads now and keeps checking every SHOPS_REFRESH_INTERVAL_MS until the module stops. */
  async start(): Promise<void> {
    await this.refresh(true);
    this.timer ??= setInterval(() => void this.poll(), SHOPS_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    try {
      await this.refresh();
    } catch (error: unknown) {
      // The previous copy stays in use; the message names the shop and field, never a secret.
      this.logger.error({ err: errorMessage(error) }, 'shops could not be refreshed');
    }
  }

  private async load(force: boolean): Promise<void> {
    const version = await this.repository.version();
    if (!force && version === this.version) {
      return;
    }
    const rows = await this.repository.list();
    const shops = new Map<string, Shop>();
    for (const row of rows) {
      shops.set(row.domain, this.resolve(row));
    }
    this.rows = rows;
    this.shops = shops;
    this.version = version;
  }

  private resolve(row: ShopRow): Shop {
    return resolveShop(row, this.environmentShop, this.config.shopify.apiVersion, (sealed, field) => {
      try {
        return this.cipher.decrypt(sealed, secretContext(row.domain, field));
      } catch (error: unknown) {
        throw error instanceof SecretDecryptError ? new ShopSecretUnreadableError(row.domain, field, error) : error;
      }
    });
  }
}

/** The bootstrap shop's defaults, from SHOPIFY_* and the selected connector's ERP scope variables. */
function environmentShopOf(config: AppConfig): EnvironmentShop {
  const erp = config.erp;
  return {
    domain: config.shopify.shopDomain,
    webhookSecrets: config.shopify.webhookSecrets,
    adminAccessToken: config.shopify.adminAccessToken,
    adminApiUrl: config.shopify.adminApiUrl,
    orderTrigger: config.shopify.orderTrigger,
    holdHighRiskOrders: config.shopify.holdHighRiskOrders,
    erpScope: {
      netsuiteSubsidiaryId: erp.connector === 'netsuite' ? erp.netsuite.subsidiaryId : undefined,
      netsuiteLocationId: erp.connector === 'netsuite' ? erp.netsuite.locationId : undefined,
      businessCentralCompanyId: erp.connector === 'business-central' ? erp.businessCentral.companyId : undefined,
      cin7Location: erp.connector === 'cin7' ? erp.cin7.location : undefined,
    },
  };
}
