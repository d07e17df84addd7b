/**
 * Cin7 Core (formerly DEAR Inventory) API v2 wire shapes, as far as this connector reads or writes them. Field names
 * follow Cin7's documentation (dearinventory.docs.apiary.io, and the apiary text embedded in
 * FalconEyeSolutions/CIN7-DearInventory `api/openapi.yaml`). Every field is optional on the way in: Cin7 omits
 * empty ones, and the connector must not crash on a record it only half understands.
 */

/** @description A postal address as Cin7 sales and customers carry it. */
export interface Cin7Address {
  Line1?: string;
  Line2?: string;
  City?: string;
  State?: string;
  Postcode?: string;
  Country?: string;
  Company?: string;
  Contact?: string;
  /** Customer addresses only: `Billing`, `Business` or `Shipping`. */
  Type?: string;
  DefaultForType?: boolean;
}

/** @description A customer contact (Cin7 keeps email and phone on contacts, not on the customer). */
export interface Cin7Contact {
  ID?: string;
  Name?: string;
  Phone?: string;
  MobilePhone?: string;
  Email?: string;
  Default?: boolean;
  IncludeInEmail?: boolean;
}

/** @description `GET /customer` list entry and `POST`/`PUT /customer` body. */
export interface Cin7Customer {
  ID?: string;
  Name?: string;
  Status?: string;
  Currency?: string;
  PaymentTerm?: string;
  AccountReceivable?: string;
  RevenueAccount?: string;
  TaxRule?: string;
  PriceTier?: string;
  Location?: string;
  Comments?: string;
  LastModifiedOn?: string;
  Contacts?: Cin7Contact[];
  Addresses?: Cin7Address[];
}

export interface Cin7CustomerListResponse {
  Total?: number;
  Page?: number;
  CustomerList?: Cin7Customer[];
}

/** @description `GET /product` entry (only the fields the connector maps). */
export interface Cin7Product {
  ID?: string;
  SKU?: string;
  Name?: string;
  Barcode?: string | null;
  Status?: string;
  PriceTier1?: number;
  PriceTier2?: number;
  PriceTier3?: number;
  PriceTier4?: number;
  PriceTier5?: number;
  PriceTier6?: number;
  PriceTier7?: number;
  PriceTier8?: number;
  PriceTier9?: number;
  PriceTier10?: number;
  PriceTiers?: Record<string, number>;
  AverageCost?: number;
  /** Weight of one unit, in `WeightUnits`. */
  Weight?: number | null;
  /** Unit of `Weight` (e.g. `g`, `kg`, `oz`, `lb`). */
  WeightUnits?: string | null;
  LastModifiedOn?: string;
}

export interface Cin7ProductListResponse {
  Total?: number;
  Page?: number;
  Products?: Cin7Product[];
}

/** @description `GET /productFamily` entry: a product family groups the variants of one product. */
export interface Cin7ProductFamily {
  ID?: string;
  SKU?: string;
  Name?: string;
  Option1Name?: string | null;
  Option2Name?: string | null;
  Option3Name?: string | null;
  Products?: Array<{
    ID?: string;
    SKU?: string;
    Name?: string;
    Option1?: string | null;
    Option2?: string | null;
    Option3?: string | null;
  }>;
}

export interface Cin7ProductFamilyListResponse {
  Total?: number;
  Page?: number;
  ProductFamilies?: Cin7ProductFamily[];
}

/** @description `GET /ref/productavailability` row: one product × location × batch/bin. */
export interface Cin7AvailabilityRow {
  ID?: string;
  SKU?: string;
  Name?: string;
  Barcode?: string | null;
  Location?: string;
  Bin?: string | null;
  Batch?: string | null;
  OnHand?: number;
  Allocated?: number;
  Available?: number;
  OnOrder?: number;
  StockOnHand?: number;
  InTransit?: number;
}

export interface Cin7AvailabilityResponse {
  Total?: number;
  Page?: number;
  ProductAvailabilityList?: Cin7AvailabilityRow[];
}

/** @description `GET /saleList` entry. */
export interface Cin7SaleListEntry {
  SaleID?: string;
  OrderNumber?: string;
  Status?: string;
  OrderStatus?: string;
  CustomerID?: string;
  Customer?: string;
  ExternalID?: string | null;
  CustomerReference?: string | null;
  OrderDate?: string;
  Updated?: string;
  CombinedPickingStatus?: string;
  CombinedPackingStatus?: string;
  CombinedShippingStatus?: string;
  CombinedInvoiceStatus?: string;
  CombinedTrackingNumbers?: string | null;
}

export interface Cin7SaleListResponse {
  Total?: number;
  Page?: number;
  SaleList?: Cin7SaleListEntry[];
}

