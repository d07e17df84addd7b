import {
  eqFilter,
  orderDocumentNumber,
  toBcCustomerBody,
  toBcOrderLines,
  toBcSalesOrderHeader,
  type BcMappingOptions,
} from 'src/modules/erp/connectors/business-central/business-central.mappers';
import {
  paymentTermsFilter,
  type BcPaymentTermsDirectory,
} from 'src/modules/erp/connectors/business-central/business-central.payment-terms';
import { previewItemIds } from 'src/modules/erp/connectors/shared/preview-items';
import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPreviewContext, ErpRequestPreview, ErpWritePreview } from 'src/modules/erp/port/erp-order-mapping';
import type { ErpCustomerDraft, ErpSalesOrderDraft } from 'src/modules/erp/port/erp.types';

/**
 * @description The requests of the Business Central connector's customer and order writes, built by the same mappers;
 * look-ups (customer by key or e-mail, the order by its document number, SKUs the cross-reference lacks) are shown,
 * not sent.
 */
export async function previewBcOrderWrite(
  connector: {
    companyUrl: string;
    mapping: BcMappingOptions;
    items: ErpItemXref;
    paymentTerms: BcPaymentTermsDirectory;
  },
  customer: ErpCustomerDraft,
  order: ErpSalesOrderDraft,
  context: ErpPreviewContext,
): Promise<ErpWritePreview> {
  const requests: ErpRequestPreview[] = [];
  const { ids, decisions } = await previewItemIds(
    connector.items,
    order.lines.map((line) => line.sku),
    "GET items?$filter=number eq '…'",
  );
  let customerId = context.knownCustomerErpId;
  if (customerId !== undefined) {
    decisions.push({ kind: 'customer', subject: customer.externalId, outcome: `unchanged, held as ${customerId}` });
  } else {
    requests.push({
      operation: 'upsertCustomer',
      method: 'POST',
      path: `${connector.companyUrl}/customers`,
      body: toBcCustomerBody(customer, connector.mapping),
      condition: 'if no customer is found by its key or e-mail; else PATCH customers({id}) with the changes',
    });
    customerId = '<customer id>';
  }
  const termsCode = connector.paymentTerms.codeFor(order.paymentTerms);
  let termsId = termsCode === undefined ? undefined : connector.paymentTerms.knownId(termsCode);
  if (termsCode !== undefined && termsId === undefined) {
    requests.push({
      operation: 'paymentTerms.find',
      method: 'GET',
      path: `${connector.companyUrl}/paymentTerms?$filter=${paymentTermsFilter(termsCode)}`,
      condition: 'once per payment terms code and process',
    });
    termsId = '<payment terms id>';
  }
  const header = toBcSalesOrderHeader(order, customerId, connector.mapping, termsId);
  const lines = toBcOrderLines(order, ids, connector.mapping);
  if (context.mayExist) {
    const filter = eqFilter('externalDocumentNumber', orderDocumentNumber(order));
    requests.push({
      operation: 'salesOrders.find',
      method: 'GET',
      path: `${connector.companyUrl}/salesOrders?$filter=${filter}&$expand=salesOrderLines`,
    });
  }
  requests.push({
    operation: order.status === 'cancelled' ? 'cancelSalesOrder' : 'upsertSalesOrder',
    method: 'POST',
    path: `${connector.companyUrl}/salesOrders`,
    body: { ...header, salesOrderLines: lines },
    condition: context.mayExist
      ? 'if BC has no order with this document number; else PATCH the changed header fields and lines'
      : undefined,
  });
  return { requests, decisions };
}
