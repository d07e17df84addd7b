import {
  needsShopifyCommitted,
  QuantityPolicyMode,
  shopifyAvailableFor,
  type ErpStock,
} from 'src/modules/inventory/domain/quantity-policy';

const stock = (onHand: number, available: number, committed: number | null = onHand - available): ErpStock => ({
  onHand,
  available,
  committed,
});

describe(shopifyAvailableFor.name, () => {
  it.each([
    // [mode, erp stock, shopify committed, expected available]
    ['erp available as is', QuantityPolicyMode.ErpAvailable, stock(10, 7), undefined, 7],
    ['erp available ignores Shopify committed', QuantityPolicyMode.ErpAvailable, stock(10, 7), 3, 7],
    ['fractional units floored', QuantityPolicyMode.ErpAvailable, stock(10.5, 7.75), undefined, 7],
    ['oversold ERP clamps to 0', QuantityPolicyMode.ErpAvailable, stock(2, -3), undefined, 0],
    ['on hand minus Shopify committed', QuantityPolicyMode.OnHandMinusShopifyCommitted, stock(10, 7), 2, 8],
    ['ERP committed is not subtracted again', QuantityPolicyMode.OnHandMinusShopifyCommitted, stock(10, 4, 6), 6, 4],
    ['more committed than on hand clamps', QuantityPolicyMode.OnHandMinusShopifyCommitted, stock(3, 3), 5, 0],
  ] as const)('%s', (_name, mode, erp, shopifyCommitted, expected) => {
    expect(shopifyAvailableFor(mode, erp, { isBundle: false, shopifyCommitted })).toEqual({
      push: true,
      quantity: expected,
    });
  });

  it('never pushes a bundle, in either mode', () => {
    for (const mode of [QuantityPolicyMode.ErpAvailable, QuantityPolicyMode.OnHandMinusShopifyCommitted]) {
      const decision = shopifyAvailableFor(mode, stock(10, 10), { isBundle: true, shopifyCommitted: 0 });
      expect(decision).toEqual({ push: false, reason: expect.stringContaining('bundle') as string });
    }
  });

  it('counts a reserved unit once: an order synced to the ERP gives the same result in both modes', () => {
    // 10 on hand; one Shopify order of 2 is unfulfilled: Shopify committed 2, and the ERP (order synced) committed 2.
    const erp = stock(10, 8, 2);
    const a = shopifyAvailableFor(QuantityPolicyMode.ErpAvailable, erp, { isBundle: false });
    const b = shopifyAvailableFor(QuantityPolicyMode.OnHandMinusShopifyCommitted, erp, {
      isBundle: false,
      shopifyCommitted: 2,
    });
    expect(a).toEqual({ push: true, quantity: 8 });
    expect(b).toEqual(a);
  });

  it('refuses to guess Shopify committed in the on-hand mode', () => {
    expect(() =>
      shopifyAvailableFor(QuantityPolicyMode.OnHandMinusShopifyCommitted, stock(1, 1), { isBundle: false }),
    ).toThrow(/committed/);
    expect(needsShopifyCommitted(QuantityPolicyMode.OnHandMinusShopifyCommitted)).toBe(true);
    expect(needsShopifyCommitted(QuantityPolicyMode.ErpAvailable)).toBe(false);
  });
});
