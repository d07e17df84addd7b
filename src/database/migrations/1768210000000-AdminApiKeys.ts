import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admin API keys managed through the API (issue #16, Roles): each stored as the SHA-256 of a 256-bit random key,
 * never the key itself, with its role, an optional list of shops it is limited to (null: every shop), who created
 * it, and when it was created, last used and revoked. A revoked key stays, for the record.
 */
export class AdminApiKeys1768210000000 implements MigrationInterface {
  name = 'AdminApiKeys1768210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS admin_api_key (
         id bigserial PRIMARY KEY,
         name text NOT NULL,
         role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
         shops text[],
         key_hash bytea NOT NULL UNIQUE,
         key_prefix text NOT NULL,
         created_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         last_used_at timestamptz,
         revoked_at timestamptz
       )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS admin_api_key');
  }
}
