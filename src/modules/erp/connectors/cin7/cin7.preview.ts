import {
  toCin7NewCustomer,
  toCin7SaleHeader,
  toCin7SaleOrder,
  type Cin7DocumentDefaults,
} from 'src/modules/erp/connectors/cin7/cin7.mappers';
import { previewItemIds } from 'src/modules/erp/connectors/shared/preview-items';
import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPreviewContext, ErpRequestPreview, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpCustomerDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

/**
 * @description The requests of the Cin7 connector's `upsertCustomer` and `upsertSalesOrder`, built by the same
 * mappers; look-ups (the customer by id, e-mail or name token, the sale by ExternalID, SKUs the cross-reference
 * lacks) are shown, not sent.
 */
export async function previewCin7OrderWrite(
  connector: { items: ErpItemXref; defaults: Cin7DocumentDefaults },
  customer: ErpCustomerDraft,
  order: ErpSalesOrderDraft,
  context: ErpPreviewContext,
): Promise<ErpWritePreview> {
  const requests: ErpRequestPreview[] = [];
  const { ids, decisions } = await previewItemIds(
    connector.items,
    order.lines.map((line) => line.sku),
    'GET product?Sku=',
  );
  let customerId = context.knownCustomerErpId;
  if (customerId !== undefined) {
    decisions.push({ kind: 'customer', subject: customer.externalId, outcome: `unchanged, held as ${customerId}` });
  } else {
    requests.push({
      operation: 'upsertCustomer',
      method: 'POST',
      path: 'customer',
      body: toCin7NewCustomer(customer, connector.defaults),
      condition: 'if no customer is found by its id, e-mail or name token; else PUT customer with its contact',
    });
    customerId = '<CustomerID>';
  }
  const ref = { erpId: customerId, externalId: customer.externalId };
  if (context.mayExist) {
    requests.push({ operation: 'upsertSalesOrder', method: 'GET', path: `saleList?ExternalID=${order.externalId}` });
  }
  requests.push(
    {
      operation: 'upsertSalesOrder',
      method: 'POST',
      path: 'sale',
      body: toCin7SaleHeader(order, ref, connector.defaults),
      condition: context.mayExist ? 'if no sale has the order id; else PUT sale with its ID' : undefined,
    },
    {
      operation: 'upsertSalesOrder',
      method: 'POST',
      path: 'sale/order',
      body: toCin7SaleOrder('<SaleID>', order, ids, connector.defaults),
    },
  );
  if (order.status === 'cancelled') {
    requests.push({ operation: 'cancelSalesOrder', method: 'DELETE', path: 'sale?ID=<SaleID>&Void=true' });
  }
  return { requests, decisions };
}
