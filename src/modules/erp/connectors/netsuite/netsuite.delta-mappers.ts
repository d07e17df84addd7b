import { ErrorKind } from 'src/common/errors/app-error';
import { stripUndefined } from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import {
  fromSuiteQlTimestamp,
  type SalesOrderReferenceColumn,
} from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
import { toErpWeight } from 'src/modules/erp/connectors/shared/item-weight';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpInventoryLevel,
  ErpItemChange,
  ErpSalesOrderDocument,
  ErpSalesOrderQuery,
  ErpShipment,
  Money,
} from 'src/modules/erp/port/erp.types';

/*
 * SuiteQL rows of the delta reads (items, stock, fulfilments) as the port's changes. The queries themselves are in
 * netsuite.suiteql.ts; the record bodies the connector writes are in netsuite.mappers.ts.
 */

/** @description One page of a SuiteQL answer. */
export interface SuiteQlResult {
  items: Array<Record<string, unknown>>;
  hasMore: boolean;
}

/** @description Reads `{items: [...], hasMore}` of `POST /query/v1/suiteql`; anything else is a Transient error. */
export function parseSuiteQlResult(json: unknown): SuiteQlResult {
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  if (record === undefined || !Array.isArray(record.items)) {
    throw new ErpError(ErrorKind.Transient, 'NetSuite SuiteQL answer has no items array', {
      vendorCode: 'INVALID_SUITEQL_RESPONSE',
    });
  }
  return {
    items: (record.items as unknown[]).filter(
      (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
    ),
    hasMore: record.hasMore === true,
  };
}

/** @description A row of the item delta query as an item change. Pure. */
export function toItemChange(row: Record<string, unknown>, timeZone: string): ErpItemChange {
  const erpItemId = text(row.id);
  const sku = text(row.itemid);
  const lastModified = fromSuiteQlTimestamp(row.lastmodified, timeZone);
  if (erpItemId === undefined || sku === undefined || lastModified === undefined) {
    throw invalidRow('item');
  }
  return stripUndefined({
    erpItemId,
    sku,
    name: text(row.displayname) ?? sku,
    price: toMoney(row.price),
    cost: toMoney(row.cost),
    barcode: text(row.upccode),
    compareAtPrice: toMoney(row.compareatprice),
    weight: toErpWeight(row.weight, netsuiteWeightUnit(row.weightunit)),
    parentErpItemId: text(row.parent),
    active: !isTrue(row.isinactive),
    lastModified,
  });
}

/** @description A row of the inventory query as a stock level. Pure. */
export function toInventoryLevel(row: Record<string, unknown>, timeZone: string): ErpInventoryLevel {
  const erpItemId = text(row.item);
  const sku = text(row.itemid);
  const erpLocationId = text(row.location);
  if (erpItemId === undefined || sku === undefined || erpLocationId === undefined) {
    throw invalidRow('inventory');
  }
  return stripUndefined({
    erpItemId,
    sku,
    erpLocationId,
    locationName: text(row.locationname),
    onHand: quantity(row.quantityonhand) ?? 0,
    available: quantity(row.quantityavailable) ?? 0,
    committed: quantity(row.quantitycommitted),
    lastModified: fromSuiteQlTimestamp(row.lastmodified, timeZone),
  });
}

/**
 * @description Assembles shipments from the fulfilment header rows (in their order) and the line and package rows
 * of those fulfilments. Pure. Fulfilment quantities are negative in `transactionline`; they are reported positive.
 */
export function toShipments(
  headers: ReadonlyArray<Record<string, unknown>>,
  lines: ReadonlyArray<Record<string, unknown>>,
  packages: ReadonlyArray<Record<string, unknown>>,
  timeZone: string,
): ErpShipment[] {
  const linesById = new Map<string, Array<{ sku: string; quantity: number }>>();
  for (const row of lines) {
    const id = text(row.transaction);
    const sku = text(row.itemid);
    const qty = quantity(row.quantity);
    if (id !== undefined && sku !== undefined && qty !== undefined && qty !== 0) {
      linesById.set(id, [...(linesById.get(id) ?? []), { sku, quantity: Math.abs(qty) }]);
    }
  }
  const trackingById = new Map<string, string[]>();
  for (const row of packages) {
    const id = text(row.itemfulfillment);
    const tracking = text(row.packagetrackingnumber);
    if (id !== undefined && tracking !== undefined) {
      const list = trackingById.get(id) ?? [];
      if (!list.includes(tracking)) {
        list.push(tracking);
      }
      trackingById.set(id, list);
    }
  }
  return headers.map((row) => {
    const id = text(row.id);
    const orderExternalId = text(row.orderexternalid);
    const lastModified = fromSuiteQlTimestamp(row.lastmodified, timeZone);
    if (id === undefined || orderExternalId === undefined || lastModified === undefined) {
      throw invalidRow('item fulfillment');
    }
    return {
      erpShipmentId: id,
      orderExternalId,
      trackingNumbers: trackingById.get(id) ?? [],
      ...(text(row.shipmethod) !== undefined ? { carrier: text(row.shipmethod) } : {}),
      shippedAt: fromSuiteQlTimestamp(row.shippedat, timeZone) ?? lastModified,
      lines: linesById.get(id) ?? [],
      lastModified,
    };
  });
}

/**
 * @description Rows of {@link salesOrdersQuery} as the port's documents: a row with one of the wanted external ids
 * belongs to that order, one without an external id to the order whose name is its `referenceColumn`; others are not
 * ours and are dropped. `currencyCode` maps a currency internal id back to its ISO code (unknown ids: no currency).
 * Pure; a row without an id or total is a Permanent error.
 */
export function toSalesOrderDocuments(
  rows: ReadonlyArray<Record<string, unknown>>,
  query: ErpSalesOrderQuery,
  currencyCode: (currencyId: string) => string | undefined,
  referenceColumn: SalesOrderReferenceColumn = 'otherrefnum',
): ErpSalesOrderDocument[] {
  const ids = new Set(query.orders.map((order) => order.externalId));
  const byReference = new Map<string, string>();
  for (const order of query.orders) {
    if (!byReference.has(order.reference)) {
      byReference.set(order.reference, order.externalId);
    }
  }
  return rows.flatMap((row): ErpSalesOrderDocument[] => {
    const externalId = text(row.externalid);
    const reference = text(row[referenceColumn]);
    const owner =
      externalId !== undefined
        ? ids.has(externalId)
          ? { externalId, matchedBy: 'externalId' as const }
          : undefined
        : reference === undefined
          ? undefined
          : byReference.has(reference)
            ? { externalId: byReference.get(reference) ?? '', matchedBy: 'reference' as const }
            : undefined;
    if (owner === undefined) {
      return [];
    }
    const erpId = text(row.id);
    const total = toMoney(row.foreigntotal);
    if (erpId === undefined || total === undefined) {
      throw invalidRow('sales order');
    }
    const currencyId = text(row.currency);
    return [
      stripUndefined({
        erpId,
        documentNumber: text(row.tranid),
        ...owner,
        orderDate: text(row.trandate),
        currency: currencyId === undefined ? undefined : currencyCode(currencyId),
        total,
      }),
    ];
  });
}

/**
 * @description A SuiteQL number (JSON number or numeric string) as a Money string with at least two decimals
 * (`44.5` → `"44.50"`); extra decimals are kept, never rounded.
 */
export function toMoney(value: unknown): Money | undefined {
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(-?)(\d*)(?:\.(\d+))?$/.exec(raw);
  if (raw === '' || match === null || (match[2] === '' && match[3] === undefined)) {
    return undefined;
  }
  const whole = match[2] === '' ? '0' : match[2];
  const decimals = (match[3] ?? '').padEnd(2, '0');
  return `${match[1]}${whole}.${decimals}`;
}

/**
 * The item's `weightunit` select: SuiteQL returns its internal id (1 lb, 2 oz, 3 kg, 4 g); a text value (`BUILTIN.DF`,
 * the record API) is the abbreviation itself.
 */
const NETSUITE_WEIGHT_UNITS: Readonly<Record<string, string>> = { '1': 'lb', '2': 'oz', '3': 'kg', '4': 'g' };

function netsuiteWeightUnit(value: unknown): string | undefined {
  const unit = text(value);
  return unit === undefined ? undefined : (NETSUITE_WEIGHT_UNITS[unit] ?? unit);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function quantity(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'T' || value === 't' || value === 'true';
}

function invalidRow(kind: string): ErpError {
  return new ErpError(ErrorKind.Permanent, `NetSuite SuiteQL ${kind} row lacks an id, key or timestamp`, {
    vendorCode: 'INVALID_SUITEQL_ROW',
  });
}
