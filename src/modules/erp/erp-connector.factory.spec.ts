import { loadConfig } from 'src/config/load-config';
import { BusinessCentralConnector } from 'src/modules/erp/connectors/business-central/business-central.connector';
import { Cin7Connector } from 'src/modules/erp/connectors/cin7/cin7.connector';
import { NetsuiteConnector } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import {
  createErpConnector,
  defaultLimitsFor,
  DISCOVERY_CAP,
  gateConcurrencyFor,
} from 'src/modules/erp/erp-connector.factory';
import { directErpContext } from 'test/support/direct-erp-context';

const BASE = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  SHOPIFY_SHOP_DOMAIN: 'shop.myshopify.com',
  SHOPIFY_WEBHOOK_SECRET: 'shpss_factory_test_secret',
};
const VENDORS = {
  sandbox: { ERP_CONNECTOR: 'sandbox' },
  netsuite: {
    ERP_CONNECTOR: 'netsuite',
    NETSUITE_ACCOUNT_ID: '1234567_SB1',
    NETSUITE_AUTH: 'tba',
    NETSUITE_CONSUMER_KEY: 'ck',
    NETSUITE_CONSUMER_SECRET: 'cs-very-secret',
    NETSUITE_TOKEN_ID: 'tk',
    NETSUITE_TOKEN_SECRET: 'ts-very-secret',
  },
  'business-central': {
    ERP_CONNECTOR: 'business-central',
    BC_TENANT_ID: 't',
    BC_ENVIRONMENT: 'production',
    BC_COMPANY_ID: 'c',
    BC_CLIENT_ID: 'id',
    BC_CLIENT_SECRET: 'bc-very-secret',
    BC_SHIPPING_ACCOUNT_NO: '6110',
  },
  cin7: {
    ERP_CONNECTOR: 'cin7',
    CIN7_ACCOUNT_ID: 'acc',
    CIN7_APPLICATION_KEY: 'cin7-very-secret',
    CIN7_LOCATION: 'Main Warehouse',
    CIN7_TAX_RULE: 'GST',
    CIN7_PAYMENT_TERM: '30 days',
    CIN7_ACCOUNT_RECEIVABLE: '610',
    CIN7_REVENUE_ACCOUNT: '200',
  },
} as const;

describe('ERP connector selection', () => {
  it.each([
    ['sandbox', SandboxErpConnector],
    ['netsuite', NetsuiteConnector],
    ['business-central', BusinessCentralConnector],
    ['cin7', Cin7Connector],
  ] as const)('ERP_CONNECTOR=%s builds that connector with its vendor limits', (name, type) => {
    const connector = createErpConnector(loadConfig({ ...BASE, ...VENDORS[name] }).erp, directErpContext());
    expect(connector).toBeInstanceOf(type);
    expect(connector.name).toBe(name);
    expect(defaultLimitsFor(name)).toEqual(connector.defaultLimits);
  });

  it('names every missing variable of the selected connector, and never prints a secret', () => {
    const { CIN7_LOCATION: _location, CIN7_TAX_RULE: _rule, ...partial } = VENDORS.cin7;
    expect(() => loadConfig({ ...BASE, ...partial })).toThrow(
      /CIN7_LOCATION.*CIN7_TAX_RULE|CIN7_TAX_RULE.*CIN7_LOCATION/,
    );
    try {
      loadConfig({ ...BASE, ...partial });
    } catch (error) {
      expect(String(error)).not.toContain('cin7-very-secret');
    }
  });

  it('NetSuite OAuth 2.0 M2M (the default) needs the client id, certificate id and private key', () => {
    expect(() => loadConfig({ ...BASE, ERP_CONNECTOR: 'netsuite', NETSUITE_ACCOUNT_ID: '1234567' })).toThrow(
      /NETSUITE_CLIENT_ID.*NETSUITE_CERTIFICATE_ID.*NETSUITE_PRIVATE_KEY/,
    );
  });

  it("does not require another connector's variables", () => {
    expect(() => loadConfig({ ...BASE, ...VENDORS['business-central'] })).not.toThrow();
  });
});

describe(gateConcurrencyFor.name, () => {
  it('with ERP_MAX_CONCURRENCY set, holds it as a hard cap and starts the learnt limit there', () => {
    expect(gateConcurrencyFor('netsuite', 3)).toEqual({ max: 3, initial: 3 });
    expect(gateConcurrencyFor('cin7', 8)).toEqual({ max: 8, initial: 8 });
  });

  it('unset, starts at the vendor default and may learn up to the discovery cap', () => {
    expect(gateConcurrencyFor('netsuite', undefined)).toEqual({ max: DISCOVERY_CAP, initial: 5 });
    expect(gateConcurrencyFor('cin7', undefined)).toEqual({ max: DISCOVERY_CAP, initial: 2 });
    expect(gateConcurrencyFor('business-central', undefined).initial).toBe(
      defaultLimitsFor('business-central').maxConcurrency,
    );
  });
});
