import type { ErpOrderMappingCapabilities } from 'src/modules/erp/port/erp-order-mapping';

/**
 * The sandbox ERP simulates NetSuite's sales order and takes every mapping section, so that the whole mapping can
 * be tried (and tested) without a real ERP. The simulation's own `custbody_` fields are never overwritten.
 */
export const SANDBOX_ORDER_MAPPING: ErpOrderMappingCapabilities = {
  sections: ['paymentMethod', 'paymentAccount', 'shipMethod', 'shippingItem', 'taxCode', 'location'],
  fields: [
    { name: 'memo', description: 'memo (default: the Shopify order note)', maxLength: 999 },
    { name: 'poNumber', description: 'otherRefNum, "PO/Check #"', maxLength: 45 },
    { name: 'subsidiary', description: 'subsidiary id' },
    { name: 'department', description: 'department id' },
    { name: 'class', description: 'class id' },
  ],
  customFields: { pattern: /^custbody[a-z0-9_]+$/, example: 'custbody_sales_channel', maxLength: 4000 },
};
