import { Injectable } from '@nestjs/common';
import type { ErpShipment } from 'src/modules/erp/port/erp.types';
import { DataSource } from 'typeorm';

/** @description Where an ERP shipment stands in shipping order, and which version of it the delta reads hold. */
export interface ErpShipmentKey {
  erpShipmentId: string;
  /** PostgreSQL's exact text of `shipped_at` (the keyset cursor). */
  shippedAt: string;
  /** PostgreSQL's exact text of `changed_at` (microseconds): a later ERP change compares greater. */
  changedAt: string;
}

/** @description One erp_shipment row as the delta reads stored it. */
export interface ErpShipmentRow {
  connector: string;
  erpShipmentId: string;
  orderExternalId: string;
  trackingNumbers: string[];
  carrier: string | null;
  trackingUrl: string | null;
  lines: ErpShipment['lines'];
  /** When the delta read last saw this shipment change. */
  changedAt: Date;
  /** `changedAt` exactly as PostgreSQL holds it. */
  version: string;
}

/**
 * The shipments the ERP delta reads stored (erp_shipment), for the Shopify-side fulfilment writer: keys in shipping
 * order a page at a time (the caller tells which it has still to do from its own state), then the full rows of those
 * it picked, in one statement each.
 */
@Injectable()
export class ErpShipmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `limit` shipment keys in (shipped_at, id) order after `after`. */
  async keysInShippingOrder(
    connector: string,
    limit: number,
    after?: Pick<ErpShipmentKey, 'shippedAt' | 'erpShipmentId'>,
  ): Promise<ErpShipmentKey[]> {
    const rows: Array<{ erp_shipment_id: string; shipped_at: string; changed_at: string }> =
      await this.dataSource.query(
        `SELECT erp_shipment_id, shipped_at::text AS shipped_at, changed_at::text AS changed_at
           FROM erp_shipment
          WHERE connector = $1
            AND ($3::timestamptz IS NULL OR (shipped_at, erp_shipment_id) > ($3::timestamptz, $4::text))
          ORDER BY shipped_at, erp_shipment_id
          LIMIT $2`,
        [connector, limit, after?.shippedAt ?? null, after?.erpShipmentId ?? ''],
      );
    return rows.map((r) => ({ erpShipmentId: r.erp_shipment_id, shippedAt: r.shipped_at, changedAt: r.changed_at }));
  }

  /** These shipments (those that exist), by id. */
  async byIds(connector: string, erpShipmentIds: readonly string[]): Promise<Map<string, ErpShipmentRow>> {
    if (erpShipmentIds.length === 0) {
      return new Map();
    }
    const rows: Array<{
      erp_shipment_id: string;
      order_external_id: string;
      tracking_numbers: unknown;
      carrier: string | null;
      tracking_url: string | null;
      lines: unknown;
      changed_at: Date;
      version: string;
    }> = await this.dataSource.query(
      `SELECT erp_shipment_id, order_external_id, tracking_numbers, carrier, tracking_url, lines, changed_at,
              changed_at::text AS version
         FROM erp_shipment
        WHERE connector = $1 AND erp_shipment_id = ANY($2::text[])`,
      [connector, erpShipmentIds],
    );
    return new Map(
      rows.map((row) => [
        row.erp_shipment_id,
        {
          connector,
          erpShipmentId: row.erp_shipment_id,
          orderExternalId: row.order_external_id,
          trackingNumbers: Array.isArray(row.tracking_numbers) ? row.tracking_numbers.map(String) : [],
          carrier: row.carrier,
          trackingUrl: row.tracking_url,
          // Written by applyShipments from ErpShipment['lines'] only.
          lines: Array.isArray(row.lines) ? (row.lines as ErpShipment['lines']) : [],
          changedAt: row.changed_at,
          version: row.version,
        },
      ]),
    );
  }
}
