import { Injectable } from '@nestjs/common';
import type { OrderHoldStatus } from 'src/modules/orders/domain/order-release';
import { DataSource } from 'typeorm';

export type AppliedOrderStatus = 'open' | 'cancelled';

export interface OrderSyncState {
  lastAppliedUpdatedAt: Date;
  status: AppliedOrderStatus;
  erpId: string | null;
  /** Shopify's order name (`#1001`); null for orders applied before it was recorded. */
  orderName: string | null;
  customerExternalId: string | null;
  /** The ERP's document number of the order's sales document, once an answer carried it. */
  erpDocumentNumber: string | null;
}

/** An order whose ERP document number is owed to the Shopify order (a tag and a metafield). */
export interface DueDocumentNumber {
  shop: string;
  shopifyOrderId: string;
  documentNumber: string;
  /** The number written before (a changed number is written again), or null. */
  written: string | null;
  attempts: number;
}

export interface InboxKey {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string;
  resourceId: string;
  /** The order a child resource belongs to (a refund's `order_id`); absent for the order's own deliveries. */
  orderId?: string;
}

/** @description A delivery the order writer processed (its inbox row): applied, stale, duplicate or erp-owned. */
export interface ProcessedDelivery {
  topic: string;
  webhookId: string;
  eventId: string;
  /** What the delivery was about: the order's id, or a refund's own id. */
  resourceId: string;
  outcome: string;
  completedAt: Date;
}

/**
 * @description The ERP sales order of one Shopify order as the writer last recorded it: its ERP id and Shopify name,
 * the mapping version that produced it; `erpId` null while a first write is only started.
 */
export interface OrderErpDocument {
  erpId: string | null;
  orderName: string | null;
  mappingVersion: number | null;
  status: AppliedOrderStatus | null;
  /** Shopify's `updated_at` of the order version applied. */
  sourceUpdatedAt: Date | null;
  writeStartedAt: Date | null;
  /** When the row was last written (the write applied, or started). */
  recordedAt: Date;
}

const STATE_COLUMNS = 'last_applied_updated_at, status, erp_id, order_name, customer_external_id, erp_document_number';

/** A row of STATE_COLUMNS; every column is null when a LEFT JOIN found no state. */
interface OrderStateRow {
  last_applied_updated_at: Date | null;
  status: AppliedOrderStatus | null;
  erp_id: string | null;
  order_name: string | null;
  customer_external_id: string | null;
  erp_document_number: string | null;
}

function toOrderSyncState(row: OrderStateRow | undefined): OrderSyncState | null {
  if (row === undefined || row.last_applied_updated_at === null || row.status === null) {
    return null;
  }
  return {
    lastAppliedUpdatedAt: row.last_applied_updated_at,
    status: row.status,
    erpId: row.erp_id,
    orderName: row.order_name,
    customerExternalId: row.customer_external_id,
    erpDocumentNumber: row.erp_document_number ?? null,
  };
}

/** The only code that touches order_sync_state, webhook_inbox and customer_sync_state. */
/**
 * The outcome recorded for a delivery, by webhook id or by event id ($1 shop, $2 topic, $3 webhook id, $4 event id):
 * two lookups, each on its own unique index. Written as one `webhook_id = $3 OR event_id = $4` filter, PostgreSQL may
 * plan it as a scan of every row of the shop and topic (seen in the 30-minute soak: with 120,000 rows and stale
 * statistics, 80 ms a lookup, and the writers fell behind a 100/s load).
 */
const PROCESSED_OUTCOME_SQL = `SELECT outcome FROM (
    (SELECT outcome FROM webhook_inbox WHERE shop = $1 AND topic = $2 AND webhook_id = $3 LIMIT 1)
    UNION ALL
    (SELECT outcome FROM webhook_inbox WHERE shop = $1 AND topic = $2 AND event_id = $4 LIMIT 1)
  ) AS found LIMIT 1`;

