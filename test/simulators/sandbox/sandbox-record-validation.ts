/**
 * What the sandbox ERP (a simulation of NetSuite's REST record API) rejects in a record body, as NetSuite reports
 * it: the first problem found, with NetSuite's error code and the field path.
 */

/** @description A 400 answer's NetSuite details: `detail`, `o:errorCode` and `o:errorPath`. */
export interface RecordProblem {
  detail: string;
  code: string;
  path?: string;
}

type JsonObject = Record<string, unknown>;

const SALES_ORDER_STATUSES = ['open', 'cancelled'];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function missing(field: string): RecordProblem {
  return { detail: `Please enter value(s) for: ${field}`, code: 'USER_ERROR', path: field };
}

export function invalidValue(field: string): RecordProblem {
  return { detail: `Invalid value for field '${field}'.`, code: 'INVALID_VALUE', path: field };
}

export function validateCustomer(body: JsonObject, externalId: string): RecordProblem | undefined {
  if (typeof body.externalId !== 'string' || body.externalId === '') {
    return missing('externalId');
  }
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  if (body.email !== undefined && typeof body.email !== 'string') {
    return invalidValue('email');
  }
  if (body.parent !== undefined && (!isObject(body.parent) || typeof body.parent.externalId !== 'string')) {
    return invalidValue('parent');
  }
  return undefined;
}

export function validateCreditMemo(body: JsonObject, externalId: string): RecordProblem | undefined {
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  const createdFrom = body.createdFrom;
  if (!isObject(createdFrom) || typeof createdFrom.externalId !== 'string' || createdFrom.externalId === '') {
    return missing('createdFrom');
  }
  if (typeof body.total !== 'number' || !Number.isFinite(body.total)) {
    return missing('total');
  }
  return undefined;
}

/**
 * Checks what NetSuite would reject for a return authorization created from a sales order: the order named, and
 * item lines with a known SKU and a positive quantity. It carries no money (rate 0) in this product.
 */
export function validateReturnAuthorization(
  body: JsonObject,
  externalId: string,
  hasItem: (sku: string) => boolean,
): RecordProblem | undefined {
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  const createdFrom = body.createdFrom;
  if (!isObject(createdFrom) || typeof createdFrom.externalId !== 'string' || createdFrom.externalId === '') {
    return missing('createdFrom');
  }
  const item = body.item;
  if (!isObject(item) || !Array.isArray(item.items) || item.items.length === 0) {
    return missing('item');
  }
  for (const line of item.items as unknown[]) {
    if (!isObject(line) || !isObject(line.item) || typeof line.item.externalId !== 'string') {
      return missing('item.items.item');
    }
    if (!hasItem(line.item.externalId)) {
      return invalidValue('item.items.item');
    }
    if (typeof line.quantity !== 'number' || !(line.quantity > 0)) {
      return invalidValue('item.items.quantity');
    }
    if (line.rate !== 0) {
      return invalidValue('item.items.rate');
    }
  }
  return undefined;
}

/** Checks what NetSuite would reject for a sales order; `hasItem` says whether a SKU is in the item catalog. */
export function validateSalesOrder(
  body: JsonObject,
  externalId: string,
  hasItem: (sku: string) => boolean,
): RecordProblem | undefined {
  return validateSalesOrderHeader(body, externalId) ?? validateSalesOrderLines(body, hasItem);
}

function validateSalesOrderHeader(body: JsonObject, externalId: string): RecordProblem | undefined {
  for (const field of ['externalId', 'tranId', 'tranDate', 'currency', 'status', 'custbody_source_updated_at']) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      return missing(field);
    }
  }
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(body.tranDate))) {
    return invalidValue('tranDate');
  }
  if (!SALES_ORDER_STATUSES.includes(String(body.status))) {
    return invalidValue('status');
  }
  if (Number.isNaN(Date.parse(String(body.custbody_source_updated_at)))) {
    return invalidValue('custbody_source_updated_at');
  }
  // The customer is referenced, not checked for existence: the app caches customer ids across sandbox resets,
  // and a reference check would turn every reset into a wave of permanent failures that real use never sees.
  const entity = body.entity;
  if (!isObject(entity) || typeof entity.externalId !== 'string' || entity.externalId === '') {
    return missing('entity');
  }
  if (typeof body.total !== 'number' || !Number.isFinite(body.total)) {
    return missing('total');
  }
  return undefined;
}

function validateSalesOrderLines(body: JsonObject, hasItem: (sku: string) => boolean): RecordProblem | undefined {
  const item = body.item;
  if (!isObject(item) || !Array.isArray(item.items)) {
    return missing('item');
  }
  for (const line of item.items as unknown[]) {
    if (!isObject(line) || !isObject(line.item) || typeof line.item.externalId !== 'string') {
      return missing('item');
    }
    if (typeof line.quantity !== 'number' || !Number.isFinite(line.quantity)) {
      return invalidValue('quantity');
    }
    for (const amountField of ['rate', 'amount']) {
      const amount = line[amountField];
      if (amount !== undefined && (typeof amount !== 'number' || !Number.isFinite(amount))) {
        return invalidValue(amountField);
      }
    }
    if (!hasItem(line.item.externalId)) {
      return {
        detail: `Invalid value for field 'item': unknown item SKU '${line.item.externalId}'`,
        code: 'INVALID_KEY_OR_REF',
        path: 'item',
      };
    }
  }
  return undefined;
}

/**
 * What NetSuite would reject for a customer deposit: no sales order (or one it does not hold), no positive `payment`.
 * `hasSalesOrder` says whether the sandbox holds a sales order with that external id.
 */
export function validateCustomerDeposit(
  body: JsonObject,
  externalId: string,
  hasSalesOrder: (externalId: string) => boolean,
): RecordProblem | undefined {
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  const salesOrder = body.salesOrder;
  if (!isObject(salesOrder) || typeof salesOrder.externalId !== 'string' || salesOrder.externalId === '') {
    return missing('salesOrder');
  }
  if (!hasSalesOrder(salesOrder.externalId)) {
    return invalidValue('salesOrder');
  }
  if (typeof body.payment !== 'number' || !Number.isFinite(body.payment) || body.payment <= 0) {
    return missing('payment');
  }
  return undefined;
}

/**
 * NetSuite's `deposit`: the bank `account`, a `tranDate`, and `other` / `cashBack` sublists whose lines each name an
 * account and carry a positive amount (Cash Back amounts credit their account; a negative one is refused).
 */
export function validateDeposit(body: JsonObject, externalId: string): RecordProblem | undefined {
  if (body.externalId !== externalId) {
    return invalidValue('externalId');
  }
  if (!isObject(body.account) || typeof body.account.id !== 'string' || body.account.id === '') {
    return missing('account');
  }
  if (typeof body.tranDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.tranDate)) {
    return invalidValue('tranDate');
  }
  for (const sublist of ['other', 'cashBack']) {
    const list = body[sublist];
    if (list === undefined) {
      continue;
    }
    if (!isObject(list) || !Array.isArray(list.items)) {
      return invalidValue(sublist);
    }
    for (const line of list.items as unknown[]) {
      if (!isObject(line) || !isObject(line.account) || typeof line.account.id !== 'string') {
        return missing(`${sublist}.account`);
      }
      if (typeof line.amount !== 'number' || !Number.isFinite(line.amount) || line.amount <= 0) {
        return invalidValue(`${sublist}.amount`);
      }
    }
  }
  return undefined;
}
