import type { ErpOrderMappingCapabilities } from 'src/modules/erp';
import { emptyMappingConfig, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { validateOrderMapping } from 'src/modules/mapping/domain/validate-order-mapping';

const netsuiteLike: ErpOrderMappingCapabilities = {
  sections: ['paymentMethod', 'shipMethod', 'taxCode', 'location'],
  fields: [
    { name: 'memo', description: 'memo' },
    { name: 'department', description: 'department' },
  ],
  customFields: { pattern: /^custbody[a-z0-9_]+$/, example: 'custbody_channel' },
};

const config = (overrides: Partial<OrderMappingConfig>): OrderMappingConfig => ({
  ...emptyMappingConfig(),
  ...overrides,
});

describe(validateOrderMapping.name, () => {
  it('accepts every section, source kind and a custom field the connector has', () => {
    expect(
      validateOrderMapping(
        config({
          paymentGateways: [{ gateway: 'shopify_payments', paymentMethod: '7' }],
          shippingMethods: [
            { shopifyCode: 'Express', shipMethod: '52' },
            { shopifyCode: '*', shipMethod: '51' },
          ],
          taxes: [{ shopifyTitle: 'CA State Tax', taxCode: '12' }],
          locations: [{ shopifyLocationId: '6543', erpLocation: '3' }],
          fields: [
            { target: 'memo', source: { kind: 'template', template: 'Shopify {{name}} {{note_attributes.Gift}}' } },
            {
              target: 'department',
              source: { kind: 'lookup', path: 'source_name', table: [{ key: 'pos', value: '4' }] },
            },
            { target: 'custbody_channel', source: { kind: 'direct', path: 'source_name' } },
          ],
          skuOverrides: [{ shopifySku: 'A-1', erpSku: 'ERP-A-1' }],
        }),
        netsuiteLike,
        'netsuite',
      ),
    ).toEqual([]);
  });

  it.each<[string, Partial<OrderMappingConfig>, { path: string; message: string | RegExp }]>([
    [
      'a section the connector lacks',
      { paymentGateways: [{ gateway: 'paypal', account: '1100' }] },
      { path: 'paymentGateways[0].account', message: /netsuite has no paymentAccount to set/ },
    ],
    [
      'an entry that sets nothing',
      { shippingMethods: [{ shopifyCode: 'Express' }] },
      { path: 'shippingMethods[0]', message: 'needs a shipMethod or a shippingItem' },
    ],
    [
      'a duplicate key (case-insensitive)',
      {
        taxes: [
          { shopifyTitle: 'VAT', taxCode: '1' },
          { shopifyTitle: 'vat', taxCode: '2' },
        ],
      },
      { path: 'taxes[1].shopifyTitle', message: 'duplicates taxes[0].shopifyTitle' },
    ],
    [
      'a Shopify location that is not an id',
      { locations: [{ shopifyLocationId: 'Main', erpLocation: '3' }] },
      { path: 'locations[0].shopifyLocationId', message: "must be a Shopify location id (digits) or '*'" },
    ],
    [
      'a target the connector does not have',
      { fields: [{ target: 'poNumbr', source: { kind: 'constant', value: 'x' } }] },
      {
        path: 'fields[0].target',
        message:
          /netsuite has no order field 'poNumbr' \(it has: memo, department or a custom field like custbody_channel\)/,
      },
    ],
    [
      'a section target set through fields',
      { fields: [{ target: 'location', source: { kind: 'constant', value: '3' } }] },
      { path: 'fields[0].target', message: 'location is set by its own section, not by fields' },
    ],
    [
      'a path outside the order',
      { fields: [{ target: 'memo', source: { kind: 'direct', path: 'customer..email' } }] },
      { path: 'fields[0].source.path', message: /is not a dotted path/ },
    ],
    [
      'an unknown order field',
      { fields: [{ target: 'memo', source: { kind: 'direct', path: 'purchase_order' } }] },
      { path: 'fields[0].source.path', message: "'purchase_order' is not a field of the Shopify order" },
    ],
    [
      'an empty lookup table',
      { fields: [{ target: 'memo', source: { kind: 'lookup', path: 'source_name', table: [] } }] },
      { path: 'fields[0].source.table', message: 'needs at least one entry' },
    ],
    [
      'a template placeholder outside the order',
      { fields: [{ target: 'memo', source: { kind: 'template', template: 'x {{secret}}' } }] },
      { path: 'fields[0].source.template', message: "'secret' is not a field of the Shopify order" },
    ],
    [
      'a blank constant',
      { fields: [{ target: 'memo', source: { kind: 'constant', value: '  ' } }] },
      { path: 'fields[0].source.value', message: 'must not be blank' },
    ],
    [
      'a blank SKU override',
      { skuOverrides: [{ shopifySku: 'A', erpSku: '' }] },
      { path: 'skuOverrides[0].erpSku', message: 'must not be blank' },
    ],
  ])('refuses %s, at its field path', (_name, overrides, expected) => {
    const errors = validateOrderMapping(config(overrides), netsuiteLike, 'netsuite');
    expect(errors).toContainEqual({
      path: expected.path,
      message: typeof expected.message === 'string' ? expected.message : expect.stringMatching(expected.message),
    });
  });

  it('lists every problem, not only the first', () => {
    const errors = validateOrderMapping(
      config({
        taxes: [{ shopifyTitle: '', taxCode: '' }],
        fields: [{ target: 'nope', source: { kind: 'direct', path: 'nope' } }],
      }),
      netsuiteLike,
      'netsuite',
    );
    expect(errors.map((e) => e.path)).toEqual([
      'taxes[0].shopifyTitle',
      'taxes[0].taxCode',
      'fields[0].target',
      'fields[0].source.path',
    ]);
  });
});
