import { ErrorKind } from 'src/common/errors/app-error';
import {
  isCancelledOrder,
  orderSourceUpdatedAt,
  planLineChanges,
} from 'src/modules/erp/connectors/business-central/business-central.line-plan';
import {
  anyOfFilters,
  customerDisplayName,
  eqFilter,
  orderDocumentNumber,
  refundDocumentNumber,
  toBcCreditMemoLines,
  toBcCustomerBody,
  toBcOrderLines,
  toBcSalesOrderHeader,
  type BcLineBody,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type { BcDocumentLine } from 'src/modules/erp/connectors/business-central/business-central.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpCustomerDraft, ErpRefundDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

const ITEM_A = '11111111-1111-4111-8111-111111111111';
const ITEM_B = '22222222-2222-4222-8222-222222222222';
const VARIANT_B = '33333333-3333-4333-8333-333333333333';
const itemIds = new Map([
  ['A-1', ITEM_A],
  ['B-RED', `${ITEM_B}:${VARIANT_B}`],
]);
const options = { shippingAccountNumber: '40400', refundAccountNumber: '40450', localCurrencyCode: 'USD' };

function draft(overrides: Partial<ErpSalesOrderDraft> = {}): ErpSalesOrderDraft {
  return {
    externalId: '820982911946154508',
    reference: '#1001',
    orderDate: '2026-10-05T23:30:00-04:00',
    sourceUpdatedAt: '2026-10-05T23:31:00-04:00',
    currency: 'USD',
    taxesIncluded: false,
    status: 'open',
    customerExternalId: '42',
    email: 'ana@example.com',
    billingAddress: {
      name: 'Ana Diaz',
      line1: 'Main St 1',
      city: 'A city name that is far longer than thirty chars',
      countryCode: 'US',
    },
    shippingAddress: {
      name: 'Ana Diaz',
      company: 'Diaz LLC',
      line1: 'Dock 4',
      city: 'Newark',
      region: 'NJ',
      postalCode: '07101',
      countryCode: 'US',
      phone: '+1 555',
    },
    lines: [
      {
        externalLineId: '1',
        sku: 'A-1',
        description: 'Alpha',
        quantity: 2,
        unitPrice: '10.00',
        discountAmount: '3.00',
        taxAmount: '0',
        lineTotal: '17.00',
        taxLines: [],
      },
      {
        externalLineId: '2',
        sku: 'B-RED',
        description: 'Beta  red',
        quantity: 1,
        unitPrice: '5.50',
        discountAmount: '0.00',
        taxAmount: '0',
        lineTotal: '5.50',
        taxLines: [],
      },
    ],
    shippingLines: [{ code: 'STD', description: 'Standard', amount: '4.99', discountAmount: '1.00', taxAmount: '0' }],
    discountCodes: [],
    subtotal: '22.50',
    discountTotal: '3.00',
    shippingTotal: '4.99',
    taxTotal: '0',
    total: '26.49',
    ...overrides,
  };
}

/** The lines as BC would return them after creating `wanted`. */
function asStored(wanted: BcLineBody[]): BcDocumentLine[] {
  return wanted.map((line, index) => ({
    ...line,
    id: `line-${index}`,
    sequence: (index + 1) * 10000,
    '@odata.etag': `W/"${index}"`,
    itemVariantId: line.itemVariantId ?? '00000000-0000-0000-0000-000000000000',
    lineObjectNumber: line.lineObjectNumber ?? '',
    quantity: line.quantity ?? 0,
    unitPrice: line.unitPrice ?? 0,
    discountAmount: line.discountAmount ?? 0,
  }));
}

describe(toBcOrderLines.name, () => {
  it('maps items, shipping and the connector comment lines', () => {
    expect(toBcOrderLines(draft(), itemIds, options)).toEqual([
      { lineType: 'Item', itemId: ITEM_A, description: 'Alpha', quantity: 2, unitPrice: 10, discountAmount: 3 },
      {
        lineType: 'Item',
        itemId: ITEM_B,
        itemVariantId: VARIANT_B,
        description: 'Beta red',
        quantity: 1,
        unitPrice: 5.5,
        discountAmount: 0,
      },
      {
        lineType: 'Account',
        lineObjectNumber: '40400',
        description: 'Standard',
        quantity: 1,
        unitPrice: 4.99,
        discountAmount: 1,
      },
      { lineType: 'Comment', description: 'Shopify order #1001' },
      { lineType: 'Comment', description: 'Shopify updated_at 2026-10-05T23:31:00-04:00' },
    ]);
  });

  it('keeps the line amounts equal to the Shopify line totals', () => {
    const lines = toBcOrderLines(draft(), itemIds, options).filter((l) => l.lineType === 'Item');
    const totals = lines.map((l) => l.quantity! * l.unitPrice! - l.discountAmount!);
    expect(totals).toEqual(draft().lines.map((l) => Number(l.lineTotal)));
  });

  it('zeroes quantities and discounts of a cancelled order and adds the cancellation comment', () => {
    const lines = toBcOrderLines(draft({ status: 'cancelled', cancelReason: 'customer' }), itemIds, options);
    expect(lines.filter((l) => l.lineType !== 'Comment').every((l) => l.quantity === 0 && l.discountAmount === 0)).toBe(
      true,
    );
    expect(lines.map((l) => l.description)).toContain('Shopify cancelled: customer');
  });

  it('throws UNKNOWN_SKU for a SKU without an item id', () => {
    const error = (() => {
      try {
        toBcOrderLines(draft({ lines: [{ ...draft().lines[0], sku: 'NOPE' }] }), itemIds, options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ErpError);
    expect((error as ErpError).kind).toBe(ErrorKind.Permanent);
    expect((error as ErpError).code).toBe('UNKNOWN_SKU');
  });
});

describe(planLineChanges.name, () => {
  it('plans nothing when the order already holds the draft', () => {
    const wanted = toBcOrderLines(draft(), itemIds, options);
    expect(planLineChanges(asStored(wanted), wanted)).toEqual({ deletes: [], patches: [], posts: [] });
  });

  it('patches changed lines, deletes removed ones, posts new ones and leaves foreign comments alone', () => {
    const existing = [
      ...asStored(toBcOrderLines(draft(), itemIds, options)),
      { id: 'note', sequence: 90000, lineType: 'Comment' as const, description: 'Call before delivery' },
    ];
    const next = draft({
      sourceUpdatedAt: '2026-10-06T00:00:00Z',
      lines: [{ ...draft().lines[0], quantity: 5 }],
      shippingLines: [],
    });
    const plan = planLineChanges(existing, toBcOrderLines(next, itemIds, options));
    expect(plan.deletes.map((l) => l.id)).toEqual(['line-1', 'line-2']);
    expect(plan.patches).toEqual([
      { line: expect.objectContaining({ id: 'line-0' }), changes: { quantity: 5 } },
      {
        line: expect.objectContaining({ id: 'line-4' }),
        changes: { description: 'Shopify updated_at 2026-10-06T00:00:00Z' },
      },
    ]);
    expect(plan.posts).toEqual([]);
  });

  it('posts a new cancellation comment and patches quantities on cancel', () => {
    const existing = asStored(toBcOrderLines(draft(), itemIds, options));
    const plan = planLineChanges(existing, toBcOrderLines(draft({ status: 'cancelled' }), itemIds, options));
    expect(plan.posts).toEqual([{ lineType: 'Comment', description: 'Shopify cancelled' }]);
    expect(plan.patches.map((p) => p.changes)).toEqual([
      { quantity: 0, discountAmount: 0 },
      { quantity: 0 },
      { quantity: 0, discountAmount: 0 },
    ]);
  });
});

describe('order state comments', () => {
  it('reads back the Shopify updated_at and the cancellation marker', () => {
    const lines = asStored(toBcOrderLines(draft({ status: 'cancelled' }), itemIds, options));
    expect(orderSourceUpdatedAt({ salesOrderLines: lines })).toBe('2026-10-05T23:31:00-04:00');
    expect(isCancelledOrder({ salesOrderLines: lines })).toBe(true);
    expect(isCancelledOrder({ salesOrderLines: asStored(toBcOrderLines(draft(), itemIds, options)) })).toBe(false);
  });
});

describe(toBcSalesOrderHeader.name, () => {
  it('maps the header with the local date, BC field lengths and a blank LCY currency', () => {
    expect(toBcSalesOrderHeader(draft(), 'cust-id', options)).toEqual({
      externalDocumentNumber: '820982911946154508',
      orderDate: '2026-10-05',
      customerId: 'cust-id',
      email: 'ana@example.com',
      phoneNumber: '+1 555',
      billToName: 'Ana Diaz',
      billToAddressLine1: 'Main St 1',
      billToCity: 'A city name that is far longer',
      billToCountry: 'US',
      shipToName: 'Diaz LLC',
      shipToContact: 'Ana Diaz',
      shipToAddressLine1: 'Dock 4',
      shipToCity: 'Newark',
      shipToState: 'NJ',
      shipToCountry: 'US',
      shipToPostCode: '07101',
    });
    expect(toBcSalesOrderHeader(draft({ currency: 'EUR' }), 'c', options).currencyCode).toBe('EUR');
  });

  it('refuses an external id longer than Code[35]', () => {
    expect(() => orderDocumentNumber({ externalId: 'x'.repeat(36) })).toThrow(ErpError);
  });
});

describe(toBcCustomerBody.name, () => {
  const customer: ErpCustomerDraft = {
    externalId: '7',
    email: 'ana@example.com',
    firstName: 'Ana',
    lastName: 'Diaz',
    currency: 'EUR',
    billingAddress: { line1: 'Calle 1', city: 'Madrid', postalCode: '28001', countryCode: 'ES', phone: '+34 600' },
  };

  it('maps a person with address, phone and a foreign currency', () => {
    expect(toBcCustomerBody(customer, options)).toEqual({
      displayName: 'Ana Diaz',
      type: 'Person',
      email: 'ana@example.com',
      phoneNumber: '+34 600',
      addressLine1: 'Calle 1',
      city: 'Madrid',
      country: 'ES',
      postalCode: '28001',
      currencyCode: 'EUR',
    });
  });

  it('names a customer by company, then person, then email, then Shopify id', () => {
    expect(customerDisplayName({ ...customer, company: 'Acme' })).toBe('Acme');
    expect(customerDisplayName({ ...customer, firstName: undefined, lastName: undefined })).toBe('ana@example.com');
    expect(customerDisplayName({ externalId: 'guest:9', currency: 'USD' })).toBe('Shopify customer guest:9');
  });
});

describe(toBcCreditMemoLines.name, () => {
  const refund: ErpRefundDraft = {
    externalId: 'gid://shopify/Refund/929361462',
    orderExternalId: '820982911946154508',
    orderReference: '#1001',
    customerExternalId: '42',
    refundDate: '2026-10-07T10:00:00Z',
    currency: 'USD',
    lines: [
      {
        externalLineId: 'r1',
        orderLineExternalId: '1',
        sku: 'A-1',
        description: 'Alpha',
        quantity: 3,
        amount: '10.00',
        taxAmount: '0',
        restock: true,
      },
      {
        externalLineId: 'r2',
        orderLineExternalId: '2',
        sku: 'B-RED',
        description: 'Beta',
        quantity: 1,
        amount: '5.50',
        taxAmount: '0',
        restock: false,
      },
    ],
    shippingAmount: '4.99',
    adjustmentAmount: '-2.00',
    taxTotal: '0',
    total: '18.49',
  };

  it('credits restocked items, other amounts on G/L accounts, and names the refund', () => {
    expect(refundDocumentNumber(refund)).toBe('SR-929361462');
    expect(toBcCreditMemoLines(refund, itemIds, options)).toEqual([
      { lineType: 'Item', itemId: ITEM_A, description: 'Alpha', quantity: 3, unitPrice: 3.33333 },
      {
        lineType: 'Account',
        lineObjectNumber: '40450',
        description: 'B-RED x1 Beta (not restocked)',
        quantity: 1,
        unitPrice: 5.5,
      },
      { lineType: 'Account', lineObjectNumber: '40400', description: 'Shipping refund', quantity: 1, unitPrice: 4.99 },
      { lineType: 'Account', lineObjectNumber: '40450', description: 'Refund adjustment', quantity: 1, unitPrice: -2 },
      { lineType: 'Comment', description: 'Shopify refund 929361462 of order #1001' },
    ]);
  });
});

describe('OData helpers', () => {
  it('escapes quotes by doubling them', () => {
    expect(eqFilter('email', "o'brien@example.com")).toBe("email eq 'o''brien@example.com'");
  });

  it('joins the e-mails of one look-up by or on the one field, each escaped', () => {
    expect(anyOfFilters('email', ["o'brien@example.com", 'b@example.com'], 1_500)).toEqual([
      "email eq 'o''brien@example.com' or email eq 'b@example.com'",
    ]);
  });

  it('splits a look-up whose encoded filter would be too long, never dropping or repeating an e-mail', () => {
    const emails = Array.from({ length: 30 }, (_, i) => `buyer.${i}+tag@example.com`);
    const filters = anyOfFilters('email', emails, 400);
    expect(filters.length).toBeGreaterThan(1);
    for (const filter of filters) {
      expect(encodeURIComponent(filter).length).toBeLessThanOrEqual(400);
    }
    const sent = filters.flatMap((filter) => filter.split(' or ').map((term) => term.slice("email eq '".length, -1)));
    expect(sent).toEqual(emails);
    // One value longer than the budget still goes, alone.
    expect(anyOfFilters('email', ['x'.repeat(500), 'a@b.c'], 400)).toEqual([
      `email eq '${'x'.repeat(500)}'`,
      "email eq 'a@b.c'",
    ]);
    expect(anyOfFilters('email', [], 400)).toEqual([]);
  });
});
