import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several Shopify stores per deployment. One row per shop, keyed by its myshopify domain (lower case). The secret
 * columns hold AES-256-GCM ciphertexts (`SecretCipher`: key id, IV, tag, ciphertext), never plain text; null means
 * "not stored": for the shop the environment bootstraps (SHOPIFY_SHOP_DOMAIN), the environment's value then applies,
 * and the same for its ERP scope columns. `revision` grows on every change, so that each process can tell with one
 * cheap query whether its in-memory copy of the shops is current.
 */
export class Shops1768200000000 implements MigrationInterface {
  name = 'Shops1768200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE SEQUENCE IF NOT EXISTS shops_revision_seq');
    await queryRunner.query(`
      CREATE TABLE shops (
        shop_domain              text        PRIMARY KEY CHECK (shop_domain ~ '^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$'),
        enabled                  boolean     NOT NULL DEFAULT true,
        currency                 text        CHECK (currency ~ '^[A-Z]{3}$'),
        netsuite_subsidiary_id   text,
        netsuite_location_id     text,
        bc_company_id            text,
        cin7_location            text,
        admin_api_url            text,
        webhook_secret           text,
        webhook_secret_previous  text,
        admin_access_token       text,
        revision                 bigint      NOT NULL DEFAULT nextval('shops_revision_seq'),
        created_at               timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now()
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS shops');
    await queryRunner.query('DROP SEQUENCE IF EXISTS shops_revision_seq');
  }
}
