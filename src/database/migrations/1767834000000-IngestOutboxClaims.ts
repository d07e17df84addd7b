import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox relay claims a batch of rows for a while (`claimed_until`) instead of holding them locked in a transaction
 * while it publishes: a claim is one short statement, publishing holds no transaction open, and another relay skips
 * claimed rows until the claim runs out (a relay that died mid-batch). Rows are read oldest first on the primary key.
 */
export class IngestOutboxClaims1767834000000 implements MigrationInterface {
  name = 'IngestOutboxClaims1767834000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ingest_outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ingest_outbox DROP COLUMN IF EXISTS claimed_until');
  }
}
