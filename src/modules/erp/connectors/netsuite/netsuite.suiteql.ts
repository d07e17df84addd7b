import { ErrorKind } from 'src/common/errors/app-error';
import {
  NETSUITE_SUITEQL_MAX_LIMIT,
  NETSUITE_SUITEQL_MAX_ROWS,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { ErpError } from 'src/modules/erp/port/erp-error';

/**
 * The SuiteQL statements the connector sends, and the paging and time-zone arithmetic around them. Column names
 * follow NetSuite's Records Catalog (see docs/connectors/netsuite.md for the ones whose availability varies by
 * account). Every value put into a statement is either a number we produced or a string literal escaped here.
 */

/** `TO_CHAR` format of timestamps we read: wall time plus the session's offset, so no time zone guesswork. */
export const SUITEQL_TIMESTAMP_OUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS TZH:TZM';
/** `TO_TIMESTAMP` format of the watermark we filter on (interpreted in the session time zone). */
export const SUITEQL_TIMESTAMP_IN_FORMAT = 'YYYY-MM-DD HH24:MI:SS';

/** @description A SuiteQL string literal: single quotes doubled (Oracle SQL). */
export function suiteQlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** @description A list of internal ids for `IN (...)`; only digits get through. */
export function suiteQlIdList(ids: readonly string[]): string {
  const safe = ids.filter((id) => /^\d+$/.test(id));
  if (safe.length === 0) {
    throw new ErpError(ErrorKind.Permanent, 'SuiteQL id list is empty', { vendorCode: 'INVALID_ID_LIST' });
  }
  return safe.join(', ');
}

/** Offset (ms) of `timeZone` from UTC at `epochMs` (positive east of Greenwich). */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(epochMs / 1_000) * 1_000;
}

/**
 * @description The wall time in `timeZone` of an ISO instant, as `TO_TIMESTAMP` reads it (`YYYY-MM-DD HH24:MI:SS`),
 * truncated to the second. NetSuite interprets it in the integration user's time zone preference.
 */
export function toSuiteQlTimestamp(iso: string, timeZone: string): string {
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) {
    throw new ErpError(ErrorKind.Permanent, `Invalid delta watermark '${iso}'`, { vendorCode: 'INVALID_WATERMARK' });
  }
  const wall = new Date(Math.floor(epochMs / 1_000) * 1_000 + zoneOffsetMs(epochMs, timeZone));
  return wall.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * @description Reads a SuiteQL timestamp (`2026-10-05 19:09:48 +02:00`, or without offset: then it is wall time in
 * `timeZone`) as an ISO 8601 UTC instant; `undefined` when absent or unreadable.
 */
export function fromSuiteQlTimestamp(value: unknown, timeZone: string): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|Z)?$/.exec(
    value.trim(),
  );
  if (match === null) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, sign, oh, om] = match;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (sign !== undefined) {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
    return new Date(wallMs - offset).toISOString();
  }
  if (value.trim().endsWith('Z')) {
    return new Date(wallMs).toISOString();
  }
  // Wall time without an offset: find the instant whose local time in `timeZone` is this (two passes cover DST).
  let guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  guess = wallMs - zoneOffsetMs(guess, timeZone);
  return new Date(guess).toISOString();
}

/** @description Where one delta page starts: the effective watermark, the row offset and the page size. */
export interface SuiteQlPage {
  since?: string;
  offset: number;
  limit: number;
}

interface CursorBody {
  v: 1;
  o: number;
  l: number;
  s?: string;
}

/**
 * @description The page a delta read asks for. Without a cursor: offset 0, `pageSize` clamped to 1..1000. With one:
 * the cursor's offset, page size and watermark (the page size is kept, because NetSuite pages by `offset`, which must
 * stay a multiple of `limit`). A cursor that is not ours is a Permanent error.
 */
