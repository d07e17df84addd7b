import { mappedPaymentTerms } from 'src/modules/erp/connectors/shared/payment-terms';

describe(mappedPaymentTerms.name, () => {
  const map = { 'Net 30': '2', 'due on receipt': '4' };

  it.each([
    ['the name as written', 'Net 30', '2'],
    ['the name in another case', 'Due on Receipt', '4'],
    ['a name the map lacks', 'Net 60', undefined],
  ])('%s', (_case, name, expected) => {
    expect(mappedPaymentTerms({ name }, map)).toBe(expected);
  });

  it('is undefined for an order without terms or without a map', () => {
    expect(mappedPaymentTerms(undefined, map)).toBeUndefined();
    expect(mappedPaymentTerms({ name: 'Net 30' }, undefined)).toBeUndefined();
  });
});
