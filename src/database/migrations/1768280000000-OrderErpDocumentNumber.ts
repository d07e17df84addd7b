import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ERP's document number of each order's sales document (NetSuite `tranId`, Business Central `number`, Cin7 Core
 * `SaleOrderNumber`) and its write-back to the Shopify order (a tag and a metafield, docs/erp-to-shopify.md):
 * `document_number_written` is the number last written; `write_back_due_at` is set while a write-back is owed (null
 * once written, or after a permanent failure, whose reason stays in `write_back_error`).
 */
export class OrderErpDocumentNumber1768280000000 implements MigrationInterface {
  name = 'OrderErpDocumentNumber1768280000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE order_sync_state
      ADD COLUMN IF NOT EXISTS erp_document_number text,
      ADD COLUMN IF NOT EXISTS document_number_written text,
      ADD COLUMN IF NOT EXISTS write_back_due_at timestamptz,
      ADD COLUMN IF NOT EXISTS write_back_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN IF NOT EXISTS write_back_error text`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS order_sync_state_write_back_due
      ON order_sync_state (write_back_due_at) WHERE write_back_due_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS order_sync_state_write_back_due`);
    await queryRunner.query(`ALTER TABLE order_sync_state
      DROP COLUMN IF EXISTS erp_document_number,
      DROP COLUMN IF EXISTS document_number_written,
      DROP COLUMN IF EXISTS write_back_due_at,
      DROP COLUMN IF EXISTS write_back_attempts,
      DROP COLUMN IF EXISTS write_back_error`);
  }
}
