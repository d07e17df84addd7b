import { normalizeShopifyOrderId, shopifyOrderGid } from 'src/modules/trace/domain/shopify-order-id';

describe(normalizeShopifyOrderId.name, () => {
  it.each([
    ['5612345678901', '5612345678901'],
    [' 5612345678901 ', '5612345678901'],
    ['gid://shopify/Order/5612345678901', '5612345678901'],
    ['gid://shopify/Order/5612345678901?from=admin', '5612345678901'],
    // Above 2^53: kept exact, as text.
    ['gid://shopify/Order/9007199254740993', '9007199254740993'],
  ])('%s is order %s', (input, expected) => {
    expect(normalizeShopifyOrderId(input)).toBe(expected);
  });

  it.each(['', '#1001', '12a', 'gid://shopify/Product/1', 'gid://shopify/Order/', '-1', '1'.repeat(21)])(
    '%s is no order id',
    (input) => {
      expect(normalizeShopifyOrderId(input)).toBeUndefined();
    },
  );

  it('round-trips through the GID form', () => {
    expect(normalizeShopifyOrderId(shopifyOrderGid('42'))).toBe('42');
  });
});
