import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per episode of an alert rule's condition (owned by the alerts module): when it started, when its alert and
 * its recovery were delivered. At most one open episode per rule, so that an alert is sent once per episode.
 */
export class AlertEpisode1768271000000 implements MigrationInterface {
  name = 'AlertEpisode1768271000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS alert_episode (
        id bigserial PRIMARY KEY,
        rule text NOT NULL,
        started_at timestamptz NOT NULL,
        raised_at timestamptz,
        ended_at timestamptz,
        recovered_at timestamptz,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS alert_episode_open_per_rule ON alert_episode (rule) WHERE ended_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS alert_episode`);
  }
}
