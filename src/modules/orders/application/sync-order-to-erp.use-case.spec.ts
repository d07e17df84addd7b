import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, type AuditEntry, type AuditWriter } from 'src/modules/audit';
import type { MessageContext } from 'src/modules/erp';
import type { MappingReader } from 'src/modules/mapping';
import { OrderTenderReader } from 'src/modules/orders/application/order-tender-reader';
import type { ShopErp } from 'src/modules/orders/application/shop-erp';
import { SyncOrderToErp } from 'src/modules/orders/application/sync-order-to-erp.use-case';
import { OrderError } from 'src/modules/orders/domain/order.errors';
import type { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import type { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import type { ShopifyAdminClients } from 'src/modules/shopify';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import {
  FakeConflicts,
  FakeErp,
  FakeMappings,
  FakeShopify,
  FakeState,
  emptyConfig,
  passThroughGate,
} from 'test/support/sync-order-fakes';

describe(SyncOrderToErp.name, () => {
  let erp: FakeErp;
  let state: FakeState;
  let audit: AuditEntry[];
  let useCase: SyncOrderToErp;
  let conflicts: FakeConflicts;

  const context = (order: { id: string | number }, webhookId: string, topic = 'orders/create'): MessageContext => ({
    eventId: `ev-${webhookId}`,
    webhookId,
    shop: 'demo.myshopify.com',
    topic,
    resourceId: String(order.id),
    attempt: 0,
  });

  let mappings: FakeMappings;
  let shopify: FakeShopify;

  beforeEach(() => {
    mappings = new FakeMappings();
    shopify = new FakeShopify();
    erp = new FakeErp();
    state = new FakeState();
    audit = [];
    conflicts = new FakeConflicts();
    useCase = new SyncOrderToErp(
      { for: () => Promise.resolve(erp) } as unknown as ShopErp,
      passThroughGate,
      state as unknown as OrderSyncStateRepository,
      { record: (e: AuditEntry) => audit.push(e) } as unknown as AuditWriter,
      new MetricsService(),
      mappings as unknown as MappingReader,
      new OrderTenderReader(shopify as unknown as ShopifyAdminClients, {
        orders: { paymentMethodMap: { gift_card: '' } },
      }),
      conflicts as unknown as OrderEditConflictRepository,
    );
  });

  describe('tenders', () => {
    const giftCard = (id: string, amount: string) => ({
      id: `gid://shopify/OrderTransaction/${id}`,
      kind: 'SALE',
      status: 'SUCCESS',
      gateway: 'gift_card',
      processedAt: '2026-10-05T10:00:00Z',
      createdAt: '2026-10-05T10:00:00Z',
      amountSet: {
        shopMoney: { amount, currencyCode: 'EUR' },
        presentmentMoney: { amount, currencyCode: 'EUR' },
      },
    });

    it('costs a plain order no Shopify read and no payment call', async () => {
      const order = buildShopifyOrder({}, { seed: 41 });
      await useCase.execute(context(order, 'wh-plain'), Buffer.from(serialiseOrder(order)));
      expect(shopify.requests).toEqual([]);
      expect(erp.calls.some((call) => call.startsWith('payments:'))).toBe(false);
    });

    it('reads the transactions of an order that names a gift card, and records the tender after its sales order', async () => {
      const order = buildShopifyOrder({ payment_gateway_names: ['gift_card', 'shopify_payments'] }, { seed: 42 });
      shopify.transactions = [giftCard('7001', '5.0')];
      await useCase.execute(context(order, 'wh-gift'), Buffer.from(serialiseOrder(order)));
      expect(shopify.requests).toEqual([{ id: `gid://shopify/Order/${order.id}` }]);
      const calls = erp.calls.filter((call) => !call.startsWith('customer:'));
      expect(calls).toEqual([`upsert:${order.id}:open`, 'payments:SO1:7001']);
      expect(erp.payments[0]?.[0]).toEqual(
        expect.objectContaining({
          externalId: '7001',
          amount: '5.00',
          gateway: 'gift_card',
          orderExternalId: String(order.id),
        }),
      );
      expect(state.inbox.get('wh-gift')).toBe('applied');
    });

    it('records nothing for a cancelled order, and makes no payment call when no tender is left to record', async () => {
      const order = buildShopifyOrder({ payment_gateway_names: ['gift_card'] }, { seed: 43 });
      const gone = { ...order, cancelled_at: '2026-10-06T10:00:00Z', cancel_reason: 'customer' };
      await useCase.execute(context(gone, 'wh-cancel', 'orders/cancelled'), Buffer.from(serialiseOrder(gone)));
      expect(shopify.requests).toEqual([]);
      shopify.transactions = [{ ...giftCard('7002', '5.0'), status: 'FAILURE' }];
      const other = buildShopifyOrder({ payment_gateway_names: ['gift_card'] }, { seed: 44 });
      await useCase.execute(context(other, 'wh-failed'), Buffer.from(serialiseOrder(other)));
      expect(shopify.requests).toHaveLength(1);
      expect(erp.calls.some((call) => call.startsWith('payments:'))).toBe(false);
    });
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

  describe('order edits after import', () => {
    const created = () =>
      buildShopifyOrder(
        {
          updated_at: '2026-12-02T10:00:00Z',
          line_items: [
            { quantity: 2, current_quantity: 2 },
            { quantity: 1, current_quantity: 1 },
          ],
        },
        { seed: 41 },
      );
    const edited = (order: ReturnType<typeof created>, at: string) => ({
      ...order,
      updated_at: at,
      line_items: order.line_items.map((item, index) => (index === 0 ? { ...item, current_quantity: 3 } : item)),
    });

    it('applies an edit of lines through editSalesOrder, and a header-only update through the plain upsert', async () => {
      const order = created();
      await useCase.execute(context(order, 'e1'), Buffer.from(serialiseOrder(order)));
      const note = { ...order, updated_at: '2026-12-02T10:05:00Z', note: 'gift wrap' };
      await useCase.execute(context(note, 'e2', 'orders/updated'), Buffer.from(serialiseOrder(note)));
      const edit = edited(note, '2026-12-02T10:10:00Z');
      const result = await useCase.execute(context(edit, 'e3', 'orders/updated'), Buffer.from(serialiseOrder(edit)));

      expect(result).toMatchObject({ outcome: 'succeeded', erpId: 'SO1' });
      const writes = erp.calls.filter((call) => !call.startsWith('customer:'));
      // The first write and the header-only update pay for no state read; only the edit does.
      expect(writes).toEqual([
        `upsert:${order.id}:open`,
        `upsert:${order.id}:open`,
        `edit:${order.id}`,
        `upsert:${order.id}:open`,
      ]);
      expect(erp.drafts.at(-1)?.lines[0]?.quantity).toBe(3);
      expect(state.orders.get(String(order.id))?.lastAppliedUpdatedAt).toEqual(new Date('2026-12-02T10:10:00Z'));
    });

    it('keeps an edit of an order the ERP has shipped as a conflict: not written, audited, never an error', async () => {
      const order = created();
      await useCase.execute(context(order, 'c1'), Buffer.from(serialiseOrder(order)));
      erp.lockedState = 'orderStatus D (Partially Fulfilled)';
      const edit = edited(order, '2026-12-02T11:00:00Z');
      const result = await useCase.execute(context(edit, 'c2', 'orders/updated'), Buffer.from(serialiseOrder(edit)));

      expect(result).toMatchObject({
        outcome: 'conflict',
        conflictId: '1',
        erpState: 'orderStatus D (Partially Fulfilled)',
        diff: { lines: [{ sku: order.line_items[0]?.sku, from: 2, to: 3 }], shipping: null },
      });
      expect(erp.calls.filter((call) => call.startsWith('upsert:'))).toHaveLength(1);
      // What the ERP holds is still the first version; the delivery is processed.
      expect(state.orders.get(String(order.id))?.lastAppliedUpdatedAt).toEqual(new Date('2026-12-02T10:00:00Z'));
      expect(state.inbox.get('c2')).toBe('edit-conflict');
      expect(audit.at(-1)).toMatchObject({ status: AuditStatus.Skipped, erpId: 'SO1' });
      expect(audit.at(-1)?.reason).toMatch(
        /^edit-conflict: the ERP has shipped or invoiced the order \(orderStatus D \(Partially Fulfilled\)\); the edit \(.* 2→3\) was not applied; edit conflict 1 awaits an operator$/,
      );

      // A later edit of the same order joins the open conflict, compared with what the ERP holds.
      const again = { ...edit, updated_at: '2026-12-02T11:30:00Z', shipping_lines: [] };
      const second = await useCase.execute(context(again, 'c3', 'orders/updated'), Buffer.from(serialiseOrder(again)));
      expect(second).toMatchObject({ outcome: 'conflict', conflictId: '1' });
      expect(conflicts.rows).toHaveLength(1);
      expect(conflicts.rows[0]?.edits).toBe(2);
      expect(conflicts.rows[0]?.diff.shipping).not.toBeNull();
    });

    it('treats an update of an order applied without its payload kept as an edit (the state is read)', async () => {
      const order = created();
      await useCase.execute(context(order, 'u1'), Buffer.from(serialiseOrder(order)));
      state.payloads.delete(String(order.id));
      const update = { ...order, updated_at: '2026-12-02T12:00:00Z' };
      await useCase.execute(context(update, 'u2', 'orders/updated'), Buffer.from(serialiseOrder(update)));
      expect(erp.calls).toContain(`edit:${order.id}`);
    });
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
