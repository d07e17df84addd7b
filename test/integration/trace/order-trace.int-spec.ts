import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditStatus } from 'src/modules/audit';
import { ReadAuditTrail } from 'src/modules/audit/application/read-audit-trail.query';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ReadDeadLetterTrail } from 'src/modules/dead-letters/application/read-dead-letter-trail.query';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { ErpShipmentRepository } from 'src/modules/erp/persistence/erp-shipment.repository';
import { ReadOrderFulfilments } from 'src/modules/fulfilments/application/read-order-fulfilments.query';
import type { ShipmentToFulfil } from 'src/modules/fulfilments/domain/fulfilment.types';
import { ShipmentFulfilmentRepository } from 'src/modules/fulfilments/persistence/shipment-fulfilment.repository';
import { ReadOrderTrail } from 'src/modules/orders/application/read-order-trail.query';
import { OrderSyncStateRepository, type InboxKey } from 'src/modules/orders/persistence/order-sync-state.repository';
import type { ShopDirectory } from 'src/modules/shops';
import { TraceOrder, type TraceOrderOutcome } from 'src/modules/trace/application/trace-order.query';
import { TraceHopKind, type OrderTrace } from 'src/modules/trace/domain/order-trace';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.orderTrace.database;
const SHOP = 'trace-store.myshopify.com';
const OTHER_SHOP = 'other-store.myshopify.com';
const FULFILLED_ORDER = '5612345678901';
const RETRIED_ORDER = '5612345678902';
const REFUNDED_ORDER = '5612345678903';

/** Seconds after a fixed start, so that every row has a known place in time. */
const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1_000);

/**
 * The order trace on real PostgreSQL: every row written through its owning module's real repository (order writer's
 * inbox and state, audit, dead letters, fulfilment writer), then read back through `TraceOrder` as the admin API does.
 * The fulfilment writer keeps the order as its GID, the others as the numeric id: the trace joins both.
 */
