import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactIntegerField } from 'src/common/json/exact-integer-field';
import { decodeRefundPayload } from 'src/modules/orders/domain/decode-refund-payload';
import { mapShopifyRefundToErp } from 'src/modules/orders/domain/map-shopify-refund-to-erp';
import { OrderError, OrderErrorCode } from 'src/modules/orders/domain/order.errors';

const raw = readFileSync(join(__dirname, '../../../../test/fixtures/shopify/refunds-create.json'), 'utf8');
const order = { reference: '#1042', customerExternalId: '115310627314723954' };

function decoded(mutate?: (body: Record<string, unknown>) => void) {
  const body = JSON.parse(raw) as Record<string, unknown>;
  mutate?.(body);
  return decodeRefundPayload(body, mutate === undefined ? raw : JSON.stringify(body));
}

describe('decodeRefundPayload', () => {
  it('keeps the exact order id from the raw text (the JSON number is above 2^53)', () => {
    expect(String((JSON.parse(raw) as { order_id: number }).order_id)).not.toBe('820982911946154508');
    expect(decoded().order_id).toBe('820982911946154508');
    expect(exactIntegerField('{"id":1,"order_id": 42}', 'order_id')).toBe('42');
    expect(exactIntegerField('{"id":1}', 'order_id')).toBeUndefined();
  });

  it('reads amounts from shop_money strings, exactly', () => {
    const refund = decoded();
    expect(refund.refund_line_items[0]).toMatchObject({ subtotal: '89.10', total_tax: '7.35', sku: 'TRAIL-RUN-42' });
    expect(refund.currency).toBe('USD');
  });

  it('names the offending field', () => {
    expect(() => decoded((b) => ((b.refund_line_items as Array<Record<string, unknown>>)[0].quantity = -1))).toThrow(
      'refund_line_items[0].quantity must be an integer ≥ 0',
    );
    expect(() => decoded((b) => (b.created_at = 'yesterday'))).toThrow(OrderError);
  });

  it('refuses a refund with no currency anywhere', () => {
    expect(() =>
      decodeRefundPayload({ id: 1, order_id: 2, created_at: '2026-11-10T09:12:44Z', transactions: [] }),
    ).toThrow('refund carries no currency');
  });
});

describe('mapShopifyRefundToErp', () => {
  it('maps lines, shipping (once), adjustments, tax and the money returned', () => {
    expect(mapShopifyRefundToErp(decoded(), order)).toEqual({
      externalId: '929361462',
      orderExternalId: '820982911946154508',
      orderReference: '#1042',
      customerExternalId: '115310627314723954',
      refundDate: '2026-11-10T09:12:44-05:00',
      currency: 'USD',
      lines: [
        {
          externalLineId: '487817672',
          orderLineExternalId: '487817671',
          sku: 'TRAIL-RUN-42',
          description: 'Trail Runner - 42 / Blue',
          quantity: 1,
          amount: '89.10',
          taxAmount: '7.35',
          restock: true,
        },
        {
          externalLineId: '487817673',
          orderLineExternalId: '487817674',
          sku: 'SOCK-WOOL-M',
          description: 'Wool Socks',
          quantity: 1,
          amount: '12.00',
          taxAmount: '0.99',
          restock: false,
        },
      ],
      // refund_shipping_lines win over the shipping_refund adjustment describing the same money.
      shippingAmount: '5.00',
      adjustmentAmount: '2.50',
      taxTotal: '8.75',
      total: '117.35',
      note: 'Wrong size; one pair returned',
    });
  });

  it('falls back to shipping_refund adjustments on payloads without refund_shipping_lines', () => {
    const draft = mapShopifyRefundToErp(
      decoded((b) => delete b.refund_shipping_lines),
      order,
    );
    expect(draft.shippingAmount).toBe('5.00');
    expect(draft.taxTotal).toBe('8.75');
  });

  it('totals the parts when no money moved (a restock-only refund)', () => {
    const draft = mapShopifyRefundToErp(
      decoded((b) => {
        b.transactions = [];
        b.order_adjustments = [];
        b.refund_shipping_lines = [];
      }),
      order,
    );
    expect(draft.total).toBe('109.44');
  });

  it('refuses a refunded line without SKU as a permanent error', () => {
    const refund = decoded((b) => {
      const line = (b.refund_line_items as Array<Record<string, unknown>>)[1];
      (line.line_item as Record<string, unknown>).sku = '';
    });
    expect(() => mapShopifyRefundToErp(refund, order)).toThrow(
      expect.objectContaining({ code: OrderErrorCode.MissingSku }) as Error,
    );
  });
});
