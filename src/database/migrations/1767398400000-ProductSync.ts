import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP → Shopify product sync state: per SKU, what was last pushed (so unchanged items get no writes and our own
 * `products/update` echo is recognised) and which `changed_at` it covers; per parent item, its Shopify product.
 */
export class ProductSync1767398400000 implements MigrationInterface {
  name = 'ProductSync1767398400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE erp_item_xref
        ADD COLUMN shopify_synced_changed_at timestamptz,
        ADD COLUMN shopify_pushed_at         timestamptz,
        ADD COLUMN shopify_pushed_fields     jsonb,
        ADD COLUMN shopify_pushed_hash       text,
        ADD COLUMN shopify_push_error        text`);
    // The rows a product sync run still has to look at: never synced, or changed since the sync that covered them.
    await queryRunner.query(`
      CREATE INDEX erp_item_xref_product_pending_idx ON erp_item_xref (connector)
       WHERE shopify_synced_changed_at IS DISTINCT FROM changed_at`);
    await queryRunner.query(
      'CREATE INDEX erp_item_xref_shopify_variant_idx ON erp_item_xref (shopify_variant_id) WHERE shopify_variant_id IS NOT NULL',
    );
    // One Shopify product per ERP parent item (matrix / variant parent), or per standalone item.
    await queryRunner.query(`
      CREATE TABLE shopify_product_xref (
        connector           text        NOT NULL,
        erp_group_id        text        NOT NULL,
        shopify_product_id  text        NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, erp_group_id)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS shopify_product_xref');
    await queryRunner.query('DROP INDEX IF EXISTS erp_item_xref_shopify_variant_idx');
    await queryRunner.query('DROP INDEX IF EXISTS erp_item_xref_product_pending_idx');
    await queryRunner.query(`
      ALTER TABLE erp_item_xref
        DROP COLUMN IF EXISTS shopify_synced_changed_at, DROP COLUMN IF EXISTS shopify_pushed_at,
        DROP COLUMN IF EXISTS shopify_pushed_fields, DROP COLUMN IF EXISTS shopify_pushed_hash,
        DROP COLUMN IF EXISTS shopify_push_error`);
  }
}
