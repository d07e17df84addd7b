import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each ERP change stream last read to the end without an error (owned by the erp module), beside its last run:
 * the alert on a lagging ERP feed needs how long a stream has been failing, which the last run alone cannot tell.
 */
export class ErpFeedLastSuccess1768341000000 implements MigrationInterface {
  name = 'ErpFeedLastSuccess1768341000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE erp_sync_watermark ADD COLUMN IF NOT EXISTS last_success_at timestamptz');
    await queryRunner.query('UPDATE erp_sync_watermark SET last_success_at = last_run_at WHERE last_error IS NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE erp_sync_watermark DROP COLUMN IF EXISTS last_success_at');
  }
}
