import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorKind } from 'src/common/errors/app-error';
import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

const SAMPLE = readFileSync(join(process.cwd(), 'test/fixtures/shopify/orders-create.json'), 'utf8');

/** A fresh parsed copy of the api-facts sample, changed by `change`. */
function sample(change: (order: any) => void = () => undefined): unknown {
  const order = JSON.parse(SAMPLE);
  change(order);
  return order;
}

function decodeError(value: unknown): OrderError {
  try {
    decodeOrderPayload(value);
  } catch (error) {
    if (error instanceof OrderError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected decodeOrderPayload to throw');
}

describe(decodeOrderPayload.name, () => {
  it('decodes the orders/create sample with every id as a string', () => {
    const order = decodeOrderPayload(sample());
    expect(order.id).toBe('6004604174410');
    expect(order.line_items[0].id).toBe('14851429007434');
    expect(order.shipping_lines?.[0].id).toBe('5074147803210');
    expect(order.customer?.id).toBe('8094839668810');
    expect(order).toMatchObject({
      name: '#1019',
      currency: 'EUR',
      taxes_included: true,
      updated_at: '2026-10-05T19:09:49+02:00',
      total_price: '94.00',
      line_items: [{ sku: 'TSHIRT-BLK-M', quantity: 2, current_quantity: 2, price: '44.50' }],
    });
  });

  it('allows and drops fields it does not know, since Shopify adds fields', () => {
    const order = decodeOrderPayload(sample((o) => (o.brand_new_field = { nested: true })));
    expect(order).not.toHaveProperty('brand_new_field');
    expect(order).not.toHaveProperty('total_line_items_price');
  });

  it('reads ids above 2^53 exactly from admin_graphql_api_id', () => {
    // Shopify's own doc samples use ids like these; JSON.parse rounds them before any code of ours runs.
    const raw = SAMPLE.replace('"id": 6004604174410', '"id": 820982911946154508')
      .replace('Order/6004604174410', 'Order/820982911946154508')
      .replace('"id": 8094839668810', '"id": 115310627314723954')
      .replace('Customer/8094839668810', 'Customer/115310627314723954');
    const parsed = JSON.parse(raw);
    expect(String(parsed.id)).not.toBe('820982911946154508');

    const order = decodeOrderPayload(parsed);
    expect(order.id).toBe('820982911946154508');
    expect(order.customer?.id).toBe('115310627314723954');
  });

  it('falls back to the id field when there is no gid, whether number or string', () => {
    const order = decodeOrderPayload(
      sample((o) => {
        delete o.admin_graphql_api_id;
        o.line_items[0].id = '14851429007434';
        delete o.line_items[0].admin_graphql_api_id;
      }),
    );
    expect(order.id).toBe('6004604174410');
    expect(order.line_items[0].id).toBe('14851429007434');
  });

  it('accepts a guest checkout, no shipping, and older payloads without current_quantity', () => {
    const order = decodeOrderPayload(
      sample((o) => {
        o.customer = null;
        delete o.shipping_lines;
        delete o.line_items[0].current_quantity;
        delete o.line_items[0].tax_lines;
        o.billing_address = null;
      }),
    );
    expect(order.customer).toBeUndefined();
    expect(order.shipping_lines).toBeUndefined();
    expect(order.line_items[0].current_quantity).toBeUndefined();
    expect(order.line_items[0].tax_lines).toEqual([]);
    expect(order.billing_address).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a non-object body', null, 'order must be an object, got null'],
    ['an array body', [], 'order must be an object, got an array'],
    ['a missing id', sample((o) => delete o.id && delete o.admin_graphql_api_id), 'id must be'],
    ['a malformed gid', sample((o) => (o.admin_graphql_api_id = 'Order/1')), 'admin_graphql_api_id must be'],
    ['a blank name', sample((o) => (o.name = ' ')), 'name must be a non-empty string, got " "'],
    ['a missing updated_at', sample((o) => delete o.updated_at), 'updated_at must be an ISO 8601 timestamp'],
    ['an updated_at without offset', sample((o) => (o.updated_at = '2026-10-05T19:09:49')), 'updated_at must be'],
    ['an unparseable created_at', sample((o) => (o.created_at = '2026-13-45T99:00:00Z')), 'created_at must be'],
    ['a lowercase currency', sample((o) => (o.currency = 'eur')), 'currency must be a three-letter ISO 4217 code'],
    ['a string taxes_included', sample((o) => (o.taxes_included = 'true')), 'taxes_included must be a boolean'],
    ['a missing total_price', sample((o) => delete o.total_price), 'total_price must be a non-negative decimal'],
    ['line_items not an array', sample((o) => (o.line_items = {})), 'line_items must be an array, got an object'],
    [
      'a fractional quantity',
      sample((o) => (o.line_items[0].quantity = 1.5)),
      'line_items[0].quantity must be an integer ≥ 0, got number 1.5',
    ],
    [
      'a negative current_quantity',
      sample((o) => (o.line_items[0].current_quantity = -1)),
      'line_items[0].current_quantity must be an integer ≥ 0',
    ],
    [
      'a numeric price',
      sample((o) => (o.line_items[0].price = 44.5)),
      'line_items[0].price must be a non-negative decimal string with at most 4 decimals, got number 44.5',
    ],
    ['a negative price', sample((o) => (o.line_items[0].price = '-1.00')), 'line_items[0].price must be'],
    [
      'a comma decimal in a tax line',
      sample((o) => (o.line_items[0].tax_lines[0].price = '13,93')),
      'line_items[0].tax_lines[0].price must be a non-negative decimal string with at most 4 decimals, got "13,93"',
    ],
    [
      'a tax rate as a string',
      sample((o) => (o.line_items[0].tax_lines[0].rate = '0.21')),
      'line_items[0].tax_lines[0].rate must be a non-negative number',
    ],
    [
      'a discount allocation without amount',
      sample((o) => delete o.line_items[0].discount_allocations[0].amount),
      'line_items[0].discount_allocations[0].amount must be a non-negative decimal string with at most 4 decimals, got nothing',
    ],
    [
      'a shipping line without price',
      sample((o) => (o.shipping_lines[0].price = null)),
      'shipping_lines[0].price must be',
    ],
    ['a customer without id', sample((o) => (o.customer = { email: 'a@b.c' })), 'customer.id must be'],
    ['a numeric address field', sample((o) => (o.billing_address.zip = 28001)), 'billing_address.zip must be a string'],
    ['a numeric email', sample((o) => (o.email = 1)), 'email must be a string or null, got number 1'],
  ])('rejects %s, naming the field', (_case, payload, message) => {
    const error = decodeError(payload);
    expect(error.code).toBe(OrderErrorCode.InvalidPayload);
    expect(error.kind).toBe(ErrorKind.Permanent);
    expect(error.message).toContain(message);
  });
});
