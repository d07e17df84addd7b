import { sumMoney } from 'src/modules/orders';
import { balanceCategory, planDeposit } from 'src/modules/payouts/domain/map-payout-to-deposit';
import type { PayoutAccounts, PayoutBalanceTransaction, ShopifyPayout } from 'src/modules/payouts/domain/payout.types';

const accounts: PayoutAccounts = {
  bankAccount: 'BANK',
  clearingAccount: 'CLEAR',
  feeAccount: 'FEES',
  adjustmentAccount: 'ADJ',
  disputeAccount: 'DISP',
};

function tx(
  id: string,
  type: string,
  amount: string,
  fee: string,
  orderId: string | null = '1001',
): PayoutBalanceTransaction {
  const net = (Number(amount) - Number(fee)).toFixed(2);
  return { id, type, amount, fee, net, orderId, orderName: orderId === null ? null : `#${orderId}` };
}

function payout(transactions: PayoutBalanceTransaction[], net: string, status = 'PAID'): ShopifyPayout {
  return { id: '512', status, issuedAt: '2026-10-07T03:00:00Z', currency: 'EUR', net, transactions };
}

describe(planDeposit.name, () => {
  it('puts charges less refunds, fees, adjustments and disputes on their own lines that sum to the net', () => {
    const plan = planDeposit(
      payout(
        [
          tx('1', 'CHARGE', '100.00', '3.20'),
          tx('2', 'CHARGE', '50.10', '1.75', '1002'),
          tx('3', 'REFUND', '-20.00', '0.00'),
          tx('4', 'ADJUSTMENT', '-1.05', '0.00', null),
          tx('5', 'DISPUTE_WITHDRAWAL', '-50.10', '15.00', '1002'),
          tx('6', 'TRANSFER', '-59.00', '0.00', null),
        ],
        '59.00',
      ),
      accounts,
    );
    expect(plan).toEqual({
      kind: 'deposit',
      draft: {
        externalId: 'shopify-payout-512',
        payoutId: '512',
        depositDate: '2026-10-07',
        currency: 'EUR',
        bankAccount: 'BANK',
        total: '59.00',
        memo: 'Shopify Payments payout 512',
        lines: [
          { kind: 'sales', account: 'CLEAR', amount: '130.10', memo: 'Shopify Payments charges less refunds' },
          { kind: 'fees', account: 'FEES', amount: '-19.95', memo: 'Shopify Payments fees' },
          { kind: 'adjustments', account: 'ADJ', amount: '-1.05', memo: 'Shopify Payments adjustments' },
          { kind: 'disputes', account: 'DISP', amount: '-50.10', memo: 'Shopify Payments disputes' },
        ],
      },
    });
    if (plan.kind === 'deposit') {
      expect(sumMoney(plan.draft.lines.map((line) => line.amount))).toBe(plan.draft.total);
    }
  });

  it('leaves out lines with nothing on them', () => {
    const plan = planDeposit(payout([tx('1', 'CHARGE', '10.00', '0.59')], '9.41'), accounts);
    expect(plan.kind === 'deposit' && plan.draft.lines.map((line) => line.kind)).toEqual(['sales', 'fees']);
  });

  it('refuses a payout whose transactions do not come to its net, writing nothing', () => {
    const plan = planDeposit(payout([tx('1', 'CHARGE', '10.00', '0.59')], '9.42'), accounts);
    expect(plan).toEqual({
      kind: 'unbalanced',
      reason: 'payout 512: its 1 transactions come to 9.41, its net is 9.42',
    });
  });

  it('deposits only PAID payouts', () => {
    expect(planDeposit(payout([tx('1', 'CHARGE', '10.00', '0.59')], '9.41', 'IN_TRANSIT'), accounts).kind).toBe(
      'not-paid',
    );
  });

  it('refuses a malformed amount and a payout that is not positive', () => {
    expect(planDeposit(payout([tx('1', 'CHARGE', '1e3', '0.00')], '9.41'), accounts).kind).toBe('invalid');
    expect(planDeposit(payout([tx('1', 'REFUND', '-5.00', '0.00')], '-5.00'), accounts).kind).toBe('invalid');
  });

  it.each([
    ['CHARGE', 'charge'],
    ['REFUND', 'refund'],
    ['REFUND_FAILURE', 'refund'],
    ['CHARGEBACK_FEE', 'dispute'],
    ['DISPUTE_REVERSAL', 'dispute'],
    ['RESERVED_FUNDS', 'adjustment'],
    ['TRANSFER', 'transfer'],
  ])('counts %s as %s', (type, category) => {
    expect(balanceCategory(type)).toBe(category);
  });
});
