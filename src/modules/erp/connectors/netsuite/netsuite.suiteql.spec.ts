import { ErrorKind } from 'src/common/errors/app-error';
import {
  customersByEmailQuery,
  fromSuiteQlTimestamp,
  itemChangesQuery,
  itemsBySkuQuery,
  nextSuiteQlCursor,
  planSuiteQlPage,
  suiteQlIdList,
  suiteQlString,
  toSuiteQlTimestamp,
} from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
import { ErpError } from 'src/modules/erp/port/erp-error';

describe('SuiteQL literals', () => {
  it('doubles single quotes and lets only digits into id lists', () => {
    expect(suiteQlString("o'brien@example.com")).toBe("'o''brien@example.com'");
    expect(customersByEmailQuery([" O'Brien@Example.com ", 'ana@example.com', "o'brien@example.com"])).toContain(
      "WHERE LOWER(customer.email) IN ('o''brien@example.com', 'ana@example.com') AND customer.isinactive = 'F'",
    );
    expect(() => customersByEmailQuery([])).toThrow(ErpError);
    expect(itemsBySkuQuery(["A'1", 'B'])).toContain("IN ('A''1', 'B')");
    expect(suiteQlIdList(['1', '2; DROP', '3'])).toBe('1, 3');
    expect(() => suiteQlIdList(['x'])).toThrow(ErpError);
  });
});

describe('SuiteQL timestamps', () => {
  it.each([
    ['2026-10-05T17:09:48.900Z', 'UTC', '2026-10-05 17:09:48'],
    ['2026-10-05T17:09:48Z', 'America/Los_Angeles', '2026-10-05 10:09:48'],
    ['2026-01-05T17:09:48Z', 'Europe/Lisbon', '2026-01-05 17:09:48'],
    ['2026-10-05T17:09:48Z', 'Etc/GMT+12', '2026-10-05 05:09:48'],
  ])('%s in %s is %s', (iso, zone, wall) => {
    expect(toSuiteQlTimestamp(iso, zone)).toBe(wall);
  });

  it.each([
    ['2026-10-05 19:09:48 +02:00', 'UTC', '2026-10-05T17:09:48.000Z'],
    ['2026-10-05 10:09:48 -07:00', 'UTC', '2026-10-05T17:09:48.000Z'],
    ['2026-10-05 10:09:48', 'America/Los_Angeles', '2026-10-05T17:09:48.000Z'],
    ['2026-10-05 17:09:48', 'UTC', '2026-10-05T17:09:48.000Z'],
  ])('reads %s (%s) as %s', (text, zone, iso) => {
    expect(fromSuiteQlTimestamp(text, zone)).toBe(iso);
  });

  it('round-trips through a zone', () => {
    const wall = toSuiteQlTimestamp('2026-03-29T01:30:00Z', 'Europe/Berlin');
    expect(fromSuiteQlTimestamp(wall, 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('rejects what it cannot read', () => {
    expect(fromSuiteQlTimestamp('10/5/2026', 'UTC')).toBeUndefined();
    expect(fromSuiteQlTimestamp(undefined, 'UTC')).toBeUndefined();
    expect(() => toSuiteQlTimestamp('yesterday', 'UTC')).toThrow(ErpError);
  });
});

describe('SuiteQL paging', () => {
  it('clamps the first page to 1..1000 rows', () => {
    expect(planSuiteQlPage({ pageSize: 5_000 })).toEqual({ since: undefined, offset: 0, limit: 1_000 });
    expect(planSuiteQlPage({ pageSize: 0, since: '2026-10-05T00:00:00Z' })).toEqual({
      since: '2026-10-05T00:00:00Z',
      offset: 0,
      limit: 1,
    });
  });

  it('continues at the next offset with the same page size and watermark', () => {
    const page = planSuiteQlPage({ pageSize: 100, since: '2026-10-05T00:00:00Z' });
    const cursor = nextSuiteQlCursor(page, true, '2026-10-05T01:00:00.000Z');
    expect(planSuiteQlPage({ pageSize: 7, cursor })).toEqual({
      since: '2026-10-05T00:00:00Z',
      offset: 100,
      limit: 100,
    });
    expect(nextSuiteQlCursor(page, false, '2026-10-05T01:00:00.000Z')).toBeUndefined();
  });

  it('restarts from the last row before passing the 100,000-row cap', () => {
    const page = { since: '2026-10-05T00:00:00Z', offset: 99_000, limit: 1_000 };
    const cursor = nextSuiteQlCursor(page, true, '2026-10-06T08:00:00.000Z');
    expect(planSuiteQlPage({ pageSize: 1_000, cursor })).toEqual({
      since: '2026-10-06T08:00:00.000Z',
      offset: 0,
      limit: 1_000,
    });
  });

  it('fails rather than loop when the cap is reached within one second', () => {
    const page = { since: '2026-10-05T00:00:00.100Z', offset: 99_000, limit: 1_000 };
    expect(() => nextSuiteQlCursor(page, true, '2026-10-05T00:00:00.900Z')).toThrow(
      expect.objectContaining({ code: 'SUITEQL_ROW_CAP' }),
    );
  });

  it('refuses a cursor it did not make', () => {
    for (const cursor of ['nope', Buffer.from('{"v":1,"o":-1,"l":10}').toString('base64url')]) {
      expect(() => planSuiteQlPage({ pageSize: 10, cursor })).toThrow(
        expect.objectContaining({ kind: ErrorKind.Permanent, code: 'INVALID_CURSOR' }),
      );
    }
  });
});

describe(itemChangesQuery.name, () => {
  it('filters on lastmodifieddate in the session zone and orders uniquely', () => {
    const sql = itemChangesQuery({
      since: '2026-10-05T17:09:48Z',
      timeZone: 'UTC',
      priceLevelId: '1',
      priceCurrencyId: '2',
    });
    expect(sql).toContain("item.lastmodifieddate >= TO_TIMESTAMP('2026-10-05 17:09:48', 'YYYY-MM-DD HH24:MI:SS')");
    expect(sql).toContain('pricing.pricelevel = 1 AND pricing.currency = 2');
    expect(sql).toMatch(/ORDER BY item\.lastmodifieddate, item\.id$/);
    expect(itemChangesQuery({ timeZone: 'UTC', priceLevelId: '1' })).not.toContain('TO_TIMESTAMP');
  });

  it('reads the weight and its unit, and the compare-at price only from a configured price level', () => {
    const without = itemChangesQuery({ timeZone: 'UTC', priceLevelId: '1' });
    expect(without).toContain('item.weight, item.weightunit');
    expect(without).not.toContain('compareat');
    const sql = itemChangesQuery({
      timeZone: 'UTC',
      priceLevelId: '1',
      priceCurrencyId: '2',
      compareAtPriceLevelId: '5',
    });
    expect(sql).toContain('compareat.unitprice AS compareatprice');
    expect(sql).toContain(
      'LEFT JOIN pricing compareat ON compareat.item = item.id AND compareat.pricelevel = 5 AND compareat.currency = 2',
    );
    expect(() => itemChangesQuery({ timeZone: 'UTC', priceLevelId: '1', compareAtPriceLevelId: '5 OR 1=1' })).toThrow();
  });
});
