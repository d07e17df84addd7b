import type { ErpOrderMappingCapabilities } from 'src/modules/erp/port/erp-order-mapping';

/**
 * What a mapping may set on a Cin7 Core sale (API v2 `POST /sale`, `POST /sale/order`). Cin7 names its locations,
 * tax rules, carriers and additional-charge service products: the mapping's values are those names.
 */
export const CIN7_ORDER_MAPPING: ErpOrderMappingCapabilities = {
  sections: ['shipMethod', 'shippingItem', 'taxCode', 'location'],
  fields: [
    { name: 'poNumber', description: 'CustomerReference (default: the Shopify order name)', maxLength: 256 },
    { name: 'memo', description: 'Note of the sale (default: the Shopify order note)' },
    { name: 'salesRepresentative', description: 'SalesRepresentative', maxLength: 256 },
    { name: 'shippingNotes', description: 'ShippingNotes', maxLength: 256 },
  ],
};
