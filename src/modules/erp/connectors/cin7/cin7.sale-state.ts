import { ErrorKind } from 'src/common/errors/app-error';
import type { Cin7SaleListEntry } from 'src/modules/erp/connectors/cin7/cin7.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpRecordRef, ErpSalesOrderEditOutcome } from 'src/modules/erp/port/erp.types';

/*
 * Whether Cin7 Core may still change a sale's order, from its `GET /saleList` entry (the look-up every order write
 * makes anyway). A sale moves through DRAFT / ORDERING (order not authorised), ORDERED / BACKORDERED (authorised, nothing
 * picked yet), then PICKING, PACKING, SHIPPING, INVOICED... as Cin7 fulfils and invoices it; the Combined*Status fields
 * say the same per step. Once anything is picked, packed, shipped or invoiced, the order's lines are tied to those
 * documents.
 */

/** Sale statuses with nothing picked, packed, shipped or invoiced yet. */
const OPEN_SALE_STATUSES: ReadonlySet<string> = new Set([
  'DRAFT',
  'ESTIMATING',
  'ESTIMATED',
  'ORDERING',
  'ORDERED',
  'BACKORDERED',
]);

/** Combined*Status values that say a step has not started for any line. */
const NOT_STARTED: ReadonlySet<string> = new Set([
  '',
  'NOT AVAILABLE',
  'NOT PICKED',
  'NOT PACKED',
  'NOT SHIPPED',
  'NOT INVOICED',
]);

/**
 * @description Undefined while Cin7 may still change the sale's order; else what it reported, for the edit conflict
 * (`Status SHIPPED, CombinedShippingStatus SHIPPED`).
 * @example
 * cin7SaleLock({ Status: 'ORDERED', CombinedShippingStatus: 'NOT SHIPPED' }) // undefined
 */
export function cin7SaleLock(entry: Cin7SaleListEntry): string | undefined {
  const status = (entry.Status ?? '').toUpperCase();
  const steps = (
    [
      ['CombinedPickingStatus', entry.CombinedPickingStatus],
      ['CombinedPackingStatus', entry.CombinedPackingStatus],
      ['CombinedShippingStatus', entry.CombinedShippingStatus],
      ['CombinedInvoiceStatus', entry.CombinedInvoiceStatus],
    ] as const
  ).filter(([, value]) => !NOT_STARTED.has((value ?? '').toUpperCase()));
  if ((status === '' || OPEN_SALE_STATUSES.has(status)) && steps.length === 0) {
    return undefined;
  }
  return [`Status ${status || '?'}`, ...steps.map(([name, value]) => `${name} ${value ?? ''}`)].join(', ');
}

/** An upsert never asks for the edit check, so it never gets a lock back. */
export function appliedRef(result: ErpSalesOrderEditOutcome): ErpRecordRef {
  if (result.outcome === 'locked') {
    throw new ErpError(ErrorKind.Permanent, `Cin7 refused the order write: ${result.erpState}`);
  }
  return result.ref;
}
