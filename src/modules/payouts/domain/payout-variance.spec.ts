import { payoutVariances, type SyncedOrder } from 'src/modules/payouts/domain/payout-variance';
import type { PayoutBalanceTransaction, ShopifyPayout } from 'src/modules/payouts/domain/payout.types';

function tx(id: string, type: string, amount: string, orderId: string | null): PayoutBalanceTransaction {
  return { id, type, amount, fee: '0.00', net: amount, orderId, orderName: orderId === null ? null : `#${orderId}` };
}

const payout = (transactions: PayoutBalanceTransaction[]): ShopifyPayout => ({
  id: '512',
  status: 'PAID',
  issuedAt: '2026-10-07T03:00:00Z',
  currency: 'EUR',
  net: '0.00',
  transactions,
});

describe(payoutVariances.name, () => {
  it('is empty when every charge matches the total synced to the ERP', () => {
    const synced = new Map<string, SyncedOrder>([['1', { total: '94.00' }]]);
    expect(payoutVariances(payout([tx('a', 'CHARGE', '94.0', '1')]), synced)).toEqual([]);
  });

  it('lists orders never synced, amounts that differ and transactions without an order', () => {
    const synced = new Map<string, SyncedOrder>([
      ['1', { total: '94.00' }],
      ['2', { total: '20.00' }],
    ]);
    const report = payoutVariances(
      payout([
        tx('a', 'CHARGE', '50.00', '1'),
        tx('b', 'CHARGE', '44.01', '1'),
        tx('c', 'CHARGE', '20.00', '2'),
        tx('d', 'REFUND', '-5.00', '3'),
        tx('e', 'CHARGE', '7.00', null),
        tx('f', 'ADJUSTMENT', '-1.00', null),
      ]),
      synced,
    );
    expect(report).toEqual([
      {
        transactionId: 'd',
        type: 'REFUND',
        orderId: '3',
        orderName: '#3',
        reason: 'order-not-synced',
        payoutAmount: '-5.00',
        syncedAmount: null,
      },
      {
        transactionId: 'e',
        type: 'CHARGE',
        orderId: null,
        orderName: null,
        reason: 'no-order',
        payoutAmount: '7.00',
        syncedAmount: null,
      },
      {
        transactionId: 'a',
        type: 'CHARGE',
        orderId: '1',
        orderName: '#1',
        reason: 'amount-differs',
        payoutAmount: '94.01',
        syncedAmount: '94.00',
      },
    ]);
  });
});
