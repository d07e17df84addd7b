import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import {
  DEFAULT_ROUNDING_TOLERANCE,
  mapShopifyOrderToErp,
  NON_PRODUCT_LINE_SKUS,
} from 'src/modules/orders/domain/map-shopify-order-to-erp';
import { absMoney, addMoney, compareMoney, subtractMoney, sumMoney } from 'src/modules/orders/domain/money';
import { OrderErrorCode } from 'src/modules/orders/domain/order.errors';
import type { ShopifyMoneySet } from 'src/modules/orders/domain/shopify-order.payload';
import { MONEY_ORDER_ROWS, moneyOrderTable } from 'test/fixtures/shopify/money-orders';

/**
 * The money invariant on the fixture table (test/fixtures/shopify/money-orders.ts), at the draft: what every
 * connector writes adds up to Shopify's total (presentment or shop), within the rounding policy.
 */
const TABLE = moneyOrderTable();

function erpLinesTotal(salesOrder: ReturnType<typeof mapShopifyOrderToErp>['salesOrder']): string {
  return addMoney(
    sumMoney(salesOrder.lines.map((line) => line.lineTotal)),
    sumMoney(salesOrder.shippingLines.map((line) => subtractMoney(line.amount, line.discountAmount))),
    salesOrder.taxesIncluded ? '0' : salesOrder.taxTotal,
  );
}

describe('the money fixture table', () => {
  it('holds at least 30 orders of every kind the issue lists', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
    const rows = MONEY_ORDER_ROWS;
    expect(rows.some((r) => r.presentment !== undefined && r.presentment !== r.shop)).toBe(true);
    expect(rows.some((r) => r.taxesIncluded === true)).toBe(true);
    expect(rows.some((r) => r.orderDiscount !== undefined && r.lines.some((l) => l.discount !== undefined))).toBe(true);
    for (const kind of ['giftCard', 'custom', 'tip'] as const) {
      expect(rows.some((r) => r.lines.some((l) => l.kind === kind))).toBe(true);
    }
    expect(rows.some((r) => r.giftCardTender !== undefined)).toBe(true);
    expect(rows.some((r) => r.duties !== undefined)).toBe(true);
    expect(rows.some((r) => r.b2b !== undefined)).toBe(true);
  });

  it('maps each B2B order to its company location under its company, with its PO number and payment terms', () => {
    const b2b = TABLE.filter(([, payload]) => payload.company !== null).map(([name, payload]) => {
      const { customer, salesOrder } = mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(payload))));
      return [
        name,
        customer.externalId,
        customer.parentCompany?.externalId,
        salesOrder.purchaseOrderNumber,
        salesOrder.paymentTerms?.name,
      ];
    });
    expect(b2b).toEqual([
      ['B2B net 30 with PO', 'company-location-88001', 'company-4501', 'PO-44781', 'Net 30'],
      [
        expect.stringContaining('B2B net 60'),
        expect.stringMatching(/^company-location-\d+$/),
        expect.stringMatching(/^company-\d+$/),
        'ACME-2026-117',
        'Net 60',
      ],
      [
        expect.stringContaining('B2B in EUR'),
        expect.stringMatching(/^company-location-\d+$/),
        expect.stringMatching(/^company-\d+$/),
        'BESTELLUNG-9931',
        'Net 15',
      ],
      [
        expect.stringContaining('B2B second location'),
        'company-location-88002',
        'company-4501',
        undefined,
        'Due on receipt',
      ],
    ]);
  });

  describe.each(TABLE)('%s', (_name, payload) => {
    const order = decodeOrderPayload(JSON.parse(JSON.stringify(payload)));
    const totalSet = payload.current_total_price_set as ShopifyMoneySet;

    it('in the presentment currency: the ERP lines add up to what the customer paid, exactly', () => {
      const { salesOrder } = mapShopifyOrderToErp(order);
      expect(salesOrder.currency).toBe(totalSet.presentment_money.currency_code);
      expect(salesOrder.total).toBe(totalSet.presentment_money.amount);
      expect(salesOrder.reconciliation?.outcome).toBe('exact');
      expect(erpLinesTotal(salesOrder)).toBe(salesOrder.total);
      expect(salesOrder.currencies).toMatchObject({
        shopCurrency: totalSet.shop_money.currency_code,
        presentmentCurrency: totalSet.presentment_money.currency_code,
        shopTotal: totalSet.shop_money.amount,
        presentmentTotal: totalSet.presentment_money.amount,
      });
    });

    it('in the shop currency: equal to Shopify within the rounding policy, the difference on a rounding line', () => {
      const { salesOrder } = mapShopifyOrderToErp(order, { documentCurrency: 'shop' });
      expect(salesOrder.currency).toBe(totalSet.shop_money.currency_code);
      expect(salesOrder.total).toBe(totalSet.shop_money.amount);
      const reconciliation = salesOrder.reconciliation;
      expect(addMoney(reconciliation?.documentTotal ?? '0', reconciliation?.difference ?? '0')).toBe(salesOrder.total);
      if (reconciliation?.outcome === 'flagged') {
        // Converted unit prices × many units: beyond the tolerance, reported, never hidden on a rounding line.
        expect(compareMoney(absMoney(reconciliation.difference), DEFAULT_ROUNDING_TOLERANCE)).toBe(1);
        expect(erpLinesTotal(salesOrder)).toBe(reconciliation.documentTotal);
        return;
      }
      expect(erpLinesTotal(salesOrder)).toBe(salesOrder.total);
      const rounding = salesOrder.lines.filter((line) => line.kind === 'rounding');
      if (salesOrder.reconciliation?.outcome === 'adjusted') {
        expect(rounding).toHaveLength(1);
        expect(compareMoney(absMoney(rounding[0].lineTotal), DEFAULT_ROUNDING_TOLERANCE)).toBeLessThanOrEqual(0);
      } else {
        expect(salesOrder.reconciliation?.outcome).toBe('exact');
        expect(rounding).toEqual([]);
      }
    });

    it('sends every line without a SKU to its configured item, none dead-lettered', () => {
      const { salesOrder } = mapShopifyOrderToErp(order);
      for (const line of salesOrder.lines) {
        if (line.kind !== undefined && line.kind !== 'product' && line.kind !== 'custom') {
          expect(line.sku).toBe(NON_PRODUCT_LINE_SKUS[line.kind]);
        }
      }
    });
  });
});

