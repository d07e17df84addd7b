import { verifyCin7Push } from 'src/modules/erp/connectors/cin7/cin7.push';
import type { ErpPushRequest } from 'src/modules/erp/port/erp.types';

const SECRET = 'shared-secret-123';

function push(body: unknown, headers: Record<string, string> = { 'x-erp-secret': SECRET }, query = {}): ErpPushRequest {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return { headers, query, rawBody: Buffer.from(raw, 'utf8') };
}

describe(verifyCin7Push.name, () => {
  it.each([
    ['Product/Updated', { EventType: 'Product/Updated', ID: 'p' }, ['items']],
    ['Sale/ShipmentTrackingNumberChanged', { EventType: 'Sale/ShipmentTrackingNumberChanged' }, ['shipments']],
    ['Sale/ShipmentAuthorised', { EventType: 'Sale/ShipmentAuthorised' }, ['shipments']],
    ['a bare array (Stock/AvailableStockLevelChanged)', [{ SKU: 'A', Available: 1 }], ['inventory']],
    ['an event type in Type', { Type: 'Product/Updated' }, ['items']],
    ['an unknown event', { EventType: 'Sale/OrderAuthorised' }, []],
    ['a body that is not JSON', 'not json', []],
  ])('wakes the right streams for %s', (_name, body, streams) => {
    expect(verifyCin7Push(push(body), SECRET)).toEqual({ kind: 'wake', streams });
  });

  it('falls back to the ?event= query parameter', () => {
    expect(verifyCin7Push(push({}, { 'x-erp-secret': SECRET }, { event: 'Product/Updated' }), SECRET)).toEqual({
      kind: 'wake',
      streams: ['items'],
    });
  });

  it('accepts the secret as basic-auth password and as bearer token', () => {
    const basic = `Basic ${Buffer.from(`cin7:${SECRET}`).toString('base64')}`;
    expect(verifyCin7Push(push({ EventType: 'Product/Updated' }, { authorization: basic }), SECRET).kind).toBe('wake');
    expect(
      verifyCin7Push(push({ EventType: 'Product/Updated' }, { authorization: `Bearer ${SECRET}` }), SECRET).kind,
    ).toBe('wake');
  });

  it.each([
    ['a wrong secret', { 'x-erp-secret': 'nope' }],
    ['a longer secret with the right prefix', { 'x-erp-secret': `${SECRET}x` }],
    ['no secret at all', {}],
    ['a wrong basic password', { authorization: `Basic ${Buffer.from('cin7:nope').toString('base64')}` }],
  ])('rejects %s', (_name, headers) => {
    expect(verifyCin7Push(push({ EventType: 'Product/Updated' }, headers), SECRET).kind).toBe('rejected');
  });

  it('rejects everything when no secret is configured', () => {
    expect(verifyCin7Push(push({ EventType: 'Product/Updated' }), undefined).kind).toBe('rejected');
  });
});
