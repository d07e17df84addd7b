/*
 * Whether NetSuite may still change a sales order, from its `orderStatus` (REST record API: a select field,
 * `{ "id": "B", "refName": "Pending Fulfillment" }`). The values are NetSuite's SalesOrderOrderStatus: A pending
 * approval, B pending fulfillment, C cancelled, D partially fulfilled, E pending billing / partially fulfilled,
 * F pending billing, G billed, H closed. Only A and B have nothing fulfilled or billed against them.
 */

const STATUS_BY_ID: Readonly<Record<string, { name: string; editable: boolean }>> = {
  A: { name: 'Pending Approval', editable: true },
  B: { name: 'Pending Fulfillment', editable: true },
  C: { name: 'Cancelled', editable: false },
  D: { name: 'Partially Fulfilled', editable: false },
  E: { name: 'Pending Billing/Partially Fulfilled', editable: false },
  F: { name: 'Pending Billing', editable: false },
  G: { name: 'Billed', editable: false },
  H: { name: 'Closed', editable: false },
};

/** The same statuses as the SOAP/SuiteScript enum names (`pendingFulfillment`), which some accounts' answers carry. */
const ID_BY_NAME: Readonly<Record<string, string>> = {
  pendingapproval: 'A',
  pendingfulfillment: 'B',
  cancelled: 'C',
  partiallyfulfilled: 'D',
  pendingbillingpartfulfilled: 'E',
  pendingbilling: 'F',
  fullybilled: 'G',
  billed: 'G',
  closed: 'H',
};

/**
 * @description Undefined while NetSuite may still change the sales order (pending approval or fulfillment); else
 * what it reported, for the edit conflict (`orderStatus D (Partially Fulfilled)`). A record without a status it
 * names (a field the role cannot see) counts as changeable: NetSuite itself refuses a write it cannot take.
 * @example
 * netsuiteOrderLock({ orderStatus: { id: 'F', refName: 'Pending Billing' } }) // 'orderStatus F (Pending Billing)'
 */
export function netsuiteOrderLock(record: unknown): string | undefined {
  const field =
    typeof record === 'object' && record !== null ? (record as { orderStatus?: unknown }).orderStatus : undefined;
  const raw =
    typeof field === 'string'
      ? field
      : typeof field === 'object' && field !== null && typeof (field as { id?: unknown }).id === 'string'
        ? (field as { id: string }).id
        : undefined;
  if (raw === undefined) {
    return undefined;
  }
  const id = raw.length === 1 ? raw.toUpperCase() : ID_BY_NAME[raw.replace(/^_/, '').toLowerCase()];
  const status = id === undefined ? undefined : STATUS_BY_ID[id];
  if (status === undefined || status.editable) {
    return undefined;
  }
  return `orderStatus ${id ?? raw} (${status.name})`;
}
