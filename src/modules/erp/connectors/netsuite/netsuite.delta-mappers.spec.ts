import {
  parseSuiteQlResult,
  toInventoryLevel,
  toItemChange,
  toMoney,
  toShipments,
} from 'src/modules/erp/connectors/netsuite/netsuite.delta-mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';

describe('SuiteQL rows', () => {
  it('reads a SuiteQL page', () => {
    expect(parseSuiteQlResult({ items: [{ id: '1' }], hasMore: true, count: 1 })).toEqual({
      items: [{ id: '1' }],
      hasMore: true,
    });
    expect(() => parseSuiteQlResult({ error: 1 })).toThrow(ErpError);
  });

  it('maps the weight (unit by its select id or abbreviation) and the compare-at price', () => {
    const row = { id: '7', itemid: 'MUG', isinactive: 'F', lastmodified: '2026-10-05 17:00:00' };
    expect(toItemChange({ ...row, weight: 1.25, weightunit: '3', compareatprice: 24 }, 'UTC')).toMatchObject({
      weight: { value: '1.25', unit: 'KILOGRAMS' },
      compareAtPrice: '24.00',
    });
    expect(toItemChange({ ...row, weight: '12', weightunit: 2 }, 'UTC').weight).toEqual({
      value: '12',
      unit: 'OUNCES',
    });
    expect(toItemChange({ ...row, weight: '500', weightunit: 'g' }, 'UTC').weight).toEqual({
      value: '500',
      unit: 'GRAMS',
    });
    expect(toItemChange({ ...row, weight: 2, weightunit: '1' }, 'UTC').weight).toEqual({ value: '2', unit: 'POUNDS' });
    const none = toItemChange({ ...row, weight: null, weightunit: '1', compareatprice: null }, 'UTC');
    expect(none).not.toHaveProperty('weight');
    expect(none).not.toHaveProperty('compareAtPrice');
  });

  it('maps an item row, with numbers or strings, omitted nulls and a matrix parent', () => {
    expect(
      toItemChange(
        {
          links: [],
          id: '1007',
          itemid: 'TSHIRT-BLK-M',
          displayname: 'T-Shirt',
          parent: 1000,
          upccode: '0123',
          cost: 12.5,
          price: '44.5',
          isinactive: 'F',
          lastmodified: '2026-10-05 19:09:48 +02:00',
        },
        'UTC',
      ),
    ).toEqual({
      erpItemId: '1007',
      sku: 'TSHIRT-BLK-M',
      name: 'T-Shirt',
      price: '44.50',
      cost: '12.50',
      barcode: '0123',
      parentErpItemId: '1000',
      active: true,
      lastModified: '2026-10-05T17:09:48.000Z',
    });
    expect(toItemChange({ id: 1, itemid: 'X', isinactive: 'T', lastmodified: '2026-10-05 17:00:00' }, 'UTC')).toEqual({
      erpItemId: '1',
      sku: 'X',
      name: 'X',
      active: false,
      lastModified: '2026-10-05T17:00:00.000Z',
    });
    expect(() => toItemChange({ id: '1' }, 'UTC')).toThrow(expect.objectContaining({ code: 'INVALID_SUITEQL_ROW' }));
  });

  it('maps an inventory row', () => {
    expect(
      toInventoryLevel(
        {
          item: '1007',
          itemid: 'X',
          location: '2',
          locationname: 'East',
          quantityonhand: '42',
          quantityavailable: 40,
          quantitycommitted: 2,
        },
        'UTC',
      ),
    ).toEqual({
      erpItemId: '1007',
      sku: 'X',
      erpLocationId: '2',
      locationName: 'East',
      onHand: 42,
      available: 40,
      committed: 2,
    });
  });

  it('assembles shipments from headers, lines (negative quantities) and packages', () => {
    expect(
      toShipments(
        [
          {
            id: '800',
            orderexternalid: '1019',
            shipmethod: 'UPS Ground',
            shippedat: '2026-10-06 08:00:00 +00:00',
            lastmodified: '2026-10-06 08:00:01 +00:00',
          },
        ],
        [
          { transaction: '800', itemid: 'MUG', quantity: -1 },
          { transaction: '801', itemid: 'X', quantity: -3 },
        ],
        [
          { itemfulfillment: '800', packagetrackingnumber: '1Z1' },
          { itemfulfillment: '800', packagetrackingnumber: '1Z1' },
          { itemfulfillment: '800', packagetrackingnumber: '1Z2' },
        ],
        'UTC',
      ),
    ).toEqual([
      {
        erpShipmentId: '800',
        orderExternalId: '1019',
        trackingNumbers: ['1Z1', '1Z2'],
        carrier: 'UPS Ground',
        shippedAt: '2026-10-06T08:00:00.000Z',
        lines: [{ sku: 'MUG', quantity: 1 }],
        lastModified: '2026-10-06T08:00:01.000Z',
      },
    ]);
  });

  it.each([
    [44.5, '44.50'],
    ['10', '10.00'],
    ['0.125', '0.125'],
    [-3, '-3.00'],
    ['.5', '0.50'],
    ['abc', undefined],
    [null, undefined],
  ])('money %s → %s', (value, money) => {
    expect(toMoney(value)).toBe(money);
  });
});
