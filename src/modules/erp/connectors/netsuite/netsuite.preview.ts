import {
  NETSUITE_RECORD_PATH,
  NETSUITE_SUITEQL_MAX_LIMIT,
  NETSUITE_SUITEQL_PATH,
} from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import {
  toNetsuiteCompanyCustomer,
  toNetsuiteCustomer,
  toNetsuiteExternalId,
  toNetsuiteSalesOrder,
  type NetsuiteRecordDefaults,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { customersByEmailQuery } from 'src/modules/erp/connectors/netsuite/netsuite.suiteql';
import { normaliseEmail } from 'src/modules/erp/connectors/shared/lookup-batcher';
import { previewItemIds } from 'src/modules/erp/connectors/shared/preview-items';
import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPreviewContext, ErpRequestPreview, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpCustomerDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

/**
 * @description The requests of the NetSuite connector's `upsertCustomer` and `upsertSalesOrder` /
 * `cancelSalesOrder`, built by the same mappers; look-ups (customer by e-mail, SKUs the cross-reference lacks) are
 * shown, not sent.
 */
export async function previewNetsuiteOrderWrite(
  connector: { items: ErpItemXref; defaults: NetsuiteRecordDefaults },
  customer: ErpCustomerDraft,
  order: ErpSalesOrderDraft,
  context: ErpPreviewContext,
): Promise<ErpWritePreview> {
  const { defaults } = connector;
  const requests: ErpRequestPreview[] = [];
  const { ids, decisions } = await previewItemIds(
    connector.items,
    order.lines.map((line) => line.sku),
    'SuiteQL',
  );
  let customerId = context.knownCustomerErpId;
  if (customerId !== undefined) {
    decisions.push({ kind: 'customer', subject: customer.externalId, outcome: `unchanged, held as ${customerId}` });
  } else if (customer.parentCompany !== undefined) {
    requests.push(
      {
        operation: 'upsertCustomer',
        method: 'PUT',
        path: `${NETSUITE_RECORD_PATH}/customer/eid:${toNetsuiteExternalId(customer.parentCompany.externalId)}`,
        body: toNetsuiteCompanyCustomer({ ...customer, parentCompany: customer.parentCompany }, defaults),
      },
      {
        operation: 'upsertCustomer',
        method: 'PUT',
        path: `${NETSUITE_RECORD_PATH}/customer/eid:${toNetsuiteExternalId(customer.externalId)}`,
        body: toNetsuiteCustomer(customer, defaults, { id: '<company customer id>' }),
      },
    );
    decisions.push({
      kind: 'customer',
      subject: customer.externalId,
      outcome: `B2B company location, a sub-customer of ${customer.parentCompany.externalId}; matched on our key`,
    });
    customerId = '<customer id>';
  } else {
    const email = customer.email === undefined ? undefined : normaliseEmail(customer.email);
    const body = toNetsuiteCustomer(customer, defaults);
    if (email !== undefined && email !== '') {
      requests.push({
        operation: 'findCustomer',
        method: 'POST',
        path: `${NETSUITE_SUITEQL_PATH}?limit=${NETSUITE_SUITEQL_MAX_LIMIT}&offset=0`,
        body: { q: customersByEmailQuery([email]) },
        condition: 'batched with the e-mail look-ups of the other orders in flight',
      });
    }
    requests.push({
      operation: 'upsertCustomer',
      method: 'PUT',
      path: `${NETSUITE_RECORD_PATH}/customer/eid:${toNetsuiteExternalId(customer.externalId)}`,
      body,
      condition: email === undefined ? undefined : 'if the e-mail finds no customer; else PATCH …/customer/{id}',
    });
    customerId = '<customer id>';
  }
  const closed = order.status === 'cancelled';
  requests.push({
    operation: closed ? 'cancelSalesOrder' : 'upsertSalesOrder',
    method: 'PUT',
    path: `${NETSUITE_RECORD_PATH}/salesOrder/eid:${toNetsuiteExternalId(order.externalId)}?replace=item`,
    body: toNetsuiteSalesOrder(order, { id: customerId }, ids, defaults, closed),
    condition:
      closed && context.mayExist
        ? 'if NetSuite has no lines of the order yet; else a PATCH closes each line'
        : undefined,
  });
  return { requests, decisions };
}