export function planSuiteQlPage(query: { since?: string; cursor?: string; pageSize: number }): SuiteQlPage {
  if (query.cursor === undefined || query.cursor === '') {
    const limit = Math.min(NETSUITE_SUITEQL_MAX_LIMIT, Math.max(1, Math.floor(query.pageSize) || 1));
    return { since: query.since, offset: 0, limit };
  }
  let body: Partial<CursorBody> | undefined;
  try {
    body = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    body = undefined;
  }
  if (
    body?.v !== 1 ||
    !Number.isInteger(body.o) ||
    !Number.isInteger(body.l) ||
    (body.o ?? -1) < 0 ||
    (body.l ?? 0) < 1 ||
    (body.l ?? 0) > NETSUITE_SUITEQL_MAX_LIMIT ||
    (body.s !== undefined && (typeof body.s !== 'string' || Number.isNaN(Date.parse(body.s))))
  ) {
    throw new ErpError(ErrorKind.Permanent, 'Delta cursor is not a NetSuite connector cursor', {
      vendorCode: 'INVALID_CURSOR',
    });
  }
  return { since: body.s, offset: body.o as number, limit: body.l as number };
}

/**
 * @description The cursor of the page after `page`, or undefined when NetSuite said there is no more. Offsets stop
 * short of the 100,000-row cap of one query: past it, the read restarts at offset 0 from the last row's modification
 * time (inclusive, so rows of that second come again; readers are idempotent).
 */
export function nextSuiteQlCursor(
  page: SuiteQlPage,
  hasMore: boolean,
  lastRowModified: string | undefined,
  maxRows: number = NETSUITE_SUITEQL_MAX_ROWS,
): string | undefined {
  if (!hasMore) {
    return undefined;
  }
  const nextOffset = page.offset + page.limit;
  if (nextOffset + page.limit <= maxRows) {
    return encodeCursor({ v: 1, o: nextOffset, l: page.limit, s: page.since });
  }
  // The filter has second precision: a restart only makes progress if the last row is in a later second.
  const second = (iso: string | undefined): number =>
    iso === undefined ? Number.NEGATIVE_INFINITY : Math.floor(Date.parse(iso) / 1_000);
  if (lastRowModified === undefined || second(lastRowModified) <= second(page.since)) {
    throw new ErpError(
      ErrorKind.Permanent,
      `More than ${maxRows} rows were modified within one second; SuiteQL paging cannot pass them`,
      { vendorCode: 'SUITEQL_ROW_CAP' },
    );
  }
  return encodeCursor({ v: 1, o: 0, l: page.limit, s: lastRowModified });
}

function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function sinceFilter(column: string, since: string | undefined, timeZone: string): string {
  return since === undefined
    ? ''
    : `${column} >= TO_TIMESTAMP(${suiteQlString(toSuiteQlTimestamp(since, timeZone))}, '${SUITEQL_TIMESTAMP_IN_FORMAT}')`;
}

function where(conditions: string[]): string {
  const present = conditions.filter((condition) => condition !== '');
  return present.length === 0 ? '' : ` WHERE ${present.join(' AND ')}`;
}

/**
 * @description Active customers with any of these e-mails (compared in lower case), oldest first: the look-ups of
 * several orders in one query. Oracle SQL, which SuiteQL should be written in, takes at most 1,000 expressions in an
 * `IN` list (ORA-01795); callers send far fewer (NETSUITE_EMAIL_LOOKUP_BATCH).
 */
export function customersByEmailQuery(emails: readonly string[]): string {
  const list = [...new Set(emails.map((email) => email.trim().toLowerCase()))];
  if (list.length === 0) {
    throw new ErpError(ErrorKind.Permanent, 'SuiteQL e-mail list is empty', { vendorCode: 'INVALID_EMAIL_LIST' });
  }
  return (
    `SELECT customer.id, customer.email FROM customer` +
    ` WHERE LOWER(customer.email) IN (${list.map(suiteQlString).join(', ')}) AND customer.isinactive = 'F'` +
    ` ORDER BY customer.id`
  );
}

/** @description Items by SKU (`itemid`). */
export function itemsBySkuQuery(skus: readonly string[]): string {
  return `SELECT item.id, item.itemid FROM item WHERE item.itemid IN (${skus.map(suiteQlString).join(', ')}) ORDER BY item.id`;
}

