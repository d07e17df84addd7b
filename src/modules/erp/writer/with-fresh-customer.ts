import { isStaleCustomerReference } from 'src/modules/erp/port/erp-error';
import type { ErpRecordRef } from 'src/modules/erp/port/erp.types';

/**
 * @description Runs an order write with the customer's ERP reference (a cached one, typically). When the ERP says
 * that customer no longer exists (an ERP user merged it into another or deleted it: `CUSTOMER_NOT_FOUND`), the
 * customer is resolved once more with `resolve` (the connector's `upsertCustomer`, which matches by e-mail or our
 * key, or creates it) and the write is run once more with the fresh reference; a second refusal is thrown as it is.
 * Returns the reference the write landed with, for the caller to cache.
 *
 * @example
 * const { customer, result } = await withFreshCustomer(cached, () => erp.upsertCustomer(draft), (ref) =>
 *   erp.upsertSalesOrder(order, ref));
 */
export async function withFreshCustomer<T>(
  customer: ErpRecordRef,
  resolve: () => Promise<ErpRecordRef>,
  write: (customer: ErpRecordRef) => Promise<T>,
): Promise<{ customer: ErpRecordRef; result: T }> {
  try {
    return { customer, result: await write(customer) };
  } catch (error) {
    if (!isStaleCustomerReference(error)) {
      throw error;
    }
  }
  const fresh = await resolve();
  return { customer: fresh, result: await write(fresh) };
}
