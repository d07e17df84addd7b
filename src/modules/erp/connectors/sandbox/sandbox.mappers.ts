import {
  stripUndefined,
  toAmount,
  toNetsuiteAddress,
  toTranDate,
  type NetsuiteAddress,
  type NetsuiteCustomerBody,
} from 'src/modules/erp/connectors/netsuite/netsuite.mappers';
import { mappedPaymentTerms } from 'src/modules/erp/connectors/shared/payment-terms';
import type {
  ErpCompanyDraft,
  ErpCustomerDraft,
  ErpPaymentDraft,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpSalesOrderDraft,
  ErpSalesOrderStatus,
} from 'src/modules/erp/port/erp.types';

/*
 * The sandbox ERP simulates NetSuite's REST record API, so its bodies use NetSuite's field names, and dates, amounts
 * and addresses are mapped by NetSuite's own helpers. Only the record shapes differ: the simulation references items
 * and customers by external id and keeps a few custom fields that test oracles read.
 */

/**
 * @description Body of `PUT /services/rest/record/v1/customer/eid:{externalId}` on the sandbox ERP: NetSuite's
 * customer fields, with the external id and the currency code in the body.
 */
export interface SandboxCustomerBody extends Omit<NetsuiteCustomerBody, 'subsidiary' | 'currency' | 'parent'> {
  externalId: string;
  /** B2B: a company location's customer is a sub-customer of its company's, referenced by external id. */
  parent?: { externalId: string };
  /** ISO 4217 code (NetSuite would take a currency record reference; the simulation keeps the code). */
  currency: string;
  addressBook?: {
    items: Array<{ defaultBilling: boolean; defaultShipping: boolean; addressBookAddress: NetsuiteAddress }>;
  };
}

/** @description One item line of a sandbox sales order (NetSuite `item` sublist). */
export interface SandboxSalesOrderLine {
  /** The item, referenced by its SKU as external id. */
  item: { externalId: string };
  quantity: number;
  /** Unit price before discounts. */
  rate: number;
  /** quantity × rate − custcol_discount. */
  amount: number;
  custcol_discount: number;
  custcol_tax: number;
  description: string;
  custcol_shopify_line_id: string;
  taxCode?: { id: string };
}

/** @description One shipping charge of a sandbox sales order. */
export interface SandboxShippingLine {
  code: string;
  description: string;
  amount: number;
  custcol_discount: number;
  custcol_tax: number;
  shipMethod?: { id: string };
  shippingItem?: { id: string };
}

/** @description Body of `PUT /services/rest/record/v1/salesOrder/eid:{externalId}` on the sandbox ERP. */
export interface SandboxSalesOrderBody {
  externalId: string;
  /** Customer-facing reference: Shopify's order name (`#1001`). */
  tranId: string;
  /** `YYYY-MM-DD`, the order's local date in the shop's time zone. */
  tranDate: string;
  currency: string;
  entity: { externalId: string };
  email?: string;
  memo?: string;
  status: ErpSalesOrderStatus;
  /** Shopify `updated_at` of the state this record holds; the staleness watermark test oracles compare. */
  custbody_source_updated_at: string;
  custbody_financial_status?: string;
  custbody_taxes_included: boolean;
  custbody_discount_codes: string;
  custbody_cancel_reason?: string;
  item: { items: SandboxSalesOrderLine[] };
  shippingLines: { items: SandboxShippingLine[] };
  billingAddress?: NetsuiteAddress;
  shippingAddress?: NetsuiteAddress;
  /** The B2B order's PO number, or what the shop's mapping sets (NetSuite's field names). */
  otherRefNum?: string;
  /** B2B: the payment terms, when ERP_PAYMENT_TERMS_MAP gives the term's id (as NetSuite's `terms`). */
  terms?: { id: string };
  /** B2B: Shopify's payment terms name, kept whether mapped or not (the simulation's own field). */
  custbody_payment_terms?: string;
  subsidiary?: { id: string };
  department?: { id: string };
  class?: { id: string };
  location?: { id: string };
  paymentMethod?: { id: string };
  account?: { id: string };
  subtotal: number;
  discountTotal: number;
  shippingCost: number;
  taxTotal: number;
  total: number;
  /** Shop-currency units per document-currency unit, for an order written in its presentment currency. */
  exchangeRate?: number;
  /** The shop currency and Shopify's total in it, beside the document's own currency and total. */
  custbody_shop_currency?: string;
  custbody_shop_total?: number;
}

/**
 * @description Maps a customer draft to the sandbox ERP's customer body. Pure. A B2B company location is a company
 * under its company's customer (`parent`), as on NetSuite.
 */
