import { ErrorKind } from 'src/common/errors/app-error';
import {
  customerExternalIdFromName,
  discountPercent,
  findCreditNote,
  findCustomerByExternalId,
  readRefundIdFromMemo,
  readUpdatedAtFromMemo,
  toCin7CreditNote,
  toCin7CustomerName,
  toCin7CustomerUpdate,
  toCin7NewCustomer,
  toCin7SaleHeader,
  toCin7SaleOrder,
  type Cin7DocumentDefaults,
} from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type { Cin7Customer } from 'src/modules/erp/connectors/cin7/cin7.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpCustomerDraft, ErpRefundDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

const defaults: Cin7DocumentDefaults = {
  location: 'Main warehouse',
  taxRule: 'Tax on Sales',
  paymentTerm: '30 days',
  accountReceivable: '610',
  revenueAccount: '200',
  orderStatus: 'AUTHORISED',
  creditNoteStatus: 'AUTHORISED',
};

const customerDraft: ErpCustomerDraft = {
  externalId: '8094839668810',
  email: 'Ana@Example.com',
  firstName: 'Ana',
  lastName: 'Diaz',
  phone: '+34600000000',
  currency: 'EUR',
  billingAddress: { name: 'Ana Diaz', line1: 'Calle 1', city: 'Madrid', postalCode: '28001', countryCode: 'ES' },
};

const orderDraft: ErpSalesOrderDraft = {
  externalId: '6004604174410',
  reference: '#1019',
  orderDate: '2026-10-05T23:09:47-04:00',
  sourceUpdatedAt: '2026-10-05T23:09:49-04:00',
  currency: 'USD',
  taxesIncluded: false,
  status: 'open',
  customerExternalId: '8094839668810',
  email: 'ana@example.com',
  shippingAddress: {
    name: 'Ana Diaz',
    company: 'Acme',
    line1: 'Main St 1',
    region: 'NY',
    countryCode: 'US',
    phone: '+1 555',
  },
  lines: [
    {
      externalLineId: '14851429007434',
      sku: 'SKU-0001',
      description: 'T-Shirt - Black / M',
      quantity: 3,
      unitPrice: '44.50',
      discountAmount: '5.00',
      taxAmount: '7.10',
      lineTotal: '128.50',
      taxLines: [{ title: 'NY State Tax', rate: 0.04, amount: '7.10' }],
    },
  ],
  shippingLines: [
    { code: 'Standard', description: 'Standard', amount: '10.00', discountAmount: '2.50', taxAmount: '0.00' },
  ],
  discountCodes: ['WELCOME5'],
  subtotal: '128.50',
  discountTotal: '5.00',
  shippingTotal: '7.50',
  taxTotal: '7.10',
  total: '143.10',
  note: 'Leave at the door',
};

const refundDraft: ErpRefundDraft = {
  externalId: '998877',
  orderExternalId: '6004604174410',
  orderReference: '#1019',
  customerExternalId: '8094839668810',
  refundDate: '2026-10-07T10:00:00Z',
  currency: 'USD',
  lines: [
    {
      externalLineId: 'r1',
      orderLineExternalId: '14851429007434',
      sku: 'SKU-0001',
      description: 'T-Shirt',
      quantity: 2,
      amount: '85.66',
      taxAmount: '4.73',
      restock: true,
    },
  ],
  shippingAmount: '7.50',
  adjustmentAmount: '0.00',
  taxTotal: '4.73',
  total: '97.89',
};

