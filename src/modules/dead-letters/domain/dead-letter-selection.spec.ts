import {
  MAX_SKIPPED_IDS,
  isUnfocusedSelection,
  summariseSkips,
} from 'src/modules/dead-letters/domain/dead-letter-selection';

describe(isUnfocusedSelection.name, () => {
  it.each([
    [{}, true],
    [{ shops: ['a.myshopify.com'], status: 'dead' as const }, true],
    [{ ids: ['1'] }, false],
    [{ topic: 'orders/create' }, false],
    [{ reasonContains: 'sku' }, false],
    [{ errorClass: 'UNEXPECTED' }, false],
    [{ createdFrom: new Date() }, false],
  ])('%j → %s', (selection, unfocused) => {
    expect(isUnfocusedSelection(selection)).toBe(unfocused);
  });
});

describe(summariseSkips.name, () => {
  it('groups by reason in a fixed order, counting all, naming the first ids', () => {
    const skips = [
      ...Array.from({ length: MAX_SKIPPED_IDS + 2 }, (_, i) => ({ id: String(i), reason: 'already_retried' as const })),
      { id: '900', reason: 'not_found' as const },
    ];
    const summary = summariseSkips(skips);
    expect(summary.map((s) => [s.reason, s.count, s.ids.length])).toEqual([
      ['not_found', 1, 1],
      ['already_retried', MAX_SKIPPED_IDS + 2, MAX_SKIPPED_IDS],
    ]);
  });
});
