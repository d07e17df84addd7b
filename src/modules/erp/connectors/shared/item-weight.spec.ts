import { toErpWeight, weightUnitOf } from 'src/modules/erp/connectors/shared/item-weight';

describe('item weight', () => {
  it.each([
    ['g', 'GRAMS'],
    ['KG', 'KILOGRAMS'],
    [' oz ', 'OUNCES'],
    ['lbs', 'POUNDS'],
    ['Pounds', 'POUNDS'],
  ])('maps the unit name %p to %p', (name, unit) => {
    expect(weightUnitOf(name)).toBe(unit);
  });

  it('knows no unit Shopify has no name for', () => {
    expect(weightUnitOf('st')).toBeUndefined();
    expect(weightUnitOf(3)).toBeUndefined();
  });

  it('keeps the value exact, from a number or a string', () => {
    expect(toErpWeight(1.25, 'kg')).toEqual({ value: '1.25', unit: 'KILOGRAMS' });
    expect(toErpWeight('0.3333', 'lb')).toEqual({ value: '0.3333', unit: 'POUNDS' });
  });

  it.each([
    [0, 'kg'],
    ['0.00', 'g'],
    [-1, 'kg'],
    ['abc', 'kg'],
    [null, 'kg'],
    [2, undefined],
    [2, 'stone'],
  ])('reads %p %p as no weight', (value, unit) => {
    expect(toErpWeight(value, unit)).toBeUndefined();
  });
});
