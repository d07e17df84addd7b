import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shopify Payments payouts read and deposited into the ERP (owned by the payouts module): one row per shop and payout,
 * the key that makes a deposit idempotent. `state` is `deposited`, `retry` (transient failure, `next_attempt_at`),
 * `held` (the payout does not balance or cannot be deposited; looked at again later) or `failed` (permanent); the
 * variance report of the payout is kept with it.
 */
export class ShopifyPayouts1768400000000 implements MigrationInterface {
  name = 'ShopifyPayouts1768400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE shopify_payout (
        shop             text        NOT NULL,
        payout_id        text        NOT NULL,
        issued_at        timestamptz NOT NULL,
        currency         text        NOT NULL,
        net              text        NOT NULL,
        state            text        NOT NULL,
        connector        text        NOT NULL,
        erp_id           text,
        lines            jsonb       NOT NULL DEFAULT '[]'::jsonb,
        variances        jsonb       NOT NULL DEFAULT '[]'::jsonb,
        attempts         integer     NOT NULL DEFAULT 0,
        last_error       text,
        next_attempt_at  timestamptz,
        deposited_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, payout_id),
        CONSTRAINT shopify_payout_state_chk CHECK (state IN ('deposited', 'retry', 'held', 'failed'))
      )`);
    await queryRunner.query('CREATE INDEX shopify_payout_issued_idx ON shopify_payout (shop, issued_at DESC)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS shopify_payout');
  }
}
