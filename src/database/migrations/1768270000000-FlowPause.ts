import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The flows an operator paused, one row per shop and flow (resuming deletes it). Owned by the flows module; every
 * worker and scheduler reads it (cached for a few seconds) before consuming or running that shop's flow.
 */
export class FlowPause1768270000000 implements MigrationInterface {
  name = 'FlowPause1768270000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS flow_pause (
        shop text NOT NULL,
        flow text NOT NULL,
        paused_at timestamptz NOT NULL DEFAULT now(),
        paused_by text NOT NULL,
        reason text,
        PRIMARY KEY (shop, flow)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS flow_pause`);
  }
}
