import { ConfigError, loadConfig } from 'src/config/load-config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/erp_sync',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  SHOPIFY_SHOP_DOMAIN: 'demo-store.myshopify.com',
  SHOPIFY_WEBHOOK_SECRET: 'super-secret-value-123',
};

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('parses the inventory settings (location map, policy, bundles, window, time zone)', () => {
    const config = loadConfig({
      ...valid,
      SHOPIFY_LOCATION_MAP: 'WH1:gid://shopify/Location/11,STORE-2:gid://shopify/Location/12',
      INVENTORY_QUANTITY_POLICY: 'on-hand-minus-shopify-committed',
      INVENTORY_BUNDLE_SKUS: 'KIT-1, KIT-2',
      INVENTORY_RECONCILE_WINDOW: '22:30-02:00',
      SHOP_TIMEZONE: 'Europe/Amsterdam',
    });
    expect(config.inventory).toEqual({
      locationMap: [
        { erpLocationId: 'WH1', shopifyLocationId: 'gid://shopify/Location/11' },
        { erpLocationId: 'STORE-2', shopifyLocationId: 'gid://shopify/Location/12' },
      ],
      quantityPolicy: 'on-hand-minus-shopify-committed',
      bundleSkus: ['KIT-1', 'KIT-2'],
      reconcileWindow: '22:30-02:00',
      shopTimeZone: 'Europe/Amsterdam',
      writeConcurrency: 4,
    });
    expect(loadConfig(valid).inventory).toMatchObject({ locationMap: [], quantityPolicy: 'erp-available' });
  });

  it('names every bad inventory variable in one line', () => {
    const error = errorOf({
      ...valid,
      SHOPIFY_LOCATION_MAP: 'WH1=gid://shopify/Location/1',
      INVENTORY_QUANTITY_POLICY: 'on-hand',
      INVENTORY_RECONCILE_WINDOW: '03:00-03:00',
      SHOP_TIMEZONE: 'Mars/Olympus',
    });
    for (const name of [
      'SHOPIFY_LOCATION_MAP',
      'INVENTORY_QUANTITY_POLICY',
      'INVENTORY_RECONCILE_WINDOW',
      'SHOP_TIMEZONE',
    ]) {
      expect(error.message).toContain(name);
    }
    expect(error.message).not.toContain('\n');
  });

  it('builds the typed config with defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      role: 'all',
      port: 3000,
      erp: { connector: 'sandbox', requestTimeoutMs: 15000, maxConcurrency: undefined },
      shopify: {
        apiVersion: '2026-10',
        adminApiUrl: 'https://demo-store.myshopify.com/admin/api/2026-10/graphql.json',
        webhookSecrets: ['super-secret-value-123'],
      },
      admin: { apiKeys: [] },
    });
  });

  it('parses numbers, lists and the rotation secret', () => {
    const config = loadConfig({
      ...valid,
      PORT: '8080',
      ERP_MAX_CONCURRENCY: '5',
      ERP_MAX_RPS: '20',
      ADMIN_API_KEYS: 'key-one, key-two ,',
      SHOPIFY_WEBHOOK_SECRET_PREVIOUS: 'the-old-secret-value',
      APP_ROLE: 'worker',
    });
    expect(config.port).toBe(8080);
    expect(config.erp.maxConcurrency).toBe(5);
    expect(config.erp.maxRps).toBe(20);
    expect(config.admin.apiKeys).toEqual(['key-one', 'key-two']);
    expect(config.shopify.webhookSecrets).toEqual(['super-secret-value-123', 'the-old-secret-value']);
    expect(config.role).toBe('worker');
  });

  it('names every missing variable in one line', () => {
    const error = errorOf({});
    expect(error.message.split('\n')).toHaveLength(1);
    for (const name of ['DATABASE_URL', 'RABBITMQ_URL', 'REDIS_URL', 'SHOPIFY_SHOP_DOMAIN', 'SHOPIFY_WEBHOOK_SECRET']) {
      expect(error.message).toContain(`${name} is missing`);
    }
  });

  it('names a malformed variable and shows its value when it is not secret', () => {
    const error = errorOf({ ...valid, APP_ROLE: 'everything', PORT: 'eighty' });
    expect(error.message).toContain('APP_ROLE');
    expect(error.message).toContain('"everything"');
    expect(error.message).toContain('PORT');
  });

  it('never prints the value of a secret', () => {
    const error = errorOf({ ...valid, SHOPIFY_WEBHOOK_SECRET: 'short', DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(error.message).toContain('SHOPIFY_WEBHOOK_SECRET');
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('short');
    expect(error.message).not.toContain('hunter2');
  });

  it('requires the connector credentials of the chosen ERP', () => {
    const error = errorOf({ ...valid, ERP_CONNECTOR: 'netsuite' });
    expect(error.message).toContain('NETSUITE_ACCOUNT_ID');
    expect(() => loadConfig({ ...valid, ERP_CONNECTOR: 'oracle' })).toThrow(/ERP_CONNECTOR/);
  });
});
