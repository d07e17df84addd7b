import {
  changedFields,
  erpOwnedFields,
  fieldsHash,
  normaliseDecimal,
  planProductSync,
} from 'src/modules/products/domain/plan-product-sync';
import { driftOf } from 'src/modules/products/domain/product-echo';
import type { ErpItemRow, ProductGroup } from 'src/modules/products/domain/product-sync.types';

function row(overrides: Partial<ErpItemRow> = {}): ErpItemRow {
  return {
    sku: 'TEE-M',
    erpItemId: 'item-m',
    parentErpItemId: 'tee',
    name: 'Tee M',
    price: '20.000000',
    cost: '8.500000',
    barcode: '4006381333931',
    compareAtPrice: null,
    weightValue: null,
    weightUnit: null,
    options: { Size: 'M' },
    active: true,
    shopifyProductId: null,
    shopifyVariantId: null,
    shopifyInventoryItemId: null,
    changedAt: '2026-12-01T10:00:00.000Z',
    syncedChangedAt: null,
    pushedFields: null,
    pushedHash: null,
    ...overrides,
  };
}

const parent = row({ sku: 'TEE', erpItemId: 'tee', parentErpItemId: null, name: 'Organic Tee', options: null });
const m = row();
const l = row({ sku: 'TEE-L', erpItemId: 'item-l', name: 'Tee L', options: { Size: 'L' }, barcode: null });
const group = (rows: ErpItemRow[], shopifyProductId: string | null = null): ProductGroup => ({
  groupId: 'tee',
  shopifyProductId,
  rows,
});
const pushed = (r: ErpItemRow, title = 'Organic Tee') => ({ ...erpOwnedFields(r), title });
const synced = (r: ErpItemRow, n: number): ErpItemRow => ({
  ...r,
  shopifyProductId: 'gid://shopify/Product/1',
  shopifyVariantId: `gid://shopify/ProductVariant/${n}`,
  shopifyInventoryItemId: `gid://shopify/InventoryItem/${n}`,
  pushedFields: pushed(r),
});

describe(normaliseDecimal.name, () => {
  it.each([
    ['20.000000', '20.00'],
    ['3.141500', '3.1415'],
    ['007.5', '7.50'],
    ['12', '12.00'],
    [null, null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDecimal(input)).toBe(expected);
  });
});

