import { checkEditedPayload } from 'src/modules/dead-letters/application/check-edited-payload';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';

describe(checkEditedPayload.name, () => {
  const order = buildShopifyOrder({ id: 5_612_345_678_901 }, { seed: 7, lineCount: 1 });
  const body = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

  it('accepts an order the order consumer decodes, about the same order', () => {
    expect(checkEditedPayload('orders/create', '5612345678901', body(serialiseOrder(order)))).toEqual({ valid: true });
  });

  it.each([
    ['not JSON', '{"id": 1', 'message body is not valid JSON'],
    [
      'a bad price',
      { ...order, line_items: [{ ...order.line_items[0], price: 'ten' }] },
      'line_items[0].price must be',
    ],
    ['no name', { ...order, name: '' }, 'name must be'],
  ])('refuses %s with the decoder message', (_case, payload, message) => {
    const check = checkEditedPayload('orders/create', '5612345678901', body(payload));
    expect(check).toEqual({ valid: false, message: expect.stringContaining(message) as unknown });
  });

  it('refuses an edit that makes it about another order', () => {
    const other = { ...order, id: 42, admin_graphql_api_id: 'gid://shopify/Order/42' };
    expect(checkEditedPayload('orders/updated', '5612345678901', body(other))).toEqual({
      valid: false,
      message: expect.stringContaining('may not change which resource') as unknown,
    });
  });

  it('decodes an inventory level as the inventory consumer does', () => {
    expect(checkEditedPayload('inventory_levels/update', undefined, body({ inventory_item_id: 1 }))).toMatchObject({
      valid: false,
    });
    const level = { inventory_item_id: 1, location_id: 2, available: 3, updated_at: '2026-12-01T10:00:00Z' };
    expect(checkEditedPayload('inventory_levels/update', undefined, body(level))).toEqual({ valid: true });
  });

  it('wants at least a JSON object for a topic no consumer decodes further', () => {
    expect(checkEditedPayload('customers/update', undefined, body('[1]'))).toEqual({
      valid: false,
      message: 'payload is not a JSON object',
    });
    expect(checkEditedPayload('customers/update', undefined, body({ id: 1 }))).toEqual({ valid: true });
  });
});
