import { forEachShop } from 'src/modules/shops/application/for-each-shop';
import type { Shop } from 'src/modules/shops/domain/shop.types';

const shop = (domain: string): Shop => ({
  domain,
  enabled: true,
  erpScope: {},
  adminApiUrl: `https://${domain}/admin/api/2026-10/graphql.json`,
  webhookSecrets: [],
  orderTrigger: 'created',
  holdHighRiskOrders: false,
  bootstrap: false,
});

describe(forEachShop.name, () => {
  it('runs every shop in turn and names each result with its shop', async () => {
    const order: string[] = [];
    const results = await forEachShop([shop('a.myshopify.com'), shop('b.myshopify.com')], (s) => {
      order.push(s.domain);
      return Promise.resolve({ written: s.domain.length });
    });
    expect(order).toEqual(['a.myshopify.com', 'b.myshopify.com']);
    expect(results).toEqual([
      { shop: 'a.myshopify.com', written: 15 },
      { shop: 'b.myshopify.com', written: 15 },
    ]);
  });

  it('a failing shop does not stop the others; its failure is thrown once all ran', async () => {
    const ran: string[] = [];
    await expect(
      forEachShop([shop('a.myshopify.com'), shop('b.myshopify.com'), shop('c.myshopify.com')], (s) => {
        ran.push(s.domain);
        return s.domain.startsWith('a') ? Promise.reject(new Error('a is down')) : Promise.resolve({});
      }),
    ).rejects.toThrow('a is down');
    expect(ran).toEqual(['a.myshopify.com', 'b.myshopify.com', 'c.myshopify.com']);
  });
});
