import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ERP writer records that a write of an order began (`erp_write_started_at`) before its first request is sent, so
 * that an order with no attempt recorded is created without looking it up first (it cannot exist in the ERP yet), and
 * one whose attempt may have reached the ERP (a crash, a lost answer) is looked up on every later attempt. The row
 * exists from that moment, before anything is applied: `last_applied_updated_at` and `status` are null until then.
 */
export class OrderErpWriteStarted1768093200000 implements MigrationInterface {
  name = 'OrderErpWriteStarted1768093200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE order_sync_state ADD COLUMN IF NOT EXISTS erp_write_started_at timestamptz,
         ALTER COLUMN last_applied_updated_at DROP NOT NULL,
         ALTER COLUMN status DROP NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM order_sync_state WHERE last_applied_updated_at IS NULL OR status IS NULL');
    await queryRunner.query(
      `ALTER TABLE order_sync_state DROP COLUMN IF EXISTS erp_write_started_at,
         ALTER COLUMN last_applied_updated_at SET NOT NULL,
         ALTER COLUMN status SET NOT NULL`,
    );
  }
}
