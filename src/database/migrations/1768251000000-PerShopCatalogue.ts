import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP → Shopify per shop (issue #16). Each shop has its own Shopify ids for the ERP's SKUs, its own products, its own
 * inventory beliefs and scan watermark. The environment's shop keeps its state where it always was (the erp_item_xref
 * columns; shop '' in the tables below, so that rows from before this migration stay its own without knowing its
 * domain here); every other shop's is keyed by its domain.
 */
export class PerShopCatalogue1768251000000 implements MigrationInterface {
  name = 'PerShopCatalogue1768251000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A SKU's Shopify ids and product-sync state in a shop other than the environment's (same columns as on
    // erp_item_xref for the environment's shop).
    await queryRunner.query(`
      CREATE TABLE erp_item_shop_xref (
        connector                  text        NOT NULL,
        shop                       text        NOT NULL,
        sku                        text        NOT NULL,
        shopify_product_id         text,
        shopify_variant_id         text,
        shopify_inventory_item_id  text,
        shopify_synced_changed_at  timestamptz,
        shopify_pushed_at          timestamptz,
        shopify_pushed_fields      jsonb,
        shopify_pushed_hash        text,
        shopify_push_error         text,
        updated_at                 timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, shop, sku)
      )`);
    await queryRunner.query(
      'CREATE INDEX erp_item_shop_xref_variant_idx ON erp_item_shop_xref (shopify_variant_id) WHERE shopify_variant_id IS NOT NULL',
    );
    for (const [table, key] of [
      ['shopify_product_xref', '(connector, shop, erp_group_id)'],
      ['inventory_push_state', '(connector, shop, sku, erp_location_id)'],
      ['inventory_scan_watermark', '(connector, shop)'],
    ] as const) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN shop text NOT NULL DEFAULT ''`);
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD PRIMARY KEY ${key}`);
    }
    // The location pairs a watermark was scanned with: another set (a mapping change) makes the next push scan all.
    await queryRunner.query('ALTER TABLE inventory_scan_watermark ADD COLUMN locations text');
    await queryRunner.query(`ALTER TABLE inventory_reconciliation_run ADD COLUMN shop text NOT NULL DEFAULT ''`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE inventory_reconciliation_run DROP COLUMN IF EXISTS shop');
    await queryRunner.query('ALTER TABLE inventory_scan_watermark DROP COLUMN IF EXISTS locations');
    for (const [table, key] of [
      ['shopify_product_xref', '(connector, erp_group_id)'],
      ['inventory_push_state', '(connector, sku, erp_location_id)'],
      ['inventory_scan_watermark', '(connector)'],
    ] as const) {
      await queryRunner.query(`DELETE FROM ${table} WHERE shop <> ''`);
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD PRIMARY KEY ${key}`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN shop`);
    }
    await queryRunner.query('DROP TABLE IF EXISTS erp_item_shop_xref');
  }
}
