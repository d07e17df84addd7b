import { refusesStaleShopifyIds } from 'src/modules/products/domain/stale-shopify-ids';

describe(refusesStaleShopifyIds.name, () => {
  it.each([
    [[{ code: 'PRODUCT_DOES_NOT_EXIST' }], true],
    [[{ code: 'NEGATIVE_PRICE_VALUE' }, { code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' }], true],
    [[{ code: 'MUST_BE_FOR_THIS_PRODUCT' }], true],
    [[{ code: 'NEGATIVE_PRICE_VALUE' }], false],
    [[{ code: null }, {}], false],
    [[], false],
  ])('%j → %s', (errors, expected) => {
    expect(refusesStaleShopifyIds(errors)).toBe(expected);
  });
});
