import { ErrorKind } from 'src/common/errors/app-error';
import {
  aggregateAvailability,
  decodeCursor,
  encodeCursor,
  formatAmount,
  fromCin7Date,
  indexFamilies,
  saleHasShipments,
  toErpItemChange,
  toErpShipments,
} from 'src/modules/erp/connectors/cin7/cin7.delta-mappers';
import { toCin7Date } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type { Cin7Sale } from 'src/modules/erp/connectors/cin7/cin7.types';

describe('delta mapping', () => {
  const families = indexFamilies([
    {
      ID: 'f-1',
      SKU: 'TEE',
      Option1Name: 'Size',
      Option2Name: 'Colour',
      Option3Name: null,
      Products: [{ ID: 'p-2', SKU: 'TEE-M-RED', Option1: 'M', Option2: 'Red', Option3: null }],
    },
  ]);

  it('maps a product with price, cost, barcode and family', () => {
    expect(
      toErpItemChange(
        {
          ID: 'p-2',
          SKU: 'TEE-M-RED',
          Name: 'Tee M Red',
          Barcode: '0123',
          Status: 'Active',
          PriceTier1: 19.5,
          AverageCost: 7.1234,
          LastModifiedOn: '2026-01-02T03:04:05.678',
        },
        families,
      ),
    ).toEqual({
      erpItemId: 'p-2',
      sku: 'TEE-M-RED',
      name: 'Tee M Red',
      price: '19.50',
      cost: '7.1234',
      barcode: '0123',
      parentErpItemId: 'f-1',
      options: { Size: 'M', Colour: 'Red' },
      active: true,
      lastModified: '2026-01-02T03:04:05.678Z',
    });
  });

  it('reads a named price tier and a deprecated product', () => {
    const change = toErpItemChange(
      {
        ID: 'p',
        SKU: 'S',
        Status: 'Deprecated',
        PriceTier1: 1,
        PriceTiers: { Retail: 2 },
        LastModifiedOn: '2026-01-01T00:00:00',
      },
      new Map(),
      'Retail',
    );
    expect(change).toMatchObject({ price: '2.00', active: false, name: 'S' });
    expect(change?.barcode).toBeUndefined();
  });

  it('reads the weight and, from the configured tier only, the compare-at price', () => {
    const product = {
      ID: 'p',
      SKU: 'S',
      PriceTier1: 20,
      PriceTier3: 29.9,
      Weight: 0.75,
      WeightUnits: 'kg',
      LastModifiedOn: '2026-01-01T00:00:00',
    };
    expect(toErpItemChange(product, new Map(), undefined, 3)).toMatchObject({
      price: '20.00',
      compareAtPrice: '29.90',
      weight: { value: '0.75', unit: 'KILOGRAMS' },
    });
    expect(toErpItemChange(product, new Map())).not.toHaveProperty('compareAtPrice');
    // A tier without a price (0 or absent) and an unset weight (0) are nothing to write.
    const bare = toErpItemChange({ ...product, PriceTier3: 0, Weight: 0 }, new Map(), undefined, 3);
    expect(bare).not.toHaveProperty('compareAtPrice');
    expect(bare).not.toHaveProperty('weight');
    expect(toErpItemChange(product, new Map(), undefined, 4)).not.toHaveProperty('compareAtPrice');
  });

  it('sums batches per product and location', () => {
    expect(
      aggregateAvailability([
        { ID: 'p-1', SKU: 'A', Location: 'Main', Batch: 'B1', OnHand: 5, Allocated: 1, Available: 4 },
        { ID: 'p-1', SKU: 'A', Location: 'Main', Batch: 'B2', OnHand: 3, Allocated: 0, Available: 3 },
        { ID: 'p-1', SKU: 'A', Location: 'East', OnHand: 2, Allocated: 0, Available: 2 },
      ]),
    ).toEqual([
      {
        erpItemId: 'p-1',
        sku: 'A',
        erpLocationId: 'Main',
        locationName: 'Main',
        onHand: 8,
        available: 7,
        committed: 1,
      },
      {
        erpItemId: 'p-1',
        sku: 'A',
        erpLocationId: 'East',
        locationName: 'East',
        onHand: 2,
        available: 2,
        committed: 0,
      },
    ]);
  });

  it.each([
    [{ ExternalID: '1', CombinedShippingStatus: 'SHIPPED' }, true],
    [{ ExternalID: '1', CombinedShippingStatus: 'PARTIALLY SHIPPED' }, true],
    [{ ExternalID: '1', CombinedShippingStatus: 'NOT SHIPPED', CombinedTrackingNumbers: '' }, false],
    [{ ExternalID: '1', CombinedShippingStatus: 'NOT SHIPPED', CombinedTrackingNumbers: '1Z9' }, true],
    [{ ExternalID: '', CombinedShippingStatus: 'SHIPPED' }, false],
  ])('decides whether %j needs a full read', (entry, expected) => {
    expect(saleHasShipments(entry)).toBe(expected);
  });

  it('maps shipped fulfilments and skips unshipped ones', () => {
    const sale: Cin7Sale = {
      ID: 's-1',
      ExternalID: '600',
      Fulfilments: [
        {
          TaskID: 'f-1',
          Pick: { Lines: [{ SKU: 'A', Quantity: 9 }] },
          Pack: {
            Lines: [
              { SKU: 'A', Quantity: 1, Box: '1' },
              { SKU: 'A', Quantity: 1, Box: '2' },
              { SKU: 'B', Quantity: 3 },
            ],
          },
          Ship: {
            Lines: [
              {
                ShipmentDate: '2026-01-02T00:00:00',
                Carrier: 'UPS',
                TrackingNumber: '1Z1',
                TrackingURL: 'https://t/1Z1',
                IsShipped: true,
              },
              { ShipmentDate: '2026-01-03T00:00:00', Carrier: 'UPS', TrackingNumber: '1Z2', IsShipped: true },
              { TrackingNumber: '1Z1', IsShipped: true },
            ],
          },
        },
        { TaskID: 'f-2', Ship: { Lines: [{ TrackingNumber: 'X', IsShipped: false }] } },
      ],
    };
    expect(toErpShipments({ SaleID: 's-1', ExternalID: '600', Updated: '2026-01-04T00:00:00' }, sale)).toEqual([
      {
        erpShipmentId: 'f-1',
        orderExternalId: '600',
        trackingNumbers: ['1Z1', '1Z2'],
        carrier: 'UPS',
        trackingUrl: 'https://t/1Z1',
        shippedAt: '2026-01-03T00:00:00.000Z',
        lines: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 3 },
        ],
        lastModified: '2026-01-04T00:00:00.000Z',
      },
    ]);
  });
});

