import type { ErpOrderMappingCapabilities } from 'src/modules/erp/port/erp-order-mapping';

/**
 * What a mapping may set on a Business Central sales order (API v2.0 `salesOrders`). `externalDocumentNumber` is the
 * connector's key for the order and tax is BC's own calculation, so neither is mappable.
 */
export const BUSINESS_CENTRAL_ORDER_MAPPING: ErpOrderMappingCapabilities = {
  sections: ['shipMethod', 'shippingItem'],
  fields: [{ name: 'salesperson', description: 'salesperson code of the order', maxLength: 20 }],
};
