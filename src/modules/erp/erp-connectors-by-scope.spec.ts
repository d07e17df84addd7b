import { scopedConfig } from 'src/modules/erp/erp-connectors-by-scope';
import { testConfig } from 'test/support/test-config';

const netsuite = testConfig('unused', 0, {
  ERP_CONNECTOR: 'netsuite',
  NETSUITE_ACCOUNT_ID: '1234567',
  NETSUITE_AUTH: 'tba',
  NETSUITE_CONSUMER_KEY: 'ck',
  NETSUITE_CONSUMER_SECRET: 'cs',
  NETSUITE_TOKEN_ID: 'ti',
  NETSUITE_TOKEN_SECRET: 'ts',
  NETSUITE_SUBSIDIARY_ID: '1',
}).erp;
const COMPANY = 'f1b5c1a2-0000-4000-8000-000000000001';
const OTHER_COMPANY = 'F1B5C1A2-0000-4000-8000-000000000002';
const bc = testConfig('unused', 0, {
  ERP_CONNECTOR: 'business-central',
  BC_TENANT_ID: 't',
  BC_ENVIRONMENT: 'Production',
  BC_COMPANY_ID: COMPANY,
  BC_CLIENT_ID: 'c',
  BC_CLIENT_SECRET: 's',
  BC_SHIPPING_ACCOUNT_NO: '8100',
}).erp;

describe(scopedConfig.name, () => {
  it('NetSuite: the configured subsidiary is the configured connector; another gets its own, with its location', () => {
    expect(scopedConfig(netsuite, { netsuiteSubsidiaryId: '1' })).toBeUndefined();
    const other = scopedConfig(netsuite, { netsuiteSubsidiaryId: '2', netsuiteLocationId: '7' });
    expect(other?.key).toBe('2|7');
    // Items and customers are account-wide in NetSuite: the cross-references are shared.
    expect(other?.namespace).toBe('netsuite');
    expect(other?.config).toMatchObject({ connector: 'netsuite', netsuite: { subsidiaryId: '2', locationId: '7' } });
  });

  it('Business Central: another company has its own cross-references (ids differ per company)', () => {
    expect(scopedConfig(bc, {})).toBeUndefined();
    expect(scopedConfig(bc, { businessCentralCompanyId: COMPANY.toUpperCase() })).toBeUndefined();
    const other = scopedConfig(bc, { businessCentralCompanyId: OTHER_COMPANY });
    expect(other?.namespace).toBe(`business-central:${OTHER_COMPANY.toLowerCase()}`);
    expect(other?.config).toMatchObject({ businessCentral: { companyId: OTHER_COMPANY } });
  });
});
