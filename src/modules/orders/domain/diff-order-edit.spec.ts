import type { ErpSalesOrderLine, ErpShippingLine } from 'src/modules/erp';
import { diffOrderEdit, isEmptyOrderEdit } from 'src/modules/orders/domain/diff-order-edit';

const line = (
  id: string,
  sku: string,
  quantity: number,
  unitPrice = '10.00',
  discountAmount = '0.00',
): ErpSalesOrderLine => ({
  externalLineId: id,
  sku,
  description: sku,
  quantity,
  unitPrice,
  discountAmount,
  taxAmount: '0.00',
  lineTotal: (quantity * Number(unitPrice) - Number(discountAmount)).toFixed(2),
  taxLines: [],
});
const shipping = (amount: string): ErpShippingLine => ({
  code: 'std',
  description: 'Standard',
  amount,
  discountAmount: '0.00',
  taxAmount: '0.00',
});

const applied = { lines: [line('1', 'A', 2), line('2', 'B', 1)], shippingLines: [shipping('5.00')] };

describe(diffOrderEdit.name, () => {
  it('finds nothing when lines and shipping are the same (amounts compared as decimals, not spellings)', () => {
    const same = { lines: [line('1', 'A', 2, '10.0'), line('2', 'B', 1)], shippingLines: [shipping('5')] };
    const diff = diffOrderEdit(applied, same);
    expect(diff).toEqual({ lines: [], shipping: null });
    expect(isEmptyOrderEdit(diff)).toBe(true);
  });

  it.each([
    [
      'a quantity changed',
      { lines: [line('1', 'A', 3), line('2', 'B', 1)], shippingLines: [shipping('5.00')] },
      [{ externalLineId: '1', sku: 'A', from: 2, to: 3, fromTotal: '20.00', toTotal: '30.00' }],
    ],
    [
      'a line added',
      { lines: [...applied.lines, line('3', 'C', 1, '7.50')], shippingLines: [shipping('5.00')] },
      [{ externalLineId: '3', sku: 'C', from: null, to: 1, fromTotal: null, toTotal: '7.50' }],
    ],
    [
      'a line removed by Shopify (kept with quantity 0)',
      { lines: [line('1', 'A', 2), line('2', 'B', 0)], shippingLines: [shipping('5.00')] },
      [{ externalLineId: '2', sku: 'B', from: 1, to: 0, fromTotal: '10.00', toTotal: '0.00' }],
    ],
    [
      'a line gone from the payload',
      { lines: [line('1', 'A', 2)], shippingLines: [shipping('5.00')] },
      [{ externalLineId: '2', sku: 'B', from: 1, to: 0, fromTotal: '10.00', toTotal: '0.00' }],
    ],
    [
      'a discount changed at the same quantity',
      { lines: [line('1', 'A', 2, '10.00', '2.00'), line('2', 'B', 1)], shippingLines: [shipping('5.00')] },
      [{ externalLineId: '1', sku: 'A', from: 2, to: 2, fromTotal: '20.00', toTotal: '18.00' }],
    ],
  ])('lists %s', (_name, incoming, lines) => {
    const diff = diffOrderEdit(applied, incoming);
    expect(diff.lines).toEqual(lines.map((expected) => expect.objectContaining(expected)));
    expect(diff.shipping).toBeNull();
    expect(isEmptyOrderEdit(diff)).toBe(false);
  });

  it('reports shipping changed as the total of its lines, exactly', () => {
    const diff = diffOrderEdit(applied, { lines: applied.lines, shippingLines: [shipping('4.10'), shipping('4.90')] });
    expect(diff).toEqual({ lines: [], shipping: { from: '5.00', to: '9.00' } });
  });

  it('ignores an added line with nothing left and a removed line that was already empty', () => {
    const before = { lines: [...applied.lines, line('9', 'Z', 0)], shippingLines: [shipping('5.00')] };
    const after = { lines: [...applied.lines, line('8', 'Y', 0)], shippingLines: [shipping('5.00')] };
    expect(isEmptyOrderEdit(diffOrderEdit(before, after))).toBe(true);
  });
});
