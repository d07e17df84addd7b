import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorKind } from 'src/common/errors/app-error';
import { toSandboxCustomer, toSandboxSalesOrder } from 'src/modules/erp/connectors/sandbox/sandbox.mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpCustomerDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

const customerDraft: ErpCustomerDraft = {
  externalId: '8094839668810',
  email: 'ana@example.com',
  firstName: 'Ana',
  lastName: 'Diaz',
  phone: '+34600000000',
  currency: 'EUR',
  billingAddress: {
    name: 'Ana Diaz',
    line1: 'Calle 1',
    city: 'Madrid',
    postalCode: '28001',
    countryCode: 'ES',
    phone: '+34600000000',
  },
};

const orderDraft: ErpSalesOrderDraft = {
  externalId: '6004604174410',
  reference: '#1019',
  orderDate: '2026-10-05T23:09:47-04:00',
  sourceUpdatedAt: '2026-10-05T23:09:49-04:00',
  currency: 'USD',
  taxesIncluded: false,
  status: 'open',
  financialStatus: 'paid',
  customerExternalId: '8094839668810',
  email: 'ana@example.com',
  shippingAddress: { name: 'Ana Diaz', company: 'Acme', line1: 'Main St 1', region: 'NY', countryCode: 'US' },
  lines: [
    {
      externalLineId: '14851429007434',
      sku: 'SKU-0001',
      description: 'T-Shirt - Black / M',
      quantity: 2,
      unitPrice: '44.50',
      discountAmount: '5.00',
      taxAmount: '7.10',
      lineTotal: '84.00',
      taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '7.10' }],
    },
  ],
  shippingLines: [
    { code: 'Standard', description: 'Standard', amount: '10.00', discountAmount: '0.00', taxAmount: '0.00' },
  ],
  discountCodes: ['WELCOME5', 'VIP'],
  subtotal: '84.00',
  discountTotal: '5.00',
  shippingTotal: '10.00',
  taxTotal: '7.10',
  total: '101.10',
  note: 'Leave at the door',
};

const customerRef = { erpId: '17', externalId: '8094839668810' };

describe(toSandboxCustomer.name, () => {
  it('maps a person with a default billing address', () => {
    expect(toSandboxCustomer(customerDraft)).toEqual({
      externalId: '8094839668810',
      isPerson: true,
      firstName: 'Ana',
      lastName: 'Diaz',
      email: 'ana@example.com',
      phone: '+34600000000',
      currency: 'EUR',
      addressBook: {
        items: [
          {
            defaultBilling: true,
            defaultShipping: false,
            addressBookAddress: {
              addressee: 'Ana Diaz',
              addr1: 'Calle 1',
              city: 'Madrid',
              zip: '28001',
              country: 'ES',
              addrPhone: '+34600000000',
            },
          },
        ],
      },
    });
  });

  it('maps a company customer without an address', () => {
    const body = toSandboxCustomer({ externalId: 'email:buyer@acme.test', company: 'Acme', currency: 'USD' });
    expect(body).toEqual({
      externalId: 'email:buyer@acme.test',
      isPerson: false,
      companyName: 'Acme',
      currency: 'USD',
    });
    expect(JSON.parse(JSON.stringify(body))).not.toHaveProperty('addressBook');
  });
});

describe(toSandboxSalesOrder.name, () => {
  it('maps every field to its NetSuite-style name', () => {
    expect(toSandboxSalesOrder(orderDraft, customerRef)).toEqual({
      externalId: '6004604174410',
      tranId: '#1019',
      tranDate: '2026-10-05',
      currency: 'USD',
      entity: { externalId: '8094839668810' },
      email: 'ana@example.com',
      memo: 'Leave at the door',
      status: 'open',
      custbody_source_updated_at: '2026-10-05T23:09:49-04:00',
      custbody_financial_status: 'paid',
      custbody_taxes_included: false,
      custbody_discount_codes: 'WELCOME5,VIP',
      item: {
        items: [
          {
            item: { externalId: 'SKU-0001' },
            quantity: 2,
            rate: 44.5,
            amount: 84,
            custcol_discount: 5,
            custcol_tax: 7.1,
            description: 'T-Shirt - Black / M',
            custcol_shopify_line_id: '14851429007434',
          },
        ],
      },
      shippingLines: {
        items: [{ code: 'Standard', description: 'Standard', amount: 10, custcol_discount: 0, custcol_tax: 0 }],
      },
      shippingAddress: {
        addressee: 'Acme',
        attention: 'Ana Diaz',
        addr1: 'Main St 1',
        state: 'NY',
        country: 'US',
      },
      subtotal: 84,
      discountTotal: 5,
      shippingCost: 10,
      taxTotal: 7.1,
      total: 101.1,
    });
  });

  it('keeps the shop-local date of an order placed late in the evening', () => {
    // 23:09 in New York is already the next day in UTC; the ERP must book it on the shop's day.
    expect(toSandboxSalesOrder(orderDraft, customerRef).tranDate).toBe('2026-10-05');
  });

  it('carries the draft status (the connector decides it per operation)', () => {
    expect(toSandboxSalesOrder({ ...orderDraft, status: 'cancelled' }, customerRef).status).toBe('cancelled');
  });

  it('rejects a malformed amount as a permanent error naming the field', () => {
    const bad = { ...orderDraft, total: '12,50' };
    expect(() => toSandboxSalesOrder(bad, customerRef)).toThrow(ErpError);
    try {
      toSandboxSalesOrder(bad, customerRef);
    } catch (error) {
      expect(error).toMatchObject({ kind: ErrorKind.Permanent, message: "Invalid amount for field 'total': '12,50'" });
    }
  });

  describe('with the orders fixtures', () => {
    const dir = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'shopify');
    const cases = readdirSync(dir)
      .filter((file) => file.endsWith('.expected.json'))
      .map((file): [string, { salesOrder: ErpSalesOrderDraft }] => [
        file,
        JSON.parse(readFileSync(join(dir, file), 'utf8')) as { salesOrder: ErpSalesOrderDraft },
      ])
      // Fixtures of other shapes (if any are added) are not this mapper's concern.
      .filter(([, fixture]) => typeof fixture.salesOrder === 'object');

    it.each(cases)('%s: keeps every amount, SKU and line id exactly', (_file, { salesOrder }) => {
      const body = toSandboxSalesOrder(salesOrder, { erpId: '1', externalId: salesOrder.customerExternalId });
      expect(body.externalId).toBe(salesOrder.externalId);
      expect(body.total).toBe(Number(salesOrder.total));
      expect(String(body.total)).toBe(String(Number(salesOrder.total)));
      expect(body.item.items.map((line) => [line.item.externalId, line.custcol_shopify_line_id, line.amount])).toEqual(
        salesOrder.lines.map((line) => [line.sku, line.externalLineId, Number(line.lineTotal)]),
      );
      expect(body.custbody_source_updated_at).toBe(salesOrder.sourceUpdatedAt);
    });
  });
});
