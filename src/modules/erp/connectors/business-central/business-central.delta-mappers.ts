import {
  anyOfFilters,
  dropUndefined,
  nonBlank,
  variantErpItemId,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import type {
  BcItem,
  BcSalesOrder,
  BcSalesShipment,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import type {
  ErpInventoryLevel,
  ErpItemChange,
  ErpSalesOrderDocument,
  ErpSalesOrderQuery,
  ErpShipment,
  Money,
} from 'src/modules/erp/port/erp.types';

/* Items, stock and shipments as the delta reads return them, in the port's shapes. */

/** A decimal as the port's Money string: at least 2 decimals, at most 5 (BC's unit-amount precision). */
export function formatDecimal(value: number | undefined): Money | undefined {
  if (value === undefined || !Number.isFinite(value)) {
    return undefined;
  }
  const fixed = Number(value.toFixed(5));
  const text = String(fixed);
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  return decimals >= 2 ? text : fixed.toFixed(2);
}

/**
 * An item and its variants as item changes. Variants (`itemVariants`) carry no price, cost or stock in BC: they
 * take the parent's price and cost, get the SKU `<item number><separator><variant code>` and the option `Variant`.
 * They have no modification time of their own, so they are read with their parent.
 */
export function toItemChanges(item: BcItem, variantSkuSeparator: string): ErpItemChange[] {
  const base = {
    name: item.displayName,
    price: formatDecimal(item.unitPrice),
    cost: formatDecimal(item.unitCost),
    active: item.blocked !== true,
    lastModified: item.lastModifiedDateTime,
  };
  const changes: ErpItemChange[] = [
    dropUndefined({ ...base, erpItemId: item.id, sku: item.number, barcode: nonBlank(item.gtin) }),
  ];
  for (const variant of item.itemVariants ?? []) {
    changes.push(
      dropUndefined({
        ...base,
        erpItemId: variantErpItemId(item.id, variant.id),
        sku: `${item.number}${variantSkuSeparator}${variant.code}`,
        name: `${item.displayName} ${nonBlank(variant.description) ?? variant.code}`,
        parentErpItemId: item.id,
        options: { Variant: nonBlank(variant.description) ?? variant.code },
      }),
    );
  }
  return changes;
}

/** `items.inventory` (all locations) as one stock level at the configured location code. */
export function toInventoryLevel(item: BcItem, locationCode: string): ErpInventoryLevel {
  const onHand = item.inventory ?? 0;
  return { erpItemId: item.id, sku: item.number, erpLocationId: locationCode, onHand, available: onHand };
}

/**
 * A posted sales shipment of a Shopify order (its `externalDocumentNumber` is the Shopify order id; shipments
 * without one are not ours and give undefined). Standard v2.0 has no tracking field: the number and carrier are
 * read from extension fields when the records carry them; several numbers in one field are split on `,` `;` or
 * white space. Lines are item numbers (a shipment line names no variant).
 */
export function toShipment(
  shipment: BcSalesShipment,
  fields: { trackingNumberField: string; carrierField: string },
): ErpShipment | undefined {
  const orderExternalId = nonBlank(shipment.externalDocumentNumber);
  if (orderExternalId === undefined) {
    return undefined;
  }
  const tracking = shipment[fields.trackingNumberField];
  const carrier = shipment[fields.carrierField];
  const date = [shipment.shipmentDate, shipment.postingDate].find((d) => d !== undefined && isRealDate(d));
  return dropUndefined({
    erpShipmentId: shipment.id,
    orderExternalId,
    trackingNumbers: typeof tracking === 'string' ? tracking.split(/[\s,;]+/).filter((t) => t !== '') : [],
    carrier: typeof carrier === 'string' ? nonBlank(carrier) : undefined,
    shippedAt: date === undefined ? shipment.lastModifiedDateTime : `${date}T00:00:00.000Z`,
    lines: (shipment.salesShipmentLines ?? [])
      .filter((l) => l.lineType === 'Item' && nonBlank(l.lineObjectNumber) !== undefined && (l.quantity ?? 0) > 0)
      .map((l) => ({ sku: l.lineObjectNumber!, quantity: l.quantity! })),
    lastModified: shipment.lastModifiedDateTime,
  });
}

/** Sorts by (lastModifiedDateTime, id): the order the delta reads promise, whatever the server did. */
export function byModified<T extends { lastModifiedDateTime: string; id: string }>(a: T, b: T): number {
  return (
    Date.parse(a.lastModifiedDateTime) - Date.parse(b.lastModifiedDateTime) ||
    a.lastModifiedDateTime.localeCompare(b.lastModifiedDateTime) ||
    a.id.localeCompare(b.id)
  );
}

function isRealDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !date.startsWith('0001-');
}

/**
 * @description The `$filter`s of a sales order listing: each is `(externalDocumentNumber eq 'a' or …)` for a batch of
 * order ids (BC allows `or` only within one field) and `orderDate` within the window widened by a day each side (the
 * order date is the shop's local date).
 */
export function salesOrderListFilters(query: ErpSalesOrderQuery, maxEncodedChars: number): string[] {
  const day = 86_400_000;
  const date = (iso: string, shiftMs: number): string => new Date(Date.parse(iso) + shiftMs).toISOString().slice(0, 10);
  const window = `orderDate ge ${date(query.from, -day)} and orderDate le ${date(query.to, day)}`;
  return anyOfFilters(
    'externalDocumentNumber',
    query.orders.map((order) => order.externalId),
    maxEncodedChars - encodeURIComponent(` and ()${window}`).length,
  ).map((ids) => `(${ids}) and ${window}`);
}

/**
 * @description A listed `salesOrders` entity as the port's document, when its `externalDocumentNumber` is one of the
 * wanted order ids (BC compares case-insensitively; so do we). `currencyCode` blank is the company's local currency.
 * Pure.
 */
export function toSalesOrderDocument(
  order: BcSalesOrder,
  wanted: ReadonlyMap<string, string>,
  localCurrencyCode: string | undefined,
): ErpSalesOrderDocument | undefined {
  const externalId = wanted.get((order.externalDocumentNumber ?? '').toLowerCase());
  if (externalId === undefined || typeof order.totalAmountIncludingTax !== 'number') {
    return undefined;
  }
  const currency = nonBlank(order.currencyCode) ?? localCurrencyCode;
  return {
    erpId: order.id,
    ...(order.number === undefined ? {} : { documentNumber: order.number }),
    externalId,
    matchedBy: 'externalId',
    ...(order.orderDate === undefined ? {} : { orderDate: order.orderDate.slice(0, 10) }),
    ...(currency === undefined ? {} : { currency }),
    total: bcAmount(order.totalAmountIncludingTax),
    ...(order.status === undefined ? {} : { status: order.status }),
  };
}

/** A BC decimal (JSON number) as an exact two-decimal string, as BC rounds amounts to the currency's 0.01. */
function bcAmount(value: number): string {
  const [whole = '0', decimals = ''] = String(value).split('.');
  return decimals.length <= 2 ? `${whole}.${decimals.padEnd(2, '0')}` : value.toFixed(2);
}
