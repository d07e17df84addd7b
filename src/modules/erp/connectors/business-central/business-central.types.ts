import type { BusinessCentralConfig } from 'src/config/app-config';

/**
 * Entity shapes of Business Central API v2.0 as far as the connector reads or writes them
 * (learn.microsoft.com, api-reference/v2.0/resources). Decimals are JSON numbers.
 */

/**
 * @description The Business Central section of the configuration (src/config, docs/connectors/business-central.md
 * lists the variables), plus what only tests set.
 */
export interface BusinessCentralConnectorOptions extends BusinessCentralConfig {
  /** Separator between item number and variant code in variant SKUs. Default `-`. */
  variantSkuSeparator?: string;
}

/** Every entity carries its ETag; PATCH and DELETE need it back as If-Match. */
export interface BcEntity {
  id: string;
  '@odata.etag'?: string;
}

export interface BcCollection<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export interface BcCustomer extends BcEntity {
  number?: string;
  displayName: string;
  type?: 'Person' | 'Company';
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  country?: string;
  postalCode?: string;
  phoneNumber?: string;
  email?: string;
  currencyCode?: string;
  lastModifiedDateTime?: string;
}

/** The writable customer fields the connector sets. */
export type BcCustomerBody = Omit<BcCustomer, 'id' | '@odata.etag' | 'number' | 'lastModifiedDateTime'>;

export type BcLineType = 'Comment' | 'Account' | 'Item' | 'Resource' | 'Fixed Asset' | 'Charge';

export interface BcDocumentLine extends BcEntity {
  documentId?: string;
  sequence?: number;
  lineType: BcLineType;
  itemId?: string;
  itemVariantId?: string;
  lineObjectNumber?: string;
  description?: string;
  quantity?: number;
  unitPrice?: number;
  discountAmount?: number;
  /** Read-only: how much of the line BC has shipped and invoiced (posted shipments and invoices). */
  shippedQuantity?: number;
  invoicedQuantity?: number;
}

/** Header fields of a sales order the connector writes. */
export interface BcSalesOrderHeader {
  externalDocumentNumber: string;
  orderDate: string;
  customerId: string;
  currencyCode?: string;
  email?: string;
  phoneNumber?: string;
  billToName?: string;
  billToAddressLine1?: string;
  billToAddressLine2?: string;
  billToCity?: string;
  billToState?: string;
  billToCountry?: string;
  billToPostCode?: string;
  shipToName?: string;
  shipToContact?: string;
  shipToAddressLine1?: string;
  shipToAddressLine2?: string;
  shipToCity?: string;
  shipToState?: string;
  shipToCountry?: string;
  shipToPostCode?: string;
  /** Shipment method (GUID), from the shop's shipping mapping. */
  shipmentMethodId?: string;
  /** Salesperson code, from the shop's field mapping. */
  salesperson?: string;
  /** B2B: the order's payment terms (a `paymentTerms` id). */
  paymentTermsId?: string;
}

export interface BcSalesOrder extends BcEntity, BcSalesOrderHeader {
  number?: string;
  status?: string;
  lastModifiedDateTime?: string;
  totalAmountIncludingTax?: number;
  salesOrderLines?: BcDocumentLine[];
}

export interface BcSalesCreditMemo extends BcEntity {
  number?: string;
  externalDocumentNumber: string;
  creditMemoDate?: string;
  customerId?: string;
  currencyCode?: string;
  salesCreditMemoLines?: BcDocumentLine[];
}

export interface BcItem extends BcEntity {
  number: string;
  displayName: string;
  type?: string;
  blocked?: boolean;
  gtin?: string;
  inventory?: number;
  unitPrice?: number;
  unitCost?: number;
  lastModifiedDateTime: string;
  itemVariants?: BcItemVariant[];
}

export interface BcItemVariant extends BcEntity {
  itemId: string;
  itemNumber?: string;
  code: string;
  description?: string;
}

export interface BcSalesShipmentLine extends BcEntity {
  lineType?: BcLineType;
  lineObjectNumber?: string;
  description?: string;
  quantity?: number;
}

/** A posted sales shipment; extension fields (tracking) are read by name from the options. */
export interface BcSalesShipment extends BcEntity {
  number?: string;
  externalDocumentNumber?: string;
  orderNumber?: string;
  postingDate?: string;
  shipmentDate?: string;
  lastModifiedDateTime: string;
  salesShipmentLines?: BcSalesShipmentLine[];
  [extensionField: string]: unknown;
}

export interface BcSubscription {
  subscriptionId: string;
  notificationUrl: string;
  resource: string;
  clientState?: string;
  expirationDateTime?: string;
  '@odata.etag'?: string;
}

/** One entry of a webhook notification body `{ "value": [...] }`. */
export interface BcNotification {
  subscriptionId?: string;
  clientState?: string;
  expirationDateTime?: string;
  resource?: string;
  changeType?: string;
  lastModifiedDateTime?: string;
}