describe('TraceOrder (real PostgreSQL)', () => {
  const { DATABASE_URL } = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let sut: TraceOrder;
  let state: OrderSyncStateRepository;
  let audit: AuditLogRepository;
  let deadLetters: DeadLetterRepository;
  let fulfilments: ShipmentFulfilmentRepository;

  const trace = async (input: { orderId: string } | { webhookId: string }, shop = SHOP): Promise<OrderTrace> => {
    const result: TraceOrderOutcome = await sut.execute({ shop, ...input });
    if (result.outcome !== 'traced') {
      throw new Error(`expected a trace, got ${result.outcome}`);
    }
    return result.trace;
  };

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    state = new OrderSyncStateRepository(dataSource);
    audit = new AuditLogRepository(dataSource);
    deadLetters = new DeadLetterRepository(dataSource);
    fulfilments = new ShipmentFulfilmentRepository(dataSource, new ErpShipmentRepository(dataSource));
    const shops = {
      find: (domain: string) => Promise.resolve([SHOP, OTHER_SHOP].includes(domain) ? { domain } : undefined),
    } as unknown as ShopDirectory;
    sut = new TraceOrder(
      shops,
      new ReadOrderTrail(state),
      new ReadAuditTrail(audit),
      new ReadDeadLetterTrail(deadLetters),
      new ReadOrderFulfilments(fulfilments),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  describe('an order from its webhook to the ERP and on to a Shopify fulfilment', () => {
    const created: InboxKey = {
      shop: SHOP,
      topic: 'orders/create',
      webhookId: 'wh-create-1',
      eventId: 'ev-create-1',
      resourceId: FULFILLED_ORDER,
    };
    const staleUpdate: InboxKey = { ...created, topic: 'orders/updated', webhookId: 'wh-upd-1', eventId: 'ev-upd-1' };
    const shipment: ShipmentToFulfil = {
      connector: 'netsuite',
      erpShipmentId: 'IF-8812',
      orderExternalId: FULFILLED_ORDER,
      trackingNumbers: ['1Z999'],
      lines: [{ sku: 'SKU-1', quantity: 1 }],
      changedAt: at(60),
    };

    beforeAll(async () => {
      const row = { entity: 'order' as const, shop: SHOP, shopifyId: FULFILLED_ORDER };
      await audit.insertMany([
        { ...row, eventId: 'ev-create-1', topic: 'orders/create', status: AuditStatus.Received, at: at(0) },
        { ...row, eventId: 'ev-create-1', topic: 'orders/create', status: AuditStatus.Queued, at: at(0.01) },
        { ...row, eventId: 'ev-create-1', topic: 'orders/create', status: AuditStatus.SentToErp, at: at(1) },
        {
          ...row,
          eventId: 'ev-create-1',
          topic: 'orders/create',
          status: AuditStatus.Succeeded,
          erpId: 'SO-1001',
          at: at(2),
        },
        { ...row, eventId: 'ev-upd-1', topic: 'orders/updated', status: AuditStatus.Received, at: at(3) },
        {
          ...row,
          eventId: 'ev-upd-1',
          topic: 'orders/updated',
          status: AuditStatus.Skipped,
          reason: 'stale',
          at: at(4),
        },
        // Another shop's row about the same id is never part of this shop's trace.
        { ...row, shop: OTHER_SHOP, eventId: 'ev-other', status: AuditStatus.Received, at: at(1) },
      ]);
      await state.recordApplied(created, {
        updatedAt: '2026-11-02T08:59:59Z',
        status: 'open',
        erpId: 'SO-1001',
        customerErpId: 'C-1',
        orderName: '#1001',
        customerExternalId: 'shopify:1',
        mappingVersion: 3,
      });
      await state.recordSkipped(staleUpdate, 'stale');

      const orderGid = `gid://shopify/Order/${FULFILLED_ORDER}`;
      const locationKey = 'gid://shopify/Location/1';
      await fulfilments.savePlan(SHOP, orderGid, shipment, {
        groups: [
          {
            locationKey,
            lineItemsByFulfillmentOrder: [
              { fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1', fulfillmentOrderLineItems: [] },
            ],
            lineItems: [{ lineItemId: 'gid://shopify/LineItem/1', sku: 'SKU-1', quantity: 1 }],
          },
        ],
      });
      await fulfilments.markPending(shipment, locationKey);
      await fulfilments.recordFulfilment(shipment, locationKey, 'gid://shopify/Fulfillment/255858046', {
        number: '1Z999',
      });
      await fulfilments.markFulfilled(shipment);
      await audit.insertMany([
        {
          eventId: 'shipment:netsuite:IF-8812',
          entity: 'fulfillment',
          shop: SHOP,
          shopifyId: 'gid://shopify/Fulfillment/255858046',
          status: AuditStatus.Succeeded,
          at: new Date(),
        },
      ]);
    });

    it('joins the fulfilment kept under the order GID to the order traced by its numeric id, last in time', async () => {
      const { hops, summary, orderGid } = await trace({ orderId: FULFILLED_ORDER });
      expect(orderGid).toBe(`gid://shopify/Order/${FULFILLED_ORDER}`);
      const fulfilment = hops.filter((h) => h.kind === TraceHopKind.Fulfilment && h.outcome === 'created');
      expect(fulfilment).toEqual([
        expect.objectContaining({ shopifyId: 'gid://shopify/Fulfillment/255858046', erpShipment: 'netsuite:IF-8812' }),
      ]);
      expect(hops.map((h) => h.kind)).toEqual([
        'webhook',
        'message',
        'message',
        'message',
        'webhook',
        'message',
        'erp_document',
        'fulfilment',
        'fulfilment',
      ]);
      expect(summary).toMatchObject({
        stage: 'fulfilled',
        webhooks: 2,
        staleWebhooks: 1,
        erpAttempts: 1,
        erpId: 'SO-1001',
        reference: '#1001',
        mappingVersion: 3,
        fulfilments: 1,
        deadLetters: 0,
      });
      const times = hops.map((h) => h.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('shows each webhook with its webhook id, event id, topic, received time and outcome', async () => {
      const { hops } = await trace({ orderId: FULFILLED_ORDER });
      expect(hops.filter((h) => h.kind === TraceHopKind.Webhook)).toEqual([
        expect.objectContaining({
          at: at(0),
          webhookId: 'wh-create-1',
          eventId: 'ev-create-1',
          topic: 'orders/create',
          outcome: 'accepted',
        }),
        expect.objectContaining({ at: at(3), webhookId: 'wh-upd-1', topic: 'orders/updated', outcome: 'stale' }),
      ]);
      expect(hops.find((h) => h.kind === TraceHopKind.ErpDocument)).toMatchObject({
        erpId: 'SO-1001',
        reference: '#1001',
        mappingVersion: 3,
      });
    });

    it('finds the same order from a webhook id, and from the order GID', async () => {
      const byWebhook = await trace({ webhookId: 'wh-upd-1' });
      const byGid = await trace({ orderId: ` gid://shopify/Order/${FULFILLED_ORDER} ` });
      const byId = await trace({ orderId: FULFILLED_ORDER });
      expect(byWebhook).toEqual(byId);
      expect(byGid).toEqual(byId);
    });
  });

  describe('an order and its refund, recorded in the ERP as a credit memo', () => {
    const created: InboxKey = {
      shop: SHOP,
      topic: 'orders/create',
      webhookId: 'wh-rf-order',
      eventId: 'ev-rf-order',
      resourceId: REFUNDED_ORDER,
    };
    // The refund writer keeps a refund under its own id, with the order it belongs to.
    const refund: InboxKey = {
      shop: SHOP,
      topic: 'refunds/create',
      webhookId: 'wh-rf-1',
      eventId: 'ev-rf-1',
      resourceId: '929361462',
      orderId: REFUNDED_ORDER,
    };

    beforeAll(async () => {
      const order = { entity: 'order' as const, shop: SHOP, shopifyId: REFUNDED_ORDER, eventId: 'ev-rf-order' };
      const credit = { entity: 'refund' as const, shop: SHOP, shopifyId: '929361462', eventId: 'ev-rf-1' };
      await audit.insertMany([
        { ...order, topic: 'orders/create', status: AuditStatus.Received, at: at(200) },
        { ...order, topic: 'orders/create', status: AuditStatus.Succeeded, erpId: 'SO-1003', at: at(201) },
        { ...credit, topic: 'refunds/create', status: AuditStatus.Received, at: at(300) },
        { ...credit, topic: 'refunds/create', status: AuditStatus.SentToErp, attempt: 0, at: at(301) },
        { ...credit, topic: 'refunds/create', status: AuditStatus.Succeeded, erpId: 'CM-77', at: at(302) },
        // Another order's refund is never part of this order's trace.
        { ...credit, shopifyId: '929361999', eventId: 'ev-rf-other', status: AuditStatus.Received, at: at(300) },
      ]);
      await state.recordApplied(created, {
        updatedAt: '2026-11-02T09:03:19Z',
        status: 'open',
        erpId: 'SO-1003',
        customerErpId: 'C-3',
        orderName: '#1003',
        customerExternalId: 'shopify:3',
        mappingVersion: 3,
      });
      await state.recordProcessed(refund, 'applied');
      await state.recordProcessed(
        { ...refund, webhookId: 'wh-rf-other', eventId: 'ev-rf-other', resourceId: '929361999', orderId: '1' },
        'applied',
      );
    });

    it('lists the refund webhook and its credit memo after the order, with the refund id', async () => {
      const { hops, summary } = await trace({ orderId: REFUNDED_ORDER });
      const refundHops = hops.filter((h) => h.entity === 'refund');
      expect(refundHops).toEqual([
        expect.objectContaining({
          kind: TraceHopKind.Webhook,
          at: at(300),
          topic: 'refunds/create',
          webhookId: 'wh-rf-1',
          outcome: 'accepted',
          shopifyId: '929361462',
        }),
        expect.objectContaining({ kind: TraceHopKind.Message, outcome: 'sent_to_erp', shopifyId: '929361462' }),
        expect.objectContaining({ kind: TraceHopKind.Message, outcome: 'succeeded', erpId: 'CM-77' }),
      ]);
      const orderWritten = hops.findIndex((h) => h.entity === 'order' && h.outcome === 'succeeded');
      expect(hops.indexOf(refundHops[0])).toBeGreaterThan(orderWritten);
      expect(summary).toMatchObject({ stage: 'in_erp', webhooks: 2, refunds: 1, erpId: 'SO-1003' });
    });

    it("finds the order from its refund's webhook id", async () => {
      expect(await trace({ webhookId: 'wh-rf-1' })).toEqual(await trace({ orderId: REFUNDED_ORDER }));
    });
  });

  describe('an order dead-lettered, then retried by an operator', () => {
    const key: InboxKey = {
      shop: SHOP,
      topic: 'orders/create',
      webhookId: 'wh-dl-1',
      eventId: 'ev-dl-1',
      resourceId: RETRIED_ORDER,
    };

    beforeAll(async () => {
      const row = { entity: 'order' as const, shop: SHOP, shopifyId: RETRIED_ORDER, eventId: 'ev-dl-1' };
      await audit.insertMany([
        { ...row, topic: 'orders/create', status: AuditStatus.Received, at: at(100) },
        { ...row, topic: 'orders/create', status: AuditStatus.Queued, at: at(100.01) },
        { ...row, status: AuditStatus.SentToErp, attempt: 0, at: at(101) },
        { ...row, status: AuditStatus.RetryScheduled, attempt: 0, reason: 'transient', error: '503', at: at(102) },
        { ...row, status: AuditStatus.SentToErp, attempt: 1, at: at(110) },
        {
          ...row,
          status: AuditStatus.DeadLettered,
          attempt: 1,
          reason: 'permanent',
          error: 'unknown SKU',
          at: at(111),
        },
      ]);
      await deadLetters.insert({
        messageId: 'msg-dl-1',
        eventId: 'ev-dl-1',
        webhookId: 'wh-dl-1',
        entity: 'order',
        topic: 'orders/create',
        shop: SHOP,
        shopifyId: RETRIED_ORDER,
        routingKey: 'orders.p01',
        headers: {},
        body: Buffer.from('{}'),
        reason: 'permanent',
        lastError: 'unknown SKU',
        attempts: 2,
      });
    });

    it('shows the dead letter while it waits, and finds the order from the webhook id of the dead letter', async () => {
      const { summary, hops } = await trace({ webhookId: 'wh-dl-1' });
      expect(summary).toMatchObject({
        stage: 'dead_lettered',
        deadLetters: 1,
        openDeadLetters: 1,
        erpId: null,
        retriesScheduled: 1,
        erpAttempts: 2,
      });
      expect(hops.find((h) => h.kind === TraceHopKind.DeadLetter)).toMatchObject({
        outcome: 'dead',
        webhookId: 'wh-dl-1',
        detail: 'permanent: unknown SKU',
      });
    });

    it('after the retry: the dead letter retried, the attempt that succeeded, and the ERP document', async () => {
      const [letter] = await deadLetters.ofShopifyIds(SHOP, [RETRIED_ORDER], 10);
      expect(await deadLetters.markRetried(letter?.id ?? '')).toBe(true);
      const row = { entity: 'order' as const, shop: SHOP, shopifyId: RETRIED_ORDER, eventId: 'ev-dl-1' };
      const now = Date.now();
      await audit.insertMany([
        { ...row, status: AuditStatus.Replayed, at: new Date(now + 1) },
        { ...row, status: AuditStatus.SentToErp, attempt: 0, at: new Date(now + 2) },
        { ...row, status: AuditStatus.Succeeded, erpId: 'SO-1002', attempt: 0, at: new Date(now + 3) },
      ]);
      await state.recordApplied(key, {
        updatedAt: '2026-11-02T09:01:00Z',
        status: 'open',
        erpId: 'SO-1002',
        customerErpId: 'C-2',
        orderName: '#1002',
        customerExternalId: 'shopify:2',
        mappingVersion: 4,
      });

      const { summary, hops } = await trace({ orderId: RETRIED_ORDER });
      expect(summary).toMatchObject({
        stage: 'in_erp',
        deadLetters: 1,
        openDeadLetters: 0,
        erpId: 'SO-1002',
        mappingVersion: 4,
        erpAttempts: 3,
      });
      const outcomes = hops.map((h) => `${h.kind}:${h.outcome}`);
      expect(outcomes.indexOf('dead_letter:dead')).toBeLessThan(outcomes.indexOf('dead_letter:retried'));
      expect(outcomes.indexOf('dead_letter:retried')).toBeLessThan(outcomes.indexOf('message:succeeded'));
      expect(outcomes).toContain('erp_document:open');
    });
  });

  describe('what it does not trace', () => {
    it('an order no module recorded: not found', async () => {
      await expect(sut.execute({ shop: SHOP, orderId: '999' })).resolves.toEqual({ outcome: 'not_found' });
      await expect(sut.execute({ shop: SHOP, webhookId: 'no-such-webhook' })).resolves.toEqual({
        outcome: 'not_found',
      });
    });

    it("another shop's order: not found in this shop", async () => {
      await expect(sut.execute({ shop: OTHER_SHOP, orderId: RETRIED_ORDER })).resolves.toEqual({
        outcome: 'not_found',
      });
    });

    it('an unknown shop, and an id that is no order id', async () => {
      await expect(sut.execute({ shop: 'nope.myshopify.com', orderId: '1' })).resolves.toEqual({
        outcome: 'unknown_shop',
      });
      await expect(sut.execute({ shop: SHOP, orderId: 'gid://shopify/Product/1' })).resolves.toEqual({
        outcome: 'invalid_order_id',
      });
    });
  });
});
