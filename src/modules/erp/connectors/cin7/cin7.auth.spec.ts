import { cin7AuthHeaders } from 'src/modules/erp/connectors/cin7/cin7.auth';

describe(cin7AuthHeaders.name, () => {
  it('sends the account id and the application key in Cin7 header names', () => {
    expect(cin7AuthHeaders({ accountId: 'acc', applicationKey: 'key' })).toEqual({
      'api-auth-accountid': 'acc',
      'api-auth-applicationkey': 'key',
    });
  });
});
