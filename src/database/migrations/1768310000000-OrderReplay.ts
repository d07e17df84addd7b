import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators' order replays (orders module): `order_replay` is one request (a shop's orders created in a date range,
 * or a list of order ids) run as a background job, with the Admin API cursor of its last completed page so that a
 * run that stopped resumes there; `order_replay_item` is each order version it published, with the event id the
 * order writer records in `webhook_inbox` once it has processed it (how the status counts what is done).
 */
export class OrderReplay1768310000000 implements MigrationInterface {
  name = 'OrderReplay1768310000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_replay (
        id uuid PRIMARY KEY,
        shop text NOT NULL,
        created_from timestamptz,
        created_to timestamptz,
        order_ids text[],
        force boolean NOT NULL DEFAULT false,
        rate_per_second integer NOT NULL,
        state text NOT NULL DEFAULT 'queued',
        cursor text,
        listed integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        error text,
        requested_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT order_replay_state_check CHECK (state IN ('queued', 'running', 'published', 'failed')),
        CONSTRAINT order_replay_target_check CHECK (
          (order_ids IS NOT NULL) OR (created_from IS NOT NULL AND created_to IS NOT NULL))
      )`);
    await queryRunner.query('CREATE INDEX order_replay_shop_created_idx ON order_replay (shop, created_at DESC)');
    await queryRunner.query(`
      CREATE TABLE order_replay_item (
        replay_id uuid NOT NULL REFERENCES order_replay (id) ON DELETE CASCADE,
        shopify_order_id text NOT NULL,
        topic text NOT NULL,
        event_id text NOT NULL,
        source_updated_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (replay_id, shopify_order_id)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS order_replay_item');
    await queryRunner.query('DROP TABLE IF EXISTS order_replay');
  }
}
