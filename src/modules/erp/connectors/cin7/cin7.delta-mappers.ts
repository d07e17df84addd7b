import { ErrorKind } from 'src/common/errors/app-error';
import { optional, round, unique } from 'src/modules/erp/connectors/cin7/cin7.mappers';
import type {
  Cin7AvailabilityRow,
  Cin7Product,
  Cin7ProductFamily,
  Cin7Sale,
  Cin7SaleListEntry,
} from 'src/modules/erp/connectors/cin7/cin7.types';
import { toErpWeight } from 'src/modules/erp/connectors/shared/item-weight';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type {
  ErpInventoryLevel,
  ErpItemChange,
  ErpSalesOrderDocument,
  ErpShipment,
  Money,
} from 'src/modules/erp/port/erp.types';

// ---------------------------------------------------------------------------------------------- delta reads

/** @description Family membership of a product: its family's id and its option values by option name. */
export interface Cin7FamilyMembership {
  familyId: string;
  options: Record<string, string>;
}

/** @description Product id → family membership, from `GET /productFamily` answers. */
export function indexFamilies(families: Cin7ProductFamily[]): Map<string, Cin7FamilyMembership> {
  const index = new Map<string, Cin7FamilyMembership>();
  for (const family of families) {
    if (family.ID === undefined) {
      continue;
    }
    const names = [family.Option1Name, family.Option2Name, family.Option3Name];
    for (const product of family.Products ?? []) {
      if (product.ID === undefined) {
        continue;
      }
      const options: Record<string, string> = {};
      [product.Option1, product.Option2, product.Option3].forEach((value, i) => {
        const name = names[i];
        if (name && value) {
          options[name] = value;
        }
      });
      index.set(product.ID, { familyId: family.ID, options });
    }
  }
  return index;
}

/**
 * @description A Cin7 product as an item change: PriceTier1 is the selling price (the tier Shopify sells at is
 * configurable by name through `priceTierName`), AverageCost the cost, `PriceTier<compareAtTier>` (1–10, when
 * configured) the compare-at price, `Weight` in `WeightUnits` the weight, Status `Active` → active.
 */
export function toErpItemChange(
  product: Cin7Product,
  families: ReadonlyMap<string, Cin7FamilyMembership>,
  priceTierName?: string,
  compareAtTier?: number,
): ErpItemChange | undefined {
  if (product.ID === undefined || product.SKU === undefined || product.LastModifiedOn === undefined) {
    return undefined;
  }
  const price =
    priceTierName === undefined ? product.PriceTier1 : (product.PriceTiers?.[priceTierName] ?? product.PriceTier1);
  const compareAt = compareAtTier === undefined ? undefined : compareAtTierPrice(product, compareAtTier);
  const weight = toErpWeight(product.Weight, product.WeightUnits);
  const membership = families.get(product.ID);
  return {
    erpItemId: product.ID,
    sku: product.SKU,
    name: product.Name ?? product.SKU,
    ...(price === undefined || price === null ? {} : { price: formatAmount(price) }),
    ...(product.AverageCost === undefined || product.AverageCost === null
      ? {}
      : { cost: formatAmount(product.AverageCost) }),
    ...(product.Barcode ? { barcode: product.Barcode } : {}),
    // A tier Cin7 leaves at 0 is a tier without a price, not a compare-at price of zero.
    ...(compareAt === undefined || compareAt === null || compareAt <= 0
      ? {}
      : { compareAtPrice: formatAmount(compareAt) }),
    ...(weight === undefined ? {} : { weight }),
    ...(membership === undefined ? {} : { parentErpItemId: membership.familyId, options: membership.options }),
    active: (product.Status ?? 'Active').toLowerCase() === 'active',
    lastModified: fromCin7Date(product.LastModifiedOn),
  };
}

function compareAtTierPrice(product: Cin7Product, tier: number): number | null | undefined {
  const key = `PriceTier${tier}`;
  return Number.isInteger(tier) && tier >= 1 && tier <= 10
    ? (product[key as keyof Cin7Product] as number | null | undefined)
    : undefined;
}

/**
 * @description Sums availability rows (one per product × location × batch/bin) into one level per product and
 * location. Cin7 names locations, so the location name is the ERP location id.
 */
export function aggregateAvailability(rows: Cin7AvailabilityRow[]): ErpInventoryLevel[] {
  const levels = new Map<string, ErpInventoryLevel>();
  for (const row of rows) {
    if (row.ID === undefined || row.SKU === undefined || row.Location === undefined) {
      continue;
    }
    const key = `${row.ID}\u0000${row.Location}`;
    const level = levels.get(key) ?? {
      erpItemId: row.ID,
      sku: row.SKU,
      erpLocationId: row.Location,
      locationName: row.Location,
      onHand: 0,
      available: 0,
      committed: 0,
    };
    level.onHand = round(level.onHand + (row.OnHand ?? 0), 4);
    level.available = round(level.available + (row.Available ?? 0), 4);
    level.committed = round((level.committed ?? 0) + (row.Allocated ?? 0), 4);
    levels.set(key, level);
  }
  return [...levels.values()];
}

