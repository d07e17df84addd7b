import { randomBytes } from 'node:crypto';
import type { AppConfig } from 'src/config/app-config';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { BootstrapShops } from 'src/modules/shops/application/bootstrap-shops.service';
import { RotateSecretsEncryptionKey } from 'src/modules/shops/application/rotate-secrets-encryption-key.use-case';
import { ShopDirectory } from 'src/modules/shops/application/shop-directory';
import { secretContext } from 'src/modules/shops/domain/resolve-shop';
import { SecretCipher, encryptionKeyId } from 'src/modules/shops/domain/secret-cipher';
import { ShopRepository } from 'src/modules/shops/persistence/shop.repository';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { TEST_SECRET, TEST_SHOP, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const { database: DB } = INTEGRATION_RESOURCES.shops;
const SECOND = 'second-store.myshopify.com';

/** One process's shops module, built by hand on a DataSource of its own. */
function shopsOf(dataSource: DataSource, config: AppConfig) {
  const repository = new ShopRepository(dataSource);
  const cipher = new SecretCipher({
    current: config.secrets.encryptionKey,
    previous: config.secrets.previousEncryptionKey,
  });
  const directory = new ShopDirectory(config, repository, cipher);
  const rotation = new RotateSecretsEncryptionKey(repository, cipher, directory);
  const bootstrap = new BootstrapShops(repository, directory, rotation);
  return { repository, cipher, directory, rotation, bootstrap };
}

describe('shops (real PostgreSQL)', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  let dataSource: DataSource;
  let base: AppConfig;
  const started: ShopDirectory[] = [];

  const start = async (config: AppConfig) => {
    const shops = shopsOf(dataSource, config);
    await shops.bootstrap.onModuleInit();
    started.push(shops.directory);
    return shops;
  };

  beforeAll(async () => {
    base = testConfig(DB, 0, {
      ERP_CONNECTOR: 'netsuite',
      NETSUITE_ACCOUNT_ID: '1234567',
      NETSUITE_AUTH: 'tba',
      NETSUITE_CONSUMER_KEY: 'ck',
      NETSUITE_CONSUMER_SECRET: 'cs',
      NETSUITE_TOKEN_ID: 'ti',
      NETSUITE_TOKEN_SECRET: 'ts',
      NETSUITE_SUBSIDIARY_ID: '1',
      SECRETS_ENCRYPTION_KEY: keyA.toString('base64'),
    });
    await ensureDatabase(base.database.url, { reset: true });
    await runMigrationsLocked(base.database.url);
    dataSource = createDataSource(base.database.url);
    await dataSource.initialize();
  });

  afterAll(async () => {
    for (const directory of started) {
      directory.onModuleDestroy();
    }
    await dataSource?.destroy();
  });

  it('bootstraps the environment shop once; a restart changes nothing, and what the API set survives', async () => {
    const first = await start(base);
    const shop = first.directory.get(TEST_SHOP);
    expect(shop?.bootstrap).toBe(true);
    expect(shop?.webhookSecrets.map((s) => s.reveal())).toEqual([TEST_SECRET]);
    expect(shop?.erpScope).toEqual({ netsuiteSubsidiaryId: '1' });
    // Nothing of the environment's is stored: only the row.
    const row = await first.repository.find(TEST_SHOP);
    expect(row).toMatchObject({ enabled: true, webhookSecret: null, netsuiteSubsidiaryId: null });

    // The API changes the shop: subsidiary 7, a stored secret.
    const sealed = first.cipher.encrypt('shpss_stored_secret', secretContext(TEST_SHOP, 'webhookSecret'));
    await first.repository.update(TEST_SHOP, { netsuiteSubsidiaryId: '7', webhookSecret: sealed });

    // A restart with other environment values (and two replicas starting together) keeps the API's values.
    const restarted = {
      ...base,
      erp: { ...base.erp, netsuite: { ...(base.erp as { netsuite: object }).netsuite, subsidiaryId: '9' } },
    } as AppConfig;
    await Promise.all([start(restarted), start(restarted)]);
    expect(await first.repository.list()).toHaveLength(1);
    const again = await start(restarted);
    const after = again.directory.get(TEST_SHOP);
    expect(after?.erpScope.netsuiteSubsidiaryId).toBe('7');
    expect(after?.webhookSecrets.map((s) => s.reveal())).toEqual(['shpss_stored_secret']);
  });

  it('sees a shop another process added within the refresh interval, and at once through find()', async () => {
    const here = await start(base);
    const elsewhere = shopsOf(dataSource, base);
    await elsewhere.repository.insert(SECOND, {
      netsuiteSubsidiaryId: '2',
      webhookSecret: elsewhere.cipher.encrypt('shpss_second', secretContext(SECOND, 'webhookSecret')),
    });
    expect(here.directory.get(SECOND)).toBeUndefined();
    const found = await here.directory.find(SECOND);
    expect(found?.bootstrap).toBe(false);
    expect(found?.erpScope).toEqual({ netsuiteSubsidiaryId: '2' });
    expect(found?.webhookSecrets.map((s) => s.reveal())).toEqual(['shpss_second']);
    // A shop of its own has no environment fallback: its unset scope stays unset.
    expect(found?.adminApiUrl).toBe(`https://${SECOND}/admin/api/2026-10/graphql.json`);
    expect(here.directory.get(SECOND)).toBeDefined();
  });

  it('a restart with a new key re-encrypts every stored secret once, and the previous key can then go', async () => {
    const rotated = testConfig(DB, 0, {
      SECRETS_ENCRYPTION_KEY: keyB.toString('hex'),
      SECRETS_ENCRYPTION_KEY_PREVIOUS: keyA.toString('base64'),
    });
    const before = await dataSource.query<Array<{ s: string }>>(
      'SELECT webhook_secret AS s FROM shops WHERE webhook_secret IS NOT NULL',
    );
    expect(before.map((r) => r.s.split('.')[1])).toEqual([encryptionKeyId(keyA), encryptionKeyId(keyA)]);
    const shops = await start(rotated);
    const after = await dataSource.query<Array<{ s: string }>>(
      'SELECT webhook_secret AS s FROM shops WHERE webhook_secret IS NOT NULL',
    );
    expect(after.map((r) => r.s.split('.')[1])).toEqual([encryptionKeyId(keyB), encryptionKeyId(keyB)]);
    expect(shops.directory.get(SECOND)?.webhookSecrets[0]?.reveal()).toBe('shpss_second');
    await expect(shops.rotation.execute()).resolves.toEqual({
      outcome: 'rotated',
      keyId: encryptionKeyId(keyB),
      reEncrypted: 0,
      alreadyCurrent: 2,
    });
    // The new key alone opens everything now.
    const alone = await start(testConfig(DB, 0, { SECRETS_ENCRYPTION_KEY: keyB.toString('base64') }));
    expect(alone.directory.get(SECOND)?.webhookSecrets[0]?.reveal()).toBe('shpss_second');
  });

  it('refuses to start when a stored secret does not open, naming the shop and field but no secret', async () => {
    const wrong = testConfig(DB, 0, { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const shops = shopsOf(dataSource, wrong);
    const failure = shops.bootstrap.onModuleInit().then(
      () => 'started',
      (error: unknown) => String(error),
    );
    const message = await failure;
    expect(message).toMatch(/shop (second-store|test-store)\.myshopify\.com: stored webhookSecret sealed with key id/);
    expect(message).not.toContain('shpss_');
    // No key at all: the same refusal, not a silent start without the stored secrets.
    const none = shopsOf(dataSource, testConfig(DB, 0));
    await expect(none.bootstrap.onModuleInit()).rejects.toThrow(/cannot be decrypted/);
  });
});