/** @description Options of the item delta query. */
export interface ItemChangesQueryOptions {
  since?: string;
  timeZone: string;
  priceLevelId: string;
  /** Restrict the price to one currency (multi-currency accounts); undefined = no currency filter. */
  priceCurrencyId?: string;
  /** Price level read as the compare-at price; undefined = no compare-at price is read. */
  compareAtPriceLevelId?: string;
}

/**
 * @description Inventory items (matrix parents and children included) modified at or after `since`, with the price
 * of one price level (and, when configured, the compare-at price of another, joined as `compareat`), the weight and
 * its unit (`weight`, `weightunit`), oldest first. `ORDER BY lastmodifieddate, id` is unique, as limit/offset paging
 * needs.
 */
export function itemChangesQuery(options: ItemChangesQueryOptions): string {
  const levelJoin = (alias: string, levelId: string): string =>
    `LEFT JOIN pricing ${alias} ON ${alias}.item = item.id AND ${alias}.pricelevel = ${suiteQlIdList([levelId])}` +
    (options.priceCurrencyId === undefined
      ? ''
      : ` AND ${alias}.currency = ${suiteQlIdList([options.priceCurrencyId])}`);
  const compareAt = options.compareAtPriceLevelId;
  return (
    `SELECT item.id, item.itemid, item.displayname, item.parent, item.upccode, item.cost, item.isinactive,` +
    ` item.weight, item.weightunit, pricing.unitprice AS price,` +
    (compareAt === undefined ? '' : ' compareat.unitprice AS compareatprice,') +
    ` TO_CHAR(item.lastmodifieddate, '${SUITEQL_TIMESTAMP_OUT_FORMAT}') AS lastmodified` +
    ` FROM item ${levelJoin('pricing', options.priceLevelId)}` +
    (compareAt === undefined ? '' : ` ${levelJoin('compareat', compareAt)}`) +
    where([`item.itemtype = 'InvtPart'`, sinceFilter('item.lastmodifieddate', options.since, options.timeZone)]) +
    ` ORDER BY item.lastmodifieddate, item.id`
  );
}

/**
 * @description Stock per item and location (`inventoryitemlocations`) whose quantity available changed at or after
 * `since`, oldest first; every row when `since` is undefined.
 */
export function inventoryLevelsQuery(options: { since?: string; timeZone: string }): string {
  return (
    `SELECT iil.item, item.itemid, iil.location, location.name AS locationname, iil.quantityonhand,` +
    ` iil.quantityavailable, iil.quantitycommitted,` +
    ` TO_CHAR(iil.lastquantityavailablechange, '${SUITEQL_TIMESTAMP_OUT_FORMAT}') AS lastmodified` +
    ` FROM inventoryitemlocations iil INNER JOIN item ON item.id = iil.item` +
    ` INNER JOIN location ON location.id = iil.location` +
    where([
      `item.itemtype = 'InvtPart'`,
      sinceFilter('iil.lastquantityavailablechange', options.since, options.timeZone),
    ]) +
    ` ORDER BY iil.lastquantityavailablechange, iil.item, iil.location`
  );
}

/**
 * @description Item fulfilments (`ItemShip`) created from sales orders that carry an external id (ours: the Shopify
 * order id), modified at or after `since`, oldest first. The link to the order is the fulfilment's main line
 * `createdfrom`. The carrier is the fulfilment's Ship Via (`shipmethod`, a shipping item): its name (`itemid`, e.g.
 * "UPS Ground", "FedEx 2Day"), which the fulfilment writer maps to Shopify's tracking company.
 */
