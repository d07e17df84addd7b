import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order a processed child delivery belongs to (a refund's `order_id`), on the order writer's inbox (owned by the
 * orders module): an order's trace lists its refunds, which the inbox otherwise keeps under their own ids only.
 * Order deliveries leave it null (their resource id is the order); the partial index holds refund rows only.
 */
export class WebhookInboxOrderId1768360000000 implements MigrationInterface {
  name = 'WebhookInboxOrderId1768360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE webhook_inbox ADD COLUMN IF NOT EXISTS order_id text');
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS webhook_inbox_order_idx ON webhook_inbox (shop, order_id) WHERE order_id IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS webhook_inbox_order_idx');
    await queryRunner.query('ALTER TABLE webhook_inbox DROP COLUMN IF EXISTS order_id');
  }
}