describe('lines without a SKU', () => {
  const [, payload] = TABLE.find(([name]) => name === 'everything at once') ?? [];
  const order = (): ReturnType<typeof decodeOrderPayload> => decodeOrderPayload(JSON.parse(JSON.stringify(payload)));

  it('maps a gift card sold to the gift-card liability item, not the SKU of its variant', () => {
    const { salesOrder } = mapShopifyOrderToErp(order());
    const gift = salesOrder.lines.find((line) => line.kind === 'giftCard');
    expect(gift).toMatchObject({ sku: 'SHOPIFY-GIFT-CARD', taxAmount: '0.00', lineTotal: '25.00' });
  });

  it('maps custom lines, tips and duties to their items', () => {
    const { salesOrder } = mapShopifyOrderToErp(order());
    expect(salesOrder.lines.map((line) => [line.kind ?? 'product', line.sku])).toEqual([
      ['product', expect.stringMatching(/^SKU-/)],
      ['custom', 'SHOPIFY-CUSTOM-ITEM'],
      ['giftCard', 'SHOPIFY-GIFT-CARD'],
      ['tip', 'SHOPIFY-TIP'],
      ['duty', 'SHOPIFY-DUTIES'],
    ]);
  });

  it('keeps the SKU a merchant gave a custom line', () => {
    const custom = order();
    custom.line_items[1].sku = 'ENGRAVING';
    expect(mapShopifyOrderToErp(custom).salesOrder.lines[1]).toMatchObject({ kind: 'custom', sku: 'ENGRAVING' });
  });

  it('dead-letters only a product variant without a SKU, with that reason', () => {
    const broken = order();
    broken.line_items[0].sku = ' ';
    expect(() => mapShopifyOrderToErp(broken)).toThrow(
      expect.objectContaining({
        code: OrderErrorCode.MissingSku,
        message: expect.stringContaining('is a product variant without a SKU') as unknown,
      }),
    );
  });
});

describe('the rounding policy', () => {
  const [, payload] = TABLE.find(([name]) => name === 'plain USD') ?? [];

  it('flags a difference beyond the tolerance instead of hiding it on a rounding line', () => {
    const order = decodeOrderPayload(JSON.parse(JSON.stringify(payload)));
    order.current_total_price = addMoney(order.current_total_price ?? '0', '1.00');
    const { salesOrder } = mapShopifyOrderToErp(order, { documentCurrency: 'shop' });
    expect(salesOrder.reconciliation).toMatchObject({ outcome: 'flagged', difference: '1.00', tolerance: '0.05' });
    expect(salesOrder.lines.some((line) => line.kind === 'rounding')).toBe(false);
  });

  it('adjusts a difference within the tolerance with one rounding line', () => {
    const order = decodeOrderPayload(JSON.parse(JSON.stringify(payload)));
    order.current_total_price = subtractMoney(order.current_total_price ?? '0', '0.02');
    const { salesOrder } = mapShopifyOrderToErp(order, { documentCurrency: 'shop' });
    expect(salesOrder.reconciliation).toMatchObject({ outcome: 'adjusted', difference: '-0.02' });
    expect(salesOrder.lines.at(-1)).toMatchObject({ kind: 'rounding', sku: 'SHOPIFY-ROUNDING', lineTotal: '-0.02' });
  });
});
