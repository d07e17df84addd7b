import {
  parseLocationId,
  readEntityId,
  readLineKeys,
  refundExternalId,
  toCloseLinesPatch,
  toNetsuiteCreditMemo,
  toNetsuiteCustomer,
  toNetsuiteExternalId,
  toNetsuiteSalesOrder,
  type NetsuiteRecordDefaults,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpRefundDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

const defaults: NetsuiteRecordDefaults = { sourceUpdatedAtField: 'custbody_shopify_updated_at' };
const itemIds = new Map([
  ['TSHIRT-BLK-M', '55'],
  ['MUG', '56'],
]);

const order: ErpSalesOrderDraft = {
  externalId: '6004604174410',
  reference: '#1019',
  orderDate: '2026-10-05T19:09:48+02:00',
  sourceUpdatedAt: '2026-10-05T19:09:49+02:00',
  currency: 'EUR',
  taxesIncluded: true,
  status: 'open',
  customerExternalId: '7001',
  email: 'ana@example.com',
  shippingAddress: { name: 'Ana Lima', company: 'Lima Lda', line1: 'Rua 1', city: 'Lisboa', countryCode: 'PT' },
  lines: [
    {
      externalLineId: 'l1',
      sku: 'TSHIRT-BLK-M',
      description: 'T-Shirt - Black / M',
      quantity: 2,
      unitPrice: '44.50',
      discountAmount: '5.00',
      taxAmount: '15.67',
      lineTotal: '84.00',
      taxLines: [],
    },
    {
      externalLineId: 'l2',
      sku: 'MUG',
      description: 'Mug',
      quantity: 1,
      unitPrice: '10.00',
      discountAmount: '0.00',
      taxAmount: '0.00',
      lineTotal: '10.00',
      taxLines: [],
    },
  ],
  shippingLines: [],
  discountCodes: ['WELCOME5'],
  subtotal: '94.00',
  discountTotal: '5.00',
  shippingTotal: '10.00',
  taxTotal: '15.67',
  total: '104.00',
  note: 'Leave at the door',
};

describe(toNetsuiteExternalId.name, () => {
  it('keeps keys NetSuite accepts and hashes the others deterministically', () => {
    expect(toNetsuiteExternalId('6004604174410')).toBe('6004604174410');
    expect(toNetsuiteExternalId('shopify-refund_1')).toBe('shopify-refund_1');
    const guest = toNetsuiteExternalId('email:ana@example.com');
    expect(guest).toMatch(/^ext-[0-9a-f]{40}$/);
    expect(toNetsuiteExternalId('email:ana@example.com')).toBe(guest);
    expect(refundExternalId('555')).toBe('shopify-refund-555');
  });
});

describe(toNetsuiteCustomer.name, () => {
  it('maps a person, a company and a nameless guest', () => {
    expect(
      toNetsuiteCustomer(
        { externalId: '1', email: 'a@b.c', firstName: 'Ana', lastName: 'Lima', currency: 'EUR' },
        {
          ...defaults,
          subsidiaryId: '2',
          currencyIds: { EUR: '4' },
        },
      ),
    ).toEqual({
      isPerson: true,
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'a@b.c',
      subsidiary: { id: '2' },
      currency: { id: '4' },
    });
    expect(toNetsuiteCustomer({ externalId: '1', company: 'Acme', currency: 'USD' }, defaults)).toEqual({
      isPerson: false,
      companyName: 'Acme',
    });
    expect(toNetsuiteCustomer({ externalId: 'email:g@x.y', email: 'g@x.y', currency: 'USD' }, defaults)).toEqual({
      isPerson: true,
      lastName: 'g@x.y',
      email: 'g@x.y',
    });
  });
});

describe(toNetsuiteSalesOrder.name, () => {
  it('maps lines by item id with net amounts, the reference, updated_at and addresses', () => {
    const body = toNetsuiteSalesOrder(order, { id: '900' }, itemIds, { ...defaults, locationId: '1' }, false);
    expect(body).toEqual({
      entity: { id: '900' },
      tranDate: '2026-10-05',
      otherRefNum: '#1019',
      orderStatus: 'B',
      memo: 'Leave at the door',
      email: 'ana@example.com',
      location: { id: '1' },
      shippingCost: 10,
      shippingAddress: { addressee: 'Lima Lda', attention: 'Ana Lima', addr1: 'Rua 1', city: 'Lisboa', country: 'PT' },
      item: {
        items: [
          {
            item: { id: '55' },
            quantity: 2,
            rate: 44.5,
            amount: 84,
            description: 'T-Shirt - Black / M',
            isClosed: false,
          },
          { item: { id: '56' }, quantity: 1, rate: 10, amount: 10, description: 'Mug', isClosed: false },
        ],
      },
      custbody_shopify_updated_at: '2026-10-05T19:09:49+02:00',
    });
  });

  it('puts a discount item after each discounted line and closes every line when asked', () => {
    const body = toNetsuiteSalesOrder(order, { id: '900' }, itemIds, { ...defaults, discountItemId: '77' }, true);
    expect(body.item.items).toEqual([
      { item: { id: '55' }, quantity: 2, rate: 44.5, description: 'T-Shirt - Black / M', isClosed: true },
      { item: { id: '77' }, rate: -5, amount: -5, isClosed: true },
      { item: { id: '56' }, quantity: 1, rate: 10, description: 'Mug', isClosed: true },
    ]);
  });

  it('writes a Markets order in its currency with the exchange rate, and shipping net of its discount', () => {
    const markets: ErpSalesOrderDraft = {
      ...order,
      shippingLines: [
        { code: 'STD', description: 'Standard', amount: '6.90', discountAmount: '1.90', taxAmount: '0.00' },
      ],
      shippingTotal: '6.90',
      currencies: {
        shopCurrency: 'USD',
        presentmentCurrency: 'EUR',
        shopTotal: '117.05',
        presentmentTotal: '104.00',
        exchangeRate: '1.125481',
      },
    };
    const body = toNetsuiteSalesOrder(
      markets,
      { id: '42' },
      itemIds,
      { ...defaults, currencyIds: { EUR: '4' } },
      false,
    );
    expect(body).toMatchObject({ currency: { id: '4' }, exchangeRate: 1.125481, shippingCost: 5 });
    const shop = toNetsuiteSalesOrder(
      { ...markets, currency: 'USD' },
      { id: '42' },
      itemIds,
      { ...defaults, currencyIds: { USD: '1' } },
      false,
    );
    expect(shop.exchangeRate).toBeUndefined();
    expect(shop.currency).toEqual({ id: '1' });
  });

  it('keeps the line amounts summing to the subtotal after discounts', () => {
    const body = toNetsuiteSalesOrder(order, { id: '900' }, itemIds, defaults, false);
    const cents = body.item.items.reduce((sum, line) => sum + Math.round((line.amount ?? 0) * 100), 0);
    expect(cents).toBe(Math.round(Number(order.subtotal) * 100));
  });

  it('refuses a SKU without item id and a malformed amount as Permanent', () => {
    expect(() => toNetsuiteSalesOrder(order, { id: '9' }, new Map(), defaults, false)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_SKU' }),
    );
    const bad = { ...order, shippingTotal: '1,00' };
    expect(() => toNetsuiteSalesOrder(bad, { id: '9' }, itemIds, defaults, false)).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => toNetsuiteSalesOrder(order, { id: '9' }, itemIds, { sourceUpdatedAtField: 'memo' }, false)).toThrow(
      ErpError,
    );
  });
});

