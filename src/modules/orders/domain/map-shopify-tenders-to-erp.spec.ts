import { decodeOrderPayload } from 'src/modules/orders/domain/decode-order-payload';
import { mapShopifyOrderToErp } from 'src/modules/orders/domain/map-shopify-order-to-erp';
import {
  mapShopifyTendersToErp,
  namesRecordedTender,
  type ShopifyTender,
} from 'src/modules/orders/domain/map-shopify-tenders-to-erp';
import { compareMoney, sumMoney } from 'src/modules/orders/domain/money';
import { OrderError } from 'src/modules/orders/domain/order.errors';
import { giftCardTenderTable, type MoneyOrderTransaction } from 'test/fixtures/shopify/money-orders';

const GIFT_CARDS_ONLY = { gift_card: '' };

function salesOrderOf(payload: unknown) {
  return mapShopifyOrderToErp(decodeOrderPayload(JSON.parse(JSON.stringify(payload)))).salesOrder;
}

function tender(overrides: Partial<ShopifyTender> = {}): ShopifyTender {
  return {
    id: '9001',
    kind: 'SALE',
    status: 'SUCCESS',
    gateway: 'gift_card',
    shopMoney: { amount: '10.0', currencyCode: 'USD' },
    presentmentMoney: { amount: '10.0', currencyCode: 'USD' },
    processedAt: '2026-10-05T10:00:00Z',
    createdAt: '2026-10-05T10:00:00Z',
    ...overrides,
  };
}

const table = giftCardTenderTable();

describe(mapShopifyTendersToErp.name, () => {
  it('has gift-card-redeemed orders in the money table', () => {
    expect(table.length).toBeGreaterThanOrEqual(3);
  });

  it.each(table)(
    '%s: one gift card payment, in the document currency, keyed by the transaction id',
    (_n, payload, txs) => {
      const salesOrder = salesOrderOf(payload);
      const drafts = mapShopifyTendersToErp(txs, salesOrder, GIFT_CARDS_ONLY);
      const giftCard = txs.find((t) => t.gateway === 'gift_card') as MoneyOrderTransaction;
      const expected =
        giftCard.presentmentMoney.currencyCode === salesOrder.currency
          ? giftCard.presentmentMoney.amount
          : giftCard.shopMoney.amount;
      expect(drafts).toEqual([
        expect.objectContaining({
          externalId: giftCard.id,
          orderExternalId: salesOrder.externalId,
          orderReference: salesOrder.reference,
          customerExternalId: salesOrder.customerExternalId,
          gateway: 'gift_card',
          currency: salesOrder.currency,
          paidAt: giftCard.processedAt,
        }),
      ]);
      expect(compareMoney(drafts[0].amount, expected)).toBe(0);
      expect(drafts[0].paymentMethod).toBeUndefined();
    },
  );

  it.each(table)('%s: with every gateway mapped, the payments never exceed the order total', (_n, payload, txs) => {
    const salesOrder = salesOrderOf(payload);
    const drafts = mapShopifyTendersToErp(txs, salesOrder, {
      gift_card: '8',
      shopify_payments: '3',
    });
    expect(drafts.map((d) => d.gateway)).toEqual(txs.map((t) => t.gateway));
    expect(compareMoney(sumMoney(drafts.map((d) => d.amount)), salesOrder.total)).toBeLessThanOrEqual(0);
    expect(drafts.map((d) => d.paymentMethod)).toEqual(txs.map((t) => (t.gateway === 'gift_card' ? '8' : '3')));
  });

  it('records only successful sales and captures, never authorisations, failures or refunds', () => {
    const salesOrder = salesOrderOf(table[0][1]);
    const drafts = mapShopifyTendersToErp(
      [
        tender({ id: '1', kind: 'AUTHORIZATION' }),
        tender({ id: '2', status: 'FAILURE' }),
        tender({ id: '3', kind: 'REFUND' }),
        tender({ id: '4', status: 'PENDING' }),
        tender({ id: '5', kind: 'CAPTURE', shopMoney: { amount: '1.5', currencyCode: salesOrder.currency } }),
        tender({ id: '6', gateway: 'shopify_payments' }),
        tender({ id: '7', gateway: null }),
      ],
      salesOrder,
      GIFT_CARDS_ONLY,
    );
    expect(drafts.map((d) => [d.externalId, d.amount])).toEqual([['5', '1.50']]);
  });

  it('cuts the tender that would pass the order total to what is left, and drops those after it', () => {
    const salesOrder = { ...salesOrderOf(table[0][1]), total: '30.00', currency: 'USD', currencies: undefined };
    const drafts = mapShopifyTendersToErp(
      [
        tender({ id: 'b', shopMoney: { amount: '25.0', currencyCode: 'USD' }, processedAt: '2026-10-05T10:01:00Z' }),
        tender({ id: 'a', shopMoney: { amount: '20.0', currencyCode: 'USD' }, processedAt: '2026-10-05T10:00:00Z' }),
        tender({ id: 'c', shopMoney: { amount: '5.0', currencyCode: 'USD' }, processedAt: '2026-10-05T10:02:00Z' }),
      ],
      salesOrder,
      GIFT_CARDS_ONLY,
    );
    expect(drafts.map((d) => [d.externalId, d.amount])).toEqual([
      ['a', '20.00'],
      ['b', '10.00'],
    ]);
  });

  it('records nothing when the map is empty', () => {
    const [, payload, txs] = table[0];
    expect(mapShopifyTendersToErp(txs as ShopifyTender[], salesOrderOf(payload), {})).toEqual([]);
  });

  it('refuses a transaction without a decimal amount', () => {
    expect(() =>
      mapShopifyTendersToErp(
        [tender({ shopMoney: { amount: 'ten', currencyCode: 'USD' } })],
        { ...salesOrderOf(table[0][1]), currency: 'USD', currencies: undefined },
        GIFT_CARDS_ONLY,
      ),
    ).toThrow(OrderError);
  });
});

describe(namesRecordedTender.name, () => {
  it('is true only when the payload names a mapped gateway', () => {
    expect(namesRecordedTender(['gift_card', 'shopify_payments'], GIFT_CARDS_ONLY)).toBe(true);
    expect(namesRecordedTender(['shopify_payments'], GIFT_CARDS_ONLY)).toBe(false);
    expect(namesRecordedTender(undefined, GIFT_CARDS_ONLY)).toBe(false);
    expect(namesRecordedTender(['manual'], { manual: '1' })).toBe(true);
    expect(namesRecordedTender(['gift_card'], {})).toBe(false);
  });
});
