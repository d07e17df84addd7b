import { ConfigError, loadConfig } from 'src/config/load-config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/erp_sync',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  SHOPIFY_SHOP_DOMAIN: 'demo-store.myshopify.com',
  SHOPIFY_WEBHOOK_SECRET: 'super-secret-value-123',
};

/** Admin keys of the 32 characters the schema asks for. */
const KEY_ONE = 'admin-key-one-0123456789abcdef012';
const KEY_TWO = 'admin-key-two-0123456789abcdef012';

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

  describe('SHOPIFY_LOCATION_MAP', () => {
    const gid = (id: number): string => `gid://shopify/Location/${id}`;

    it('accepts any ERP location key: Cin7 names with spaces, unicode and slashes', () => {
      const config = loadConfig({
        ...valid,
        SHOPIFY_LOCATION_MAP: `Main Warehouse:${gid(1)}, Entrepôt Köln/Süd:${gid(2)},WH-3 :${gid(3)},`,
      });
      expect(config.inventory.locationMap).toEqual([
        { erpLocationId: 'Main Warehouse', shopifyLocationId: gid(1) },
        { erpLocationId: 'Entrepôt Köln/Süd', shopifyLocationId: gid(2) },
        { erpLocationId: 'WH-3', shopifyLocationId: gid(3) },
      ]);
    });

    it('reads \\, \\: and \\\\ inside a key, and splits each entry on its first unescaped colon', () => {
      const config = loadConfig({
        ...valid,
        SHOPIFY_LOCATION_MAP: `Back\\, Room:${gid(2)},Dock\\:2:${gid(3)},C\\:\\\\Stock:${gid(4)}`,
      });
      expect(config.inventory.locationMap).toEqual([
        { erpLocationId: 'Back, Room', shopifyLocationId: gid(2) },
        { erpLocationId: 'Dock:2', shopifyLocationId: gid(3) },
        { erpLocationId: 'C:\\Stock', shopifyLocationId: gid(4) },
      ]);
    });

    it.each([
      ['no colon', `WH1:${gid(1)},Main Warehouse`, 2, /has no ':'/],
      ['an escaped colon only', `WH1:${gid(1)},Dock\\:2`, 2, /has no ':'/],
      ['another separator', `Main Warehouse=${gid(1)}`, 1, /Shopify location GID/],
      [
        'not a Shopify location GID',
        `WH1:${gid(1)},WH2:${gid(2)},WH3:gid://shopify/Product/3`,
        3,
        /Shopify location GID/,
      ],
      ['an empty key', `:${gid(1)}`, 1, /empty ERP location/],
      ['an unknown escape', `Back\\ Room:${gid(1)}`, 1, /backslash/],
    ])(
      'stops the app on an entry with %s, naming the variable and the entry number in one line',
      (_case, map, entry, why) => {
        const error = errorOf({ ...valid, SHOPIFY_LOCATION_MAP: map });
        expect(error.message).toContain(`SHOPIFY_LOCATION_MAP entry ${entry} `);
        expect(error.message).toMatch(why);
        expect(error.message.split('\n')).toHaveLength(1);
      },
    );
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
      ADMIN_API_KEYS: `${KEY_ONE}, ${KEY_TWO} ,`,
      SHOPIFY_WEBHOOK_SECRET_PREVIOUS: 'the-old-secret-value',
      APP_ROLE: 'worker',
    });
    expect(config.port).toBe(8080);
    expect(config.erp.maxConcurrency).toBe(5);
    expect(config.erp.maxRps).toBe(20);
    expect(config.admin.apiKeys).toEqual([KEY_ONE, KEY_TWO]);
    expect(config.shopify.webhookSecrets).toEqual(['super-secret-value-123', 'the-old-secret-value']);
    expect(config.role).toBe('worker');
  });

  it('cuts slow HTTP clients off within 10 s by default, and takes other timeouts and the accept lanes from HTTP_*', () => {
    expect(loadConfig(valid).http).toEqual({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 9_000,
      keepAliveTimeoutMs: 65_000,
      timeoutCheckIntervalMs: 1_000,
      acceptLanes: 16,
    });
    const config = loadConfig({
      ...valid,
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '30000',
      HTTP_TIMEOUT_CHECK_INTERVAL_MS: '250',
      HTTP_ACCEPT_LANES: '1',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 4_000,
      keepAliveTimeoutMs: 30_000,
      timeoutCheckIntervalMs: 250,
      acceptLanes: 1,
    });
    // 0 would switch a timeout off; headers cannot take longer than the whole request.
    const error = errorOf({
      ...valid,
      HTTP_REQUEST_TIMEOUT_MS: '0',
      HTTP_HEADERS_TIMEOUT_MS: '20000',
      HTTP_ACCEPT_LANES: '0',
    });
    expect(error.message).toContain('HTTP_REQUEST_TIMEOUT_MS');
    expect(error.message).toContain('HTTP_ACCEPT_LANES');
    expect(error.message).toContain('HTTP_HEADERS_TIMEOUT_MS must not be greater than HTTP_REQUEST_TIMEOUT_MS');
  });

  it('stops on an admin key shorter than 32 characters, naming the variable and the key, never its value', () => {
    const short = 'admin-key-0123456789abcdef';
    const error = errorOf({ ...valid, ADMIN_API_KEYS: `${KEY_ONE},${short}` });
    expect(error.message).toBe(
      'Invalid configuration: ADMIN_API_KEYS must hold keys of at least 32 characters each (key 2 is shorter)',
    );
    expect(error.message).not.toContain(KEY_ONE);
    expect(loadConfig({ ...valid, ADMIN_API_KEYS: 'x'.repeat(32) }).admin.apiKeys).toEqual(['x'.repeat(32)]);
  });

  it('serves /metrics on PORT, open, unless METRICS_PORT or a 32-character METRICS_API_KEY says otherwise', () => {
    expect(loadConfig(valid).metrics).toEqual({ port: undefined, apiKey: undefined });
    expect(loadConfig({ ...valid, METRICS_PORT: '9464', METRICS_API_KEY: KEY_ONE }).metrics).toEqual({
      port: 9464,
      apiKey: KEY_ONE,
    });
    const error = errorOf({ ...valid, PORT: '9464', METRICS_PORT: '9464', METRICS_API_KEY: 'short-metrics-key' });
    expect(error.message).toContain('METRICS_PORT must differ from PORT');
    expect(error.message).toContain('METRICS_API_KEY');
    expect(error.message).not.toContain('short-metrics-key');
  });

  it('sends no alert without ALERT_WEBHOOK_URL, and needs a 32-character secret with it (never shown)', () => {
    expect(loadConfig(valid).alerts).toEqual({
      webhook: undefined,
      deadLetters: { threshold: 10, windowMs: 900_000 },
      erpCircuitOpenMs: 300_000,
      orderLagMs: 900_000,
      erpFeedLagMs: 3_600_000,
      reconciliationWindowMs: 3_600_000,
      checkIntervalMs: 30_000,
      email: undefined,
    });
    const url = 'https://alerts.example.com/hook';
    expect(loadConfig({ ...valid, ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: KEY_ONE }).alerts.webhook).toEqual({
      url,
      secret: KEY_ONE,
    });
    expect(errorOf({ ...valid, ALERT_WEBHOOK_URL: url }).message).toContain('ALERT_WEBHOOK_SECRET');
    const error = errorOf({ ...valid, ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: 'short-alert-secret' });
    expect(error.message).toContain('ALERT_WEBHOOK_SECRET');
    expect(error.message).not.toContain('short-alert-secret');
  });

  it('e-mails alerts only with an SMTP URL, a sender and recipients, and never shows the SMTP credentials', () => {
    const smtp = 'smtp://alerts:smtp-password-123@mail.example.com:587';
    const config = loadConfig({
      ...valid,
      ALERT_SMTP_URL: smtp,
      ALERT_EMAIL_FROM: 'ERP sync <alerts@example.com>',
      ALERT_EMAIL_TO: 'ops@example.com, finance@example.com',
    });
    expect(config.alerts.email).toEqual({
      smtpUrl: smtp,
      from: 'ERP sync <alerts@example.com>',
      to: ['ops@example.com', 'finance@example.com'],
    });
    expect(errorOf({ ...valid, ALERT_SMTP_URL: smtp }).message).toMatch(/ALERT_EMAIL_FROM is missing.*ALERT_EMAIL_TO/);
    const bad = errorOf({ ...valid, ALERT_SMTP_URL: 'https://alerts:smtp-password-123@mail.example.com' });
    expect(bad.message).toContain('ALERT_SMTP_URL');
    expect(bad.message).not.toContain('smtp-password-123');
    const to = errorOf({ ...valid, ALERT_SMTP_URL: smtp, ALERT_EMAIL_FROM: 'a@example.com', ALERT_EMAIL_TO: 'ops' });
    expect(to.message).toContain('ALERT_EMAIL_TO must be one or more e-mail addresses');
  });

  it('probes a paused ERP every 5 s and takes pushes within 5 minutes, unless told otherwise', () => {
    expect(loadConfig(valid).erp).toMatchObject({ probeIntervalMs: 5_000, push: { replayWindowMs: 300_000 } });
    const config = loadConfig({ ...valid, ERP_PROBE_INTERVAL_SECONDS: '1', ERP_PUSH_REPLAY_WINDOW_SECONDS: '60' });
    expect(config.erp).toMatchObject({ probeIntervalMs: 1_000, push: { replayWindowMs: 60_000 } });
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

  describe('ERP connector sections', () => {
    const netsuite = { ERP_CONNECTOR: 'netsuite', NETSUITE_ACCOUNT_ID: '1234567_SB1' };
    const m2m = {
      ...netsuite,
      NETSUITE_CLIENT_ID: 'client-id',
      NETSUITE_CERTIFICATE_ID: 'cert-id',
      NETSUITE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----',
    };
    const cin7 = {
      ERP_CONNECTOR: 'cin7',
      CIN7_ACCOUNT_ID: 'acc',
      CIN7_APPLICATION_KEY: 'cin7-very-secret-key',
      CIN7_LOCATION: 'Main Warehouse',
      CIN7_TAX_RULE: 'Tax on Sales',
      CIN7_PAYMENT_TERM: '30 days',
      CIN7_ACCOUNT_RECEIVABLE: '610',
      CIN7_REVENUE_ACCOUNT: '200',
    };

    it('builds the NetSuite section: OAuth 2.0 M2M by default, the PEM with real newlines, currency pairs parsed', () => {
      const { erp } = loadConfig({
        ...valid,
        ...m2m,
        NETSUITE_CURRENCY_IDS: 'EUR=1,USD=22',
        NETSUITE_JWT_ALGORITHM: 'ES256',
      });
      expect(erp.connector).toBe('netsuite');
      expect(erp).toMatchObject({
        netsuite: {
          accountId: '1234567_SB1',
          auth: {
            kind: 'oauth2-m2m',
            clientId: 'client-id',
            certificateId: 'cert-id',
            privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
            algorithm: 'ES256',
          },
          currencyIds: { EUR: '1', USD: '22' },
        },
      });
      expect(erp).not.toHaveProperty('sandbox');
      expect(erp).not.toHaveProperty('cin7');
    });

    it('builds NetSuite TBA credentials only when NETSUITE_AUTH=tba', () => {
      const { erp } = loadConfig({
        ...valid,
        ...netsuite,
        NETSUITE_AUTH: 'tba',
        NETSUITE_CONSUMER_KEY: 'ck',
        NETSUITE_CONSUMER_SECRET: 'cs-very-secret',
        NETSUITE_TOKEN_ID: 'tk',
        NETSUITE_TOKEN_SECRET: 'ts-very-secret',
      });
      expect(erp).toMatchObject({
        netsuite: {
          auth: {
            kind: 'tba',
            consumerKey: 'ck',
            consumerSecret: 'cs-very-secret',
            tokenId: 'tk',
            tokenSecret: 'ts-very-secret',
          },
        },
      });
    });

    it('builds the Business Central section, and the sandbox one by default', () => {
      const { erp } = loadConfig({
        ...valid,
        ERP_CONNECTOR: 'business-central',
        BC_TENANT_ID: 't',
        BC_ENVIRONMENT: 'Production',
        BC_COMPANY_ID: 'c',
        BC_CLIENT_ID: 'id',
        BC_CLIENT_SECRET: 'bc-very-secret',
        BC_SHIPPING_ACCOUNT_NO: '6110',
        BC_REFUND_ACCOUNT_NO: '6120',
      });
      expect(erp).toMatchObject({
        connector: 'business-central',
        businessCentral: {
          tenantId: 't',
          environment: 'Production',
          shippingAccountNumber: '6110',
          refundAccountNumber: '6120',
        },
      });
      expect(loadConfig(valid).erp).toMatchObject({ connector: 'sandbox', sandbox: { url: 'http://127.0.0.1:4010' } });
    });

    it('builds the Cin7 section with its document statuses', () => {
      const { erp } = loadConfig({ ...valid, ...cin7, CIN7_ORDER_STATUS: 'DRAFT' });
      expect(erp).toMatchObject({
        connector: 'cin7',
        cin7: {
          location: 'Main Warehouse',
          taxRule: 'Tax on Sales',
          orderStatus: 'DRAFT',
          creditNoteStatus: undefined,
        },
      });
    });

    it('names every malformed vendor option in one line, without a secret value', () => {
      const error = errorOf({
        ...valid,
        ...m2m,
        NETSUITE_CURRENCY_IDS: 'EUR:1',
        NETSUITE_JWT_ALGORITHM: 'HS256',
        NETSUITE_AUTH: 'password',
        NETSUITE_PRIVATE_KEY: 'pem-very-secret',
      });
      for (const name of ['NETSUITE_CURRENCY_IDS', 'NETSUITE_JWT_ALGORITHM', 'NETSUITE_AUTH']) {
        expect(error.message).toContain(name);
      }
      expect(error.message.split('\n')).toHaveLength(1);
      expect(error.message).not.toContain('pem-very-secret');
      const cin7Error = errorOf({ ...valid, ...cin7, CIN7_ORDER_STATUS: 'APPROVED', CIN7_CREDIT_NOTE_STATUS: 'draft' });
      expect(cin7Error.message).toContain('CIN7_ORDER_STATUS');
      expect(cin7Error.message).toContain('CIN7_CREDIT_NOTE_STATUS');
      expect(cin7Error.message).not.toContain('cin7-very-secret-key');
    });
  });

  it('requires the connector credentials of the chosen ERP', () => {
    const error = errorOf({ ...valid, ERP_CONNECTOR: 'netsuite' });
    expect(error.message).toContain('NETSUITE_ACCOUNT_ID');
    expect(() => loadConfig({ ...valid, ERP_CONNECTOR: 'oracle' })).toThrow(/ERP_CONNECTOR/);
  });
});
