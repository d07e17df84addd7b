import { Injectable } from '@nestjs/common';
import { ErpShipmentRepository, type ErpShipmentKey, type ErpShipmentRow } from 'src/modules/erp';
import type {
  FulfilmentPlan,
  FulfilmentTrackingInput,
  ShipmentToFulfil,
} from 'src/modules/fulfilments/domain/fulfilment.types';
import { DataSource } from 'typeorm';

export type ShipmentFulfilmentStatus = 'planned' | 'pending' | 'retry' | 'fulfilled' | 'failed';

/** @description A shipment due for (another) fulfilment attempt, with what earlier attempts recorded. */
export interface DueShipment {
  shipment: ShipmentToFulfil;
  /** The shop an earlier attempt worked for (the order's); null before the first attempt. */
  shop: string | null;
  status: ShipmentFulfilmentStatus | null;
  plan: FulfilmentPlan | null;
  attempts: number;
  /**
   * Per location key: the fulfilment GID once known, when the create was sent (the pending marker), and the tracking
   * the fulfilment carries as we last sent it (null: recorded before tracking was kept).
   */
  records: Map<
    string,
    { fulfillmentGid: string | null; pendingAt: Date | null; tracking: FulfilmentTrackingInput | null }
  >;
}

/** @description An ERP shipment of one order taken up by the fulfilment writer, and what it made in Shopify. */
export interface OrderShipmentFulfilment {
  connector: string;
  erpShipmentId: string;
  orderGid: string;
  status: ShipmentFulfilmentStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Per location: the fulfilment's GID once created (null while its create is in flight). */
  fulfilments: Array<{ locationId: string; fulfillmentGid: string | null; pendingAt: Date | null; createdAt: Date }>;
}

/** This module's state of one shipment that is due, `i` its place in the page of ERP shipment keys. */
interface DueStateRow {
  i: number;
  shop: string | null;
  status: ShipmentFulfilmentStatus | null;
  plan: FulfilmentPlan | null;
  attempts: number | null;
  records: Array<{
    location_id: string;
    fulfillment_gid: string | null;
    pending_at: string | null;
    tracking: FulfilmentTrackingInput | null;
  }> | null;
}

/** ERP shipment keys read per page while looking for due ones (most shipments are fulfilled long ago). */
const KEY_PAGE = 5_000;

/**
 * The only code that touches erp_shipment_fulfilment and shopify_fulfilment. The shipments themselves are the erp
 * module's (ErpShipmentRepository). Every state change is one statement, so a crash leaves the last step recorded.
 */
