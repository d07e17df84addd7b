/**
 * The per-shop mapping configuration: how a Shopify order's values become the values of the ERP's sales order. A
 * configuration is saved as an immutable, numbered version; one version per shop is active and maps the orders.
 */

/** Key that matches every value no other entry of its section names (the section's default). */
export const ANY = '*';

/** @description Payment gateway (Shopify `payment_gateway_names`) → ERP payment method and/or account. */
export interface PaymentGatewayMapping {
  gateway: string;
  paymentMethod?: string;
  account?: string;
}

/** @description Shipping method (Shopify shipping line `code`, else `title`) → ERP ship method and shipping item. */
export interface ShippingMethodMapping {
  shopifyCode: string;
  shipMethod?: string;
  shippingItem?: string;
}

/** @description Shopify tax line title (e.g. `CA State Tax`) → ERP tax code, set on each order line. */
export interface TaxMapping {
  shopifyTitle: string;
  taxCode: string;
}

/**
 * @description Shopify location id ↔ ERP location key (NetSuite internal id, Business Central location code, Cin7
 * location name). Orders: the order's `location_id` picks the ERP location. Stock: the same pairs, read backwards,
 * say which Shopify location an ERP location's quantities go to.
 */
export interface LocationMapping {
  shopifyLocationId: string;
  erpLocation: string;
}

/** @description Where an ERP field's value comes from. */
export type FieldSource =
  /** The value at `path` in the Shopify order (`po_number`, `customer.email`, `note_attributes.Gift`). */
  | { kind: 'direct'; path: string }
  /** Always this value. */
  | { kind: 'constant'; value: string }
  /** The value at `path`, looked up in `table`; unmatched → `default` (absent = field not set). */
  | { kind: 'lookup'; path: string; table: Array<{ key: string; value: string }>; default?: string }
  /** Text with `{{path}}` placeholders, e.g. `Shopify {{name}} via {{source_name}}`. */
  | { kind: 'template'; template: string };

export type FieldSourceKind = FieldSource['kind'];

/** @description One ERP order field (a target the connector declares) and its source. */
export interface FieldMapping {
  target: string;
  source: FieldSource;
}

/** @description A Shopify SKU that the ERP knows under another SKU. */
export interface SkuOverride {
  shopifySku: string;
  erpSku: string;
}

/** @description A whole mapping configuration, as saved in one version. */
export interface OrderMappingConfig {
  paymentGateways: PaymentGatewayMapping[];
  shippingMethods: ShippingMethodMapping[];
  taxes: TaxMapping[];
  locations: LocationMapping[];
  fields: FieldMapping[];
  skuOverrides: SkuOverride[];
}

/** @description A saved version of a shop's mapping. */
export interface MappingVersion {
  shop: string;
  version: number;
  config: OrderMappingConfig;
  /** Who saved it: the API key's principal, or the bootstrap. */
  createdBy: string;
  createdAt: Date;
  note?: string;
}

/** @description A shop's active version, with who activated it and when. */
export interface ActiveMapping extends MappingVersion {
  activatedBy: string;
  activatedAt: Date;
}

/** @description One problem of a configuration, at its field path (`shippingMethods[1].shipMethod`). */
export interface MappingFieldError {
  path: string;
  message: string;
}

export function emptyMappingConfig(): OrderMappingConfig {
  return { paymentGateways: [], shippingMethods: [], taxes: [], locations: [], fields: [], skuOverrides: [] };
}