describe('customer mapping', () => {
  it('names a customer readably with the external id token at the end', () => {
    expect(toCin7CustomerName(customerDraft)).toBe('Ana Diaz [8094839668810]');
    expect(toCin7CustomerName({ ...customerDraft, company: 'Acme' })).toBe('Acme [8094839668810]');
    expect(toCin7CustomerName({ externalId: 'email:a@b.c', email: 'a@b.c', currency: 'USD' })).toBe(
      'a@b.c [email:a@b.c]',
    );
  });

  it('keeps the token when the readable part is too long', () => {
    const name = toCin7CustomerName({ ...customerDraft, company: 'x'.repeat(400) });
    expect(name.length).toBeLessThanOrEqual(256);
    expect(customerExternalIdFromName(name)).toBe('8094839668810');
  });

  it('builds a POST /customer body with every field Cin7 requires', () => {
    expect(toCin7NewCustomer(customerDraft, defaults)).toEqual({
      Name: 'Ana Diaz [8094839668810]',
      Status: 'Active',
      Currency: 'EUR',
      PaymentTerm: '30 days',
      AccountReceivable: '610',
      RevenueAccount: '200',
      TaxRule: 'Tax on Sales',
      Location: 'Main warehouse',
      Comments: 'Shopify customer 8094839668810',
      Contacts: [
        { Name: 'Ana Diaz', Email: 'Ana@Example.com', Phone: '+34600000000', Default: true, IncludeInEmail: true },
      ],
      Addresses: [
        {
          Line1: 'Calle 1',
          City: 'Madrid',
          Postcode: '28001',
          Country: 'ES',
          Contact: 'Ana Diaz',
          Type: 'Billing',
          DefaultForType: true,
        },
      ],
    });
  });

  const existing: Cin7Customer = {
    ID: 'c-1',
    Name: 'Ana Diaz [8094839668810]',
    Contacts: [
      { ID: 'k-0', Name: 'Accounts', Email: 'accounts@acme.test' },
      { ID: 'k-1', Name: 'Ana Diaz', Email: 'ana@example.com', Phone: '+34600000000' },
    ],
  };

  it('finds customers by external id token', () => {
    expect(findCustomerByExternalId([existing], '8094839668810')?.ID).toBe('c-1');
    expect(findCustomerByExternalId([existing], '809483966881')).toBeUndefined();
  });

  it('writes nothing when the contact is already up to date', () => {
    expect(toCin7CustomerUpdate(existing, customerDraft)).toBeUndefined();
  });

  it('updates the matching contact in place and keeps the others', () => {
    const update = toCin7CustomerUpdate(existing, { ...customerDraft, phone: '+34611111111' });
    expect(update).toEqual({
      ID: 'c-1',
      Name: 'Ana Diaz [8094839668810]',
      Contacts: [
        { ID: 'k-0', Name: 'Accounts', Email: 'accounts@acme.test' },
        { ID: 'k-1', Name: 'Ana Diaz', Email: 'ana@example.com', Phone: '+34611111111' },
      ],
    });
  });

  it('adds a contact when the email is new', () => {
    const update = toCin7CustomerUpdate(existing, { ...customerDraft, email: 'new@example.com' });
    expect(update?.Contacts).toHaveLength(3);
    expect(update?.Contacts?.[2]).toMatchObject({ Email: 'new@example.com', Default: true });
  });
});