export function toSandboxCustomer(draft: ErpCustomerDraft): SandboxCustomerBody {
  const address = draft.billingAddress === undefined ? undefined : toNetsuiteAddress(draft.billingAddress);
  return {
    externalId: draft.externalId,
    ...(draft.parentCompany === undefined ? {} : { parent: { externalId: draft.parentCompany.externalId } }),
    isPerson: draft.company === undefined,
    firstName: draft.firstName,
    lastName: draft.lastName,
    companyName: draft.company,
    email: draft.email,
    phone: draft.phone,
    currency: draft.currency,
    addressBook:
      address === undefined
        ? undefined
        : { items: [{ defaultBilling: true, defaultShipping: false, addressBookAddress: address }] },
  };
}

/** @description B2B: the body of a company's own customer, the parent of its locations' customers. Pure. */
export function toSandboxCompanyCustomer(
  draft: ErpCustomerDraft & { parentCompany: ErpCompanyDraft },
): SandboxCustomerBody {
  return {
    externalId: draft.parentCompany.externalId,
    isPerson: false,
    companyName: draft.parentCompany.name,
    currency: draft.currency,
  };
}

/**
 * @description Maps a sales order draft to the sandbox ERP's sales order body, referencing the customer by its
 * external id. Pure; the status is the draft's (the connector sets it per operation). Money strings become JSON
 * numbers, as NetSuite expects; no arithmetic is done on them, so no rounding is introduced.
 */
export function toSandboxSalesOrder(
  draft: ErpSalesOrderDraft,
  customer: ErpRecordRef,
  paymentTermsMap?: Readonly<Record<string, string>>,
): SandboxSalesOrderBody {
  const mapped = draft.mapped?.values ?? {};
  const custom = Object.fromEntries(Object.entries(mapped).filter(([field]) => /^custbody[a-z0-9_]+$/.test(field)));
  // Custom fields first: the simulation's own custbody_ fields below always win.
  return {
    ...custom,
    ...stripUndefined({
      otherRefNum: mapped.poNumber ?? draft.purchaseOrderNumber,
      terms: ref(mappedPaymentTerms(draft.paymentTerms, paymentTermsMap)),
      custbody_payment_terms: draft.paymentTerms?.name,
      subsidiary: ref(mapped.subsidiary),
      department: ref(mapped.department),
      class: ref(mapped.class),
      location: ref(mapped.location),
      paymentMethod: ref(mapped.paymentMethod),
      account: ref(mapped.paymentAccount),
    }),
    externalId: draft.externalId,
    tranId: draft.reference,
    tranDate: toTranDate(draft.orderDate),
    currency: draft.currency,
    entity: { externalId: customer.externalId },
    email: draft.email,
    memo: mapped.memo ?? draft.note,
    status: draft.status,
    custbody_source_updated_at: draft.sourceUpdatedAt,
    custbody_financial_status: draft.financialStatus,
    custbody_taxes_included: draft.taxesIncluded,
    custbody_discount_codes: draft.discountCodes.join(','),
    custbody_cancel_reason: draft.cancelReason,
    item: {
      items: draft.lines.map((line) => ({
        item: { externalId: line.sku },
        quantity: line.quantity,
        rate: toAmount(line.unitPrice, 'rate'),
        amount: toAmount(line.lineTotal, 'amount'),
        custcol_discount: toAmount(line.discountAmount, 'custcol_discount'),
        custcol_tax: toAmount(line.taxAmount, 'custcol_tax'),
        description: line.description,
        custcol_shopify_line_id: line.externalLineId,
        ...stripUndefined({ taxCode: ref(line.taxCode) }),
      })),
    },
    shippingLines: {
      items: draft.shippingLines.map((shipping) => ({
        code: shipping.code,
        description: shipping.description,
        amount: toAmount(shipping.amount, 'shippingLines.amount'),
        custcol_discount: toAmount(shipping.discountAmount, 'shippingLines.custcol_discount'),
        custcol_tax: toAmount(shipping.taxAmount, 'shippingLines.custcol_tax'),
        ...stripUndefined({ shipMethod: ref(mapped.shipMethod), shippingItem: ref(mapped.shippingItem) }),
      })),
    },
    billingAddress: draft.billingAddress === undefined ? undefined : toNetsuiteAddress(draft.billingAddress),
    shippingAddress: draft.shippingAddress === undefined ? undefined : toNetsuiteAddress(draft.shippingAddress),
    subtotal: toAmount(draft.subtotal, 'subtotal'),
    discountTotal: toAmount(draft.discountTotal, 'discountTotal'),
    shippingCost: toAmount(draft.shippingTotal, 'shippingCost'),
    taxTotal: toAmount(draft.taxTotal, 'taxTotal'),
    total: toAmount(draft.total, 'total'),
    ...(draft.currencies === undefined
      ? {}
      : {
          exchangeRate:
            draft.currency === draft.currencies.shopCurrency
              ? 1
              : toAmount(draft.currencies.exchangeRate, 'exchangeRate'),
          custbody_shop_currency: draft.currencies.shopCurrency,
          custbody_shop_total: toAmount(draft.currencies.shopTotal, 'custbody_shop_total'),
        }),
  };
}

