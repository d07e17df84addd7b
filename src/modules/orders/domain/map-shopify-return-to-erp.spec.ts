import type { GqlReturn } from 'src/modules/orders/application/order-returns.shopify-graphql';
import { mapShopifyReturnToErp } from 'src/modules/orders/domain/map-shopify-return-to-erp';
import { OrderError } from 'src/modules/orders/domain/order.errors';

const order = { orderId: '5001', reference: '#1001', customerExternalId: '9001' };
const usd = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' } });

function aReturn(overrides: Partial<GqlReturn> = {}): GqlReturn {
  return {
    id: 'gid://shopify/Return/7001',
    name: '#1001-R1',
    status: 'OPEN',
    createdAt: '2026-10-05T10:00:00Z',
    requestApprovedAt: '2026-10-05T11:00:00Z',
    order: {
      id: 'gid://shopify/Order/5001',
      legacyResourceId: '5001',
      name: '#1001',
      currencyCode: 'USD',
      taxesIncluded: false,
    },
    returnLineItems: {
      nodes: [
        {
          __typename: 'ReturnLineItem',
          id: 'gid://shopify/ReturnLineItem/81',
          quantity: 3,
          returnReasonDefinition: { handle: 'defective' },
          fulfillmentLineItem: {
            id: 'gid://shopify/FulfillmentLineItem/61',
            lineItem: { id: 'gid://shopify/LineItem/41', sku: 'TEE-M', name: 'Tee - M' },
          },
        },
      ],
    },
    exchangeLineItems: { nodes: [] },
    reverseFulfillmentOrders: { nodes: [] },
    ...overrides,
  };
}

describe(mapShopifyReturnToErp.name, () => {
  it('maps an approved return to lines by SKU, expected back to stock, keyed by the return id, with no money', () => {
    const result = mapShopifyReturnToErp(aReturn(), order);
    expect(result).toEqual({
      outcome: 'draft',
      draft: {
        externalId: '7001',
        name: '#1001-R1',
        orderExternalId: '5001',
        orderReference: '#1001',
        customerExternalId: '9001',
        returnDate: '2026-10-05T11:00:00Z',
        lines: [
          {
            externalLineId: '81',
            orderLineExternalId: '41',
            sku: 'TEE-M',
            description: 'Tee - M',
            quantity: 3,
            restock: true,
            reason: 'defective',
          },
        ],
      },
    });
  });

  it.each(['REQUESTED', 'DECLINED', 'CANCELED'] as const)('writes nothing for a %s return', (status) => {
    expect(mapShopifyReturnToErp(aReturn({ status }), order)).toEqual({ outcome: 'not-approved', status });
  });

  it('splits a line by its dispositions: restocked and not restocked, the rest expected back', () => {
    const ret = aReturn({
      reverseFulfillmentOrders: {
        nodes: [
          {
            lineItems: {
              nodes: [
                {
                  fulfillmentLineItem: { id: 'gid://shopify/FulfillmentLineItem/61' },
                  dispositions: [
                    { type: 'NOT_RESTOCKED', quantity: 1 },
                    { type: 'MISSING', quantity: 1 },
                  ],
                },
              ],
            },
          },
        ],
      },
    });
    const result = mapShopifyReturnToErp(ret, order);
    if (result.outcome !== 'draft') {
      throw new Error('expected a draft');
    }
    expect(result.draft.lines.map((l) => [l.externalLineId, l.quantity, l.restock])).toEqual([
      ['81-restock', 1, true],
      ['81-no-restock', 2, false],
    ]);
    expect(result.draft.lines.reduce((sum, l) => sum + l.quantity, 0)).toBe(3);
  });

  it('makes the exchange items a new sales order <order>-exchange-<return> at the prices Shopify charged', () => {
    const ret = aReturn({
      exchangeLineItems: {
        nodes: [
          {
            id: 'gid://shopify/ExchangeLineItem/91',
            quantity: 2,
            lineItems: [
              {
                id: 'gid://shopify/LineItem/42',
                sku: 'TEE-L',
                name: 'Tee - L',
                quantity: 2,
                originalUnitPriceSet: usd('20.00'),
                taxLines: [{ title: 'VAT', rate: 0.1, priceSet: usd('3.60') }],
                discountAllocations: [{ allocatedAmountSet: usd('4.00') }],
              },
            ],
          },
        ],
      },
    });
    const result = mapShopifyReturnToErp(ret, order);
    if (result.outcome !== 'draft') {
      throw new Error('expected a draft');
    }
    const exchange = result.draft.exchangeOrder;
    expect(exchange).toMatchObject({
      externalId: '5001-exchange-7001',
      customerExternalId: '9001',
      currency: 'USD',
      status: 'open',
      subtotal: '36.00',
      discountTotal: '4.00',
      taxTotal: '3.60',
      shippingTotal: '0',
      total: '39.60',
    });
    expect(exchange?.lines).toEqual([
      expect.objectContaining({ sku: 'TEE-L', quantity: 2, unitPrice: '20.00', lineTotal: '36.00', taxAmount: '3.60' }),
    ]);
  });

  it('refuses an unverified return line and a line without SKU (the ERP resolves items by SKU)', () => {
    const unverified = aReturn({
      returnLineItems: {
        nodes: [
          {
            __typename: 'UnverifiedReturnLineItem',
            id: 'gid://shopify/UnverifiedReturnLineItem/1',
            quantity: 1,
            returnReasonDefinition: null,
          },
        ],
      },
    });
    expect(() => mapShopifyReturnToErp(unverified, order)).toThrow(OrderError);
    const noSku = aReturn();
    const line = noSku.returnLineItems.nodes[0];
    if (line?.fulfillmentLineItem !== undefined) {
      line.fulfillmentLineItem.lineItem.sku = null;
    }
    expect(() => mapShopifyReturnToErp(noSku, order)).toThrow(/has no SKU/);
  });
});