describe('sale mapping', () => {
  const productIds = new Map([['SKU-0001', 'p-1']]);

  it('builds the sale header keyed by ExternalID', () => {
    expect(toCin7SaleHeader(orderDraft, { erpId: 'c-1', externalId: 'x' }, defaults)).toEqual({
      CustomerID: 'c-1',
      Email: 'ana@example.com',
      Phone: '+1 555',
      Location: 'Main warehouse',
      TaxRule: 'Tax on Sales',
      TaxInclusive: false,
      SkipQuote: true,
      ExternalID: '6004604174410',
      CustomerReference: '#1019',
      SaleOrderDate: '2026-10-06T03:09:47.000',
      Currency: 'USD',
      Note: 'Leave at the door',
      ShippingAddress: { Line1: 'Main St 1', State: 'NY', Country: 'US', Company: 'Acme', Contact: 'Ana Diaz' },
    });
    expect(toCin7SaleHeader(orderDraft, { erpId: 'c-1', externalId: 'x' }, defaults, 's-1').ID).toBe('s-1');
  });

  it('sends CurrencyRate for a sale in the presentment currency only', () => {
    const currencies = {
      shopCurrency: 'USD',
      presentmentCurrency: 'EUR',
      shopTotal: '117.05',
      presentmentTotal: '104.00',
      exchangeRate: '1.125481',
    };
    const markets = toCin7SaleHeader(
      { ...orderDraft, currency: 'EUR', currencies },
      { erpId: 'c-1', externalId: 'x' },
      defaults,
    );
    expect(markets).toMatchObject({ Currency: 'EUR', CurrencyRate: 1.125481 });
    const shop = toCin7SaleHeader({ ...orderDraft, currencies }, { erpId: 'c-1', externalId: 'x' }, defaults);
    expect(shop).not.toHaveProperty('CurrencyRate');
  });

  it('builds the order with percentage discounts whose totals match Cin7 arithmetic', () => {
    const order = toCin7SaleOrder('s-1', orderDraft, productIds, defaults);
    expect(order).toMatchObject({ SaleID: 's-1', Status: 'AUTHORISED', Tax: 7.1, Total: 143.1, TotalBeforeTax: 136 });
    const line = order.Lines?.[0];
    expect(line).toMatchObject({ ProductID: 'p-1', SKU: 'SKU-0001', Quantity: 3, Price: 44.5, Tax: 7.1, Total: 128.5 });
    const recomputed = (line?.Quantity ?? 0) * (line?.Price ?? 0) * (1 - (line?.Discount ?? 0) / 100);
    expect(Math.abs(recomputed - 128.5)).toBeLessThan(0.005);
    expect(order.AdditionalCharges).toEqual([
      { Description: 'Standard', Price: 10, Quantity: 1, Discount: 25, Tax: 0, TaxRule: 'Tax on Sales', Total: 7.5 },
    ]);
  });

  it('carries Shopify updated_at in the Memo', () => {
    const order = toCin7SaleOrder('s-1', orderDraft, productIds, defaults);
    expect(order.Memo).toBe('Leave at the door\n[shopify-updated-at:2026-10-05T23:09:49-04:00]');
    expect(readUpdatedAtFromMemo(order.Memo)).toBe('2026-10-05T23:09:49-04:00');
  });

  it('throws Permanent UNKNOWN_SKU for a SKU with no product id', () => {
    const attempt = (): unknown => toCin7SaleOrder('s-1', orderDraft, new Map(), defaults);
    expect(attempt).toThrow(ErpError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ kind: ErrorKind.Permanent, code: 'UNKNOWN_SKU' });
      expect((error as Error).message).toContain('SKU-0001');
    }
  });

  it.each([
    [5, 133.5, 3.7453],
    [0, 100, 0],
    [1, 0, 0],
  ])('turns a discount of %s on %s into %s %%', (discount, gross, percent) => {
    expect(discountPercent(discount, gross)).toBe(percent);
  });
});

describe('credit note mapping', () => {
  it('builds a credit note whose Memo carries the refund id', () => {
    const note = toCin7CreditNote('s-1', refundDraft, new Map([['SKU-0001', 'p-1']]), defaults);
    expect(note).toMatchObject({
      TaskID: 's-1',
      CreditNoteDate: '2026-10-07T10:00:00.000',
      Status: 'AUTHORISED',
      Tax: 4.73,
      Total: 97.89,
      TotalBeforeTax: 93.16,
    });
    expect(note.Lines).toEqual([
      {
        ProductID: 'p-1',
        SKU: 'SKU-0001',
        Name: 'T-Shirt',
        Quantity: 2,
        Price: 42.83,
        Discount: 0,
        Tax: 4.73,
        TaxRule: 'Tax on Sales',
        Total: 85.66,
        Comment: 'Restock',
      },
    ]);
    expect(note.AdditionalCharges).toEqual([
      {
        Description: 'Shipping refund',
        Price: 7.5,
        Quantity: 1,
        Discount: 0,
        Tax: 0,
        TaxRule: 'Tax on Sales',
        Total: 7.5,
      },
    ]);
    expect(readRefundIdFromMemo(note.Memo)).toBe('998877');
    expect(findCreditNote([{ TaskID: 'cn-1', Memo: note.Memo }], '998877')?.TaskID).toBe('cn-1');
    expect(findCreditNote([{ TaskID: 'cn-1', Memo: note.Memo }], '99887')).toBeUndefined();
  });

  it('sums line totals, charges and tax to the refund total', () => {
    const note = toCin7CreditNote('s-1', refundDraft, new Map([['SKU-0001', 'p-1']]), defaults);
    const sum =
      (note.Lines ?? []).reduce((acc, line) => acc + (line.Total ?? 0), 0) +
      (note.AdditionalCharges ?? []).reduce((acc, charge) => acc + (charge.Total ?? 0), 0) +
      (note.Tax ?? 0);
    expect(sum).toBeCloseTo(note.Total ?? 0, 2);
  });
});
