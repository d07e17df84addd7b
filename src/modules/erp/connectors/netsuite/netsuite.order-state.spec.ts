import { netsuiteOrderLock } from 'src/modules/erp/connectors/netsuite/netsuite.order-state';

describe(netsuiteOrderLock.name, () => {
  it.each([
    [{ orderStatus: { id: 'A', refName: 'Pending Approval' } }],
    [{ orderStatus: { id: 'B', refName: 'Pending Fulfillment' } }],
    [{ orderStatus: 'pendingFulfillment' }],
    [{ orderStatus: { id: '_pendingApproval' } }],
    [{ id: '5001' }],
    [undefined],
  ])('lets an order with nothing fulfilled or billed be changed: %j', (record) => {
    expect(netsuiteOrderLock(record)).toBeUndefined();
  });

  it.each([
    ['D', 'orderStatus D (Partially Fulfilled)'],
    ['E', 'orderStatus E (Pending Billing/Partially Fulfilled)'],
    ['F', 'orderStatus F (Pending Billing)'],
    ['G', 'orderStatus G (Billed)'],
    ['H', 'orderStatus H (Closed)'],
    ['C', 'orderStatus C (Cancelled)'],
  ])('locks an order in status %s', (id, expected) => {
    expect(netsuiteOrderLock({ orderStatus: { id, refName: 'whatever' } })).toBe(expected);
  });

  it('reads the enum names too', () => {
    expect(netsuiteOrderLock({ orderStatus: { id: 'fullyBilled' } })).toBe('orderStatus G (Billed)');
    expect(netsuiteOrderLock({ orderStatus: 'partiallyFulfilled' })).toBe('orderStatus D (Partially Fulfilled)');
  });
});
