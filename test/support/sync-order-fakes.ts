/*
 * In-memory stand-ins for the ports and repositories of SyncOrderToErp (the real ones are covered by integration and
 * contract specs), shared by its unit specs.
 */
import { ErrorKind } from 'src/common/errors/app-error';
import type {
  ErpChangePage,
  ErpCustomerDraft,
  ErpOrderMappingCapabilities,
  ErpPaymentDraft,
  ErpPort,
  ErpPushOutcome,
  ErpRecordRef,
  ErpRefundDraft,
  ErpReturnDraft,
  ErpReturnRef,
  ErpSalesOrderDraft,
  ErpSalesOrderEditOutcome,
  ErpWriteGate,
  ErpWriteOptions,
  ErpWritePreview,
} from 'src/modules/erp';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp';
import type { MappingToApply, OrderMappingConfig } from 'src/modules/mapping';
import type {
  NewOrderEditConflict,
  OrderEditConflictRecord,
} from 'src/modules/orders/persistence/order-edit-conflict.repository';
import type { InboxKey, OrderSyncState } from 'src/modules/orders/persistence/order-sync-state.repository';

export class FakeErp implements ErpPort {
  readonly name = 'fake';
  readonly defaultLimits = { maxConcurrency: 5 };
  readonly orderMapping: ErpOrderMappingCapabilities = {
    sections: ['shipMethod'],
    fields: [{ name: 'memo', description: 'memo' }],
  };
  previewOrderWrite(): Promise<ErpWritePreview> {
    return Promise.resolve({ requests: [], decisions: [] });
  }
  calls: string[] = [];
  customerId = 'C1';
  /** Customer ids the ERP no longer has (merged or deleted): an order naming one is refused. */
  refusedCustomers = new Set<string>();
  upsertCustomer(draft: ErpCustomerDraft): Promise<ErpRecordRef> {
    this.calls.push(`customer:${draft.externalId}`);
    return Promise.resolve({ erpId: this.customerId, externalId: draft.externalId });
  }
  /** The options of each sales-order write, in order. */
  writeOptions: Array<ErpWriteOptions | undefined> = [];
  /** Each sales-order draft written, in order. */
  drafts: ErpSalesOrderDraft[] = [];
  upsertSalesOrder(
    draft: ErpSalesOrderDraft,
    customer: ErpRecordRef,
    options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    this.writeOptions.push(options);
    this.drafts.push(draft);
    if (this.refusedCustomers.size > 0) {
      this.calls.push(`upsert:${draft.externalId}:${draft.status}:${customer.erpId}`);
    } else {
      this.calls.push(`upsert:${draft.externalId}:${draft.status}`);
    }
    if (this.refusedCustomers.has(customer.erpId)) {
      return Promise.reject(
        new ErpError(ErrorKind.Permanent, 'The Customer does not exist', { vendorCode: ERP_CUSTOMER_NOT_FOUND }),
      );
    }
    return Promise.resolve({
      erpId: 'SO1',
      externalId: draft.externalId,
      ...(this.documentNumber === undefined ? {} : { documentNumber: this.documentNumber }),
    });
  }
  /** What the ERP reports about its document on an edit: undefined = it may still change it. */
  lockedState: string | undefined;
  async editSalesOrder(draft: ErpSalesOrderDraft, customer: ErpRecordRef): Promise<ErpSalesOrderEditOutcome> {
    if (this.lockedState !== undefined) {
      this.calls.push(`edit-refused:${draft.externalId}`);
      return { outcome: 'locked', erpId: 'SO1', erpState: this.lockedState };
    }
    this.calls.push(`edit:${draft.externalId}`);
    const ref = await this.upsertSalesOrder(draft, customer);
    return { outcome: 'applied', ref };
  }
  /** The document number the ERP's answer carries, if any. */
  documentNumber: string | undefined;
  cancelSalesOrder(
    draft: ErpSalesOrderDraft,
    _customer: ErpRecordRef,
    options?: ErpWriteOptions,
  ): Promise<ErpRecordRef> {
    this.writeOptions.push(options);
    this.calls.push(`cancel:${draft.externalId}:${draft.status}`);
    return Promise.resolve({ erpId: 'SO1', externalId: draft.externalId });
  }
  /** Each batch of payments recorded, in order. */
  payments: ErpPaymentDraft[][] = [];
  recordPayments(drafts: readonly ErpPaymentDraft[], order: ErpRecordRef): Promise<ErpRecordRef[]> {
    this.calls.push(`payments:${order.erpId}:${drafts.map((d) => d.externalId).join(',')}`);
    this.payments.push([...drafts]);
    return Promise.resolve(drafts.map((d) => ({ erpId: `P-${d.externalId}`, externalId: d.externalId })));
  }
  createDeposit(): Promise<ErpRecordRef> {
    return Promise.reject(new Error('not used here'));
  }
  createRefund(draft: ErpRefundDraft): Promise<ErpRecordRef> {
    this.calls.push(`refund:${draft.externalId}`);
    return Promise.resolve({ erpId: 'CM1', externalId: draft.externalId });
  }
  createReturn(draft: ErpReturnDraft): Promise<ErpReturnRef> {
    this.calls.push(`return:${draft.externalId}`);
    return Promise.resolve({ erpId: 'RA1', externalId: draft.externalId });
  }
  readItemChanges(): Promise<ErpChangePage<never>> {
    return Promise.resolve({ records: [] });
  }
  readInventoryLevels(): Promise<ErpChangePage<never>> {
    return Promise.resolve({ records: [] });
  }
  listSalesOrders(): Promise<never[]> {
    return Promise.resolve([]);
  }

