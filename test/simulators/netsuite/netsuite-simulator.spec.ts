import { signTbaRequest } from 'src/modules/erp/connectors/netsuite/netsuite.auth';
import { checkTbaSignature, rfc5849Encode } from 'test/simulators/netsuite/netsuite-sim-auth';
import { runSuiteQl, SuiteQlError, type SqlCatalog } from 'test/simulators/netsuite/netsuite-suiteql-engine';

const catalog: SqlCatalog = {
  item: {
    columns: { id: 'id', itemid: 'text', lastmodifieddate: 'timestamp', itemtype: 'text' },
    rows: () => [
      { id: '2', itemid: 'B', lastmodifieddate: Date.UTC(2026, 9, 5, 10), itemtype: 'InvtPart' },
      { id: '1', itemid: "O'K", lastmodifieddate: Date.UTC(2026, 9, 5, 10), itemtype: 'InvtPart' },
      { id: '3', itemid: 'C', lastmodifieddate: Date.UTC(2026, 9, 5, 9), itemtype: 'Discount' },
    ],
  },
  pricing: {
    columns: { item: 'id', pricelevel: 'id', unitprice: 'number' },
    rows: () => [
      { item: '1', pricelevel: '1', unitprice: 5 },
      { item: '1', pricelevel: '2', unitprice: 4 },
    ],
  },
};

describe(runSuiteQl.name, () => {
  it('filters, joins (left), orders uniquely and formats timestamps', () => {
    const rows = runSuiteQl(
      "SELECT item.id, pricing.unitprice AS price, TO_CHAR(item.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS TZH:TZM') AS lm " +
        'FROM item LEFT JOIN pricing ON pricing.item = item.id AND pricing.pricelevel = 1 ' +
        "WHERE item.itemtype = 'InvtPart' AND item.lastmodifieddate >= TO_TIMESTAMP('2026-10-05 10:00:00', 'YYYY-MM-DD HH24:MI:SS') " +
        'ORDER BY item.lastmodifieddate, item.id',
      catalog,
    );
    expect(rows).toEqual([
      { id: '1', price: 5, lm: '2026-10-05 10:00:00 +00:00' },
      { id: '2', lm: '2026-10-05 10:00:00 +00:00' },
    ]);
  });

  it('supports IN, LOWER, IS NOT NULL and quoted quotes; dates without TO_CHAR come as M/D/YYYY', () => {
    expect(
      runSuiteQl(
        "SELECT i.itemid, i.lastmodifieddate FROM item i WHERE LOWER(i.itemid) IN ('o''k', 'c') AND i.id IS NOT NULL ORDER BY i.id",
        catalog,
      ),
    ).toEqual([
      { itemid: "O'K", lastmodifieddate: '10/5/2026' },
      { itemid: 'C', lastmodifieddate: '10/5/2026' },
    ]);
  });

  it.each([
    ['SELECT * FROM item'],
    ['SELECT id FROM nothing'],
    ['SELECT item.nope FROM item'],
    ['SELECT id FROM item WHERE'],
    ['DELETE FROM item'],
    ["SELECT id FROM item WHERE lastmodifieddate >= TO_TIMESTAMP('2026-10-05', 'YYYY-MM-DD')"],
  ])('refuses %s', (sql) => {
    expect(() => runSuiteQl(sql, catalog)).toThrow(SuiteQlError);
  });
});

describe(checkTbaSignature.name, () => {
  const credentials = { consumerKey: 'ck', consumerSecret: 'c s', tokenId: 'tk', tokenSecret: 't&s' };
  const url = 'http://127.0.0.1:4010/services/rest/query/v1/suiteql?limit=5&offset=0';
  const input = (authorization: string) => ({
    method: 'POST',
    baseUrl: 'http://127.0.0.1:4010/services/rest/query/v1/suiteql',
    query: new URL(url).searchParams,
    authorization,
  });
  const expected = (seenNonces = new Set<string>()) => ({
    realm: '123_SB1',
    credentials,
    nowSeconds: 1_790_000_000,
    seenNonces,
  });
  const sign = (creds = credentials, realm = '123_SB1', nonce = 'abc') =>
    signTbaRequest({ kind: 'tba', ...creds }, realm, 'POST', url, { nonce, timestamp: 1_790_000_000 });

  it('accepts the connector signature once (nonces are single-use)', () => {
    const seen = new Set<string>();
    expect(checkTbaSignature(input(sign()), expected(seen))).toBeUndefined();
    expect(checkTbaSignature(input(sign()), expected(seen))).toBe('missing or reused nonce');
  });

  it.each([
    ['wrong consumer secret', () => sign({ ...credentials, consumerSecret: 'x' }), 'signature mismatch'],
    ['wrong token secret', () => sign({ ...credentials, tokenSecret: 'x' }), 'signature mismatch'],
    ['wrong realm', () => sign(credentials, '123-sb1'), 'wrong realm'],
    ['unknown token', () => sign({ ...credentials, tokenId: 'x' }), 'unknown consumer or token'],
  ])('refuses a %s', (_name, header, reason) => {
    expect(checkTbaSignature(input(header()), expected())).toBe(reason);
  });

  it('encodes per RFC 3986', () => {
    expect(rfc5849Encode("a b!*'()~")).toBe('a%20b%21%2A%27%28%29~');
  });
});