@Injectable()
export class OrderSyncStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(shop: string, shopifyOrderId: string): Promise<OrderSyncState | null> {
    const rows: OrderStateRow[] = await this.dataSource.query(
      `SELECT ${STATE_COLUMNS} FROM order_sync_state WHERE shop = $1 AND shopify_order_id = $2`,
      [shop, shopifyOrderId],
    );
    return toOrderSyncState(rows[0]);
  }

  /**
   * What the ERP writer needs before it decides anything, in one round trip: the outcome already recorded for this
   * delivery (null when new), the state last applied for its order (null when none), the payload it came from, and
   * its hold (order_hold, owned by this module too; null when it was never held).
   */
  async findDelivery(key: InboxKey): Promise<{
    processedOutcome: string | null;
    applied: OrderSyncState | null;
    appliedPayload: unknown;
    hold: OrderHoldStatus | null;
  }> {
    const rows: Array<
      OrderStateRow & { processed_outcome: string | null; source_payload: unknown; hold_status: OrderHoldStatus | null }
    > = await this.dataSource.query(
      `SELECT (${PROCESSED_OUTCOME_SQL}) AS processed_outcome,
                (SELECT status FROM order_hold h WHERE h.shop = $1 AND h.shopify_order_id = $5) AS hold_status,
                ${STATE_COLUMNS}, source_payload
           FROM (SELECT 1) AS one
           LEFT JOIN order_sync_state ON shop = $1 AND shopify_order_id = $5`,
      [key.shop, key.topic, key.webhookId, key.eventId, key.resourceId],
    );
    return {
      processedOutcome: rows[0]?.processed_outcome ?? null,
      applied: toOrderSyncState(rows[0]),
      // The payload the applied version was mapped from (null for orders applied before it was kept): an edit is
      // told from it.
      appliedPayload: rows[0]?.source_payload ?? null,
      hold: rows[0]?.hold_status ?? null,
    };
  }

  /** The `updated_at` last applied to the ERP per order, for the orders that have one (the reconciliation's check). */
  async appliedVersions(shop: string, shopifyOrderIds: readonly string[]): Promise<Map<string, Date>> {
    if (shopifyOrderIds.length === 0) {
      return new Map();
    }
    const rows: Array<{ shopify_order_id: string; last_applied_updated_at: Date }> = await this.dataSource.query(
      `SELECT shopify_order_id, last_applied_updated_at FROM order_sync_state
        WHERE shop = $1 AND shopify_order_id = ANY($2::text[]) AND last_applied_updated_at IS NOT NULL`,
      [shop, shopifyOrderIds],
    );
    return new Map(rows.map((row) => [row.shopify_order_id, row.last_applied_updated_at]));
  }

  /**
   * The shop each of these Shopify orders came from (those the order writer has a state row for). Shopify's order
   * ids are global, so an id names one order of one store.
   */
  async shopsOfOrders(shopifyOrderIds: readonly string[]): Promise<Map<string, string>> {
    if (shopifyOrderIds.length === 0) {
      return new Map();
    }
    const rows: Array<{ shopify_order_id: string; shop: string }> = await this.dataSource.query(
      'SELECT shopify_order_id, shop FROM order_sync_state WHERE shopify_order_id = ANY($1::text[])',
      [shopifyOrderIds],
    );
    return new Map(rows.map((row) => [row.shopify_order_id, row.shop]));
  }

  /** Which of these resources (e.g. refund ids under `refunds/create`) have a processed delivery. */
  async processedResources(shop: string, topic: string, resourceIds: readonly string[]): Promise<Set<string>> {
    if (resourceIds.length === 0) {
      return new Set();
    }
    const rows: Array<{ resource_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT resource_id FROM webhook_inbox WHERE shop = $1 AND topic = $2 AND resource_id = ANY($3::text[])`,
      [shop, topic, resourceIds],
    );
    return new Set(rows.map((row) => row.resource_id));
  }

  /** Whether a delivery of any of these topics (e.g. `returns/*`) applied this resource to the ERP. */
  async appliedUnder(shop: string, topics: readonly string[], resourceId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM webhook_inbox
        WHERE shop = $1 AND topic = ANY($2::text[]) AND resource_id = $3 AND outcome = 'applied' LIMIT 1`,
      [shop, topics, resourceId],
    );
    return rows.length > 0;
  }

  /** The outcome recorded for a delivery already processed (by webhook id or event id), or null. */
  async processedOutcome(key: InboxKey): Promise<string | null> {
    const rows: Array<{ outcome: string }> = await this.dataSource.query(PROCESSED_OUTCOME_SQL, [
      key.shop,
      key.topic,
      key.webhookId,
      key.eventId,
    ]);
    return rows[0]?.outcome ?? null;
  }

  /** Marks a delivery processed without applying it (stale or duplicate). */
  async recordSkipped(key: InboxKey, outcome: string): Promise<void> {
    await this.insertInbox(this.dataSource, key, outcome);
  }

  /**
   * Records what the ERP now holds and marks the delivery processed, atomically. The state only moves forward:
   * an older `updated_at` never overwrites a newer one even if two writers race.
   *
   * One statement (a data-modifying CTE runs to completion whether or not the outer INSERT reads it), so it is atomic
   * without BEGIN/COMMIT: one round trip per applied order instead of four.
   */
  async recordApplied(
    key: InboxKey,
    state: {
      updatedAt: string;
      status: AppliedOrderStatus;
      erpId: string;
      customerErpId: string;
      orderName: string;
      customerExternalId: string;
      /** The shop's mapping version that produced the write. */
      mappingVersion?: number;
      /** The Shopify order payload (JSON) the write was mapped from, replayed by mapping previews. */
      sourcePayload?: string;
      /** The ERP's document number, when the write's answer carried it: a new or changed one is owed to Shopify. */
      erpDocumentNumber?: string;
    },
  ): Promise<void> {
    await this.dataSource.query(
      `WITH applied AS (
         INSERT INTO order_sync_state (shop, shopify_order_id, last_applied_updated_at, status, erp_id, customer_erp_id,
                                       order_name, customer_external_id, mapping_version, source_payload, updated_at,
                                       erp_document_number, write_back_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $12, $13::jsonb, now(), $14::text,
                 CASE WHEN $14::text IS NULL THEN NULL ELSE now() END)
         ON CONFLICT (shop, shopify_order_id) DO UPDATE
           SET last_applied_updated_at = EXCLUDED.last_applied_updated_at, status = EXCLUDED.status,
               erp_id = EXCLUDED.erp_id, customer_erp_id = EXCLUDED.customer_erp_id, order_name = EXCLUDED.order_name,
               customer_external_id = EXCLUDED.customer_external_id, mapping_version = EXCLUDED.mapping_version,
               source_payload = EXCLUDED.source_payload, updated_at = now(),
               erp_document_number = COALESCE(EXCLUDED.erp_document_number, order_sync_state.erp_document_number),
               -- A new or changed number is owed to Shopify (at once, with fresh attempts); the same one is not.
               write_back_due_at = CASE
                 WHEN EXCLUDED.erp_document_number IS NOT NULL
                  AND EXCLUDED.erp_document_number IS DISTINCT FROM order_sync_state.erp_document_number
                  AND EXCLUDED.erp_document_number IS DISTINCT FROM order_sync_state.document_number_written
                 THEN now() ELSE order_sync_state.write_back_due_at END,
               write_back_attempts = CASE
                 WHEN EXCLUDED.erp_document_number IS DISTINCT FROM order_sync_state.erp_document_number
                  AND EXCLUDED.erp_document_number IS NOT NULL
                 THEN 0 ELSE order_sync_state.write_back_attempts END
         WHERE order_sync_state.last_applied_updated_at IS NULL
            OR order_sync_state.last_applied_updated_at <= EXCLUDED.last_applied_updated_at
       )
       INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, resource_id, outcome)
       VALUES ($1, $9, $10, $11, $2, 'applied')
       ON CONFLICT DO NOTHING`,
      [
        key.shop,
        key.resourceId,
        state.updatedAt,
        state.status,
        state.erpId,
        state.customerErpId,
        state.orderName,
        state.customerExternalId,
        key.topic,
        key.webhookId,
        key.eventId,
        state.mappingVersion ?? null,
        state.sourcePayload ?? null,
        state.erpDocumentNumber ?? null,
      ],
    );
  }

  /**
   * The ERP no longer holds these orders (the gap report listed none): what was applied is forgotten, so the next
   * delivery of each writes it again instead of being skipped as a duplicate of the version applied. The write marker
   * is kept (set when absent): the order may have been there, so the connector looks it up before it creates.
   * Returns how many orders had a state.
   */
  async forgetApplied(shop: string, shopifyOrderIds: readonly string[]): Promise<number> {
    if (shopifyOrderIds.length === 0) {
      return 0;
    }
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE order_sync_state
          SET last_applied_updated_at = NULL, status = NULL, updated_at = now(),
              erp_write_started_at = COALESCE(erp_write_started_at, now())
        WHERE shop = $1 AND shopify_order_id = ANY($2::text[])`,
      [shop, shopifyOrderIds],
    );
    return count;
  }

  /**
   * Records, before the first request of a write of this order is sent to the ERP, that such a write began. True when
   * this is the first: no write of the order was recorded before (started or applied), so the ERP cannot have it yet
   * and the connector may create it without looking it up. False when one was: a crash or a lost answer may have
   * left the order in the ERP, so it must be looked up. One statement, so two writers racing get one true.
   */
  async recordWriteStarted(shop: string, shopifyOrderId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO order_sync_state (shop, shopify_order_id, erp_write_started_at) VALUES ($1, $2, now())
       ON CONFLICT (shop, shopify_order_id) DO NOTHING
       RETURNING 1 AS first`,
      [shop, shopifyOrderId],
    );
    return rows.length === 1;
  }

  async findCustomer(shop: string, externalId: string): Promise<{ erpId: string; draftHash: string } | null> {
    const rows: Array<{ erp_id: string; draft_hash: string }> = await this.dataSource.query(
      'SELECT erp_id, draft_hash FROM customer_sync_state WHERE shop = $1 AND customer_external_id = $2',
      [shop, externalId],
    );
    const row = rows[0];
    return row ? { erpId: row.erp_id, draftHash: row.draft_hash } : null;
  }

  async saveCustomer(shop: string, externalId: string, erpId: string, draftHash: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO customer_sync_state (shop, customer_external_id, erp_id, draft_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (shop, customer_external_id) DO UPDATE SET erp_id = EXCLUDED.erp_id, draft_hash = EXCLUDED.draft_hash, updated_at = now()`,
      [shop, externalId, erpId, draftHash],
    );
  }

  /**
   * Deletes inbox keys of deliveries completed more than `days` ago; returns how many. Shopify retries a delivery
   * for hours, not days, so a key that old can no longer dedupe anything.
   */
  async pruneInbox(days: number): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown[], number]>(
      'DELETE FROM webhook_inbox WHERE completed_at < now() - make_interval(days => $1)',
      [days],
    );
    return deleted;
  }

  /** The deliveries of one order's own topics (`orders/*`) the writer processed, in the order they completed. */
  async deliveriesOf(shop: string, shopifyOrderId: string, limit: number): Promise<ProcessedDelivery[]> {
    const rows: Array<{
      topic: string;
      webhook_id: string;
      event_id: string;
      resource_id: string;
      outcome: string;
      completed_at: Date;
    }> = await this.dataSource.query(
      `SELECT topic, webhook_id, event_id, resource_id, outcome, completed_at FROM webhook_inbox
        WHERE shop = $1 AND ((resource_id = $2 AND topic LIKE 'orders/%') OR order_id = $2)
        ORDER BY completed_at, webhook_id LIMIT $3`,
      [shop, shopifyOrderId, limit],
    );
    return rows.map((row) => ({
      topic: row.topic,
      webhookId: row.webhook_id,
      eventId: row.event_id,
      resourceId: row.resource_id,
      outcome: row.outcome,
      completedAt: row.completed_at,
    }));
  }

  /** The order a processed order or refund delivery was about, by its webhook id; undefined when none. */
  async orderOfWebhook(shop: string, webhookId: string): Promise<string | undefined> {
    const rows: Array<{ order_id: string | null }> = await this.dataSource.query(
      `SELECT CASE WHEN topic LIKE 'orders/%' THEN resource_id ELSE order_id END AS order_id
         FROM webhook_inbox WHERE webhook_id = $2 AND shop = $1 AND (topic LIKE 'orders/%' OR order_id IS NOT NULL)
        LIMIT 1`,
      [shop, webhookId],
    );
    return rows[0]?.order_id ?? undefined;
  }

  /** What the ERP holds of one order as the writer last recorded it (also a write only started); null when nothing. */
  async documentOf(shop: string, shopifyOrderId: string): Promise<OrderErpDocument | null> {
    const rows: Array<{
      erp_id: string | null;
      order_name: string | null;
      mapping_version: number | null;
      status: AppliedOrderStatus | null;
      last_applied_updated_at: Date | null;
      erp_write_started_at: Date | null;
      updated_at: Date;
    }> = await this.dataSource.query(
      `SELECT erp_id, order_name, mapping_version, status, last_applied_updated_at, erp_write_started_at, updated_at
         FROM order_sync_state WHERE shop = $1 AND shopify_order_id = $2`,
      [shop, shopifyOrderId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          erpId: row.erp_id,
          orderName: row.order_name,
          mappingVersion: row.mapping_version,
          status: row.status,
          sourceUpdatedAt: row.last_applied_updated_at,
          writeStartedAt: row.erp_write_started_at,
          recordedAt: row.updated_at,
        };
  }

  /** Marks a delivery processed with its outcome (a refund recorded in the ERP: `applied`). */
  async recordProcessed(key: InboxKey, outcome: string): Promise<void> {
    await this.insertInbox(this.dataSource, key, outcome);
  }

  private async insertInbox(
    runner: { query: (sql: string, params: unknown[]) => Promise<unknown> },
    key: InboxKey,
    outcome: string,
  ): Promise<void> {
    // No conflict target: either unique index (webhook id or event id) makes a second record a no-op.
    await runner.query(
      `INSERT INTO webhook_inbox (shop, topic, webhook_id, event_id, resource_id, outcome, order_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [key.shop, key.topic, key.webhookId, key.eventId, key.resourceId, outcome, key.orderId ?? null],
    );
  }

  /** Orders of the shop whose ERP document number is owed to Shopify and due now, oldest first. */
  async dueDocumentNumbers(shop: string, limit: number): Promise<DueDocumentNumber[]> {
    const rows: Array<{
      shopify_order_id: string;
      erp_document_number: string;
      document_number_written: string | null;
      write_back_attempts: number;
    }> = await this.dataSource.query(
      `SELECT shopify_order_id, erp_document_number, document_number_written, write_back_attempts
         FROM order_sync_state
        WHERE shop = $1 AND write_back_due_at IS NOT NULL AND write_back_due_at <= now()
          AND erp_document_number IS NOT NULL
        ORDER BY write_back_due_at
        LIMIT $2`,
      [shop, limit],
    );
    return rows.map((row) => ({
      shop,
      shopifyOrderId: row.shopify_order_id,
      documentNumber: row.erp_document_number,
      written: row.document_number_written,
      attempts: row.write_back_attempts,
    }));
  }

  /**
   * The number is on the Shopify order. Only if it is still the order's number: one the ERP changed meanwhile stays
   * owed.
   */
  async markDocumentNumberWritten(shop: string, shopifyOrderId: string, documentNumber: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_sync_state
          SET document_number_written = $3,
              write_back_due_at = CASE WHEN erp_document_number = $3 THEN NULL ELSE write_back_due_at END,
              write_back_error = NULL
        WHERE shop = $1 AND shopify_order_id = $2`,
      [shop, shopifyOrderId, documentNumber],
    );
  }

  /** A failed write-back: retried at `retryAt`, or (null) never again, with its reason kept. */
  async markDocumentNumberFailed(
    shop: string,
    shopifyOrderId: string,
    documentNumber: string,
    error: string,
    retryAt: Date | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_sync_state
          SET write_back_due_at = $4, write_back_attempts = write_back_attempts + 1, write_back_error = $5
        WHERE shop = $1 AND shopify_order_id = $2 AND erp_document_number = $3`,
      [shop, shopifyOrderId, documentNumber, retryAt, error.slice(0, 2_000)],
    );
  }
}
