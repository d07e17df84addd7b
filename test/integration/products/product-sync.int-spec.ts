import type { Queue } from 'bull';
import Redis from 'ioredis';
import { JobName } from 'src/common/jobs/job-catalogue';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { ErpInventoryLevelRepository } from 'src/modules/erp/persistence/erp-inventory-level.repository';
import { ErpItemCatalogRepository } from 'src/modules/erp/persistence/erp-item-catalog.repository';
import { ErpItemXrefRepository } from 'src/modules/erp/persistence/erp-item-xref.repository';
import type { ErpItemChange } from 'src/modules/erp/port/erp.types';
import { PushInventoryDeltas } from 'src/modules/inventory/application/push-inventory-deltas.use-case';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { parseDailyWindow } from 'src/modules/inventory/domain/reconcile-window';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';
import { MappingLocations } from 'src/modules/mapping/application/mapping-locations.query';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { emptyMappingConfig, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';
import { HandleProductUpdate } from 'src/modules/products/application/handle-product-update.use-case';
import { ResyncProduct } from 'src/modules/products/application/resync-product.use-case';
import {
  SyncProductsToShopify,
  type ProductSyncRun,
} from 'src/modules/products/application/sync-products-to-shopify.use-case';
import { ProductSyncRepository } from 'src/modules/products/persistence/product-sync.repository';
import type { ProductSyncSettings } from 'src/modules/products/products.constants';
import { ShopifyAdminClients } from 'src/modules/shopify/admin/shopify-admin-clients';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

/**
 * ERP → Shopify product sync against the Shopify simulator, with the machine's real PostgreSQL (own database, real
 * migrations) and Redis (db 4, the shared cost bucket). ERP changes enter exactly as a delta read stores them.
 */
const CONNECTOR = 'netsuite';
const SHOP = 'test-store.myshopify.com';
const urls = serviceUrls(INTEGRATION_RESOURCES.productSync.database, INTEGRATION_RESOURCES.productSync.redisDb);

function item(overrides: Partial<ErpItemChange> & Pick<ErpItemChange, 'sku' | 'erpItemId'>): ErpItemChange {
  return {
    name: overrides.sku,
    price: '20.00',
    cost: '8.00',
    barcode: undefined,
    active: true,
    lastModified: '2026-12-01T10:00:00Z',
    ...overrides,
  };
}

const teeParent = item({ sku: 'TEE', erpItemId: 'tee', name: 'Organic Tee' });
const teeM = item({
  sku: 'TEE-M',
  erpItemId: 'tee-m',
  parentErpItemId: 'tee',
  name: 'Tee M',
  options: { Size: 'M' },
  barcode: '111',
});
const teeL = item({
  sku: 'TEE-L',
  erpItemId: 'tee-l',
  parentErpItemId: 'tee',
  name: 'Tee L',
  options: { Size: 'L' },
  barcode: '222',
});
const mug = item({ sku: 'MUG', erpItemId: 'mug', name: 'Enamel Mug', price: '12.50', cost: '4.10', barcode: '333' });

describe('product sync (ERP → Shopify simulator, real PostgreSQL and Redis)', () => {
  const sim = new ShopifySimulator({ restoreRate: 1_000, shopDomain: SHOP });
  let dataSource: DataSource;
  let redis: Redis;
  let changes: ErpChangeRepository;
  let sync: SyncProductsToShopify;
  let handleUpdate: HandleProductUpdate;
  let audit: AuditWriter;
  let ownership: OwnershipPolicyService;
  let shops: TestShops;
  let repository: ProductSyncRepository;
  let url: string;
  const settings: ProductSyncSettings = { connector: CONNECTOR, shop: SHOP, concurrency: 4 };

  const erp = (...items: ErpItemChange[]): Promise<string[]> => changes.applyItems(CONNECTOR, items);
  const run = async (): Promise<ProductSyncRun> => {
    const result = await sync.execute();
    if ('busy' in result) {
      throw new Error(result.busy);
    }
    if ('paused' in result) {
      throw new Error(result.paused);
    }
    await audit.flush();
    return result;
  };
  const xref = async (sku: string) =>
    (
      await dataSource.query(
        `SELECT shopify_product_id, shopify_variant_id, shopify_inventory_item_id, shopify_pushed_fields,
                shopify_push_error, shopify_synced_changed_at = changed_at AS synced
           FROM erp_item_xref WHERE connector = $1 AND sku = $2`,
        [CONNECTOR, sku],
      )
    )[0] as {
      shopify_product_id: string | null;
      shopify_variant_id: string | null;
      shopify_inventory_item_id: string | null;
      shopify_pushed_fields: Record<string, unknown> | null;
      shopify_push_error: string | null;
      synced: boolean;
    };
  const auditReasons = async (): Promise<string[]> => {
    const rows: { r: string }[] = await dataSource.query(
      `SELECT status || ': ' || coalesce(reason, '') AS r FROM sync_audit_log WHERE entity = 'product' ORDER BY id`,
    );
    return rows.map((row) => row.r);
  };
  const mutations = (): string[] => sim.ledger.appliedMutations().flatMap((e) => e.fields);

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    redis = new Redis(urls.REDIS_URL);
    await redis.flushdb();
    url = await sim.start();
    const client = new ShopifyAdminClient(
      { adminApiUrl: url, accessToken: sim.accessToken },
      new RedisCostBucket(redis, SHOP),
    );
    repository = new ProductSyncRepository(dataSource, new ErpItemCatalogRepository(dataSource));
    audit = new AuditWriter(new AuditLogRepository(dataSource));
    changes = new ErpChangeRepository(dataSource);
    shops = new TestShops(dataSource, testConfig('unused', 0, { SHOPIFY_SHOP_DOMAIN: SHOP }));
    const directory = await shops.start();
    ownership = new OwnershipPolicyService(new MappingShops(directory), new OwnershipPolicyRepository(dataSource));
    sync = new SyncProductsToShopify(
      repository,
      oneClientForEveryShop(client),
      audit,
      settings,
      new AdvisoryLocks(dataSource),
      directory,
      ownership,
    );
    handleUpdate = new HandleProductUpdate(repository, audit, settings);
  });

  afterAll(async () => {
    await sim.stop();
    await redis.quit();
    await dataSource.destroy();
  });

  it('new ERP items become one product per parent (variants) and one per standalone item; ids are written back', async () => {
    await erp(teeParent, teeM, teeL, mug);
    const result = await run();
    expect(result).toMatchObject({ groups: 2, created: 2, failed: 0, deferred: 0 });

    const tee = sim.catalog.productBySku('TEE-M')!;
    expect(tee.title).toBe('Organic Tee');
    expect(tee.status).toBe('DRAFT');
    expect(tee.options).toEqual([expect.objectContaining({ name: 'Size', values: ['L', 'M'] })]);
    expect(
      sim.catalog.variantsOf(tee).map((v) => [sim.catalog.items.get(v.inventoryItemId)!.sku, v.price, v.barcode]),
    ).toEqual([
      ['TEE-L', '20.00', '222'],
      ['TEE-M', '20.00', '111'],
    ]);
    expect(sim.catalog.itemBySku('MUG')).toMatchObject({ cost: '4.10', tracked: true });
    expect(sim.catalog.productBySku('TEE')).toBeUndefined(); // the parent item is the product, not a variant

    const m = await xref('TEE-M');
    const v = sim.catalog.variantBySku('TEE-M')!;
    expect(m).toMatchObject({
      shopify_product_id: tee.id,
      shopify_variant_id: v.id,
      shopify_inventory_item_id: v.inventoryItemId,
      synced: true,
      shopify_pushed_fields: { sku: 'TEE-M', price: '20.00', cost: '8.00', barcode: '111', title: 'Organic Tee' },
    });
    expect((await xref('TEE')).synced).toBe(true);
    expect(mutations()).toEqual(['productSet', 'productSet']);
  });

  it('a price, cost or barcode change reaches Shopify; images, SEO, description, tags and title set in Shopify survive', async () => {
    const tee = sim.catalog.productBySku('TEE-M')!;
    sim.catalog.merchantEdit(
      tee.id,
      {
        title: 'Organic Cotton Tee — Summer',
        descriptionHtml: '<p>Soft, organic.</p>',
        seo: { title: 'Organic tee | Shop', description: 'Best tee' },
        tags: ['summer', 'organic'],
        media: [{ url: 'https://cdn.example/tee-front.png', alt: 'Front' }],
      },
      false,
    );
    const before = mutations().length;

    await erp({ ...teeM, price: '24.90' }, { ...teeL, cost: '9.25' }, { ...mug, barcode: '444' });
    const result = await run();
    expect(result).toMatchObject({ updatedVariants: 3, created: 0, failed: 0 });

    expect(sim.catalog.variantBySku('TEE-M')!.price).toBe('24.90');
    expect(sim.catalog.itemBySku('TEE-L')!.cost).toBe('9.25');
    expect(sim.catalog.variantBySku('MUG')!.barcode).toBe('444');
    const after = sim.catalog.products.get(tee.id)!;
    expect(after).toMatchObject({
      title: 'Organic Cotton Tee — Summer',
      descriptionHtml: '<p>Soft, organic.</p>',
      seo: { title: 'Organic tee | Shop', description: 'Best tee' },
      tags: ['summer', 'organic'],
    });
    expect(after.media.map((m) => m.url)).toEqual(['https://cdn.example/tee-front.png']);
    expect(mutations().slice(before)).toEqual(['productVariantsBulkUpdate', 'productVariantsBulkUpdate']);
    // Only the changed fields were sent.
    const sent = sim.ledger
      .appliedMutations('productVariantsBulkUpdate')
      .slice(-2)
      .map((e) => e.variables.variants);
    expect(sent).toEqual(
      expect.arrayContaining([
        [{ id: sim.catalog.variantBySku('MUG')!.id, barcode: '444' }],
        [
          { id: sim.catalog.variantBySku('TEE-L')!.id, inventoryItem: { cost: '9.25' } },
          { id: sim.catalog.variantBySku('TEE-M')!.id, price: '24.90' },
        ],
      ]),
    );
  });

  it('unchanged items get no writes; an ERP rename is not written and the audit says why', async () => {
    const before = sim.ledger.entries.length;
    expect(await erp({ ...teeM, price: '24.90' }, { ...teeL, cost: '9.25' }, { ...mug, barcode: '444' })).toEqual([]);
    expect(await run()).toMatchObject({ groups: 0, shopifyRequests: 0 });
    expect(sim.ledger.entries.length).toBe(before);

    // A SKU only an order-line lookup learnt (no item read: no ERP fields) is never pushed.
    await new ErpItemXrefRepository(dataSource, CONNECTOR).remember('LOOKED-UP-ONLY', 'item-99');
    expect(await run()).toMatchObject({ groups: 0, shopifyRequests: 0 });

    await erp({ ...mug, barcode: '444', name: 'Enamel Mug XL' });
    const result = await run();
    expect(result).toMatchObject({ groups: 1, shopifyRequests: 0, unchanged: 1 });
    expect(sim.ledger.entries.length).toBe(before);
    expect(sim.catalog.productBySku('MUG')!.title).toBe('Enamel Mug');
    expect((await auditReasons()).join('\n')).toMatch(
      /MUG: title changed in the ERP \("Enamel Mug XL"\): the title is Shopify's after creation, not written/,
    );
  });

  it('a field the shop gives to Shopify (source-of-truth policy) is not written; the ERP keeps writing the others', async () => {
    const setPriceOwner = (owner: 'shopify' | 'erp') =>
      ownership.change({ shop: SHOP, rules: [{ entity: 'product', field: 'price', owner }], actor: 'test' });
    expect(await setPriceOwner('shopify')).toMatchObject({ outcome: 'changed' });
    const before = sim.ledger.appliedMutations('productVariantsBulkUpdate').length;

    await erp({ ...mug, name: 'Enamel Mug XL', barcode: '555', price: '99.00' });
    expect(await run()).toMatchObject({ groups: 1, updatedVariants: 1, failed: 0 });
    const sent = sim.ledger.appliedMutations('productVariantsBulkUpdate').slice(before);
    expect(sent.map((e) => e.variables.variants)).toEqual([
      [{ id: sim.catalog.variantBySku('MUG')!.id, barcode: '555' }],
    ]);
    expect(sim.catalog.variantBySku('MUG')).toMatchObject({ price: '12.50', barcode: '555' });
    expect((await auditReasons()).join('\n')).toContain(
      'MUG: price is owned by Shopify (source-of-truth policy): not written',
    );

    // The ERP owns prices again; its price is back to what Shopify has, so nothing is left to write.
    await setPriceOwner('erp');
    await erp({ ...mug, name: 'Enamel Mug XL', barcode: '555', price: '12.50' });
    expect(await run()).toMatchObject({ groups: 1, unchanged: 1, shopifyRequests: 0 });
  });

  it('our own products/update webhook is recognised as an echo; a Shopify-side price edit is recorded as drift', async () => {
    const echo = sim.webhooks.filter((w) => w.topic === 'products/update').at(-1)!;
    await expect(handleUpdate.execute(echo.payload, 'evt-echo')).resolves.toEqual({ outcome: 'echo' });

    const variant = sim.catalog.variantBySku('TEE-M')!;
    sim.catalog.merchantEdit(variant.productId, { variant: { id: variant.id, price: '19.00' } });
    const edited = sim.webhooks.at(-1)!;
    const outcome = await handleUpdate.execute(edited.payload, 'evt-drift');
    expect(outcome).toEqual({
      outcome: 'drift',
      drifts: [{ sku: 'TEE-M', field: 'price', shopify: '19.00', pushed: '24.90' }],
    });
    // Shopify-owned changes only (images, description) are no drift.
    sim.catalog.merchantEdit(sim.catalog.productBySku('MUG')!.id, { descriptionHtml: '<p>new</p>' });
    await expect(handleUpdate.execute(sim.webhooks.at(-1)!.payload, 'evt-owned')).resolves.toEqual({ outcome: 'echo' });
    await expect(handleUpdate.execute({ id: 1, variants: [{ id: 2, price: '1.00' }] }, 'evt-x')).resolves.toEqual({
      outcome: 'unknown_product',
    });
    await audit.flush();
    const rows: { event_id: string; status: string; reason: string }[] = await dataSource.query(
      `SELECT event_id, status, reason FROM sync_audit_log WHERE event_id IN ('evt-echo', 'evt-drift') ORDER BY event_id`,
    );
    expect(rows).toEqual([
      {
        event_id: 'evt-drift',
        status: 'skipped',
        reason: expect.stringMatching(/^drift: TEE-M price is 19.00 in Shopify, 24.90 from the ERP/),
      },
      { event_id: 'evt-echo', status: 'skipped', reason: expect.stringMatching(/^echo/) },
    ]);
  });

  it("an operator's re-sync of one SKU writes its ERP price over a Shopify edit; its sibling is not written", async () => {
    // After the drift above, TEE-M costs 19.00 in Shopify while the ERP says 24.90; nothing changed in the ERP.
    expect(sim.catalog.variantBySku('TEE-M')?.price).toBe('19.00');
    const queued: string[] = [];
    const resync = new ResyncProduct(repository, shops.directory, settings, {
      add: (name: unknown) => {
        queued.push(String(name));
        return Promise.resolve({ id: 7, timestamp: Date.now() });
      },
    } as unknown as Pick<Queue, 'add'>);
    expect(await resync.execute({ shop: SHOP, sku: 'NOPE' })).toEqual({ outcome: 'unknown_sku' });
    expect(await resync.execute({ shop: 'nowhere.myshopify.com', sku: 'TEE-M' })).toEqual({ outcome: 'unknown_shop' });
    expect(await resync.execute({ shop: SHOP, sku: 'TEE-M' })).toMatchObject({
      outcome: 'queued',
      sku: 'TEE-M',
      jobId: '7',
    });
    expect(queued).toEqual([JobName.SyncProducts]);

    const before = sim.ledger.entries.length;
    const result = await run(); // what the queued job runs
    expect(result).toMatchObject({ updatedVariants: 1 });
    expect(sim.catalog.variantBySku('TEE-M')?.price).toBe('24.90');
    const updates = sim.ledger.entries
      .slice(before)
      .filter((e) => e.fields.includes('productVariantsBulkUpdate'))
      .flatMap((e) => (e.variables.variants as Array<{ id: string }>).map((v) => v.id));
    expect(updates).toEqual([sim.catalog.variantBySku('TEE-M')?.id]);
    expect((await xref('TEE-M')).synced).toBe(true);
  });

  it('adopts a product Shopify already has for a SKU (no second product), and adds a new SKU of a group as a variant', async () => {
    const existing = sim.catalog.addProduct({
      title: 'Canvas Bag',
      descriptionHtml: '<p>Merchant copy</p>',
      media: [{ url: 'https://cdn.example/bag.png' }],
      variants: [{ sku: 'BAG-1', price: '30.00' }],
    });
    const productsBefore = sim.catalog.products.size;
    await erp(
      item({ sku: 'BAG-1', erpItemId: 'bag-1', name: 'Bag', price: '32.00', cost: '11.00' }),
      item({
        sku: 'TEE-XL',
        erpItemId: 'tee-xl',
        parentErpItemId: 'tee',
        name: 'Tee XL',
        options: { Size: 'XL' },
        price: '26.00',
      }),
    );
    const result = await run();
    expect(result).toMatchObject({ created: 0, createdVariants: 1, failed: 0 });
    expect(sim.catalog.products.size).toBe(productsBefore);
    expect(sim.catalog.variantBySku('BAG-1')).toMatchObject({ id: existing.variants[0].id, price: '32.00' });
    expect(sim.catalog.products.get(existing.product.id)!.descriptionHtml).toBe('<p>Merchant copy</p>');
    expect((await xref('BAG-1')).shopify_variant_id).toBe(existing.variants[0].id);
    const xl = sim.catalog.variantBySku('TEE-XL')!;
    expect(xl.productId).toBe(sim.catalog.productBySku('TEE-M')!.id);
    expect((await xref('TEE-XL')).shopify_inventory_item_id).toBe(xl.inventoryItemId);
  });

  it('a write Shopify rejects is recorded with its reason and does not hold up other products', async () => {
    await erp(
      { ...mug, barcode: '444', name: 'Enamel Mug XL', price: '-1.00' },
      item({ sku: 'CAP', erpItemId: 'cap', name: 'Cap', price: '15.00' }),
    );
    const result = await run();
    expect(result).toMatchObject({ failed: 1, created: 1 });
    expect(sim.catalog.variantBySku('CAP')!.price).toBe('15.00');
    expect(await xref('MUG')).toMatchObject({
      synced: true,
      shopify_push_error: expect.stringMatching(/NEGATIVE_PRICE_VALUE/),
    });
    expect((await auditReasons()).some((r) => r.startsWith('dead_lettered: Shopify rejected the write'))).toBe(true);
    // Not retried until the ERP changes the item again.
    expect(await run()).toMatchObject({ groups: 0 });
  });

  it('a product the merchant deleted and re-created (new ids, same SKUs) gets the next price update; nothing is dead-lettered', async () => {
    const old = sim.catalog.productBySku('TEE-M')!;
    const oldVariantIds = sim.catalog.variantsOf(old).map((v) => v.id);
    sim.catalog.merchantDelete(old.id);
    const recreated = sim.catalog.addProduct({
      title: 'Organic Tee',
      variants: ['M', 'L', 'XL'].map((size) => ({
        sku: `TEE-${size}`,
        price: '20.00',
        optionValues: [{ optionName: 'Size', name: size }],
      })),
    });
    const productsBefore = sim.catalog.products.size;
    const requestsBefore = sim.ledger.entries.length;
    const deadLettered = async (): Promise<number> =>
      (await auditReasons()).filter((r) => r.startsWith('dead_lettered')).length;
    const deadBefore = await deadLettered();

    await erp({ ...teeM, price: '27.00' });
    const result = await run();
    expect(result).toMatchObject({ failed: 0, deferred: 0, created: 0 });
    // The write lands on the new product; every variant of the group takes the ERP's values (the new product
    // was made by hand, so what was pushed to the old one says nothing about it).
    expect(sim.catalog.products.size).toBe(productsBefore);
    expect(sim.catalog.variantBySku('TEE-M')).toMatchObject({ productId: recreated.product.id, price: '27.00' });
    expect(sim.catalog.variantBySku('TEE-L')).toMatchObject({ productId: recreated.product.id, barcode: '222' });
    const m = await xref('TEE-M');
    expect(m).toMatchObject({ shopify_product_id: recreated.product.id, synced: true, shopify_push_error: null });
    expect(oldVariantIds).not.toContain(m.shopify_variant_id);
    expect(m.shopify_variant_id).toBe(sim.catalog.variantBySku('TEE-M')!.id);
    expect((await xref('TEE-XL')).shopify_inventory_item_id).toBe(sim.catalog.variantBySku('TEE-XL')!.inventoryItemId);
    const stale = sim.ledger.entries.slice(requestsBefore).filter((e) => e.variables.productId === old.id);
    expect(stale).toHaveLength(1); // tried once on the old product, then on the new one
    expect(await deadLettered()).toBe(deadBefore);

    // And the next change goes straight to the new product.
    const writesBefore = sim.ledger.appliedMutations().length;
    await erp({ ...teeM, price: '28.00' });
    expect(await run()).toMatchObject({ failed: 0, updatedVariants: 1 });
    expect(
      sim.ledger
        .appliedMutations()
        .slice(writesBefore)
        .map((e) => [e.fields, e.variables.productId]),
    ).toEqual([[['productVariantsBulkUpdate'], recreated.product.id]]);
    expect(sim.catalog.variantBySku('TEE-M')!.price).toBe('28.00');
  });

  it('a product the merchant deleted (not re-created) is created again as a draft on the next ERP change', async () => {
    const cap = sim.catalog.productBySku('CAP')!;
    sim.catalog.merchantDelete(cap.id);
    await erp(item({ sku: 'CAP', erpItemId: 'cap', name: 'Cap', price: '16.00' }));
    const result = await run();
    expect(result).toMatchObject({ failed: 0, created: 1 });
    const again = sim.catalog.productBySku('CAP')!;
    expect(again.id).not.toBe(cap.id);
    expect(again.status).toBe('DRAFT');
    expect(sim.catalog.variantBySku('CAP')!.price).toBe('16.00');
    expect((await xref('CAP')).shopify_product_id).toBe(again.id);
  });

  it('two shops: an ERP price and stock reach each shop with its own ids, location pairs, token and cost bucket', async () => {
    const SHOP_B = 'expansion-store.myshopify.com';
    const simB = new ShopifySimulator({ restoreRate: 1_000, shopDomain: SHOP_B, accessToken: 'shpat_expansion' });
    const urlB = await simB.start();
    try {
      // Each shop's own endpoint and token, stored (sealed) as the admin API stores them.
      await shops.update(SHOP, { adminApiUrl: url, adminAccessToken: sim.accessToken });
      await shops.add(SHOP_B, { adminApiUrl: urlB, adminAccessToken: 'shpat_expansion', webhookSecret: 'b' });
      const clients = new ShopifyAdminClients(
        ({ domain, adminApiUrl, accessToken }) =>
          new ShopifyAdminClient({ adminApiUrl, accessToken, shopDomain: domain }, new RedisCostBucket(redis, domain)),
        (domain) => shops.directory.find(domain),
      );
      // Each store has its own locations; each shop's mapping pairs its own with the ERP's.
      const numberOf = (gid: string): string => gid.replace('gid://shopify/Location/', '');
      const eastA = sim.catalog.addLocation('A East');
      const westA = sim.catalog.addLocation('A West');
      const eastB = simB.catalog.addLocation('B East');
      const westB = simB.catalog.addLocation('B West');
      const versions = new MappingVersionRepository(dataSource);
      const pairs = (east: string, west: string): OrderMappingConfig => ({
        ...emptyMappingConfig(),
        locations: [
          { shopifyLocationId: numberOf(east), erpLocation: 'WH-EAST' },
          { shopifyLocationId: numberOf(west), erpLocation: 'WH-WEST' },
        ],
      });
      await versions.bootstrap(SHOP, pairs(eastA.id, westA.id), 'spec', 'two shops');
      // Shop B sells from WH-EAST only.
      await versions.bootstrap(
        SHOP_B,
        { ...pairs(eastB.id, westB.id), locations: pairs(eastB.id, westB.id).locations.slice(0, 1) },
        'spec',
        'two shops',
      );

      const locks = new AdvisoryLocks(dataSource);
      const everyShop = new SyncProductsToShopify(repository, clients, audit, settings, locks, shops.directory);
      const lamp = item({ sku: 'DESK-LAMP', erpItemId: 'desk-lamp', name: 'Desk Lamp', price: '49.00' });
      await erp(lamp);
      const first = await everyShop.executeForCatalogueShops();
      expect(first.map((r) => [r.shop, 'failed' in r ? r.failed : r])).toEqual([
        [SHOP, 0],
        [SHOP_B, 0],
      ]);
      expect(sim.catalog.variantBySku('DESK-LAMP')!.price).toBe('49.00');
      expect(simB.catalog.variantBySku('DESK-LAMP')!.price).toBe('49.00');
      // A price change reaches both, each through its own ids.
      await erp({ ...lamp, price: '44.50', lastModified: '2026-12-02T10:00:00Z' });
      await everyShop.executeForCatalogueShops();
      const [inA, inB] = [sim.catalog.variantBySku('DESK-LAMP')!, simB.catalog.variantBySku('DESK-LAMP')!];
      expect([inA.price, inB.price]).toEqual(['44.50', '44.50']);
      expect((await xref('DESK-LAMP')).shopify_variant_id).toBe(inA.id);
      const [inShopB] = await dataSource.query<
        Array<{ shopify_variant_id: string; shopify_inventory_item_id: string }>
      >(
        `SELECT shopify_variant_id, shopify_inventory_item_id FROM erp_item_shop_xref
          WHERE connector = $1 AND shop = $2 AND sku = 'DESK-LAMP'`,
        [CONNECTOR, SHOP_B],
      );
      expect(inShopB).toEqual({ shopify_variant_id: inB.id, shopify_inventory_item_id: inB.inventoryItemId });
      expect(inB.id).not.toBe(inA.id);

      // Stock: the merchant stocks the lamp at the shops' locations; the ERP's levels go where each shop's pairs say.
      for (const [store, location] of [
        [sim, eastA],
        [sim, westA],
        [simB, eastB],
        [simB, westB],
      ] as const) {
        const variant = store.catalog.variantBySku('DESK-LAMP')!;
        store.catalog.setLevel(variant.inventoryItemId, location.id, { available: 0 });
      }
      await changes.applyInventory(CONNECTOR, [
        { erpItemId: 'desk-lamp', sku: 'DESK-LAMP', erpLocationId: 'WH-EAST', onHand: 7, available: 7 },
        { erpItemId: 'desk-lamp', sku: 'DESK-LAMP', erpLocationId: 'WH-WEST', onHand: 3, available: 3 },
      ]);
      const inventory = new InventoryRepository(dataSource, new ErpInventoryLevelRepository(dataSource));
      const push = new PushInventoryDeltas(
        inventory,
        clients,
        audit,
        {
          connector: CONNECTOR,
          shop: SHOP,
          reconcileWindow: parseDailyWindow('01:00-04:00'),
          shopTimeZone: 'UTC',
          writeConcurrency: 2,
        },
        locks,
        shops.directory,
        new ShopStockLocations(inventory, new MappingLocations(versions)),
      );
      const pushed = await push.executeForCatalogueShops();
      expect(pushed.map((r) => [r.shop, 'written' in r ? r.written : r])).toEqual([
        [SHOP, 2],
        [SHOP_B, 1],
      ]);
      expect(sim.catalog.quantity(inA.inventoryItemId, eastA.id)).toBe(7);
      expect(sim.catalog.quantity(inA.inventoryItemId, westA.id)).toBe(3);
      expect(simB.catalog.quantity(inB.inventoryItemId, eastB.id)).toBe(7);
      // WH-WEST is not among shop B's pairs: its stock is not B's.
      expect(simB.catalog.quantity(inB.inventoryItemId, westB.id)).toBe(0);
      // One cost bucket per shop in Redis; shop B's store only ever saw shop B's token (it answers 401 to another).
      expect(await redis.exists(`shopify:bucket:{${SHOP}}:state`, `shopify:bucket:{${SHOP_B}}:state`)).toBe(2);
      expect([sim.stats.unauthorized, simB.stats.unauthorized]).toEqual([0, 0]);
    } finally {
      await simB.stop();
    }
  });

  it('compare-at price and weight reach Shopify when the ERP owns them, only when changed, and not when Shopify owns them', async () => {
    const kettle = item({
      sku: 'KETTLE',
      erpItemId: 'kettle',
      name: 'Kettle',
      price: '39.00',
      compareAtPrice: '49.00',
      weight: { value: '1.2', unit: 'KILOGRAMS' },
    });
    await erp(kettle);
    expect(await run()).toMatchObject({ created: 1, failed: 0 });
    expect(sim.catalog.variantBySku('KETTLE')).toMatchObject({ price: '39.00', compareAtPrice: '49.00' });
    expect(sim.catalog.itemBySku('KETTLE')!.weight).toEqual({ value: 1.2, unit: 'KILOGRAMS' });
    expect((await xref('KETTLE')).shopify_pushed_fields).toMatchObject({
      compareAtPrice: '49.00',
      weight: '1.20 KILOGRAMS',
    });

    // Changed in the ERP: only the changed fields go out, through productVariantsBulkUpdate.
    const before = sim.ledger.appliedMutations('productVariantsBulkUpdate').length;
    await erp({ ...kettle, compareAtPrice: '45.00', weight: { value: '1100', unit: 'GRAMS' } });
    expect(await run()).toMatchObject({ groups: 1, updatedVariants: 1, failed: 0 });
    const variantId = sim.catalog.variantBySku('KETTLE')!.id;
    expect(
      sim.ledger
        .appliedMutations('productVariantsBulkUpdate')
        .slice(before)
        .map((e) => e.variables.variants),
    ).toEqual([
      [
        {
          id: variantId,
          compareAtPrice: '45.00',
          inventoryItem: { measurement: { weight: { value: 1100, unit: 'GRAMS' } } },
        },
      ],
    ]);
    expect(sim.catalog.variantBySku('KETTLE')!.compareAtPrice).toBe('45.00');
    expect(sim.catalog.itemBySku('KETTLE')!.weight).toEqual({ value: 1100, unit: 'GRAMS' });

    // Unchanged: no write.
    const requests = sim.ledger.entries.length;
    expect(await erp({ ...kettle, compareAtPrice: '45.00', weight: { value: '1100', unit: 'GRAMS' } })).toEqual([]);
    expect(await run()).toMatchObject({ groups: 0, shopifyRequests: 0 });
    expect(sim.ledger.entries.length).toBe(requests);

    // Given to Shopify: an ERP change of either is not written, and the audit says so; the price still is.
    expect(
      await ownership.change({
        shop: SHOP,
        rules: [
          { entity: 'product', field: 'compareAtPrice', owner: 'shopify' },
          { entity: 'product', field: 'weight', owner: 'shopify' },
        ],
        actor: 'test',
      }),
    ).toMatchObject({ outcome: 'changed' });
    const mark = sim.ledger.appliedMutations('productVariantsBulkUpdate').length;
    await erp({ ...kettle, price: '35.00', compareAtPrice: '59.00', weight: { value: '2', unit: 'POUNDS' } });
    expect(await run()).toMatchObject({ groups: 1, updatedVariants: 1, failed: 0 });
    expect(
      sim.ledger
        .appliedMutations('productVariantsBulkUpdate')
        .slice(mark)
        .map((e) => e.variables.variants),
    ).toEqual([[{ id: variantId, price: '35.00' }]]);
    expect(sim.catalog.variantBySku('KETTLE')).toMatchObject({ price: '35.00', compareAtPrice: '45.00' });
    expect(sim.catalog.itemBySku('KETTLE')!.weight).toEqual({ value: 1100, unit: 'GRAMS' });
    const reasons = (await auditReasons()).join('\n');
    expect(reasons).toContain('KETTLE: compareAtPrice is owned by Shopify (source-of-truth policy): not written');
    expect(reasons).toContain('KETTLE: weight is owned by Shopify (source-of-truth policy): not written');
    await ownership.change({
      shop: SHOP,
      rules: [
        { entity: 'product', field: 'compareAtPrice', owner: 'erp' },
        { entity: 'product', field: 'weight', owner: 'erp' },
      ],
      actor: 'test',
    });
  });

  it('no request was throttled', () => {
    expect(sim.stats.throttled).toBe(0);
  });
});
