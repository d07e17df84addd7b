import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts go to several channels (the signed webhook and e-mail): each episode records which channels have its alert
 * and which its recovery, so that a channel that failed is tried again without repeating the notice on the others.
 * Episodes raised before were raised on the webhook, the only channel there was.
 */
export class AlertEpisodeChannels1768340000000 implements MigrationInterface {
  name = 'AlertEpisodeChannels1768340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alert_episode
        ADD COLUMN IF NOT EXISTS alert_sent_to text[] NOT NULL DEFAULT '{}',
        ADD COLUMN IF NOT EXISTS recovery_sent_to text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`UPDATE alert_episode SET alert_sent_to = '{webhook}' WHERE raised_at IS NOT NULL`);
    await queryRunner.query(`UPDATE alert_episode SET recovery_sent_to = '{webhook}' WHERE recovered_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE alert_episode DROP COLUMN IF EXISTS alert_sent_to, DROP COLUMN IF EXISTS recovery_sent_to',
    );
  }
}
