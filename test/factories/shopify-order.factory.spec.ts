import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import { buildShopifyOrder, draftImbalances, serialiseOrder } from 'test/factories/shopify-order.factory';

const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7_919 + 1);

describe(buildShopifyOrder.name, () => {
  it('builds orders that decode, map and add up, for 200 seeds', () => {
    const seen = { guests: 0, discounted: 0, shippingDiscounts: 0, taxesIncluded: 0, currencies: new Set<string>() };
    for (const seed of SEEDS) {
      const built = buildShopifyOrder({}, { seed });
      const { customer, salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(serialiseOrder(built))));
      const problems = draftImbalances(salesOrder);
      if (problems.length > 0) {
        throw new Error(`seed ${seed}: ${problems.join('; ')}`);
      }
      expect(salesOrder.total).toBe(built.total_price);
      expect(salesOrder.discountTotal).toBe(built.total_discounts);
      expect(salesOrder.lines.every((line) => /^SKU-0[0-4]\d\d$|^SKU-0500$/.test(line.sku))).toBe(true);
      seen.guests += customer.externalId.startsWith('email:') ? 1 : 0;
      seen.discounted += built.discount_codes.length > 0 ? 1 : 0;
      seen.shippingDiscounts += salesOrder.shippingLines.some((line) => line.discountAmount !== '0.00') ? 1 : 0;
      seen.taxesIncluded += built.taxes_included ? 1 : 0;
      seen.currencies.add(built.currency);
    }
    // The variety the downstream tests rely on actually occurs.
    expect(seen.guests).toBeGreaterThan(0);
    expect(seen.discounted).toBeGreaterThan(20);
    expect(seen.shippingDiscounts).toBeGreaterThan(0);
    expect(seen.taxesIncluded).toBeGreaterThan(20);
    expect(seen.taxesIncluded).toBeLessThan(180);
    expect([...seen.currencies].sort()).toEqual(['CAD', 'EUR', 'GBP', 'USD']);
  });

  it('is deterministic for a seed and distinct across seeds', () => {
    expect(serialiseOrder(buildShopifyOrder({}, { seed: 42 }))).toBe(
      serialiseOrder(buildShopifyOrder({}, { seed: 42 })),
    );
    const ids = new Set(SEEDS.map((seed) => buildShopifyOrder({}, { seed }).id));
    expect(ids.size).toBe(SEEDS.length);
    const a = buildShopifyOrder();
    const b = buildShopifyOrder();
    expect(a.id).not.toBe(b.id);
  });

  it('writes Shopify-shaped ids, names and timestamps', () => {
    const order = buildShopifyOrder({}, { seed: 3_999_999_999, lineCount: 3 });
    for (const id of [order.id, ...order.line_items.map((l) => l.id), order.customer?.id ?? 7_400_000_000_000]) {
      expect(String(id)).toMatch(/^\d{13}$/);
    }
    expect(order.admin_graphql_api_id).toBe(`gid://shopify/Order/${order.id}`);
    expect(order.name).toBe(`#${order.order_number}`);
    expect(order.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Date.parse(order.updated_at)).toBeGreaterThan(Date.parse(order.created_at));
  });

  it('applies overrides deeply and re-derives totals from overridden lines', () => {
    const order = buildShopifyOrder(
      {
        currency: 'USD',
        taxes_included: false,
        customer: null,
        line_items: [{ price: '10.00', quantity: 3, discount_allocations: [], tax_lines: [] }],
        shipping_lines: [],
        cancelled_at: '2026-11-01T00:00:00Z',
      },
      { seed: 5, lineCount: 4 },
    );
    expect(order.line_items).toHaveLength(1);
    expect(order.line_items[0].sku).toMatch(/^SKU-\d{4}$/);
    expect(order.customer).toBeNull();
    expect(order).toMatchObject({ subtotal_price: '30.00', total_tax: '0.00', total_price: '30.00' });
    const { salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(order));
    expect(salesOrder.status).toBe('cancelled');
    expect(draftImbalances(salesOrder)).toEqual([]);
  });

  it('keeps current_* totals consistent when a line quantity is reduced', () => {
    const order = buildShopifyOrder({ line_items: [{ quantity: 3, current_quantity: 1 }] }, { seed: 12 });
    const { salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(order));
    expect(salesOrder.lines[0].quantity).toBe(1);
    expect(salesOrder.total).toBe(order.current_total_price);
    expect(draftImbalances(salesOrder)).toEqual([]);
  });

  it('lets a test build an order the mapper must refuse', () => {
    const order = buildShopifyOrder({ line_items: [{ sku: null }] }, { seed: 1 });
    expect(() => mapShopifyOrderToErp(decodeOrderPayload(order))).toThrow(
      expect.objectContaining({ code: OrderErrorCode.MissingSku }),
    );
  });

  it('is fast enough for bulk generation', () => {
    const started = performance.now();
    for (let seed = 0; seed < 5_000; seed++) {
      serialiseOrder(buildShopifyOrder({}, { seed }));
    }
    // Typically well under a second; the bound only catches an accidental quadratic or deep clone.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
