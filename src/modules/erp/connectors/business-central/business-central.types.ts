/**
 * Entity shapes of Business Central API v2.0 as far as the connector reads or writes them
 * (learn.microsoft.com, api-reference/v2.0/resources; shared/facts/api-facts.md §C). Decimals are JSON numbers.
 */

/** @description How to reach one Business Central company, and the account-specific values orders need. */
export interface BusinessCentralConnectorOptions {
  /** Microsoft Entra tenant (directory) id or domain. */
  tenantId: string;
  /** Environment name, e.g. `Production` or `Sandbox`. */
  environment: string;
  /** Company id (GUID), from `GET …/api/v2.0/companies`. */
  companyId: string;
  /** Entra app registration (client) id, registered in BC's "Microsoft Entra Applications" page. */
  clientId: string;
  /** Entra client secret. Secret. */
  clientSecret: string;
  /** Replaces `https://api.businesscentral.dynamics.com/v2.0` (simulators, sovereign clouds). */
  apiBaseUrl?: string;
  /** Replaces `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`; `{tenantId}` is filled in. */
  tokenUrl?: string;
  /** G/L account number that shipping charges are booked to (an `Account` line). */
  shippingAccountNumber: string;
  /** G/L account for refunds not tied to a restocked item (adjustments, non-restocked lines). Default: shipping. */
  refundAccountNumber?: string;
  /** The company's local currency (LCY): BC wants a blank currency code for it. Default: none (always sent). */
  localCurrencyCode?: string;
  /** Location id reported for `items.inventory` (all locations summed). Default `ALL`. */
  inventoryLocationCode?: string;
  /** Sales shipment field carrying the tracking number, if an extension adds one. Default `packageTrackingNo`. */
  trackingNumberField?: string;
  /** Sales shipment field carrying the carrier, if an extension adds one. Default `shippingAgentCode`. */
  carrierField?: string;
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
