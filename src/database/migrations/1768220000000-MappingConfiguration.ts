import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-shop mapping configuration (issue #16), owned by the mapping module: every save is an immutable numbered
 * version (`mapping_version`); activations are appended (`mapping_activation`), the latest of a shop is its active
 * version, so a roll back is one more activation and the history stays. The source-of-truth policy of a shop is one
 * row (`mapping_ownership_policy`; no row = the defaults). The order writer records on its own state which mapping
 * version produced each ERP write and the payload it mapped, which `previewMappingChange` replays (no index for that
 * read: an operator's preview may scan, the writer's hot path should not maintain one more index).
 */
export class MappingConfiguration1768220000000 implements MigrationInterface {
  name = 'MappingConfiguration1768220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mapping_version (
        shop        text        NOT NULL,
        version     integer     NOT NULL CHECK (version > 0),
        config      jsonb       NOT NULL,
        created_by  text        NOT NULL,
        note        text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE mapping_activation (
        id            bigserial   PRIMARY KEY,
        shop          text        NOT NULL,
        version       integer     NOT NULL,
        activated_by  text        NOT NULL,
        activated_at  timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (shop, version) REFERENCES mapping_version (shop, version)
      )`);
    await queryRunner.query('CREATE INDEX mapping_activation_shop_idx ON mapping_activation (shop, id DESC)');
    await queryRunner.query(`
      CREATE TABLE mapping_ownership_policy (
        shop        text        PRIMARY KEY,
        rules       jsonb       NOT NULL,
        updated_by  text        NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `ALTER TABLE order_sync_state ADD COLUMN IF NOT EXISTS mapping_version integer,
         ADD COLUMN IF NOT EXISTS source_payload jsonb`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE order_sync_state DROP COLUMN IF EXISTS mapping_version, DROP COLUMN IF EXISTS source_payload',
    );
    await queryRunner.query('DROP TABLE IF EXISTS mapping_ownership_policy');
    await queryRunner.query('DROP TABLE IF EXISTS mapping_activation');
    await queryRunner.query('DROP TABLE IF EXISTS mapping_version');
  }
}
