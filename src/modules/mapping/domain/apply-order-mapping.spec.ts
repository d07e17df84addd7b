import type { ErpOrderMappingCapabilities, ErpSalesOrderDraft } from 'src/modules/erp';
import { applyOrderMapping } from 'src/modules/mapping/domain/apply-order-mapping';
import { emptyMappingConfig, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';

const capabilities: ErpOrderMappingCapabilities = {
  sections: ['paymentMethod', 'paymentAccount', 'shipMethod', 'shippingItem', 'taxCode', 'location'],
  fields: [
    { name: 'memo', description: 'memo', maxLength: 20 },
    { name: 'department', description: 'dept' },
  ],
  customFields: { pattern: /^custbody[a-z0-9_]+$/, example: 'custbody_x' },
};

const order = {
  id: 1001,
  name: '#1001',
  source_name: 'pos',
  location_id: 6543,
  payment_gateway_names: ['gift_card', 'paypal'],
  note_attributes: [{ name: 'Gift', value: 'yes' }],
  customer: { email: 'ana@example.com' },
};

const draft: ErpSalesOrderDraft = {
  externalId: '1001',
  reference: '#1001',
  orderDate: '2026-12-01T10:00:00-05:00',
  sourceUpdatedAt: '2026-12-01T10:00:00-05:00',
  currency: 'USD',
  taxesIncluded: false,
  status: 'open',
  customerExternalId: 'c1',
  lines: [
    {
      externalLineId: 'l1',
      sku: 'A-1',
      description: 'A',
      quantity: 1,
      unitPrice: '10.00',
      discountAmount: '0.00',
      taxAmount: '1.00',
      lineTotal: '10.00',
      taxLines: [{ title: 'CA State Tax', rate: 0.1, amount: '1.00' }],
    },
    {
      externalLineId: 'l2',
      sku: 'B-2',
      description: 'B',
      quantity: 1,
      unitPrice: '5.00',
      discountAmount: '0.00',
      taxAmount: '0.00',
      lineTotal: '5.00',
      taxLines: [],
    },
  ],
  shippingLines: [{ code: 'EXP', description: 'Express', amount: '9.00', discountAmount: '0.00', taxAmount: '0.00' }],
  discountCodes: [],
  subtotal: '15.00',
  discountTotal: '0.00',
  shippingTotal: '9.00',
  taxTotal: '1.00',
  total: '25.00',
};

const apply = (config: Partial<OrderMappingConfig>) =>
  applyOrderMapping(order, draft, { version: 3, config: { ...emptyMappingConfig(), ...config } }, capabilities);

describe(applyOrderMapping.name, () => {
  it('maps every section and field source, and records the version', () => {
    const { salesOrder, decisions } = apply({
      paymentGateways: [{ gateway: 'PayPal', paymentMethod: 'PP', account: '1100' }],
      shippingMethods: [
        { shopifyCode: 'Express', shipMethod: 'FEDEX', shippingItem: 'SHIP-EXP' },
        { shopifyCode: '*', shipMethod: 'STD' },
      ],
      taxes: [{ shopifyTitle: 'CA State Tax', taxCode: 'CA' }],
      locations: [{ shopifyLocationId: '6543', erpLocation: 'Main Warehouse' }],
      fields: [
        { target: 'department', source: { kind: 'lookup', path: 'source_name', table: [{ key: 'POS', value: '4' }] } },
        { target: 'custbody_gift', source: { kind: 'direct', path: 'note_attributes.Gift' } },
        { target: 'custbody_who', source: { kind: 'template', template: '{{name}} for {{customer.email}}' } },
        { target: 'custbody_channel', source: { kind: 'constant', value: 'web' } },
      ],
      skuOverrides: [{ shopifySku: 'B-2', erpSku: 'ERP-B' }],
    });
    expect(salesOrder.mapped).toEqual({
      version: 3,
      values: {
        paymentMethod: 'PP',
        paymentAccount: '1100',
        shipMethod: 'FEDEX',
        shippingItem: 'SHIP-EXP',
        location: 'Main Warehouse',
        department: '4',
        custbody_gift: 'yes',
        custbody_who: '#1001 for ana@example.com',
        custbody_channel: 'web',
      },
    });
    expect(salesOrder.lines.map((line) => [line.sku, line.taxCode])).toEqual([
      ['A-1', 'CA'],
      ['ERP-B', undefined],
    ]);
    expect(decisions).toContainEqual({
      kind: 'mapping',
      subject: 'line 2 sku',
      outcome: "Shopify SKU 'B-2' → ERP SKU 'ERP-B' (skuOverrides)",
    });
    // The draft given is not changed.
    expect(draft.lines[1]?.sku).toBe('B-2');
  });

  it("falls back to the '*' entry, and to the ERP default when there is none", () => {
    expect(apply({ shippingMethods: [{ shopifyCode: '*', shipMethod: 'STD' }] }).salesOrder.mapped?.values).toEqual({
      shipMethod: 'STD',
    });
    const { salesOrder, decisions } = apply({ shippingMethods: [{ shopifyCode: 'Ground', shipMethod: 'UPS' }] });
    expect(salesOrder.mapped?.values).toEqual({});
    expect(decisions).toContainEqual({
      kind: 'mapping',
      subject: 'shipping',
      outcome: "no entry for shipping 'EXP' / 'Express': ERP default",
    });
  });

  it("leaves a field unset when its source is empty, and cuts a value to the target's limit", () => {
    const { salesOrder, decisions } = apply({
      fields: [
        { target: 'department', source: { kind: 'direct', path: 'po_number' } },
        { target: 'memo', source: { kind: 'constant', value: 'a memo longer than twenty characters' } },
      ],
    });
    expect(salesOrder.mapped?.values).toEqual({ memo: 'a memo longer than t' });
    expect(decisions.map((d) => d.outcome)).toEqual([
      'fields[0]: source empty, not set',
      "cut to 20 characters (the ERP's limit)",
    ]);
  });

  it('is deterministic: the same order and version give the same draft', () => {
    const config = { fields: [{ target: 'memo', source: { kind: 'template' as const, template: '{{name}}' } }] };
    expect(apply(config)).toEqual(apply(config));
  });
});
