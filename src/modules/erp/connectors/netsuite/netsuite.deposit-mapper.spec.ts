import { toNetsuiteDeposit } from 'src/modules/erp/connectors/netsuite/netsuite.deposit-mapper';
import type { ErpDepositDraft } from 'src/modules/erp/port/erp.types';

const draft: ErpDepositDraft = {
  externalId: 'shopify-payout-512',
  payoutId: '512',
  depositDate: '2026-10-07T03:00:00Z',
  currency: 'EUR',
  bankAccount: '1',
  total: '59.00',
  memo: 'Shopify Payments payout 512',
  lines: [
    { kind: 'sales', account: '120', amount: '130.10', memo: 'sales' },
    { kind: 'fees', account: '601', amount: '-19.95', memo: 'fees' },
    { kind: 'adjustments', account: '120', amount: '0.00', memo: 'adjustments' },
    { kind: 'disputes', account: '603', amount: '-51.15', memo: 'disputes' },
  ],
};

describe(toNetsuiteDeposit.name, () => {
  it('puts what adds to the deposit on Other Deposits and what takes from it on Cash Back, as positive amounts', () => {
    expect(toNetsuiteDeposit(draft)).toEqual({
      externalId: 'shopify-payout-512',
      tranDate: '2026-10-07',
      account: { id: '1' },
      memo: 'Shopify Payments payout 512',
      other: { items: [{ account: { id: '120' }, amount: 130.1, memo: 'sales' }] },
      cashBack: {
        items: [
          { account: { id: '601' }, amount: 19.95, memo: 'fees' },
          { account: { id: '603' }, amount: 51.15, memo: 'disputes' },
        ],
      },
    });
  });

  it('refuses a malformed amount as a Permanent error naming the line', () => {
    expect(() => toNetsuiteDeposit({ ...draft, lines: [{ ...draft.lines[0], amount: '1e3' }] })).toThrow(
      "Invalid amount for field 'sales amount': '1e3'",
    );
  });
});
