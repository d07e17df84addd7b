/**
 * What a connector lets an operator's mapping configuration set on the sales orders it writes. Each connector
 * declares its own (`ErpPort.orderMapping`); the mapping module validates a configuration against it on save, so a
 * target the ERP does not have is refused with a field-level error instead of failing orders later.
 */

/** @description The outputs of the mapping's dedicated sections, each written by a connector that declares it. */
export type ErpSectionTarget =
  /** Payment gateway → ERP payment method. */
  | 'paymentMethod'
  /** Payment gateway → ERP account (bank / undeposited funds / G/L account). */
  | 'paymentAccount'
  /** Shipping method → ERP ship method (shipping agent, carrier). */
  | 'shipMethod'
  /** Shipping method → the ERP item or account that carries the shipping charge. */
  | 'shippingItem'
  /** Shopify tax line → ERP tax code, per order line. */
  | 'taxCode'
  /** Shopify location → ERP location the order ships from (any ERP location key: id, code or name). */
  | 'location';

/** @description One order-level field an operator's `fields` mapping may set. */
export interface ErpOrderFieldTarget {
  /** The name the mapping uses (`memo`, `poNumber`, `department`…). */
  name: string;
  /** What the field is in the ERP, for the API's catalogue and docs. */
  description: string;
  /** The ERP's limit; longer values are cut to it when the order is mapped. */
  maxLength?: number;
}

/** @description Custom fields a connector accepts beside its named targets (NetSuite `custbody…`). */
export interface ErpCustomFieldRule {
  pattern: RegExp;
  /** Shown in the validation error, e.g. `custbody_channel`. */
  example: string;
  maxLength?: number;
}

/** @description A connector's mapping capabilities. */
export interface ErpOrderMappingCapabilities {
  /** The dedicated sections this connector writes; a section it lacks may not be configured. */
  sections: readonly ErpSectionTarget[];
  /** Order-level targets of the `fields` mappings. */
  fields: readonly ErpOrderFieldTarget[];
  customFields?: ErpCustomFieldRule;
}

/**
 * @description The mapped values a sales order carries to the connector (all resolved from the shop's active
 * mapping version by the order rules). Absent values leave the connector's environment defaults in place.
 */
export interface ErpMappedOrderFields {
  /** The mapping version that produced these values (recorded with the ERP write). */
  version: number;
  /** Section outputs and `fields` targets, by target name (`shipMethod`, `memo`, `custbody_channel`…). */
  values: Record<string, string>;
}

/** @description One request a connector would send, built by its real request building but not sent. */
export interface ErpRequestPreview {
  /** The port operation it belongs to (`upsertCustomer`, `upsertSalesOrder`…). */
  operation: string;
  method: string;
  /** Path and query, relative to the connector's base URL. */
  path: string;
  body?: unknown;
  /** Why the request is conditional, e.g. "sent only if the e-mail look-up finds no customer". */
  condition?: string;
}

/** @description A decision the connector would take while building the requests (item and customer resolution). */
export interface ErpPreviewDecision {
  kind: 'item' | 'customer' | 'order';
  subject: string;
  outcome: string;
}

/** @description What a connector would send for one order, and why; nothing is sent. */
export interface ErpWritePreview {
  requests: ErpRequestPreview[];
  decisions: ErpPreviewDecision[];
}

/** @description What the caller knows already, so that the preview matches what the writer would do. */
export interface ErpPreviewContext {
  /** The ERP id of the customer when the order writer holds it and its draft is unchanged (no customer write). */
  knownCustomerErpId?: string;
  /** Whether the order may already exist in the ERP (see ErpWriteOptions.mayExist). */
  mayExist: boolean;
}