/** @description A sale order line (also used for credit note lines). `Discount` is a percentage (0–100). */
export interface Cin7SaleLine {
  ProductID?: string;
  SKU?: string;
  Name?: string;
  Quantity?: number;
  Price?: number;
  Discount?: number;
  Tax?: number;
  TaxRule?: string;
  Total?: number;
  Comment?: string;
}

/** @description Shipping and other non-product charges. `Discount` is a percentage, as on lines. */
export interface Cin7AdditionalCharge {
  Description?: string;
  Price?: number;
  Quantity?: number;
  Discount?: number;
  Tax?: number;
  TaxRule?: string;
  Total?: number;
  Comment?: string;
}

/** @description `POST /sale` / `PUT /sale` body: the sale header. */
export interface Cin7SaleHeader {
  ID?: string;
  CustomerID?: string;
  Customer?: string;
  Email?: string;
  Phone?: string;
  Location?: string;
  TaxRule?: string;
  TaxInclusive?: boolean;
  SkipQuote?: boolean;
  ExternalID?: string;
  CustomerReference?: string;
  /** Payment term name (`/ref/paymentterm`); absent = the customer's. */
  Terms?: string;
  SaleOrderDate?: string;
  Note?: string;
  Currency?: string;
  /** Base-currency units for one customer-currency unit (Cin7 Core's sale `CurrencyRate`). */
  CurrencyRate?: number;
  Carrier?: string;
  SalesRepresentative?: string;
  ShippingNotes?: string;
  BillingAddress?: Cin7Address;
  ShippingAddress?: Cin7Address;
}

/** @description `POST /sale/order` body and the `Order` of a sale. */
export interface Cin7SaleOrder {
  SaleID?: string;
  SaleOrderNumber?: string;
  Memo?: string;
  Status?: string;
  Lines?: Cin7SaleLine[];
  AdditionalCharges?: Cin7AdditionalCharge[];
  TotalBeforeTax?: number;
  Tax?: number;
  Total?: number;
}

/**
 * @description `POST /sale/payment` body, and a payment line as `GET /sale/payment?SaleID=` lists them (a bare array).
 * For a `PREPAYMENT` (a payment against the order, before any invoice) `TaskID` is the sale's ID.
 */
export interface Cin7SalePayment {
  ID?: string;
  TaskID?: string;
  /** `PREPAYMENT`, `PAYMENT` (against an invoice) or `REFUND`. */
  Type?: string;
  Reference?: string;
  /** In the customer's currency, up to 2 decimals. */
  Amount?: number;
  DatePaid?: string;
  /** Account code of the bank / payment account in the chart of accounts. */
  Account?: string;
  /** Base currency units per customer currency unit. */
  CurrencyRate?: number;
  DateCreated?: string;
}

/** @description `POST /sale/creditnote` body and a sale's credit note. `TaskID` of the body is the sale's ID. */
export interface Cin7CreditNote {
  TaskID?: string;
  CreditNoteNumber?: string;
  CreditNoteDate?: string;
  Memo?: string;
  Status?: string;
  Lines?: Cin7SaleLine[];
  AdditionalCharges?: Cin7AdditionalCharge[];
  TotalBeforeTax?: number;
  Tax?: number;
  Total?: number;
}

/** @description One box line of a fulfilment's Ship step. */
export interface Cin7ShipLine {
  ID?: string;
  ShipmentDate?: string | null;
  Carrier?: string | null;
  Boxes?: string | null;
  TrackingNumber?: string | null;
  TrackingURL?: string | null;
  IsShipped?: boolean;
}

/** @description A fulfilment of a sale (pick → pack → ship). */
export interface Cin7Fulfilment {
  TaskID?: string;
  FulfillmentNumber?: number;
  Pick?: { Status?: string; Lines?: Array<{ ProductID?: string; SKU?: string; Quantity?: number }> };
  Pack?: { Status?: string; Lines?: Array<{ ProductID?: string; SKU?: string; Quantity?: number; Box?: string }> };
  Ship?: { Status?: string; Lines?: Cin7ShipLine[] };
}

/** @description `GET /sale?ID=` (the parts the connector reads). */
export interface Cin7Sale extends Cin7SaleHeader {
  Status?: string;
  LastModifiedOn?: string;
  Order?: Cin7SaleOrder | null;
  Fulfilments?: Cin7Fulfilment[];
  CreditNotes?: Cin7CreditNote[];
}

/** @description Cin7's error body: a JSON array of `{ ErrorCode, Exception }`. */
export interface Cin7ErrorEntry {
  ErrorCode?: number;
  Exception?: string;
}
