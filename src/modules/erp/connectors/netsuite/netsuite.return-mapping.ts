import { ErrorKind } from 'src/common/errors/app-error';
import {
  netsuiteRef,
  requireItemId,
  stripUndefined,
  toNetsuiteExternalId,
  toTranDate,
  type NetsuiteItemLine,
  type NetsuiteRecordDefaults,
  type NetsuiteRef,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { ErpError } from 'src/modules/erp/port/erp-error';
import type { ErpReturnDraft } from 'src/modules/erp/port/erp.types';

/** @description Body of `PUT …/returnAuthorization/eid:shopify-return-{id}`. */
export interface NetsuiteReturnAuthorizationBody {
  entity: NetsuiteRef;
  createdFrom: NetsuiteRef;
  tranDate: string;
  otherRefNum: string;
  memo: string;
  /** `B` = Pending Receipt: approved in Shopify, so approved in NetSuite. */
  orderStatus: 'B';
  subsidiary?: NetsuiteRef;
  location?: NetsuiteRef;
  item: { items: NetsuiteItemLine[] };
}

/** @description The return authorization external id of a Shopify return. */
export function returnExternalId(shopifyReturnId: string): string {
  return toNetsuiteExternalId(`shopify-return-${shopifyReturnId}`);
}

/**
 * @description Maps a return draft to NetSuite's return authorization, created from the sales order and approved
 * (Pending Receipt). Lines carry the item and quantity at rate 0 (no money: the refund's credit memo credits the
 * customer, so crediting this authorization would credit twice). A line not going back to stock is closed
 * (`isClosed`): NetSuite then expects no item receipt for it, which is how stock comes back in NetSuite. Pure.
 */
export function toNetsuiteReturnAuthorization(
  draft: ErpReturnDraft,
  customer: NetsuiteRef,
  salesOrder: NetsuiteRef,
  itemIds: ReadonlyMap<string, string>,
  defaults: NetsuiteRecordDefaults,
): NetsuiteReturnAuthorizationBody {
  if (draft.lines.length === 0) {
    throw new ErpError(ErrorKind.Permanent, `Return ${draft.externalId} has no line to authorise`, {
      vendorCode: 'NO_RETURN_LINES',
    });
  }
  return stripUndefined({
    entity: customer,
    createdFrom: salesOrder,
    tranDate: toTranDate(draft.returnDate),
    otherRefNum: draft.orderReference,
    memo: `Shopify return ${draft.name}; no money here: the refund's credit memo carries it`,
    orderStatus: 'B' as const,
    subsidiary: netsuiteRef(defaults.subsidiaryId),
    location: netsuiteRef(defaults.locationId),
    item: {
      items: draft.lines.map((line) => ({
        item: { id: requireItemId(itemIds, line.sku) },
        quantity: line.quantity,
        rate: 0,
        description: `${line.description}${line.restock ? '' : ' (not restocked)'}${line.reason === undefined ? '' : ` [${line.reason}]`}`,
        isClosed: !line.restock,
      })),
    },
  });
}
