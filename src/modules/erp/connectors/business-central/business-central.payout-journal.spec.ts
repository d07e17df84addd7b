import { toBcPayoutJournalLines } from 'src/modules/erp/connectors/business-central/business-central.payment-mapping';
import type { ErpDepositDraft } from 'src/modules/erp/port/erp.types';

describe(toBcPayoutJournalLines.name, () => {
  it('books the net to the bank and each deposit line against its account with the opposite sign, balanced', () => {
    const draft: ErpDepositDraft = {
      externalId: 'shopify-payout-512',
      payoutId: '512',
      depositDate: '2026-10-07T03:00:00Z',
      currency: 'EUR',
      bankAccount: 'BANK1',
      total: '110.15',
      memo: 'Shopify Payments payout 512',
      lines: [
        { kind: 'sales', account: '40400', amount: '130.10', memo: 'sales' },
        { kind: 'fees', account: '40450', amount: '-19.95', memo: 'fees' },
        { kind: 'adjustments', account: '40400', amount: '0.00', memo: 'adjustments' },
      ],
    };
    const lines = toBcPayoutJournalLines(draft);
    expect(
      lines.map((l) => [l.accountType, l.accountNumber, l.amount, l.documentNumber, l.externalDocumentNumber]),
    ).toEqual([
      ['Bank Account', 'BANK1', 110.15, 'SP512', '512'],
      ['G/L Account', '40400', -130.1, 'SP512', '512'],
      ['G/L Account', '40450', 19.95, 'SP512', '512'],
    ]);
    expect(lines.every((l) => l.postingDate === '2026-10-07')).toBe(true);
    expect(lines.reduce((sum, l) => sum + Math.round(l.amount * 100), 0)).toBe(0);
  });
});