describe(planProductSync.name, () => {
  it('creates one product for the children of a parent, with only ERP-owned fields, as a draft', () => {
    const plan = planProductSync(group([parent, m, l]));
    expect(plan).toMatchObject({ kind: 'create', groupId: 'tee' });
    expect(plan.kind === 'create' && plan.input).toEqual({
      title: 'Organic Tee',
      status: 'DRAFT',
      productOptions: [{ name: 'Size', values: [{ name: 'M' }, { name: 'L' }] }],
      variants: [
        {
          optionValues: [{ optionName: 'Size', name: 'M' }],
          sku: 'TEE-M',
          price: '20.00',
          barcode: '4006381333931',
          inventoryItem: { sku: 'TEE-M', cost: '8.50', tracked: true },
        },
        {
          optionValues: [{ optionName: 'Size', name: 'L' }],
          sku: 'TEE-L',
          price: '20.00',
          inventoryItem: { sku: 'TEE-L', cost: '8.50', tracked: true },
        },
      ],
    });
  });

  it('a standalone item is a product with the default option', () => {
    const solo = row({ sku: 'MUG', erpItemId: 'mug', parentErpItemId: null, name: 'Mug', options: null });
    const plan = planProductSync({ groupId: 'mug', shopifyProductId: null, rows: [solo] });
    expect(plan.kind === 'create' && plan.input.productOptions).toEqual([
      { name: 'Title', values: [{ name: 'Default Title' }] },
    ]);
    expect(plan.kind === 'create' && plan.input.variants[0].optionValues).toEqual([
      { optionName: 'Title', name: 'Default Title' },
    ]);
  });

  it('children without ERP options are told apart by SKU', () => {
    const plan = planProductSync(group([parent, { ...m, options: null }, { ...l, options: null }]));
    expect(plan.kind === 'create' && plan.input.productOptions).toEqual([
      { name: 'Title', values: [{ name: 'TEE-M' }, { name: 'TEE-L' }] },
    ]);
    expect(plan.kind === 'create' && plan.input.variants.map((v) => v.optionValues)).toEqual([
      [{ optionName: 'Title', name: 'TEE-M' }],
      [{ optionName: 'Title', name: 'TEE-L' }],
    ]);
  });

  it('never sends Shopify-owned fields: no descriptionHtml, seo, tags, files or media in any input', () => {
    const created = JSON.stringify(planProductSync(group([parent, m, l])));
    const updated = JSON.stringify(
      planProductSync(
        group(
          [parent, { ...synced(m, 1), price: '25.00' }, { ...synced(l, 2), barcode: '1' }],
          'gid://shopify/Product/1',
        ),
      ),
    );
    for (const text of [created, updated]) {
      expect(text).not.toMatch(/descriptionHtml|"seo"|"tags"|"files"|"media"|"metafields"/);
    }
  });

  it('an existing product gets only the changed fields of the changed variants, through the bulk variant update', () => {
    const plan = planProductSync(
      group(
        [parent, { ...synced(m, 1), price: '25.000000' }, { ...synced(l, 2), cost: '9.000000', barcode: '123' }],
        'gid://shopify/Product/1',
      ),
    );
    expect(plan.kind).toBe('update');
    expect(plan.kind === 'update' && plan.updates).toEqual([
      { id: 'gid://shopify/ProductVariant/1', price: '25.00' },
      { id: 'gid://shopify/ProductVariant/2', barcode: '123', inventoryItem: { cost: '9.00' } },
    ]);
    expect(plan.kind === 'update' && plan.creates).toEqual([]);
  });

  it('unchanged ERP-owned fields mean no write at all', () => {
    const plan = planProductSync(group([parent, synced(m, 1), synced(l, 2)], 'gid://shopify/Product/1'));
    expect(plan.kind).toBe('none');
    expect(plan.kind === 'none' && plan.unchanged.map((p) => p.row.sku)).toEqual(['TEE-M', 'TEE-L']);
  });

  it('an ERP rename is not written (the title is Shopify-owned after creation) and says so', () => {
    const plan = planProductSync(group([parent, { ...synced(m, 1), name: 'Tee Medium' }], 'gid://shopify/Product/1'));
    expect(plan.kind).toBe('none');
    expect(plan.notes).toEqual([
      { sku: 'TEE-M', reason: expect.stringMatching(/title is Shopify's after creation, not written/) },
    ]);
  });

  it('a SKU added to an existing group is created as a variant of that product', () => {
    const xl = row({ sku: 'TEE-XL', erpItemId: 'item-xl', options: { Size: 'XL' } });
    const plan = planProductSync(group([parent, synced(m, 1), xl], 'gid://shopify/Product/1'));
    expect(plan.kind === 'update' && plan.creates).toEqual([
      {
        optionValues: [{ optionName: 'Size', name: 'XL' }],
        price: '20.00',
        barcode: '4006381333931',
        inventoryItem: { sku: 'TEE-XL', cost: '8.50', tracked: true },
      },
    ]);
  });

  it('an inactive item that Shopify does not have yet is not created', () => {
    const plan = planProductSync(group([parent, { ...m, active: false }]));
    expect(plan.kind).toBe('none');
    expect(plan.notes[0].reason).toMatch(/inactive/);
  });

  it('clearing a barcode in the ERP clears it in Shopify; a missing price is never sent', () => {
    const plan = planProductSync(group([{ ...synced(m, 1), barcode: null, price: null }], 'gid://shopify/Product/1'));
    expect(plan.kind === 'update' && plan.updates).toEqual([{ id: 'gid://shopify/ProductVariant/1', barcode: null }]);
  });
});

describe('pushed-field comparison', () => {
  it('changedFields and fieldsHash ignore the title', () => {
    const a = erpOwnedFields(m);
    expect(changedFields(a, { ...a, title: 'x' })).toEqual([]);
    expect(changedFields(a, null)).toEqual(['sku', 'price', 'cost', 'barcode', 'compareAtPrice', 'weight']);
    expect(fieldsHash(a)).toBe(fieldsHash({ ...a, title: 'other' }));
    expect(fieldsHash(a)).not.toBe(fieldsHash({ ...a, price: '20.01' }));
  });

  it('driftOf: our own write coming back is no drift; a Shopify-side price or barcode edit is', () => {
    const p = pushed(m);
    expect(driftOf({ sku: 'TEE-M', price: '20.00', barcode: '4006381333931' }, p)).toEqual([]);
    expect(driftOf({ sku: 'TEE-M', price: '20', barcode: '4006381333931' }, p)).toEqual([]);
    expect(driftOf({ sku: 'TEE-M', price: '18.00', barcode: '' }, p)).toEqual([
      { field: 'price', shopify: '18.00', pushed: '20.00' },
      { field: 'barcode', shopify: null, pushed: '4006381333931' },
    ]);
  });
});

describe('planProductSync under the source-of-truth policy', () => {
  const synced = row({
    shopifyProductId: 'gid://shopify/Product/1',
    shopifyVariantId: 'gid://shopify/ProductVariant/11',
    shopifyInventoryItemId: 'gid://shopify/InventoryItem/111',
    price: '25.00',
    pushedFields: { sku: 'TEE-M', price: '20.00', cost: '8.50', barcode: '4006381333931', title: 'Organic Tee' },
  });

  it('writes a field the ERP owns', () => {
    const plan = planProductSync(group([parent, synced], 'gid://shopify/Product/1'));
    expect(plan.kind === 'update' && plan.updates).toEqual([{ id: 'gid://shopify/ProductVariant/11', price: '25.00' }]);
  });

  it('never writes a field Shopify owns, and says so in the audit notes', () => {
    const plan = planProductSync(
      group([parent, synced], 'gid://shopify/Product/1'),
      new Set(['sku', 'cost', 'barcode'] as const),
    );
    expect(plan.kind).toBe('none');
    expect(plan.notes).toContainEqual({
      sku: 'TEE-M',
      reason: 'price is owned by Shopify (source-of-truth policy): not written',
    });
  });

  it('creates a product without the fields Shopify owns', () => {
    const plan = planProductSync(group([parent, m]), new Set(['sku', 'cost'] as const));
    expect(plan.kind === 'create' && plan.input.variants[0]).toEqual({
      optionValues: [{ optionName: 'Size', name: 'M' }],
      sku: 'TEE-M',
      inventoryItem: { sku: 'TEE-M', cost: '8.50', tracked: true },
    });
  });
});

describe('compare-at price and weight', () => {
  const weighted = row({ compareAtPrice: '29.900000', weightValue: '1.250000', weightUnit: 'KILOGRAMS' });
  const live = (r: ErpItemRow, pushedFields: ErpItemRow['pushedFields']): ErpItemRow => ({
    ...r,
    shopifyProductId: 'gid://shopify/Product/1',
    shopifyVariantId: 'gid://shopify/ProductVariant/11',
    shopifyInventoryItemId: 'gid://shopify/InventoryItem/111',
    pushedFields,
  });
  /** What a row pushed before the sync wrote either field holds. */
  const before = { sku: 'TEE-M', price: '20.00', cost: '8.50', barcode: '4006381333931', title: 'Organic Tee' };

  it('normalises them as they are compared and pushed', () => {
    expect(erpOwnedFields(weighted)).toMatchObject({ compareAtPrice: '29.90', weight: '1.25 KILOGRAMS' });
    expect(erpOwnedFields(row({ weightValue: '2', weightUnit: 'STONE' })).weight).toBeNull();
  });

  it('a new product carries them: compareAtPrice on the variant, the weight on the inventory item', () => {
    const plan = planProductSync(group([parent, weighted]));
    expect(plan.kind === 'create' && plan.input.variants[0]).toEqual({
      optionValues: [{ optionName: 'Size', name: 'M' }],
      sku: 'TEE-M',
      price: '20.00',
      compareAtPrice: '29.90',
      barcode: '4006381333931',
      inventoryItem: {
        sku: 'TEE-M',
        cost: '8.50',
        tracked: true,
        measurement: { weight: { value: 1.25, unit: 'KILOGRAMS' } },
      },
    });
  });

  it('an existing variant gets them once they change, and not again', () => {
    const plan = planProductSync(group([parent, live(weighted, before)], 'gid://shopify/Product/1'));
    expect(plan.kind === 'update' && plan.updates).toEqual([
      {
        id: 'gid://shopify/ProductVariant/11',
        compareAtPrice: '29.90',
        inventoryItem: { measurement: { weight: { value: 1.25, unit: 'KILOGRAMS' } } },
      },
    ]);
    const again = planProductSync(
      group([parent, live(weighted, { ...erpOwnedFields(weighted), title: 'Organic Tee' })], 'gid://shopify/Product/1'),
    );
    expect(again.kind).toBe('none');
  });

  it('rows pushed before the two fields were synced keep their hash and are unchanged while the ERP has neither', () => {
    const a = erpOwnedFields(m);
    expect(fieldsHash(a)).toBe(fieldsHash(before));
    expect(planProductSync(group([parent, live(m, before)], 'gid://shopify/Product/1')).kind).toBe('none');
  });

  it('a compare-at price the ERP dropped is cleared; a dropped weight is left as it is in Shopify', () => {
    const pushedBoth = { ...erpOwnedFields(weighted), title: 'Organic Tee' };
    const plan = planProductSync(group([parent, live(m, pushedBoth)], 'gid://shopify/Product/1'));
    expect(plan.kind === 'update' && plan.updates).toEqual([
      { id: 'gid://shopify/ProductVariant/11', compareAtPrice: null },
    ]);
    const onlyWeight = planProductSync(
      group([parent, live(row({ compareAtPrice: '29.90' }), pushedBoth)], 'gid://shopify/Product/1'),
    );
    expect(onlyWeight.kind).toBe('none');
    expect(onlyWeight.kind === 'none' && onlyWeight.unchanged[0]?.fields.weight).toBeNull();
  });

  it('writes neither when the policy gives them to Shopify, and says so', () => {
    const plan = planProductSync(
      group([parent, live(weighted, before)], 'gid://shopify/Product/1'),
      new Set(['sku', 'price', 'cost', 'barcode'] as const),
    );
    expect(plan.kind).toBe('none');
    expect(plan.notes.map((n) => n.reason)).toEqual(
      expect.arrayContaining([
        'compareAtPrice is owned by Shopify (source-of-truth policy): not written',
        'weight is owned by Shopify (source-of-truth policy): not written',
      ]),
    );
    const created = planProductSync(group([parent, weighted]), new Set(['sku', 'price', 'cost', 'barcode'] as const));
    expect(created.kind === 'create' && created.input.variants[0]).not.toHaveProperty('compareAtPrice');
    expect(created.kind === 'create' && created.input.variants[0]?.inventoryItem).not.toHaveProperty('measurement');
  });
});
