import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates in doubt, durably: a create sent to an ERP without idempotency keys (Business Central, Cin7) whose answer
 * never came may still commit until `settles_at`, so the next create of its record (`lock_key`: the keyed lock's
 * name) waits until then and looks up first. The erp module's lock keeps a copy in Redis as a cache; this table is
 * what survives Redis losing its state (FLUSHALL, a failover to an empty replica, a restart without persistence).
 * One `every_key` row per lock: until when any create that was in flight when Redis last lost the locks may still be
 * recorded by its writer (its first insert, when Redis had never held the locks, settles at once); it is kept, so
 * that a later empty Redis is known for a loss rather than a first start.
 */
export class ErpCreateDoubt1768179600000 implements MigrationInterface {
  name = 'ErpCreateDoubt1768179600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp_create_doubt (
        lock_key     text        PRIMARY KEY,
        settles_at   timestamptz NOT NULL,
        every_key    boolean     NOT NULL DEFAULT false,
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS erp_create_doubt');
  }
}
