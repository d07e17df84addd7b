import { fnv1a, orderRoutingKey } from 'src/common/messaging/partition';
import { ORDER_QUEUES } from 'src/common/messaging/topology';
import { isValidTopic, orderIdOf, resourceIdOf, routingKeyFor } from 'src/modules/shopify/domain/webhook-envelope';

describe(resourceIdOf.name, () => {
  it('prefers the exact id in admin_graphql_api_id over a JSON number that lost precision', () => {
    const payload = JSON.parse(
      '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}',
    );
    expect(String(payload.id)).not.toBe('820982911946154508');
    expect(resourceIdOf(payload)).toBe('820982911946154508');
  });

  it('falls back to the id field, and to nothing', () => {
    expect(resourceIdOf({ id: 6004604174410 })).toBe('6004604174410');
    expect(resourceIdOf({ id: '42' })).toBe('42');
    expect(resourceIdOf({ name: 'x' })).toBeUndefined();
    expect(resourceIdOf({ admin_graphql_api_id: 'gid://shopify/InventoryLevel/1?inventory_item_id=2' })).toBe('1');
  });
});

describe(routingKeyFor.name, () => {
  it('sends every event of one order to the same partition, and spreads orders over all partitions', () => {
    const key = routingKeyFor('orders/create', '6004604174410');
    expect(routingKeyFor('orders/updated', '6004604174410')).toBe(key);
    expect(routingKeyFor('orders/cancelled', '6004604174410')).toBe(key);
    const used = new Set(Array.from({ length: 2_000 }, (_, i) => orderRoutingKey(String(6_004_604_174_410 + i * 7))));
    expect([...used].sort()).toEqual([...ORDER_QUEUES].sort());
  });

  it('routes other topics by topic name (to the unrouted queue until a consumer exists)', () => {
    expect(routingKeyFor('products/update', orderIdOf('products/update', '1', '{"id":1}'))).toBe('products/update');
  });

  it("sends a refund to its order's partition, by the exact order id written in the body", () => {
    const body = '{"id":929361462,"order_id":820982911946154508,"order_adjustments":[{"order_id":820982911946154508}]}';
    expect(orderIdOf('refunds/create', '929361462', body)).toBe('820982911946154508');
    expect(routingKeyFor('refunds/create', orderIdOf('refunds/create', '929361462', body))).toBe(
      routingKeyFor('orders/create', '820982911946154508'),
    );
    expect(orderIdOf('refunds/create', '1', '{"id":1}')).toBeUndefined();
  });

  it("sends every return topic to its order's partition: order gid (request/approve/decline) or order_id (others)", () => {
    const approve =
      '{"id":945000959,"admin_graphql_api_id":"gid://shopify/Return/945000959","status":"open",' +
      '"order":{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"},' +
      '"return_line_items":[{"id":1,"admin_graphql_api_id":"gid://shopify/ReturnLineItem/1"}]}';
    const close =
      '{"id":945000959,"admin_graphql_api_id":"gid://shopify/Return/945000959","order_id":820982911946154508}';
    for (const [topic, body] of [
      ['returns/approve', approve],
      ['returns/request', approve],
      ['returns/decline', approve],
      ['returns/close', close],
      ['returns/cancel', close],
      ['returns/reopen', close],
    ] as const) {
      expect(orderIdOf(topic, '945000959', body)).toBe('820982911946154508');
    }
    expect(orderIdOf('returns/approve', '1', '{"id":1}')).toBeUndefined();
    // returns/process and returns/update name no order: they are not order-partition topics.
    expect(orderIdOf('returns/update', '1', close)).toBeUndefined();
  });

  it('hashes stably', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
});

describe(isValidTopic.name, () => {
  it.each([
    ['orders/create', true],
    ['inventory_levels/update', true],
    ['', false],
    ['orders', false],
    ['orders/create; drop', false],
  ])('%s -> %s', (topic, valid) => {
    expect(isValidTopic(topic)).toBe(valid);
  });
});
