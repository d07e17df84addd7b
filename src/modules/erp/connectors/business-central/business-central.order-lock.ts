import { ErrorKind } from 'src/common/errors/app-error';
import { BC_ENTITY_CHANGED } from 'src/modules/erp/connectors/business-central/business-central.errors';
import type { BcSalesOrder } from 'src/modules/erp/connectors/business-central/business-central.types';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpRecordRef, ErpSalesOrderEditOutcome } from 'src/modules/erp/port/erp.types';

/**
 * @description Whether Business Central may still change a sales order's lines: undefined while no line has a
 * shipped or invoiced quantity (API v2.0 `salesOrderLines.shippedQuantity` / `invoicedQuantity`, read-only, moved
 * by posting a shipment or an invoice); else what it reported, for the edit conflict.
 * @example
 * bcOrderLock(order) // 'shipped 1 and invoiced 0 of SKU-1 (line 10000)'
 */
export function bcOrderLock(order: Pick<BcSalesOrder, 'salesOrderLines'>): string | undefined {
  const done = (order.salesOrderLines ?? []).filter(
    (line) => (line.shippedQuantity ?? 0) > 0 || (line.invoicedQuantity ?? 0) > 0,
  );
  if (done.length === 0) {
    return undefined;
  }
  return done
    .map(
      (line) =>
        `shipped ${line.shippedQuantity ?? 0} and invoiced ${line.invoicedQuantity ?? 0} of ` +
        `${line.lineObjectNumber ?? line.description ?? line.itemId ?? '?'} (line ${line.sequence ?? '?'})`,
    )
    .join('; ');
}

/** A failed ETag check (another user changed the record) re-reads and retries once; a second one is Transient. */
export async function retryOnEntityChanged<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ErpError && error.details.vendorCode === BC_ENTITY_CHANGED) {
      return work();
    }
    throw error;
  }
}

export function etagOf(entity: { '@odata.etag'?: string }): string {
  return entity['@odata.etag'] ?? '*';
}

/** An edit BC can no longer take: what it reported, and the document. */
export interface BcLocked {
  locked: string;
  erpId: string;
}

/** An upsert or cancel never asks for the edit check, so it never gets a lock back. */
export function written(result: ErpRecordRef | BcLocked): ErpRecordRef {
  if ('locked' in result) {
    throw new ErpError(ErrorKind.Permanent, `Business Central refused the order write: ${result.locked}`);
  }
  return result;
}

/** An edit's write as the port answers it. */
export function toEditOutcome(result: ErpRecordRef | BcLocked): ErpSalesOrderEditOutcome {
  return 'locked' in result
    ? { outcome: 'locked', erpId: result.erpId, erpState: result.locked }
    : { outcome: 'applied', ref: result };
}
