import type { ShopifyAdminPort } from 'src/modules/shopify/admin/shopify-admin.port';

/**
 * @description The shop a client talks to: its myshopify domain (the key of its cost bucket), its Admin GraphQL
 * endpoint and its token. The shops module's `Shop` is one.
 */
export interface ShopifyShopTarget {
  domain: string;
  adminApiUrl: string;
  adminAccessToken?: { reveal(): string };
}

/** Builds the client of one shop (the module binds it to the Redis-shared bucket of that shop's domain). */
export type ShopifyAdminClientFactory = (settings: {
  domain: string;
  adminApiUrl: string;
  accessToken?: string;
}) => ShopifyAdminPort;

/**
 * The Admin GraphQL client of each shop: its own endpoint, token and cost bucket (Shopify meters each store apart;
 * the bucket is keyed by the shop's domain in Redis, shared by every process). One client per shop is kept while
 * its endpoint and token stay the same, so what it learnt of each document's cost carries over from run to run; a
 * change of either (through the shops API) gives the shop a new client at its next use.
 */
export class ShopifyAdminClients {
  private readonly clients = new Map<string, { url: string; token: string | undefined; client: ShopifyAdminPort }>();

  /**
   * @param create builds a shop's client
   * @param find the shop of a domain as the deployment holds it now (the shops module's directory)
   */
  constructor(
    private readonly create: ShopifyAdminClientFactory,
    private readonly find: (domain: string) => Promise<ShopifyShopTarget | undefined>,
  ) {}

  /** The client of the shop with this domain; throws when the deployment has no such shop. */
  async forDomain(domain: string): Promise<ShopifyAdminPort> {
    const shop = await this.find(domain);
    if (shop === undefined) {
      throw new Error(`no shop ${domain} in this deployment: no Shopify Admin API client for it`);
    }
    return this.forShop(shop);
  }

  forShop(shop: ShopifyShopTarget): ShopifyAdminPort {
    const token = shop.adminAccessToken?.reveal();
    const kept = this.clients.get(shop.domain);
    if (kept !== undefined && kept.url === shop.adminApiUrl && kept.token === token) {
      return kept.client;
    }
    const client = this.create({ domain: shop.domain, adminApiUrl: shop.adminApiUrl, accessToken: token });
    this.clients.set(shop.domain, { url: shop.adminApiUrl, token, client });
    return client;
  }
}
