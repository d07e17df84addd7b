import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP shipments → Shopify fulfilments (one fulfilment per shipment and location, never two), and the missed-webhook
 * order reconciliation (its watermark and what it has fed into the order pipeline).
 */
export class FulfilmentsAndReconciliation1767571200000 implements MigrationInterface {
  name = 'FulfilmentsAndReconciliation1767571200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One row per ERP shipment taken up by the fulfilment writer. `plan` is frozen at the first planning (the
    // fulfilment-order line items and quantities per location): a re-attempt executes the same plan, never a new one
    // against quantities our own earlier call already reduced.
    await queryRunner.query(`
      CREATE TABLE erp_shipment_fulfilment (
        connector            text        NOT NULL,
        erp_shipment_id      text        NOT NULL,
        shop                 text        NOT NULL,
        order_gid            text        NOT NULL,
        status               text        NOT NULL,
        plan                 jsonb,
        attempts             integer     NOT NULL DEFAULT 0,
        last_error           text,
        next_attempt_at      timestamptz,
        shipment_changed_at  timestamptz NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, erp_shipment_id),
        CONSTRAINT erp_shipment_fulfilment_status_ck
          CHECK (status IN ('planned', 'pending', 'retry', 'fulfilled', 'failed'))
      )`);
    // The shipment → fulfilment record. `fulfillment_gid` is null while a create is in flight (the pending marker):
    // after a crash or an unknown outcome, the order's fulfilments are searched for ours before creating again.
    await queryRunner.query(`
      CREATE TABLE shopify_fulfilment (
        connector        text        NOT NULL,
        erp_shipment_id  text        NOT NULL,
        location_id      text        NOT NULL,
        fulfillment_gid  text,
        pending_at       timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, erp_shipment_id, location_id),
        FOREIGN KEY (connector, erp_shipment_id) REFERENCES erp_shipment_fulfilment (connector, erp_shipment_id)
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX shopify_fulfilment_gid_uq ON shopify_fulfilment (fulfillment_gid) WHERE fulfillment_gid IS NOT NULL',
    );

    // Where the order reconciliation has read up to (Shopify's updated_at of a completed read).
    await queryRunner.query(`
      CREATE TABLE shopify_reconciliation_watermark (
        shop         text        NOT NULL,
        stream       text        NOT NULL,
        watermark    timestamptz,
        last_run_at  timestamptz,
        last_error   text,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, stream)
      )`);
    // Every order version and refund the reconciliation published into the order pipeline (so a second run does not
    // publish it again while the first copy is still queued).
    await queryRunner.query(`
      CREATE TABLE order_reconciliation_feed (
        shop          text        NOT NULL,
        kind          text        NOT NULL,
        shopify_id    text        NOT NULL,
        version       text        NOT NULL,
        event_id      text        NOT NULL,
        published_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, kind, shopify_id, version)
      )`);
    // The reconciliation asks "was refund X processed?" by resource id.
    await queryRunner.query('CREATE INDEX webhook_inbox_resource_idx ON webhook_inbox (shop, topic, resource_id)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_resource_idx');
    for (const table of [
      'order_reconciliation_feed',
      'shopify_reconciliation_watermark',
      'shopify_fulfilment',
      'erp_shipment_fulfilment',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
