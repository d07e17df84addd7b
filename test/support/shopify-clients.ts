import { ShopifyAdminClients } from 'src/modules/shopify/admin/shopify-admin-clients';
import type { ShopifyAdminPort } from 'src/modules/shopify/admin/shopify-admin.port';

/** Every shop's client is this one (specs of one shop, that build the client they want to observe). */
export function oneClientForEveryShop(client: ShopifyAdminPort): ShopifyAdminClients {
  return new ShopifyAdminClients(
    () => client,
    (domain) => Promise.resolve({ domain, adminApiUrl: `https://${domain}/admin/api/graphql.json` }),
  );
}
