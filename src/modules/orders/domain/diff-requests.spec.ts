import { diffRequests } from 'src/modules/orders/domain/diff-requests';

const request = (body: unknown, path = '/salesOrder/eid:1') => ({
  operation: 'upsertSalesOrder',
  method: 'PUT',
  path,
  body,
});

describe(diffRequests.name, () => {
  it('lists each field that differs, by JSON path, with both values as JSON text', () => {
    expect(
      diffRequests(
        [request({ memo: 'a', shipMethod: { id: '1' }, item: { items: [{ taxCode: { id: 'X' } }] } })],
        [request({ memo: 'a', shipMethod: { id: '2' }, item: { items: [{}] }, department: { id: '4' } })],
      ),
    ).toEqual([
      { request: 'upsertSalesOrder PUT /salesOrder/eid:1', field: 'shipMethod.id', active: '"1"', draft: '"2"' },
      {
        request: 'upsertSalesOrder PUT /salesOrder/eid:1',
        field: 'item.items[0].taxCode.id',
        active: '"X"',
        draft: undefined,
      },
      { request: 'upsertSalesOrder PUT /salesOrder/eid:1', field: 'item.items[0]', active: undefined, draft: '{}' },
      { request: 'upsertSalesOrder PUT /salesOrder/eid:1', field: 'department.id', active: undefined, draft: '"4"' },
    ]);
  });

  it('finds nothing when the requests are the same', () => {
    expect(diffRequests([request({ a: [1, { b: null }] })], [request({ a: [1, { b: null }] })])).toEqual([]);
  });

  it('reports a request only one side makes', () => {
    expect(diffRequests([request({})], [request({}), request({}, '/customer/eid:c')])).toEqual([
      {
        request: 'upsertSalesOrder PUT /customer/eid:c',
        field: '(request)',
        active: undefined,
        draft: 'upsertSalesOrder PUT /customer/eid:c',
      },
    ]);
  });
});
