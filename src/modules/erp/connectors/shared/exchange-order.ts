import type { ErpRecordRef, ErpReturnDraft, ErpReturnRef } from 'src/modules/erp/port/erp.types';

/**
 * @description The return's reference, with its exchange sales order upserted (idempotent on its external id) for
 * the customer of the original sales order when the return has exchange items. Shared by every connector.
 */
export async function withExchangeOrder(
  returnDocument: ErpRecordRef,
  draft: ErpReturnDraft,
  customerErpId: string | undefined,
  upsertSalesOrder: (
    order: NonNullable<ErpReturnDraft['exchangeOrder']>,
    customer: ErpRecordRef,
  ) => Promise<ErpRecordRef>,
): Promise<ErpReturnRef> {
  if (draft.exchangeOrder === undefined) {
    return returnDocument;
  }
  const exchangeOrder = await upsertSalesOrder(draft.exchangeOrder, {
    erpId: customerErpId ?? '',
    externalId: draft.customerExternalId,
  });
  return { ...returnDocument, exchangeOrder };
}
