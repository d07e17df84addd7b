import { orderReleaseSettings } from 'src/modules/shops/domain/resolve-shop';
import { validateShopSettings, type ShopSettings } from 'src/modules/shops/domain/shop-settings';
import type { ShopRow } from 'src/modules/shops/domain/shop.types';

const SECRET = 'shpss_a_very_secret_value';
const newShop = { bootstrap: false, connector: 'netsuite' as const, canStoreSecrets: true };

function stored(overrides: Partial<ShopRow> = {}): ShopRow {
  return {
    domain: 'b.myshopify.com',
    enabled: true,
    currency: null,
    netsuiteSubsidiaryId: null,
    netsuiteLocationId: null,
    businessCentralCompanyId: null,
    cin7Location: null,
    adminApiUrl: null,
    webhookSecret: 'v1.sealed',
    webhookSecretPrevious: null,
    adminAccessToken: null,
    orderTrigger: null,
    holdHighRiskOrders: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe(validateShopSettings.name, () => {
  it('accepts a complete shop', () => {
    const settings: ShopSettings = {
      currency: 'EUR',
      erpScope: { netsuiteSubsidiaryId: '2', netsuiteLocationId: '5' },
      webhookSecret: SECRET,
      adminApiUrl: 'http://127.0.0.1:4010/admin/api/2026-10/graphql.json',
    };
    expect(validateShopSettings(settings, newShop)).toEqual([]);
  });

  it('names every bad field and the rule, never a value', () => {
    const errors = validateShopSettings(
      {
        currency: 'eur',
        erpScope: { netsuiteSubsidiaryId: 'two', businessCentralCompanyId: 'not-a-guid', cin7Location: '' },
        adminApiUrl: 'ftp://x',
        webhookSecret: 'short',
        adminAccessToken: 'x'.repeat(2000),
      },
      newShop,
    );
    expect(errors.map((e) => e.field)).toEqual([
      'currency',
      'erpScope.netsuiteSubsidiaryId',
      'erpScope.businessCentralCompanyId',
      'erpScope.cin7Location',
      'adminApiUrl',
      'webhookSecret',
      'adminAccessToken',
    ]);
    expect(JSON.stringify(errors)).not.toMatch(/short|xxxx|two|not-a-guid|ftp/);
  });

  it("requires the scope the connector addresses, for a shop of its own (the bootstrap shop has the environment's)", () => {
    const bc = { ...newShop, connector: 'business-central' as const };
    expect(validateShopSettings({ webhookSecret: SECRET }, bc)).toEqual([
      { field: 'erpScope.businessCentralCompanyId', message: 'is required with ERP_CONNECTOR=business-central' },
    ]);
    expect(validateShopSettings({}, { ...bc, bootstrap: true })).toEqual([]);
    const cin7 = { ...newShop, connector: 'cin7' as const, existing: stored({ cin7Location: 'Main' }) };
    expect(validateShopSettings({ enabled: false }, cin7)).toEqual([]);
    expect(validateShopSettings({ erpScope: { cin7Location: null } }, cin7)).toEqual([
      { field: 'erpScope.cin7Location', message: 'is required with ERP_CONNECTOR=cin7' },
    ]);
  });

  it('refuses to store a secret without SECRETS_ENCRYPTION_KEY, saying so on the field', () => {
    expect(validateShopSettings({ webhookSecret: SECRET }, { ...newShop, canStoreSecrets: false })).toEqual([
      { field: 'webhookSecret', message: 'cannot be stored: SECRETS_ENCRYPTION_KEY is not set on the server' },
    ]);
    // Everything else can still be changed without a key.
    expect(validateShopSettings({ currency: 'USD' }, { ...newShop, canStoreSecrets: false })).toEqual([]);
  });

  it('keeps the webhook secrets a pair: no previous without a current one', () => {
    const context = { ...newShop, existing: stored() };
    expect(validateShopSettings({ webhookSecretPrevious: SECRET }, context)).toEqual([]);
    expect(
      validateShopSettings({ webhookSecret: null, webhookSecretPrevious: SECRET }, context).map((e) => e.field),
    ).toEqual(['webhookSecretPrevious', 'webhookSecret']);
  });
});

describe('order trigger and high-risk hold settings', () => {
  it('refuses an unknown trigger, naming the accepted ones', () => {
    const settings = { orderTrigger: 'shipped' } as unknown as ShopSettings;
    expect(validateShopSettings(settings, newShop)).toContainEqual({
      field: 'orderTrigger',
      message: 'must be one of created, paid, fulfilled',
    });
    expect(validateShopSettings({ orderTrigger: 'paid', holdHighRiskOrders: true }, newShop)).not.toContainEqual(
      expect.objectContaining({ field: 'orderTrigger' }),
    );
  });

  it("takes the stored value, else the environment's for the bootstrap shop, else created without a hold", () => {
    const env = { domain: 'a.myshopify.com', orderTrigger: 'fulfilled' as const, holdHighRiskOrders: true };
    expect(orderReleaseSettings({ domain: env.domain, orderTrigger: null, holdHighRiskOrders: null }, env)).toEqual({
      orderTrigger: 'fulfilled',
      holdHighRiskOrders: true,
    });
    expect(orderReleaseSettings({ domain: env.domain, orderTrigger: 'paid', holdHighRiskOrders: false }, env)).toEqual({
      orderTrigger: 'paid',
      holdHighRiskOrders: false,
    });
    expect(
      orderReleaseSettings({ domain: 'b.myshopify.com', orderTrigger: null, holdHighRiskOrders: null }, env),
    ).toEqual({
      orderTrigger: 'created',
      holdHighRiskOrders: false,
    });
  });
});
