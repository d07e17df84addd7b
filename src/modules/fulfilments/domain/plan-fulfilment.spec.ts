import { FulfilmentError, FulfilmentErrorCode } from 'src/modules/fulfilments/domain/fulfilment.errors';
import type { FulfillmentOrderView, ShipmentToFulfil } from 'src/modules/fulfilments/domain/fulfilment.types';
import { findOurFulfilment, planFulfilment, trackingInputOf } from 'src/modules/fulfilments/domain/plan-fulfilment';

const WAREHOUSE = 'gid://shopify/Location/1';
const STORE = 'gid://shopify/Location/2';

function shipment(lines: ShipmentToFulfil['lines'], overrides: Partial<ShipmentToFulfil> = {}): ShipmentToFulfil {
  return {
    connector: 'netsuite',
    erpShipmentId: 'IF-1',
    orderExternalId: '1001',
    trackingNumbers: ['1Z999'],
    carrier: 'UPS',
    trackingUrl: 'https://ups.example/1Z999',
    lines,
    changedAt: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}

function fo(
  id: string,
  locationId: string | null,
  lines: Array<[foLineId: string, sku: string | null, remaining: number]>,
  status = 'OPEN',
): FulfillmentOrderView {
  return {
    id: `gid://shopify/FulfillmentOrder/${id}`,
    status,
    locationId,
    locationName: locationId === null ? 'Old warehouse' : `loc ${locationId}`,
    lineItems: lines.map(([lineId, sku, remaining]) => ({
      id: `gid://shopify/FulfillmentOrderLineItem/${lineId}`,
      remainingQuantity: remaining,
      lineItemId: `gid://shopify/LineItem/${lineId}`,
      sku,
    })),
  };
}

function errorOf(fn: () => unknown): FulfilmentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FulfilmentError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a FulfilmentError');
}