/** @description Body of `PUT /services/rest/record/v1/creditMemo/eid:{externalId}` on the sandbox ERP. */
export interface SandboxCreditMemoBody {
  externalId: string;
  tranDate: string;
  currency: string;
  createdFrom: { externalId: string };
  entity: { externalId: string };
  memo?: string;
  item: {
    items: Array<{
      item: { externalId: string };
      quantity: number;
      amount: number;
      custcol_tax: number;
      custcol_restock: boolean;
    }>;
  };
  shippingCost: number;
  custbody_adjustment: number;
  taxTotal: number;
  total: number;
}

/** @description Maps a refund draft to the sandbox ERP's credit memo body, created from the sales order. Pure. */
export function toSandboxCreditMemo(draft: ErpRefundDraft): SandboxCreditMemoBody {
  return {
    externalId: `shopify-refund-${draft.externalId}`,
    tranDate: toTranDate(draft.refundDate),
    currency: draft.currency,
    createdFrom: { externalId: draft.orderExternalId },
    entity: { externalId: draft.customerExternalId },
    memo: draft.note,
    item: {
      items: draft.lines.map((line) => ({
        item: { externalId: line.sku },
        quantity: line.quantity,
        amount: toAmount(line.amount, 'amount'),
        custcol_tax: toAmount(line.taxAmount, 'custcol_tax'),
        custcol_restock: line.restock,
      })),
    },
    shippingCost: toAmount(draft.shippingAmount, 'shippingCost'),
    custbody_adjustment: toAmount(draft.adjustmentAmount, 'custbody_adjustment'),
    taxTotal: toAmount(draft.taxTotal, 'taxTotal'),
    total: toAmount(draft.total, 'total'),
  };
}

function ref(id: string | undefined): { id: string } | undefined {
  return id === undefined || id === '' ? undefined : { id };
}

/** @description Body of `PUT /services/rest/record/v1/returnAuthorization/eid:{externalId}` on the sandbox ERP. */
export interface SandboxReturnAuthorizationBody {
  externalId: string;
  tranId: string;
  tranDate: string;
  createdFrom: { externalId: string };
  entity: { externalId: string };
  memo: string;
  item: {
    items: Array<{
      item: { externalId: string };
      quantity: number;
      /** No money on the authorisation: the refund's credit memo carries it. */
      rate: 0;
      description: string;
      custcol_restock: boolean;
      custcol_return_reason?: string;
    }>;
  };
}

/**
 * @description Maps a return draft to the sandbox ERP's return authorization (as NetSuite's `returnAuthorization`),
 * created from the sales order, upserted by `shopify-return-{id}`. Lines carry no money. Pure.
 */
export function toSandboxReturnAuthorization(draft: ErpReturnDraft): SandboxReturnAuthorizationBody {
  return {
    externalId: `shopify-return-${draft.externalId}`,
    tranId: draft.name,
    tranDate: toTranDate(draft.returnDate),
    createdFrom: { externalId: draft.orderExternalId },
    entity: { externalId: draft.customerExternalId },
    memo: `Shopify return ${draft.name} of order ${draft.orderReference}`,
    item: {
      items: draft.lines.map((line) => ({
        item: { externalId: line.sku },
        quantity: line.quantity,
        rate: 0,
        description: line.description,
        custcol_restock: line.restock,
        ...(line.reason === undefined ? {} : { custcol_return_reason: line.reason }),
      })),
    },
  };
}

/** @description The sandbox ERP's customer deposit: NetSuite's `customerDeposit`, linked by external ids. */
export interface SandboxCustomerDepositBody {
  externalId: string;
  tranDate: string;
  currency: string;
  salesOrder: { externalId: string };
  customer: { externalId: string };
  payment: number;
  paymentMethod?: { id: string };
  memo: string;
}

/**
 * @description Maps a tender to the sandbox ERP's customer deposit against its sales order (NetSuite's
 * `customerDeposit` with `salesOrder`, `payment`, `paymentMethod`), keyed `shopify-tx-<transaction id>`. Pure.
 */
export function toSandboxCustomerDeposit(draft: ErpPaymentDraft): SandboxCustomerDepositBody {
  return stripUndefined({
    externalId: paymentExternalId(draft.externalId),
    tranDate: toTranDate(draft.paidAt),
    currency: draft.currency,
    salesOrder: { externalId: draft.orderExternalId },
    customer: { externalId: draft.customerExternalId },
    payment: toAmount(draft.amount, 'payment'),
    paymentMethod: draft.paymentMethod === undefined ? undefined : { id: draft.paymentMethod },
    memo: `Shopify ${draft.gateway} tender of ${draft.orderReference}`,
  });
}

/** The external id of a tender's deposit: `shopify-tx-<Shopify transaction id>`. */
export function paymentExternalId(shopifyTransactionId: string): string {
  return `shopify-tx-${shopifyTransactionId}`;
}
