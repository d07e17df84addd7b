import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators act on dead letters in bulk and edit one before retrying it (issue #18): a dead letter now says who
 * retried or discarded it and when (a discarded one stays, status `discarded`), and the class of the error that
 * killed it (`error_class`: the AppError code, `UNEXPECTED`, or `DELIVERY_LIMIT`) so that a bulk action can select by
 * it. `dead_letter_action` is each dead letter's own trail: one row per operator action, with the changed paths of an
 * edit (before/after, sensitive values redacted). Both tables belong to the dead-letters module. No foreign key: a
 * `TRUNCATE dead_letter` (tests, an operator's clean-up) keeps working; the retention job deletes a dead letter's
 * trail with it.
 */
export class DeadLetterOperatorActions1768300000000 implements MigrationInterface {
  name = 'DeadLetterOperatorActions1768300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dead_letter
      ADD COLUMN IF NOT EXISTS error_class  text,
      ADD COLUMN IF NOT EXISTS retried_by   text,
      ADD COLUMN IF NOT EXISTS discarded_at timestamptz,
      ADD COLUMN IF NOT EXISTS discarded_by text`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS dead_letter_action (
        id             bigserial   PRIMARY KEY,
        dead_letter_id bigint      NOT NULL,
        action         text        NOT NULL,
        actor          text        NOT NULL,
        note           text,
        changes        jsonb,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS dead_letter_action_dead_letter_idx ON dead_letter_action (dead_letter_id, id)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS dead_letter_action');
    await queryRunner.query(`ALTER TABLE dead_letter
      DROP COLUMN IF EXISTS discarded_by,
      DROP COLUMN IF EXISTS discarded_at,
      DROP COLUMN IF EXISTS retried_by,
      DROP COLUMN IF EXISTS error_class`);
  }
}