describe(planFulfilment.name, () => {
  it('fulfils a full shipment on one fulfilment order in one call', () => {
    const plan = planFulfilment(
      shipment([
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ]),
      [
        fo('10', WAREHOUSE, [
          ['11', 'A', 2],
          ['12', 'B', 1],
        ]),
      ],
    );
    expect(plan).toEqual({
      groups: [
        {
          locationKey: WAREHOUSE,
          lineItemsByFulfillmentOrder: [
            {
              fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/10',
              fulfillmentOrderLineItems: [
                { id: 'gid://shopify/FulfillmentOrderLineItem/11', quantity: 2 },
                { id: 'gid://shopify/FulfillmentOrderLineItem/12', quantity: 1 },
              ],
            },
          ],
          lineItems: [
            { lineItemId: 'gid://shopify/LineItem/11', sku: 'A', quantity: 2 },
            { lineItemId: 'gid://shopify/LineItem/12', sku: 'B', quantity: 1 },
          ],
        },
      ],
    });
  });

  it('sends only the shipped quantities of a partial shipment', () => {
    const plan = planFulfilment(shipment([{ sku: 'A', quantity: 1 }]), [
      fo('10', WAREHOUSE, [
        ['11', 'A', 3],
        ['12', 'B', 1],
      ]),
    ]);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]?.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/10',
        fulfillmentOrderLineItems: [{ id: 'gid://shopify/FulfillmentOrderLineItem/11', quantity: 1 }],
      },
    ]);
  });

  it('sums repeated lines of one SKU and trims SKUs', () => {
    const plan = planFulfilment(
      shipment([
        { sku: ' A ', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
      [fo('10', WAREHOUSE, [['11', 'A', 3]])],
    );
    expect(plan.groups[0]?.lineItems).toEqual([{ lineItemId: 'gid://shopify/LineItem/11', sku: 'A', quantity: 3 }]);
  });

  it('splits fulfilment orders at different locations into separate calls', () => {
    const plan = planFulfilment(
      shipment([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ]),
      [fo('10', WAREHOUSE, [['11', 'A', 1]]), fo('20', STORE, [['21', 'B', 1]])],
    );
    expect(plan.groups.map((g) => g.locationKey)).toEqual([WAREHOUSE, STORE]);
    expect(plan.groups.map((g) => g.lineItemsByFulfillmentOrder.map((e) => e.fulfillmentOrderId))).toEqual([
      ['gid://shopify/FulfillmentOrder/10'],
      ['gid://shopify/FulfillmentOrder/20'],
    ]);
  });

  it('puts fulfilment orders at the same location into one call', () => {
    const plan = planFulfilment(
      shipment([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ]),
      [fo('10', WAREHOUSE, [['11', 'A', 1]]), fo('20', WAREHOUSE, [['21', 'B', 1]])],
    );
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]?.lineItemsByFulfillmentOrder).toHaveLength(2);
  });

  it('prefers the location that can take the whole shipment', () => {
    const plan = planFulfilment(
      shipment([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ]),
      [
        fo('10', STORE, [['11', 'A', 1]]),
        fo('20', WAREHOUSE, [
          ['21', 'A', 1],
          ['22', 'B', 1],
        ]),
      ],
    );
    expect(plan.groups.map((g) => g.locationKey)).toEqual([WAREHOUSE]);
  });

  it('takes a second split shipment from what the first left', () => {
    const orders = [fo('10', WAREHOUSE, [['11', 'A', 1]], 'IN_PROGRESS')];
    const plan = planFulfilment(shipment([{ sku: 'A', quantity: 1 }], { erpShipmentId: 'IF-2' }), orders);
    expect(plan.groups[0]?.lineItems).toEqual([{ lineItemId: 'gid://shopify/LineItem/11', sku: 'A', quantity: 1 }]);
  });

  it('keys a fulfilment order whose location was deleted by the location name', () => {
    const plan = planFulfilment(shipment([{ sku: 'A', quantity: 1 }]), [fo('10', null, [['11', 'A', 1]])]);
    expect(plan.groups[0]?.locationKey).toBe('name:Old warehouse');
  });

  it('refuses a SKU that is not on the order, naming it', () => {
    const error = errorOf(() =>
      planFulfilment(shipment([{ sku: 'ZZZ', quantity: 1 }]), [fo('10', WAREHOUSE, [['11', 'A', 1]])]),
    );
    expect(error.code).toBe(FulfilmentErrorCode.UnknownSku);
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('ZZZ');
  });

  it('refuses an over-shipment, with what is left', () => {
    const error = errorOf(() =>
      planFulfilment(shipment([{ sku: 'A', quantity: 3 }]), [fo('10', WAREHOUSE, [['11', 'A', 2]])]),
    );
    expect(error.code).toBe(FulfilmentErrorCode.OverShipped);
    expect(error.message).toContain('has 2 left');
  });

  it('refuses a shipment of a SKU already fully fulfilled (closed fulfilment order)', () => {
    const error = errorOf(() =>
      planFulfilment(shipment([{ sku: 'A', quantity: 1 }]), [fo('10', WAREHOUSE, [['11', 'A', 0]], 'CLOSED')]),
    );
    expect(error.code).toBe(FulfilmentErrorCode.OverShipped);
  });

  it('asks to retry later when the quantity is on hold', () => {
    const error = errorOf(() =>
      planFulfilment(shipment([{ sku: 'A', quantity: 1 }]), [fo('10', WAREHOUSE, [['11', 'A', 1]], 'ON_HOLD')]),
    );
    expect(error.code).toBe(FulfilmentErrorCode.NotFulfillableYet);
    expect(error.kind).toBe('transient');
  });

  it.each([
    ['no lines', []],
    ['a zero quantity', [{ sku: 'A', quantity: 0 }]],
    ['a fractional quantity', [{ sku: 'A', quantity: 1.5 }]],
    ['a blank SKU', [{ sku: ' ', quantity: 1 }]],
  ])('refuses a shipment with %s', (_name, lines) => {
    const error = errorOf(() => planFulfilment(shipment(lines), [fo('10', WAREHOUSE, [['11', 'A', 5]])]));
    expect(error.code).toBe(FulfilmentErrorCode.InvalidShipment);
  });

  it('never plans more than the shipment nor more than remains (invariant over random cases)', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const orders = Array.from({ length: 1 + random(3) }, (_, i) =>
        fo(String(i), random(2) === 0 ? WAREHOUSE : STORE, [
          [`${i}1`, 'A', random(4)],
          [`${i}2`, 'B', random(4)],
        ]),
      );
      const lines = [
        { sku: 'A', quantity: 1 + random(5) },
        { sku: 'B', quantity: 1 + random(5) },
      ];
      let plan;
      try {
        plan = planFulfilment(shipment(lines), orders);
      } catch (error) {
        expect(error).toBeInstanceOf(FulfilmentError);
        continue;
      }
      for (const { sku, quantity } of lines) {
        const planned = plan.groups.flatMap((g) => g.lineItems).filter((l) => l.sku === sku);
        expect(planned.reduce((n, l) => n + l.quantity, 0)).toBe(quantity);
      }
      for (const order of orders) {
        for (const line of order.lineItems) {
          const planned = plan.groups
            .flatMap((g) => g.lineItemsByFulfillmentOrder)
            .flatMap((e) => e.fulfillmentOrderLineItems)
            .filter((l) => l.id === line.id)
            .reduce((n, l) => n + l.quantity, 0);
          expect(planned).toBeLessThanOrEqual(line.remainingQuantity);
        }
      }
      expect(new Set(plan.groups.map((g) => g.locationKey)).size).toBe(plan.groups.length);
    }
  });
});