  readShipments(): Promise<ErpChangePage<never>> {
    return Promise.resolve({ records: [] });
  }
  verifyPush(): ErpPushOutcome {
    return { kind: 'rejected', reason: 'fake' };
  }
  ensurePushSubscriptions(): Promise<void> {
    return Promise.resolve();
  }
  checkConnection(): Promise<void> {
    return Promise.resolve();
  }
}

/** In-memory stand-in for the repository port of this use case (the real one is covered by integration tests). */
/** The shop's active mapping version and order owner, as the mapping module would read them. */
export class FakeMappings {
  mapping: MappingToApply = { version: 1, config: emptyConfig() };
  orderOwner: 'shopify' | 'erp' = 'shopify';
  forOrders(): Promise<{ mapping: MappingToApply; orderOwner: 'shopify' | 'erp' }> {
    return Promise.resolve({ mapping: this.mapping, orderOwner: this.orderOwner });
  }
}

export function emptyConfig(): OrderMappingConfig {
  return { paymentGateways: [], shippingMethods: [], taxes: [], locations: [], fields: [], skuOverrides: [] };
}

export class FakeState {
  inbox = new Map<string, string>();
  mappingVersions = new Map<string, number | undefined>();
  orders = new Map<string, OrderSyncState>();
  customers = new Map<string, { erpId: string; draftHash: string }>();
  find(_shop: string, id: string): Promise<OrderSyncState | null> {
    return Promise.resolve(this.orders.get(id) ?? null);
  }
  processedOutcome(key: InboxKey): Promise<string | null> {
    return Promise.resolve(this.inbox.get(key.webhookId) ?? this.inbox.get(key.eventId) ?? null);
  }
  payloads = new Map<string, unknown>();
  async findDelivery(
    key: InboxKey,
  ): Promise<{ processedOutcome: string | null; applied: OrderSyncState | null; appliedPayload: unknown }> {
    return {
      processedOutcome: await this.processedOutcome(key),
      applied: await this.find(key.shop, key.resourceId),
      appliedPayload: this.payloads.get(key.resourceId) ?? null,
    };
  }
  recordSkipped(key: InboxKey, outcome: string): Promise<void> {
    this.inbox.set(key.webhookId, outcome);
    return Promise.resolve();
  }
  recordApplied(
    key: InboxKey,
    state: {
      updatedAt: string;
      status: 'open' | 'cancelled';
      erpId: string;
      orderName: string;
      customerExternalId: string;
      mappingVersion?: number;
      erpDocumentNumber?: string;
      sourcePayload?: string;
    },
  ): Promise<void> {
    this.mappingVersions.set(key.resourceId, state.mappingVersion);
    this.payloads.set(key.resourceId, state.sourcePayload === undefined ? null : JSON.parse(state.sourcePayload));
    this.inbox.set(key.webhookId, 'applied');
    this.orders.set(key.resourceId, {
      lastAppliedUpdatedAt: new Date(state.updatedAt),
      status: state.status,
      erpId: state.erpId,
      orderName: state.orderName,
      customerExternalId: state.customerExternalId,
      erpDocumentNumber: state.erpDocumentNumber ?? this.orders.get(key.resourceId)?.erpDocumentNumber ?? null,
    });
    return Promise.resolve();
  }
  /** Orders whose ERP write was recorded as started. */
  started = new Set<string>();
  recordWriteStarted(_shop: string, id: string): Promise<boolean> {
    const first = !this.started.has(id) && !this.orders.has(id);
    this.started.add(id);
    return Promise.resolve(first);
  }
  findCustomer(_shop: string, id: string): Promise<{ erpId: string; draftHash: string } | null> {
    return Promise.resolve(this.customers.get(id) ?? null);
  }
  saveCustomer(_shop: string, id: string, erpId: string, draftHash: string): Promise<void> {
    this.customers.set(id, { erpId, draftHash });
    return Promise.resolve();
  }
}

/** One open conflict per order, as the repository keeps them. */
export class FakeConflicts {
  rows: OrderEditConflictRecord[] = [];
  record(conflict: NewOrderEditConflict): Promise<OrderEditConflictRecord> {
    const open = this.rows.find((row) => row.shopifyOrderId === conflict.shopifyOrderId && row.resolvedAt === null);
    if (open !== undefined) {
      Object.assign(open, { diff: conflict.diff, erpState: conflict.erpState, edits: open.edits + 1 });
      return Promise.resolve(open);
    }
    const row: OrderEditConflictRecord = {
      ...conflict,
      id: String(this.rows.length + 1),
      sourceUpdatedAt: new Date(conflict.sourceUpdatedAt),
      detectedAt: new Date(),
      edits: 1,
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: null,
    };
    this.rows.push(row);
    return Promise.resolve(row);
  }
}

export const passThroughGate = { call: <T>(_op: string, fn: () => Promise<T>) => fn() } as unknown as ErpWriteGate;

/** The Admin API as the tender reader sees it: the orders' transactions, and every request made. */
export class FakeShopify {
  requests: Array<{ id: string }> = [];
  transactions: unknown[] = [];
  forDomain(): Promise<FakeShopify> {
    return Promise.resolve(this);
  }
  request(_document: unknown, variables: { id: string }): Promise<{ data: unknown }> {
    this.requests.push(variables);
    return Promise.resolve({ data: { order: { id: variables.id, transactions: this.transactions } } });
  }
}