export function shipmentHeadersQuery(options: { since?: string; timeZone: string }): string {
  return (
    `SELECT t.id, so.externalid AS orderexternalid, sm.itemid AS shipmethod,` +
    ` TO_CHAR(t.createddate, '${SUITEQL_TIMESTAMP_OUT_FORMAT}') AS shippedat,` +
    ` TO_CHAR(t.lastmodifieddate, '${SUITEQL_TIMESTAMP_OUT_FORMAT}') AS lastmodified` +
    ` FROM transaction t INNER JOIN transactionline ml ON ml.transaction = t.id AND ml.mainline = 'T'` +
    ` INNER JOIN transaction so ON so.id = ml.createdfrom` +
    ` LEFT JOIN shipitem sm ON sm.id = t.shipmethod` +
    where([
      `t.type = 'ItemShip'`,
      `so.type = 'SalesOrd'`,
      `so.externalid IS NOT NULL`,
      sinceFilter('t.lastmodifieddate', options.since, options.timeZone),
    ]) +
    ` ORDER BY t.lastmodifieddate, t.id`
  );
}

/** @description The item lines of these item fulfilments (quantities are negative on fulfilments). */
export function shipmentLinesQuery(fulfilmentIds: readonly string[]): string {
  return (
    `SELECT tl.transaction, item.itemid, tl.quantity FROM transactionline tl INNER JOIN item ON item.id = tl.item` +
    ` WHERE tl.transaction IN (${suiteQlIdList(fulfilmentIds)}) AND tl.mainline = 'F'` +
    ` ORDER BY tl.transaction, tl.id`
  );
}

/** @description The package tracking numbers of these item fulfilments. */
export function shipmentPackagesQuery(fulfilmentIds: readonly string[]): string {
  return (
    `SELECT pkg.itemfulfillment, pkg.packagetrackingnumber FROM itemfulfillmentpackage pkg` +
    ` WHERE pkg.itemfulfillment IN (${suiteQlIdList(fulfilmentIds)}) AND pkg.packagetrackingnumber IS NOT NULL` +
    ` ORDER BY pkg.itemfulfillment, pkg.packagetrackingnumber`
  );
}

/** @description The column holding an order's name on its sales order. */
export type SalesOrderReferenceColumn = 'otherrefnum' | 'tranid';

/** Shopify orders per sales-order listing statement (two `IN` lists of at most this many, under Oracle's 1,000). */
export const NETSUITE_SALES_ORDER_LIST_BATCH = 200;

/**
 * @description The sales orders (`SalesOrd`) of these Shopify orders: those whose `externalid` is one of the order
 * ids, and those without an external id of ours whose `otherrefnum` is one of the order names and whose `trandate`
 * is in the window widened by a day each side (time zones): a second sales order entered by hand or by another
 * integration cannot carry the external id (NetSuite keeps it unique per record type), so it is found by reference.
 * `foreigntotal` is the total in the transaction's currency. Oldest first, by internal id (a unique order, as paging
 * by offset needs).
 */
export function salesOrdersQuery(options: {
  externalIds: readonly string[];
  references: readonly string[];
  from: string;
  to: string;
  timeZone: string;
  /** Where the order's name is: `otherrefnum` (NetSuite connector), `tranid` (the sandbox ERP writes it there). */
  referenceColumn?: SalesOrderReferenceColumn;
}): string {
  if (options.externalIds.length === 0) {
    throw new ErpError(ErrorKind.Permanent, 'SuiteQL external id list is empty', { vendorCode: 'INVALID_ID_LIST' });
  }
  const day = 86_400_000;
  const bound = (iso: string, shiftMs: number): string =>
    `TO_TIMESTAMP(${suiteQlString(toSuiteQlTimestamp(new Date(Date.parse(iso) + shiftMs).toISOString(), options.timeZone))}, '${SUITEQL_TIMESTAMP_IN_FORMAT}')`;
  const byReference =
    options.references.length === 0
      ? ''
      : ` OR (t.externalid IS NULL AND t.${options.referenceColumn ?? 'otherrefnum'} IN (${options.references.map(suiteQlString).join(', ')})` +
        ` AND t.trandate >= ${bound(options.from, -day)} AND t.trandate < ${bound(options.to, day)})`;
  return (
    `SELECT t.id, t.tranid, t.externalid, t.otherrefnum, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate,` +
    ` t.foreigntotal, t.currency FROM transaction t` +
    ` WHERE t.type = 'SalesOrd' AND (t.externalid IN (${options.externalIds.map(suiteQlString).join(', ')})${byReference})` +
    ` ORDER BY t.id`
  );
}