describe(trackingInputOf.name, () => {
  it('sends one number as number, with company and url', () => {
    expect(trackingInputOf(shipment([]))).toEqual({
      company: 'UPS',
      number: '1Z999',
      url: 'https://ups.example/1Z999',
    });
  });

  it('sends several numbers as numbers, without duplicates or blanks', () => {
    expect(
      trackingInputOf(
        shipment([], { trackingNumbers: ['A1', ' A1', 'B2', ''], carrier: undefined, trackingUrl: undefined }),
      ),
    ).toEqual({ numbers: ['A1', 'B2'] });
  });

  it("sends the ERP's ship method as Shopify's tracking company, configured names first", () => {
    expect(trackingInputOf(shipment([], { carrier: 'FEDEX_GROUND', trackingUrl: undefined }))).toEqual({
      company: 'FedEx',
      number: '1Z999',
    });
    expect(
      trackingInputOf(shipment([], { carrier: 'Pallet 24', trackingUrl: undefined }), { 'pallet 24': 'Palletways' }),
    ).toEqual({ company: 'Palletways', number: '1Z999' });
  });

  it('sends an unknown carrier as given, with the URL of the feed', () => {
    expect(
      trackingInputOf(shipment([], { carrier: 'Acme Freight', trackingUrl: 'https://acme.example/t/1Z999' })),
    ).toEqual({ company: 'Acme Freight', number: '1Z999', url: 'https://acme.example/t/1Z999' });
  });
});

describe(findOurFulfilment.name, () => {
  const plan = planFulfilment(shipment([{ sku: 'A', quantity: 1 }]), [fo('10', WAREHOUSE, [['11', 'A', 2]])]);
  const group = plan.groups[0];
  const pendingAt = new Date('2026-12-01T10:00:00Z');
  const existing = (overrides: Partial<Parameters<typeof findOurFulfilment>[2][number]> = {}) => ({
    id: 'gid://shopify/Fulfillment/1',
    status: 'SUCCESS',
    createdAt: '2026-12-01T10:00:01Z',
    locationId: WAREHOUSE,
    trackingNumbers: ['1Z999'],
    lineItems: [{ lineItemId: 'gid://shopify/LineItem/11', quantity: 1 }],
    ...overrides,
  });

  it('recognises ours by tracking number and location', () => {
    expect(findOurFulfilment(shipment([]), group, [existing()], { pendingAt, claimed: new Set() })?.id).toBe(
      'gid://shopify/Fulfillment/1',
    );
  });

  it('does not take another shipment’s fulfilment, one at another location, or a cancelled one', () => {
    const options = { pendingAt, claimed: new Set<string>() };
    expect(findOurFulfilment(shipment([]), group, [existing({ trackingNumbers: ['OTHER'] })], options)).toBeUndefined();
    expect(findOurFulfilment(shipment([]), group, [existing({ locationId: STORE })], options)).toBeUndefined();
    expect(findOurFulfilment(shipment([]), group, [existing({ status: 'CANCELLED' })], options)).toBeUndefined();
    expect(
      findOurFulfilment(shipment([]), group, [existing()], {
        pendingAt,
        claimed: new Set(['gid://shopify/Fulfillment/1']),
      }),
    ).toBeUndefined();
  });

  it('without tracking, recognises ours by line items created after the attempt began', () => {
    const untracked = shipment([], { trackingNumbers: [] });
    const options = { pendingAt, claimed: new Set<string>(), skewMs: 1_000 };
    expect(findOurFulfilment(untracked, group, [existing({ trackingNumbers: [] })], options)).toBeDefined();
    expect(
      findOurFulfilment(
        untracked,
        group,
        [existing({ createdAt: '2026-12-01T09:00:00Z', trackingNumbers: [] })],
        options,
      ),
    ).toBeUndefined();
    expect(
      findOurFulfilment(
        untracked,
        group,
        [existing({ lineItems: [{ lineItemId: 'gid://shopify/LineItem/11', quantity: 2 }], trackingNumbers: [] })],
        options,
      ),
    ).toBeUndefined();
  });
});
