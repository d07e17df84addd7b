import type { ErpOrderMappingCapabilities } from 'src/modules/erp/port/erp-order-mapping';

/**
 * What a mapping may set on a NetSuite sales order (REST record `salesOrder`): references by internal id, text
 * fields as they are. `custbody…` custom body fields are free text; the field holding Shopify's `updated_at`
 * (NETSUITE_SOURCE_UPDATED_AT_FIELD) is the connector's and is never overwritten by a mapping.
 */
export const NETSUITE_ORDER_MAPPING: ErpOrderMappingCapabilities = {
  sections: ['paymentMethod', 'shipMethod', 'taxCode', 'location'],
  fields: [
    { name: 'memo', description: 'memo (printed on the order)', maxLength: 999 },
    { name: 'poNumber', description: 'otherRefNum, "PO/Check #" (default: the Shopify order name)', maxLength: 45 },
    { name: 'subsidiary', description: 'subsidiary internal id (OneWorld)' },
    { name: 'department', description: 'department internal id' },
    { name: 'class', description: 'class internal id' },
    { name: 'salesRep', description: 'sales rep (employee) internal id' },
    { name: 'discountItem', description: 'discount item internal id placed after each discounted line' },
  ],
  customFields: { pattern: /^custbody[a-z0-9_]+$/, example: 'custbody_sales_channel', maxLength: 4000 },
};
