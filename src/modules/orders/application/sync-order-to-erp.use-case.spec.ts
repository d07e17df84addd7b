import { ErrorKind } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, type AuditEntry, type AuditWriter } from 'src/modules/audit';
import type {
  ErpChangePage,
  ErpCustomerDraft,
  ErpOrderMappingCapabilities,
  ErpPort,
  ErpPushOutcome,
  ErpRecordRef,
  ErpRefundDraft,
  ErpSalesOrderDraft,
  ErpWriteGate,
  ErpWriteOptions,
  ErpWritePreview,
  MessageContext,
} from 'src/modules/erp';
import { ERP_CUSTOMER_NOT_FOUND, ErpError } from 'src/modules/erp';
import type { MappingReader, MappingToApply, OrderMappingConfig } from 'src/modules/mapping';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderError } from 'src/modules/orders/domain/order.errors';
import type {
  InboxKey,
  OrderSyncState,
  OrderSyncStateRepository,
} from 'src/modules/orders/persistence/order-sync-state.repository';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';

class FakeErp implements ErpPort {
  readonly name = 'fake';
  readonly defaultLimits = { maxConcurrency: 5 };
  readonly orderMapping: ErpOrderMappingCapabilities = {
    sections: ['shipMethod'],
    fields: [{ name: 'memo', description: 'memo' }],
  };
  previewOrderWrite(): Promise<ErpWritePreview> {
    return Promise.resolve({ requests: [], decisions: [] });
  }
  createDeposit(): Promise<ErpRecordRef> {
    return Promise.reject(new Error('not used here'));
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
  createRefund(draft: ErpRefundDraft): Promise<ErpRecordRef> {
    this.calls.push(`refund:${draft.externalId}`);
    return Promise.resolve({ erpId: 'CM1', externalId: draft.externalId });
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
class FakeMappings {
  mapping: MappingToApply = { version: 1, config: emptyConfig() };
  orderOwner: 'shopify' | 'erp' = 'shopify';
  forOrders(): Promise<{ mapping: MappingToApply; orderOwner: 'shopify' | 'erp' }> {
    return Promise.resolve({ mapping: this.mapping, orderOwner: this.orderOwner });
  }
}

function emptyConfig(): OrderMappingConfig {
  return { paymentGateways: [], shippingMethods: [], taxes: [], locations: [], fields: [], skuOverrides: [] };
}

class FakeState {
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
  async findDelivery(key: InboxKey): Promise<{ processedOutcome: string | null; applied: OrderSyncState | null }> {
    return { processedOutcome: await this.processedOutcome(key), applied: await this.find(key.shop, key.resourceId) };
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
    },
  ): Promise<void> {
    this.mappingVersions.set(key.resourceId, state.mappingVersion);
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

const passThroughGate = { call: <T>(_op: string, fn: () => Promise<T>) => fn() } as unknown as ErpWriteGate;

describe(SyncOrderToErp.name, () => {
  let erp: FakeErp;
  let state: FakeState;
  let audit: AuditEntry[];
  let useCase: SyncOrderToErp;

  const context = (order: { id: string | number }, webhookId: string, topic = 'orders/create'): MessageContext => ({
    eventId: `ev-${webhookId}`,
    webhookId,
    shop: 'demo.myshopify.com',
    topic,
    resourceId: String(order.id),
    attempt: 0,
  });

  let mappings: FakeMappings;

  beforeEach(() => {
    mappings = new FakeMappings();
    erp = new FakeErp();
    state = new FakeState();
    audit = [];
    useCase = new SyncOrderToErp(
      { for: () => Promise.resolve(erp) } as unknown as ShopErp,
      passThroughGate,
      state as unknown as OrderSyncStateRepository,
      { record: (e: AuditEntry) => audit.push(e) } as unknown as AuditWriter,
      new MetricsService(),
      mappings as unknown as MappingReader,
    );
  });

  it("maps the order through the shop's active mapping version and records that version with the write", async () => {
    mappings.mapping = {
      version: 7,
      config: {
        ...emptyConfig(),
        shippingMethods: [{ shopifyCode: '*', shipMethod: 'FEDEX' }],
        fields: [{ target: 'memo', source: { kind: 'template', template: 'Shopify {{name}}' } }],
      },
    };
    const order = buildShopifyOrder({ name: '#2001' }, { seed: 21 });
    const result = await useCase.execute(context(order, 'wh-map'), Buffer.from(serialiseOrder(order)));
    expect(result).toEqual({ outcome: 'succeeded', erpId: 'SO1', mappingVersion: 7 });
    expect(erp.drafts[0]?.mapped).toEqual({ version: 7, values: { shipMethod: 'FEDEX', memo: 'Shopify #2001' } });
    expect(state.mappingVersions.get(String(order.id))).toBe(7);
  });

  it("writes the create but none of Shopify's later changes while the ERP owns orders", async () => {
    mappings.orderOwner = 'erp';
    const order = buildShopifyOrder({ updated_at: '2026-12-01T10:00:00Z' }, { seed: 22 });
    await useCase.execute(context(order, 'wh-create'), Buffer.from(serialiseOrder(order)));
    const update = { ...order, updated_at: '2026-12-01T11:00:00Z', note: 'changed' };
    const result = await useCase.execute(
      context(update, 'wh-upd', 'orders/updated'),
      Buffer.from(serialiseOrder(update)),
    );
    expect(result).toEqual({ outcome: 'skipped', reason: 'erp-owned' });
    expect(erp.calls.filter((call) => call.startsWith('upsert:'))).toHaveLength(1);
  });

  it('writes an order whose lines miss Shopify total beyond the tolerance, and flags it in the audit', async () => {
    const order = buildShopifyOrder({}, { seed: 31 });
    const off = { ...order, current_total_price: (Number(order.current_total_price) + 1).toFixed(2) };
    const result = await useCase.execute(context(off, 'w-flag'), Buffer.from(serialiseOrder(off)));
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(erp.drafts[0]?.reconciliation).toMatchObject({ outcome: 'flagged', difference: '1.00' });
    expect(audit.find((entry) => entry.status === AuditStatus.Succeeded)?.reason).toMatch(
      /^total-mismatch: Shopify .* \(difference 1\.00 beyond the tolerance 0\.05\)$/,
    );
  });

  it('upserts the customer, then the sales order, and records what the ERP holds', async () => {
    const order = buildShopifyOrder({}, { seed: 1 });
    const result = await useCase.execute(context(order, 'w1'), Buffer.from(serialiseOrder(order)));
    expect(result).toEqual({ outcome: 'succeeded', erpId: 'SO1', mappingVersion: 1 });
    expect(erp.calls).toEqual([`customer:${String(order.customer?.id)}`, `upsert:${order.id}:open`]);
    expect(state.orders.get(String(order.id))?.status).toBe('open');
    expect(audit.map((a) => a.status)).toEqual(['sent_to_erp', 'succeeded']);
  });

  it('records the document number the ERP answered (owed to Shopify), and keeps it when a later write answers none', async () => {
    erp.documentNumber = 'SO-1001';
    const order = buildShopifyOrder({ updated_at: '2026-10-05T19:00:00Z' }, { seed: 14 });
    await useCase.execute(context(order, 'd1'), Buffer.from(serialiseOrder(order)));
    expect(state.orders.get(String(order.id))?.erpDocumentNumber).toBe('SO-1001');

    erp.documentNumber = undefined; // a write whose answer carries no number
    const updated = { ...order, updated_at: '2026-10-05T19:30:00Z' };
    await useCase.execute(context(updated, 'd2', 'orders/updated'), Buffer.from(serialiseOrder(updated)));
    expect(erp.writeOptions).toEqual([{ mayExist: false }, { mayExist: true }]);
    expect(state.orders.get(String(order.id))?.erpDocumentNumber).toBe('SO-1001');
  });

  it('skips a delivery it already processed, without calling the ERP', async () => {
    const order = buildShopifyOrder({}, { seed: 2 });
    const body = Buffer.from(serialiseOrder(order));
    await useCase.execute(context(order, 'w1'), body);
    erp.calls = [];
    const again = await useCase.execute(context(order, 'w1'), body);
    expect(again).toEqual({ outcome: 'skipped', reason: 'duplicate' });
    expect(erp.calls).toEqual([]);
  });

  it('skips an event older than the applied state (stale), without calling the ERP', async () => {
    const newer = buildShopifyOrder({ updated_at: '2026-10-05T20:00:00Z' }, { seed: 3 });
    const older = { ...newer, updated_at: '2026-10-05T19:00:00Z' };
    await useCase.execute(context(newer, 'w-new', 'orders/updated'), Buffer.from(serialiseOrder(newer)));
    erp.calls = [];
    const result = await useCase.execute(context(older, 'w-old', 'orders/create'), Buffer.from(serialiseOrder(older)));
    expect(result).toEqual({ outcome: 'skipped', reason: 'stale' });
    expect(erp.calls).toEqual([]);
    expect(audit.at(-1)).toMatchObject({ status: 'skipped', reason: 'stale' });
  });

  it('cancels a cancelled order, even when the cancel arrives before the create', async () => {
    const created = buildShopifyOrder({ updated_at: '2026-10-05T19:00:00Z' }, { seed: 4 });
    const cancelled = {
      ...created,
      updated_at: '2026-10-05T19:30:00Z',
      cancelled_at: '2026-10-05T19:30:00Z',
      cancel_reason: 'customer',
    };
    await useCase.execute(context(cancelled, 'w-c', 'orders/cancelled'), Buffer.from(serialiseOrder(cancelled)));
    const late = await useCase.execute(context(created, 'w-1', 'orders/create'), Buffer.from(serialiseOrder(created)));
    expect(late).toEqual({ outcome: 'skipped', reason: 'stale' });
    expect(erp.calls.filter((c) => !c.startsWith('customer'))).toEqual([`cancel:${created.id}:cancelled`]);
  });

  it('does not upsert an unchanged customer twice', async () => {
    const first = buildShopifyOrder({}, { seed: 5 });
    const second = buildShopifyOrder({ customer: first.customer }, { seed: 6 });
    second.customer = first.customer;
    second.email = first.email;
    second.billing_address = first.billing_address;
    second.phone = first.phone;
    second.currency = first.currency;
    await useCase.execute(context(first, 'a'), Buffer.from(serialiseOrder(first)));
    await useCase.execute(context(second, 'b'), Buffer.from(serialiseOrder(second)));
    expect(erp.calls.filter((c) => c.startsWith('customer'))).toHaveLength(1);
  });

  it('resolves a customer the ERP merged or deleted once more, and lands the order with it', async () => {
    const first = buildShopifyOrder({}, { seed: 8 });
    const second = { ...buildShopifyOrder({}, { seed: 9 }), customer: first.customer, email: first.email };
    Object.assign(second, { billing_address: first.billing_address, phone: first.phone, currency: first.currency });
    await useCase.execute(context(first, 'm1'), Buffer.from(serialiseOrder(first)));
    const customerKey = erp.calls[0].replace(/^customer:/, '');
    // The ERP merged C1 away: the cached id is refused, the customer found again is C2.
    erp.customerId = 'C2';
    erp.refusedCustomers.add('C1');
    erp.calls = [];
    const result = await useCase.execute(context(second, 'm2'), Buffer.from(serialiseOrder(second)));
    expect(result).toEqual({ outcome: 'succeeded', erpId: 'SO1', mappingVersion: 1 });
    expect(erp.calls).toEqual([
      `upsert:${second.id}:open:C1`,
      `customer:${customerKey}`,
      `upsert:${second.id}:open:C2`,
    ]);
    expect(state.customers.get(customerKey)?.erpId).toBe('C2');
  });

  it('creates a new order without a look-up (mayExist false), having recorded first that its write began', async () => {
    const order = buildShopifyOrder({}, { seed: 10 });
    const marked: boolean[] = [];
    erp.upsertSalesOrder = ((original) => (draft, customer, options) => {
      marked.push(state.started.has(draft.externalId));
      return original(draft, customer, options);
    })(erp.upsertSalesOrder.bind(erp));

    await useCase.execute(context(order, 'n1'), Buffer.from(serialiseOrder(order)));

    expect(erp.writeOptions).toEqual([{ mayExist: false }]);
    expect(marked).toEqual([true]);
  });

  it('lets the connector look up an order whose write began before, was applied, or failed an attempt', async () => {
    const crashed = buildShopifyOrder({}, { seed: 11 });
    state.started.add(String(crashed.id)); // a process died after recording the start, its answer never came
    await useCase.execute(context(crashed, 'c1'), Buffer.from(serialiseOrder(crashed)));

    const applied = buildShopifyOrder({ updated_at: '2026-10-05T19:00:00Z' }, { seed: 12 });
    await useCase.execute(context(applied, 'a1'), Buffer.from(serialiseOrder(applied)));
    const updated = { ...applied, updated_at: '2026-10-05T19:30:00Z' };
    await useCase.execute(context(updated, 'a2', 'orders/updated'), Buffer.from(serialiseOrder(updated)));

    const retried = buildShopifyOrder({}, { seed: 13 });
    await useCase.execute({ ...context(retried, 'r1'), attempt: 1 }, Buffer.from(serialiseOrder(retried)));

    expect(erp.writeOptions).toEqual([{ mayExist: true }, { mayExist: false }, { mayExist: true }, { mayExist: true }]);
  });

  it('creates a cancelled order that overtook its create without a look-up', async () => {
    const order = buildShopifyOrder(
      { cancelled_at: '2026-10-05T19:30:00Z', cancel_reason: 'customer', updated_at: '2026-10-05T19:30:00Z' },
      { seed: 14 },
    );
    await useCase.execute(context(order, 'x1', 'orders/cancelled'), Buffer.from(serialiseOrder(order)));
    expect(erp.calls.at(-1)).toBe(`cancel:${order.id}:cancelled`);
    expect(erp.writeOptions).toEqual([{ mayExist: false }]);
  });

  it('rejects a payload it cannot map as a permanent OrderError, before any ERP call', async () => {
    const order = buildShopifyOrder({ line_items: [{ sku: '' }] }, { seed: 7 });
    await expect(useCase.execute(context(order, 'x'), Buffer.from(serialiseOrder(order)))).rejects.toBeInstanceOf(
      OrderError,
    );
    await expect(useCase.execute(context(order, 'y'), Buffer.from('{not json'))).rejects.toBeInstanceOf(OrderError);
    expect(erp.calls).toEqual([]);
  });
});
