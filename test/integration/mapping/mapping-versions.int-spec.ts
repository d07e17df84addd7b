import type { AppConfig } from 'src/config/app-config';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import type { ErpPort } from 'src/modules/erp';
import { ActivateMappingVersion } from 'src/modules/mapping/application/activate-mapping-version.use-case';
import { GetOrderMapping } from 'src/modules/mapping/application/get-order-mapping.query';
import { BOOTSTRAP_ACTOR, MappingReader } from 'src/modules/mapping/application/mapping-reader.service';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { RollBackMappingVersion } from 'src/modules/mapping/application/roll-back-mapping-version.use-case';
import { SaveMappingVersion } from 'src/modules/mapping/application/save-mapping-version.use-case';
import { emptyMappingConfig, type OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';
import type { ShopDirectory } from 'src/modules/shops';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.mappingVersions.database;

/** Cin7's variables: its environment defaults (location, tax rule) become version 1. */
const CIN7_ENV = {
  ERP_CONNECTOR: 'cin7',
  CIN7_ACCOUNT_ID: 'acct',
  CIN7_APPLICATION_KEY: 'key',
  CIN7_LOCATION: 'Main Warehouse',
  CIN7_TAX_RULE: 'Tax on Sales',
  CIN7_PAYMENT_TERM: '30 days',
  CIN7_ACCOUNT_RECEIVABLE: '610',
  CIN7_REVENUE_ACCOUNT: '200',
  SHOPIFY_LOCATION_MAP: 'Back Room:gid://shopify/Location/222',
};

/** Versioning of the mapping configuration on real PostgreSQL: bootstrap, saves, activation, roll back, history. */
describe('mapping versions (real PostgreSQL)', () => {
  const urls = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let config: AppConfig;
  let reader: MappingReader;
  let save: SaveMappingVersion;
  let activate: ActivateMappingVersion;
  let rollBack: RollBackMappingVersion;
  let get: GetOrderMapping;
  let ownership: OwnershipPolicyService;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(urls.DATABASE_URL);
    dataSource = createDataSource(urls.DATABASE_URL);
    await dataSource.initialize();
    config = testConfig(DB, 0, CIN7_ENV);
    const erp = {
      name: 'cin7',
      orderMapping: { sections: ['shipMethod', 'shippingItem', 'taxCode', 'location'], fields: [] },
    } as unknown as ErpPort;
    const repository = new MappingVersionRepository(dataSource);
    const shops = new MappingShops({
      find: (domain: string) => Promise.resolve(domain === TEST_SHOP ? { domain } : undefined),
    } as unknown as ShopDirectory);
    reader = new MappingReader(repository, erp, config);
    save = new SaveMappingVersion(shops, reader, repository);
    activate = new ActivateMappingVersion(shops, reader, repository);
    rollBack = new RollBackMappingVersion(shops, reader, repository);
    get = new GetOrderMapping(shops, reader);
    ownership = new OwnershipPolicyService(shops, new OwnershipPolicyRepository(dataSource));
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const withShipping = (shipMethod: string): OrderMappingConfig => ({
    ...emptyMappingConfig(),
    shippingMethods: [{ shopifyCode: '*', shipMethod }],
  });

  it("bootstraps version 1 from the environment the first time a shop's mapping is read, once", async () => {
    const [first, second] = await Promise.all([reader.active(TEST_SHOP), reader.active(TEST_SHOP)]);
    expect(first.version).toBe(1);
    expect(second.version).toBe(1);
    expect(first.createdBy).toBe(BOOTSTRAP_ACTOR);
    expect(first.config).toEqual({
      ...emptyMappingConfig(),
      locations: [{ shopifyLocationId: '222', erpLocation: 'Back Room' }],
      taxes: [{ shopifyTitle: '*', taxCode: 'Tax on Sales' }],
    });
    const rows: Array<{ count: string }> = await dataSource.query(
      'SELECT count(*) AS count FROM mapping_activation WHERE shop = $1',
      [TEST_SHOP],
    );
    expect(Number(rows[0]?.count)).toBe(1);
  });

  it('saves each change as a new immutable version with who and when; a draft is not active', async () => {
    const before = Date.now();
    const saved = await save.execute({
      shop: TEST_SHOP.toUpperCase(),
      config: withShipping('FEDEX'),
      actor: 'api-key:ops',
      note: 'FedEx for everything',
      activate: false,
    });
    expect(saved).toMatchObject({ outcome: 'saved', active: false, version: { version: 2, createdBy: 'api-key:ops' } });
    if (saved.outcome !== 'saved') {
      throw new Error('not saved');
    }
    expect(saved.version.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect((await reader.forOrders(TEST_SHOP)).mapping.version).toBe(1);

    const live = await save.execute({
      shop: TEST_SHOP,
      config: withShipping('UPS'),
      actor: 'api-key:lead',
      activate: true,
    });
    expect(live).toMatchObject({ outcome: 'saved', active: true, version: { version: 3 } });
    expect((await reader.forOrders(TEST_SHOP)).mapping).toEqual({ version: 3, config: withShipping('UPS') });
    // Version 2 is unchanged by the later saves.
    expect(await get.version(TEST_SHOP, 2)).toMatchObject({
      outcome: 'found',
      activeVersion: 3,
      version: { config: withShipping('FEDEX'), note: 'FedEx for everything' },
    });
  });

  it('refuses an invalid configuration with field-level errors and saves nothing', async () => {
    const result = await save.execute({
      shop: TEST_SHOP,
      config: { ...emptyMappingConfig(), paymentGateways: [{ gateway: 'paypal', paymentMethod: 'PP' }] },
      actor: 'api-key:ops',
      activate: true,
    });
    expect(result).toEqual({
      outcome: 'invalid',
      errors: [
        {
          path: 'paymentGateways[0].paymentMethod',
          message: 'cin7 has no paymentMethod to set (it writes: shipMethod, shippingItem, taxCode, location)',
        },
      ],
    });
    expect(await get.list(TEST_SHOP, 10)).toMatchObject({ outcome: 'found', total: 3, activeVersion: 3 });
  });

  it('activates a draft, rolls back to an older version, and keeps the history', async () => {
    expect(await activate.execute({ shop: TEST_SHOP, version: 2, actor: 'api-key:ops' })).toMatchObject({
      outcome: 'activated',
      version: { version: 2 },
    });
    expect((await reader.forOrders(TEST_SHOP)).mapping.config).toEqual(withShipping('FEDEX'));
    expect(await activate.execute({ shop: TEST_SHOP, version: 1, actor: 'api-key:lead' })).toMatchObject({
      outcome: 'activated',
    });
    const active = await reader.active(TEST_SHOP);
    expect(active).toMatchObject({ version: 1, activatedBy: 'api-key:lead', createdBy: BOOTSTRAP_ACTOR });
    expect(await activate.execute({ shop: TEST_SHOP, version: 99, actor: 'x' })).toEqual({ outcome: 'not_found' });
    const history: Array<{ version: number; activated_by: string }> = await dataSource.query(
      'SELECT version, activated_by FROM mapping_activation WHERE shop = $1 ORDER BY id',
      [TEST_SHOP],
    );
    expect(history).toEqual([
      { version: 1, activated_by: BOOTSTRAP_ACTOR },
      { version: 3, activated_by: 'api-key:lead' },
      { version: 2, activated_by: 'api-key:ops' },
      { version: 1, activated_by: 'api-key:lead' },
    ]);
  });

  it('rolls back only to a version that has been active: by default the one before the current', async () => {
    // Activations so far: 1, 3, 2, 1.
    expect(await rollBack.execute({ shop: TEST_SHOP, actor: 'api-key:night' })).toMatchObject({
      outcome: 'rolled_back',
      version: { version: 2 },
      from: 1,
    });
    expect((await reader.forOrders(TEST_SHOP)).mapping.version).toBe(2);
    expect(await rollBack.execute({ shop: TEST_SHOP, version: 3, actor: 'api-key:night' })).toMatchObject({
      outcome: 'rolled_back',
      version: { version: 3 },
      from: 2,
    });
    // Already active: no new activation.
    expect(await rollBack.execute({ shop: TEST_SHOP, version: 3, actor: 'api-key:night' })).toMatchObject({
      outcome: 'rolled_back',
      from: 3,
    });
    const draft = await save.execute({ shop: TEST_SHOP, config: withShipping('DRAFT'), actor: 'a', activate: false });
    const draftVersion = draft.outcome === 'saved' ? draft.version.version : -1;
    expect(await rollBack.execute({ shop: TEST_SHOP, version: draftVersion, actor: 'x' })).toEqual({
      outcome: 'never_active',
      version: draftVersion,
    });
    expect(await rollBack.execute({ shop: TEST_SHOP, version: 99, actor: 'x' })).toEqual({ outcome: 'not_found' });
    expect(await rollBack.execute({ shop: 'other.myshopify.com', actor: 'x' })).toEqual({ outcome: 'unknown_shop' });
    const history: Array<{ version: number; activated_by: string }> = await dataSource.query(
      'SELECT version, activated_by FROM mapping_activation WHERE shop = $1 ORDER BY id',
      [TEST_SHOP],
    );
    expect(history.slice(4)).toEqual([
      { version: 2, activated_by: 'api-key:night' },
      { version: 3, activated_by: 'api-key:night' },
    ]);
    expect((await reader.forOrders(TEST_SHOP)).mapping.version).toBe(3);
  });

  it('numbers concurrent saves without gaps or duplicates', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        save.execute({ shop: TEST_SHOP, config: withShipping(`M${i}`), actor: 'api-key:ops', activate: false }),
      ),
    );
    const numbers = results.map((r) => (r.outcome === 'saved' ? r.version.version : -1)).sort((a, b) => a - b);
    expect(numbers).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const page = await get.list(TEST_SHOP, 3, 6);
    expect(page.outcome === 'found' && page.versions.map((v) => v.version)).toEqual([5, 4, 3]);
  });

  it('knows only configured shops', async () => {
    expect(
      await save.execute({ shop: 'other.myshopify.com', config: emptyMappingConfig(), actor: 'x', activate: true }),
    ).toEqual({
      outcome: 'unknown_shop',
    });
    expect(await get.version('other.myshopify.com')).toEqual({ outcome: 'unknown_shop' });
  });

  it('keeps the source-of-truth policy per shop over the defaults, with who changed it', async () => {
    expect(await ownership.owner(TEST_SHOP, 'inventory', 'quantity')).toBe('erp');
    const changed = await ownership.change({
      shop: TEST_SHOP,
      rules: [{ entity: 'inventory', field: 'quantity', owner: 'shopify' }],
      actor: 'api-key:ops',
    });
    expect(changed).toMatchObject({ outcome: 'changed', policy: { updatedBy: 'api-key:ops' } });
    expect(await ownership.owner(TEST_SHOP, 'inventory', 'quantity')).toBe('shopify');
    expect(await ownership.owner(TEST_SHOP, 'product', 'price')).toBe('erp');
    expect((await reader.forOrders(TEST_SHOP)).orderOwner).toBe('shopify');
    await ownership.change({ shop: TEST_SHOP, rules: [{ entity: 'order', field: 'order', owner: 'erp' }], actor: 'b' });
    expect((await reader.forOrders(TEST_SHOP)).orderOwner).toBe('erp');
    await ownership.change({
      shop: TEST_SHOP,
      rules: [{ entity: 'product', field: 'price', owner: 'shopify' }],
      actor: 'b',
    });
    expect(await ownership.owner(TEST_SHOP, 'inventory', 'quantity')).toBe('shopify');
    expect(
      await ownership.change({
        shop: TEST_SHOP,
        rules: [{ entity: 'product', field: 'images', owner: 'erp' }],
        actor: 'b',
      }),
    ).toEqual({
      outcome: 'invalid',
      errors: [{ path: 'rules[0].owner', message: 'product.images can only be owned by shopify' }],
    });
  });
});
