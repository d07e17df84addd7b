import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each ERP change stream first ran (owned by the erp module): a stream that has never read to the end is late
 * from its first run, not at once, so the ERP feed alert does not fire on the first failed read of a new install.
 */
export class ErpFeedFirstRun1768361000000 implements MigrationInterface {
  name = 'ErpFeedFirstRun1768361000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE erp_sync_watermark ADD COLUMN IF NOT EXISTS first_run_at timestamptz');
    await queryRunner.query(
      'UPDATE erp_sync_watermark SET first_run_at = COALESCE(last_success_at, last_run_at, updated_at) WHERE first_run_at IS NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE erp_sync_watermark DROP COLUMN IF EXISTS first_run_at');
  }
}