@Injectable()
export class ShipmentFulfilmentRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly shipments: ErpShipmentRepository,
  ) {}

  /**
   * Shipments to work on, oldest shipped first: never attempted; planned or pending (a crash mid-way); retry once
   * due; failed only when the ERP changed the shipment since (an operator fixed it there); fulfilled ones only when
   * the ERP changed the shipment since (its tracking may have changed).
   * The ERP's shipment keys are read a page at a time and matched with this module's state in one statement per
   * page, until `limit` are found; then the full shipments of those come in one read.
   */
  async due(connector: string, limit: number): Promise<DueShipment[]> {
    const picked: Array<{ key: ErpShipmentKey; state: DueStateRow }> = [];
    let after: ErpShipmentKey | undefined;
    while (picked.length < limit) {
      const keys = await this.shipments.keysInShippingOrder(connector, KEY_PAGE, after);
      const states = await this.dueStates(connector, keys, limit - picked.length);
      picked.push(...states.map((state) => ({ key: keys[state.i], state })));
      if (keys.length < KEY_PAGE) {
        break;
      }
      after = keys[keys.length - 1];
    }
    const shipments = await this.shipments.byIds(
      connector,
      picked.map((p) => p.key.erpShipmentId),
    );
    return picked.flatMap(({ key, state }) => {
      const row = shipments.get(key.erpShipmentId);
      return row === undefined ? [] : [toDueShipment(row, state)];
    });
  }

  /** Freezes the plan of a shipment (status planned); replaces the plan of a failed shipment the ERP changed. */
  async savePlan(shop: string, orderGid: string, shipment: ShipmentToFulfil, plan: FulfilmentPlan): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_shipment_fulfilment AS f (connector, erp_shipment_id, shop, order_gid, status, plan, attempts,
                                                 shipment_changed_at)
       VALUES ($1, $2, $3, $4, 'planned', $5, 0, $6)
       ON CONFLICT (connector, erp_shipment_id) DO UPDATE
         SET status = 'planned', plan = EXCLUDED.plan, last_error = NULL, next_attempt_at = NULL,
             shipment_changed_at = EXCLUDED.shipment_changed_at, updated_at = now()
         WHERE f.plan IS NULL OR f.status = 'failed'`,
      [
        shipment.connector,
        shipment.erpShipmentId,
        shop,
        orderGid,
        JSON.stringify(plan),
        shipment.version ?? shipment.changedAt,
      ],
    );
  }

  /** The pending marker, written before `fulfillmentCreate` is sent. */
  async markPending(shipment: ShipmentToFulfil, locationKey: string): Promise<Date> {
    const rows: Array<{ pending_at: Date }> = await this.dataSource.query(
      `WITH s AS (
         UPDATE erp_shipment_fulfilment SET status = 'pending', attempts = attempts + 1, updated_at = now()
          WHERE connector = $1 AND erp_shipment_id = $2)
       INSERT INTO shopify_fulfilment (connector, erp_shipment_id, location_id, pending_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (connector, erp_shipment_id, location_id) DO UPDATE SET pending_at = now()
         WHERE shopify_fulfilment.fulfillment_gid IS NULL
       RETURNING pending_at`,
      [shipment.connector, shipment.erpShipmentId, locationKey],
    );
    const pendingAt = rows[0]?.pending_at;
    if (pendingAt === undefined) {
      throw new Error(`shipment ${shipment.erpShipmentId} at ${locationKey} already has its fulfilment`);
    }
    return pendingAt;
  }

  /**
   * The shipment → fulfilment record (a create that answered, or one found after an unknown outcome), with the
   * tracking it was created with.
   */
  async recordFulfilment(
    shipment: ShipmentToFulfil,
    locationKey: string,
    fulfillmentGid: string,
    tracking: FulfilmentTrackingInput,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO shopify_fulfilment (connector, erp_shipment_id, location_id, fulfillment_gid, tracking)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (connector, erp_shipment_id, location_id) DO UPDATE
         SET fulfillment_gid = EXCLUDED.fulfillment_gid, tracking = EXCLUDED.tracking`,
      [shipment.connector, shipment.erpShipmentId, locationKey, fulfillmentGid, JSON.stringify(tracking)],
    );
  }

  /** The tracking a fulfilment carries now (after `fulfillmentTrackingInfoUpdate`, or taken as sent). */
  async recordTracking(
    shipment: ShipmentToFulfil,
    locationKey: string,
    tracking: FulfilmentTrackingInput,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE shopify_fulfilment SET tracking = $4
        WHERE connector = $1 AND erp_shipment_id = $2 AND location_id = $3`,
      [shipment.connector, shipment.erpShipmentId, locationKey, JSON.stringify(tracking)],
    );
  }

  /** Fulfilled as the ERP has the shipment now: due again only when the ERP changes it after this version. */
  async markFulfilled(shipment: ShipmentToFulfil): Promise<void> {
    await this.dataSource.query(
      `UPDATE erp_shipment_fulfilment SET status = 'fulfilled', last_error = NULL, next_attempt_at = NULL,
              shipment_changed_at = GREATEST(shipment_changed_at, $3::timestamptz), updated_at = now()
        WHERE connector = $1 AND erp_shipment_id = $2`,
      [shipment.connector, shipment.erpShipmentId, shipment.version ?? shipment.changedAt],
    );
  }

  /** A transient failure: tried again from `nextAttemptAt` (with the plan, if one was saved). */
  async markRetry(
    shop: string,
    orderGid: string,
    shipment: ShipmentToFulfil,
    error: string,
    nextAttemptAt: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_shipment_fulfilment AS f (connector, erp_shipment_id, shop, order_gid, status, last_error,
                                                 next_attempt_at, attempts, shipment_changed_at)
       VALUES ($1, $2, $3, $4, 'retry', $5, $6, 1, $7)
       ON CONFLICT (connector, erp_shipment_id) DO UPDATE
         SET status = 'retry', last_error = EXCLUDED.last_error, next_attempt_at = EXCLUDED.next_attempt_at,
             attempts = CASE WHEN f.status = 'pending' THEN f.attempts ELSE f.attempts + 1 END, updated_at = now()`,
      [
        shipment.connector,
        shipment.erpShipmentId,
        shop,
        orderGid,
        error.slice(0, 2_000),
        nextAttemptAt,
        shipment.version ?? shipment.changedAt,
      ],
    );
  }

  /** A permanent failure; the shipment is tried again only when the ERP changes it. */
  async markFailed(shop: string, orderGid: string, shipment: ShipmentToFulfil, error: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_shipment_fulfilment AS f (connector, erp_shipment_id, shop, order_gid, status, last_error,
                                                 shipment_changed_at)
       VALUES ($1, $2, $3, $4, 'failed', $5, $6)
       ON CONFLICT (connector, erp_shipment_id) DO UPDATE
         SET status = 'failed', last_error = EXCLUDED.last_error, next_attempt_at = NULL,
             shipment_changed_at = EXCLUDED.shipment_changed_at, updated_at = now()`,
      [
        shipment.connector,
        shipment.erpShipmentId,
        shop,
        orderGid,
        error.slice(0, 2_000),
        shipment.version ?? shipment.changedAt,
      ],
    );
  }

  /**
   * The shipments of one order of the shop this module took up, with the fulfilment each made per location, oldest
   * first. `orderGids`: the order's id in every form it may be kept in (the writer keeps its GID).
   */
  async ofOrder(shop: string, orderGids: readonly string[]): Promise<OrderShipmentFulfilment[]> {
    const rows: Array<{
      connector: string;
      erp_shipment_id: string;
      order_gid: string;
      status: ShipmentFulfilmentStatus;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      updated_at: Date;
      records: Array<{
        location_id: string;
        fulfillment_gid: string | null;
        pending_at: string | null;
        created_at: string;
      }> | null;
    }> = await this.dataSource.query(
      `SELECT f.connector, f.erp_shipment_id, f.order_gid, f.status, f.attempts, f.last_error, f.created_at,
              f.updated_at,
              (SELECT json_agg(json_build_object('location_id', r.location_id, 'fulfillment_gid', r.fulfillment_gid,
                                                 'pending_at', r.pending_at, 'created_at', r.created_at)
                               ORDER BY r.created_at, r.location_id)
                 FROM shopify_fulfilment r
                WHERE r.connector = f.connector AND r.erp_shipment_id = f.erp_shipment_id) AS records
         FROM erp_shipment_fulfilment f
        WHERE f.order_gid = ANY($2::text[]) AND f.shop = $1
        ORDER BY f.created_at, f.connector, f.erp_shipment_id`,
      [shop, orderGids],
    );
    return rows.map((row) => ({
      connector: row.connector,
      erpShipmentId: row.erp_shipment_id,
      orderGid: row.order_gid,
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      fulfilments: (row.records ?? []).map((r) => ({
        locationId: r.location_id,
        fulfillmentGid: r.fulfillment_gid,
        pendingAt: r.pending_at === null ? null : new Date(r.pending_at),
        createdAt: new Date(r.created_at),
      })),
    }));
  }

  /** Fulfilment GIDs already recorded for other shipments of the same order (never taken as ours). */
  async claimedFulfilments(orderGid: string, except: ShipmentToFulfil): Promise<Set<string>> {
    const rows: Array<{ fulfillment_gid: string }> = await this.dataSource.query(
      `SELECT r.fulfillment_gid FROM shopify_fulfilment r
         JOIN erp_shipment_fulfilment f ON f.connector = r.connector AND f.erp_shipment_id = r.erp_shipment_id
        WHERE f.order_gid = $1 AND r.fulfillment_gid IS NOT NULL
          AND NOT (r.connector = $2 AND r.erp_shipment_id = $3)`,
      [orderGid, except.connector, except.erpShipmentId],
    );
    return new Set(rows.map((row) => row.fulfillment_gid));
  }

  /** Which of these ERP shipments are due (see `due`), up to `limit`, in the keys' order, with their state. */
  private async dueStates(connector: string, keys: readonly ErpShipmentKey[], limit: number): Promise<DueStateRow[]> {
    if (keys.length === 0) {
      return [];
    }
    return this.dataSource.query(
      `SELECT k.i, f.shop, f.status, f.plan, f.attempts,
              (SELECT json_agg(json_build_object('location_id', r.location_id, 'fulfillment_gid', r.fulfillment_gid,
                                                 'pending_at', r.pending_at, 'tracking', r.tracking))
                 FROM shopify_fulfilment r
                WHERE r.connector = $1 AND r.erp_shipment_id = k.erp_shipment_id) AS records
         FROM json_to_recordset($2::json) AS k(i integer, erp_shipment_id text, changed_at timestamptz)
         LEFT JOIN erp_shipment_fulfilment f ON f.connector = $1 AND f.erp_shipment_id = k.erp_shipment_id
        WHERE f.status IS NULL
           OR f.status IN ('planned', 'pending')
           OR (f.status = 'retry' AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= now()))
           OR (f.status IN ('failed', 'fulfilled') AND k.changed_at > f.shipment_changed_at)
        ORDER BY k.i
        LIMIT $3`,
      [
        connector,
        JSON.stringify(keys.map((k, i) => ({ i, erp_shipment_id: k.erpShipmentId, changed_at: k.changedAt }))),
        limit,
      ],
    );
  }
}

function toDueShipment(row: ErpShipmentRow, state: DueStateRow): DueShipment {
  return {
    shipment: {
      connector: row.connector,
      erpShipmentId: row.erpShipmentId,
      orderExternalId: row.orderExternalId,
      trackingNumbers: row.trackingNumbers,
      ...(row.carrier ? { carrier: row.carrier } : {}),
      ...(row.trackingUrl ? { trackingUrl: row.trackingUrl } : {}),
      lines: row.lines,
      changedAt: row.changedAt,
      version: row.version,
    },
    shop: state.shop,
    status: state.status,
    // A failed shipment the ERP changed is planned afresh; any other plan is kept (see the migration).
    plan: state.status === 'failed' ? null : state.plan,
    attempts: state.attempts ?? 0,
    records: new Map(
      (state.records ?? []).map((r) => [
        r.location_id,
        {
          fulfillmentGid: r.fulfillment_gid,
          pendingAt: r.pending_at === null ? null : new Date(r.pending_at),
          tracking: r.tracking,
        },
      ]),
    ),
  };
}