describe(toNetsuiteCreditMemo.name, () => {
  const refund: ErpRefundDraft = {
    externalId: '555',
    orderExternalId: '6004604174410',
    orderReference: '#1019',
    customerExternalId: '7001',
    refundDate: '2026-10-07T10:00:00+02:00',
    currency: 'EUR',
    lines: [
      {
        externalLineId: 'r1',
        orderLineExternalId: 'l2',
        sku: 'MUG',
        description: 'Mug',
        quantity: 1,
        amount: '8.13',
        taxAmount: '1.87',
        restock: true,
      },
    ],
    shippingAmount: '5.00',
    adjustmentAmount: '0.00',
    taxTotal: '1.87',
    total: '15.00',
  };

  it('credits the lines and refunded shipping, created from the order', () => {
    expect(
      toNetsuiteCreditMemo(refund, { id: '900' }, { id: '5001' }, itemIds, { ...defaults, shippingRefundItemId: '88' }),
    ).toEqual({
      entity: { id: '900' },
      createdFrom: { id: '5001' },
      tranDate: '2026-10-07',
      otherRefNum: '#1019',
      item: {
        items: [
          { item: { id: '56' }, quantity: 1, amount: 8.13, description: 'Mug' },
          { item: { id: '88' }, quantity: 1, amount: 5, description: 'Refunded shipping' },
        ],
      },
    });
  });

  it('says in the memo what it could not credit, and refuses an empty credit memo', () => {
    expect(toNetsuiteCreditMemo(refund, { id: '900' }, undefined, itemIds, defaults).memo).toBe(
      'Not credited here: shipping 5.00',
    );
    expect(() => toNetsuiteCreditMemo({ ...refund, lines: [] }, { id: '900' }, undefined, itemIds, defaults)).toThrow(
      expect.objectContaining({ code: 'NO_REFUND_LINES' }),
    );
  });
});

describe('record reads', () => {
  it('closes lines by key and reads keys, entity and Location ids', () => {
    expect(toCloseLinesPatch([1, 3], 'custbody_x', 'T')).toEqual({
      item: {
        items: [
          { line: 1, isClosed: true },
          { line: 3, isClosed: true },
        ],
      },
      custbody_x: 'T',
    });
    expect(readLineKeys({ item: { items: [{ line: 1 }, { line: '2' }, {}] } })).toEqual([1, 2]);
    expect(readEntityId({ entity: { id: '12', refName: 'Ana' } })).toBe('12');
    expect(parseLocationId('https://a.suitetalk.api.netsuite.com/services/rest/record/v1/salesOrder/647')).toBe('647');
    expect(parseLocationId('https://a/services/rest/record/v1/salesOrder/eid:1')).toBeUndefined();
    expect(parseLocationId(null)).toBeUndefined();
  });
});

describe(parseLocationId.name, () => {
  it.each([
    ['http://127.0.0.1:4010/services/rest/record/v1/salesOrder/647', '647'],
    ['https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/12/', '12'],
    ['/services/rest/record/v1/customer/9?x=1', '9'],
    ['http://host/services/rest/record/v1/customer/eid:CID002', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (location, expected) => {
    expect(parseLocationId(location)).toBe(expected);
  });
});