/**
 * @description Whether a sale list entry has anything shipped, so that only those sales are fetched in full (each
 * `GET /sale` spends one of the 60 calls a minute).
 */
export function saleHasShipments(entry: Cin7SaleListEntry): boolean {
  if (entry.ExternalID === undefined || entry.ExternalID === null || entry.ExternalID === '') {
    return false;
  }
  const status = (entry.CombinedShippingStatus ?? '').toUpperCase();
  const tracking = (entry.CombinedTrackingNumbers ?? '').trim();
  return tracking !== '' || (status.includes('SHIPPED') && !status.startsWith('NOT'));
}

/**
 * @description The shipped fulfilments of a sale: tracking numbers, carrier and URL from the Ship lines marked
 * shipped, the shipped quantities from the Pack lines (Pick lines when there are none). `lastModified` is the
 * sale's `Updated` from the list (Cin7 has no per-fulfilment modification time).
 */
export function toErpShipments(entry: Cin7SaleListEntry, sale: Cin7Sale): ErpShipment[] {
  const orderExternalId = sale.ExternalID ?? entry.ExternalID ?? undefined;
  const updated = entry.Updated ?? sale.LastModifiedOn;
  if (orderExternalId === undefined || orderExternalId === '' || updated === undefined) {
    return [];
  }
  const shipments: ErpShipment[] = [];
  for (const fulfilment of sale.Fulfilments ?? []) {
    const shipped = (fulfilment.Ship?.Lines ?? []).filter((line) => line.IsShipped === true);
    if (fulfilment.TaskID === undefined || shipped.length === 0) {
      continue;
    }
    const quantities = new Map<string, number>();
    const sourceLines = (fulfilment.Pack?.Lines ?? []).length > 0 ? fulfilment.Pack?.Lines : fulfilment.Pick?.Lines;
    for (const line of sourceLines ?? []) {
      if (line.SKU !== undefined) {
        quantities.set(line.SKU, (quantities.get(line.SKU) ?? 0) + (line.Quantity ?? 0));
      }
    }
    const dates = shipped
      .map((line) => line.ShipmentDate)
      .filter((date): date is string => !!date)
      .sort();
    shipments.push({
      erpShipmentId: fulfilment.TaskID,
      orderExternalId,
      trackingNumbers: unique(shipped.map((line) => line.TrackingNumber?.trim() ?? '').filter((n) => n !== '')),
      ...optional('carrier', shipped.find((line) => line.Carrier)?.Carrier ?? undefined),
      ...optional('trackingUrl', shipped.find((line) => line.TrackingURL)?.TrackingURL ?? undefined),
      shippedAt: fromCin7Date(dates[dates.length - 1] ?? updated),
      lines: [...quantities.entries()].map(([sku, quantity]) => ({ sku, quantity })),
      lastModified: fromCin7Date(updated),
    });
  }
  return shipments;
}

// ---------------------------------------------------------------------------------------------- cursors and dates

/** @description What an opaque delta cursor holds: the next Cin7 page, and rows carried over a page boundary. */
export interface Cin7Cursor {
  page: number;
  carry?: Cin7AvailabilityRow[];
}

export function encodeCursor(cursor: Cin7Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** @description Reads a cursor made by {@link encodeCursor}; anything else is a caller bug (Permanent). */
export function decodeCursor(cursor: string | undefined): Cin7Cursor {
  if (cursor === undefined) {
    return { page: 1 };
  }
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cin7Cursor;
    if (Number.isInteger(value.page) && value.page >= 1 && (value.carry === undefined || Array.isArray(value.carry))) {
      return value;
    }
  } catch {
    // fall through
  }
  throw new ErpError(ErrorKind.Permanent, 'Invalid Cin7 delta cursor', { vendorCode: 'INVALID_CURSOR' });
}

/** @description A Cin7 date (UTC, usually without a zone suffix) as an ISO 8601 instant. */
export function fromCin7Date(value: string): string {
  const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/** @description A Cin7 number as a money string with at least two decimals ("19.5" → "19.50", 1.2345 kept). */
export function formatAmount(value: number): Money {
  return round(value, 4)
    .toFixed(4)
    .replace(/0{1,2}$/, '');
}

/**
 * @description A sale of a Shopify order (its `ExternalID` one of `wanted`, not voided) and its full record as the
 * port's document: `Order.Total` (the sale order's total with tax), the sale's currency, `OrderNumber`. Pure.
 */
export function toSalesOrderDocument(entry: Cin7SaleListEntry, sale: Cin7Sale): ErpSalesOrderDocument {
  return {
    erpId: entry.SaleID ?? '',
    ...(entry.OrderNumber === undefined ? {} : { documentNumber: entry.OrderNumber }),
    externalId: entry.ExternalID ?? '',
    matchedBy: 'externalId',
    ...(entry.OrderDate === undefined ? {} : { orderDate: entry.OrderDate.slice(0, 10) }),
    ...(sale.Currency === undefined ? {} : { currency: sale.Currency }),
    total: formatAmount(sale.Order?.Total ?? 0),
    ...(entry.Status === undefined ? {} : { status: entry.Status }),
  };
}
