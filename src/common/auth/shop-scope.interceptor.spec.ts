import { AdminRole, type AdminCaller } from 'src/common/auth/admin-role';
import { shopOutsideScope } from 'src/common/auth/shop-scope.interceptor';

const SHOP_A = 'shop-a.myshopify.com';
const SHOP_B = 'shop-b.myshopify.com';
const scoped: AdminCaller = { keyId: '1', name: 'a', role: AdminRole.Viewer, shops: [SHOP_A] };
const everyShop: AdminCaller = { ...scoped, shops: null };

describe(shopOutsideScope.name, () => {
  it.each([
    ['a GraphQL connection', { edges: [{ node: { shop: SHOP_A } }, { node: { shop: SHOP_B } }] }],
    ['a REST page', { items: [{ shop: SHOP_A }, { shop: SHOP_B }], total: 2 }],
    ['a list', [{ shop: SHOP_B }]],
    ['one record', { id: '1', shop: 'SHOP-B.myshopify.com' }],
  ])('finds another shop in %s', (_name, answer) => {
    expect(shopOutsideScope(scoped, answer)?.toLowerCase()).toBe(SHOP_B);
  });

  it("passes the key's own shops, answers without a shop, and anything for a key of every shop", () => {
    expect(shopOutsideScope(scoped, { edges: [{ node: { shop: SHOP_A, createdAt: new Date() } }] })).toBeUndefined();
    expect(shopOutsideScope(scoped, { jobId: '7', body: Buffer.from('{"shop":"x"}') })).toBeUndefined();
    expect(shopOutsideScope(scoped, null)).toBeUndefined();
    expect(shopOutsideScope(everyShop, [{ shop: SHOP_B }])).toBeUndefined();
  });
});