describe('cursors, dates and amounts', () => {
  it('round-trips a cursor with carried rows', () => {
    const cursor = { page: 3, carry: [{ ID: 'p', SKU: 'A', Location: 'Main', OnHand: 1 }] };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor(undefined)).toEqual({ page: 1 });
  });

  it.each(['garbage', encodeCursor({ page: 0 }), Buffer.from('{"page":"2"}').toString('base64url')])(
    'rejects the cursor %s as Permanent',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(
        expect.objectContaining({ kind: ErrorKind.Permanent, code: 'INVALID_CURSOR' }),
      );
    },
  );

  it('converts dates to and from Cin7 format', () => {
    expect(toCin7Date('2026-01-02T03:04:05.678+01:00')).toBe('2026-01-02T02:04:05.678');
    expect(fromCin7Date('2026-01-02T02:04:05.678')).toBe('2026-01-02T02:04:05.678Z');
    expect(fromCin7Date('2026-01-02T02:04:05Z')).toBe('2026-01-02T02:04:05.000Z');
  });

  it.each([
    [19.5, '19.50'],
    [19, '19.00'],
    [1.2345, '1.2345'],
    [1.234, '1.234'],
    [0.1 + 0.2, '0.30'],
  ])('formats %s as %s', (value, text) => {
    expect(formatAmount(value)).toBe(text);
  });
});
