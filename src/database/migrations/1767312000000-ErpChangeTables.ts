import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of the ERP → middleware direction (SKU cross-reference, delta watermarks, stock and shipments read), and
 * the order facts refunds need.
 */
export class ErpChangeTables1767312000000 implements MigrationInterface {
  name = 'ErpChangeTables1767312000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // What a refund needs to know about its order: the customer-facing name and the ERP customer's key.
    await queryRunner.query(
      'ALTER TABLE order_sync_state ADD COLUMN order_name text, ADD COLUMN customer_external_id text',
    );
    // One row per SKU per connector: what item syncs and order-line lookups learnt. The Shopify ids are filled
    // by the Shopify-side product sync.
    await queryRunner.query(`
      CREATE TABLE erp_item_xref (
        connector                  text        NOT NULL,
        sku                        text        NOT NULL,
        erp_item_id                text        NOT NULL,
        parent_erp_item_id         text,
        name                       text,
        price                      numeric(20, 6),
        cost                       numeric(20, 6),
        barcode                    text,
        options                    jsonb,
        active                     boolean     NOT NULL DEFAULT true,
        erp_last_modified          timestamptz,
        shopify_product_id         text,
        shopify_variant_id         text,
        shopify_inventory_item_id  text,
        changed_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, sku)
      )`);
    await queryRunner.query('CREATE INDEX erp_item_xref_changed_idx ON erp_item_xref (connector, changed_at)');

    // Where each delta stream of each connector has read up to (the highest lastModified of a completed read).
    await queryRunner.query(`
      CREATE TABLE erp_sync_watermark (
        connector   text        NOT NULL,
        stream      text        NOT NULL,
        watermark   text,
        last_run_at timestamptz,
        last_error  text,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, stream)
      )`);

    // The last stock level read per item and ERP location; a read that finds the same numbers changes nothing.
    await queryRunner.query(`
      CREATE TABLE erp_inventory_level (
        connector        text        NOT NULL,
        sku              text        NOT NULL,
        erp_location_id  text        NOT NULL,
        erp_item_id      text        NOT NULL,
        location_name    text,
        on_hand          numeric(20, 4) NOT NULL,
        available        numeric(20, 4) NOT NULL,
        committed        numeric(20, 4),
        changed_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, sku, erp_location_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX erp_inventory_level_changed_idx ON erp_inventory_level (connector, changed_at)',
    );

    await queryRunner.query(`
      CREATE TABLE erp_shipment (
        connector          text        NOT NULL,
        erp_shipment_id    text        NOT NULL,
        order_external_id  text        NOT NULL,
        tracking_numbers   jsonb       NOT NULL,
        carrier            text,
        tracking_url       text,
        shipped_at         timestamptz NOT NULL,
        lines              jsonb       NOT NULL,
        erp_last_modified  timestamptz NOT NULL,
        changed_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, erp_shipment_id)
      )`);
    await queryRunner.query('CREATE INDEX erp_shipment_changed_idx ON erp_shipment (connector, changed_at)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['erp_shipment', 'erp_inventory_level', 'erp_sync_watermark', 'erp_item_xref']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(
      'ALTER TABLE order_sync_state DROP COLUMN IF EXISTS order_name, DROP COLUMN IF EXISTS customer_external_id',
    );
  }
}
