import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order edits the ERP can no longer take (owned by the orders module): an edit of an order the ERP has shipped or
 * invoiced is not applied but kept here, with what it changed and what the ERP reported, until an operator resolves
 * it. At most one open conflict per order: a later edit of the same order updates it.
 */
export class OrderEditConflict1768410000000 implements MigrationInterface {
  name = 'OrderEditConflict1768410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS order_edit_conflict (
        id bigserial PRIMARY KEY,
        shop text NOT NULL,
        shopify_order_id text NOT NULL,
        order_name text,
        erp_id text NOT NULL,
        erp_state text NOT NULL,
        diff jsonb NOT NULL,
        source_updated_at timestamptz NOT NULL,
        event_id text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        edits integer NOT NULL DEFAULT 1,
        resolved_by text,
        resolved_at timestamptz,
        resolution_note text
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS order_edit_conflict_open
         ON order_edit_conflict (shop, shopify_order_id) WHERE resolved_at IS NULL`,
    );
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS order_edit_conflict_detected ON order_edit_conflict (detected_at DESC, id DESC)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS order_edit_conflict');
  }
}
