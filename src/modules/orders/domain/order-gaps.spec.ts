import type { ErpSalesOrderDocument } from 'src/modules/erp';
import { findOrderGaps, type GapShopifyOrder } from 'src/modules/orders/domain/order-gaps';

const order = (id: string, total: string, overrides: Partial<GapShopifyOrder> = {}): GapShopifyOrder => ({
  id,
  name: `#${id}`,
  createdAt: '2026-12-01T10:00:00Z',
  shopTotal: { amount: total, currency: 'EUR' },
  presentmentTotal: { amount: total, currency: 'EUR' },
  ...overrides,
});

const doc = (
  externalId: string,
  total: string,
  overrides: Partial<ErpSalesOrderDocument> = {},
): ErpSalesOrderDocument => ({
  erpId: `so-${externalId}-${total}`,
  externalId,
  matchedBy: 'externalId',
  total,
  ...overrides,
});

describe(findOrderGaps.name, () => {
  it('names orders without a document as missing and orders with two as duplicated, in the orders’ order', () => {
    const gaps = findOrderGaps(
      [order('1', '10.00'), order('2', '20.00'), order('3', '30.00')],
      [doc('2', '20.00'), doc('2', '20.00', { erpId: 'copy', matchedBy: 'reference' }), doc('9', '1.00')],
      '0.05',
    );

    expect(gaps.missing.map((m) => m.orderId)).toEqual(['1', '3']);
    expect(gaps.duplicated).toEqual([
      {
        orderId: '2',
        name: '#2',
        documents: [doc('2', '20.00'), doc('2', '20.00', { erpId: 'copy', matchedBy: 'reference' })],
      },
    ]);
    expect(gaps.totalMismatches).toEqual([]);
    // The document of an order outside the list is not counted.
    expect(gaps).toMatchObject({ orders: 3, documents: 2 });
  });

  it.each([
    ['equal, written differently', '94.00', '94', 0, 0],
    ['off by the tolerance exactly: the rounding policy allows it', '94.00', '94.05', 0, 1],
    ['off by a cent below: within', '94.00', '93.99', 0, 1],
    ['off by one cent more than the tolerance', '94.00', '94.06', 1, 0],
    ['off by a lot', '94.00', '84.00', 1, 0],
  ])('%s (Shopify %s, ERP %s)', (_case, shopify, erp, mismatches, within) => {
    const gaps = findOrderGaps([order('1', shopify)], [doc('1', erp)], '0.05');

    expect(gaps.totalMismatches).toHaveLength(mismatches);
    expect(gaps.withinTolerance).toBe(within);
  });

  it('gives the exact decimal difference of a mismatch, Shopify minus ERP', () => {
    const gaps = findOrderGaps([order('1', '100.10')], [doc('1', '100.3', { documentNumber: 'SO1' })], '0.05');

    expect(gaps.totalMismatches).toEqual([
      {
        orderId: '1',
        name: '#1',
        erpId: 'so-1-100.3',
        documentNumber: 'SO1',
        currency: 'EUR',
        shopifyTotal: '100.10',
        erpTotal: '100.30',
        difference: '-0.20',
      },
    ]);
  });

  it('compares in the document’s currency: presentment, shop, or presentment when the ERP leaves it implicit', () => {
    const markets = order('1', '100.00', {
      shopTotal: { amount: '100.00', currency: 'EUR' },
      presentmentTotal: { amount: '110.00', currency: 'USD' },
    });

    expect(findOrderGaps([markets], [doc('1', '110.00', { currency: 'USD' })], '0.05').totalMismatches).toEqual([]);
    expect(findOrderGaps([markets], [doc('1', '100.00', { currency: 'EUR' })], '0.05').totalMismatches).toEqual([]);
    expect(findOrderGaps([markets], [doc('1', '110.00')], '0.05').totalMismatches).toEqual([]);
    expect(findOrderGaps([markets], [doc('1', '100.00')], '0.05').totalMismatches).toHaveLength(1);
    // A currency that is neither of the order's: reported, with no difference to give.
    const other = findOrderGaps([markets], [doc('1', '100.00', { currency: 'GBP' })], '0.05').totalMismatches;
    expect(other).toHaveLength(1);
    expect(other[0]?.difference).toBeUndefined();
  });

  it('does not compare the totals of a duplicated order', () => {
    const gaps = findOrderGaps([order('1', '10.00')], [doc('1', '99.00'), doc('1', '10.00')], '0.05');

    expect(gaps.duplicated).toHaveLength(1);
    expect(gaps.totalMismatches).toEqual([]);
  });
});
