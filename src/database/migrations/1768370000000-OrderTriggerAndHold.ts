import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an order goes to the ERP (docs/orders.md): each shop's trigger (`created`, `paid`, `fulfilled`) and whether
 * orders Shopify rates high risk are held, on `shops` (owned by the shops module; null follows the default, the
 * environment's for the bootstrap shop); and `order_hold` (owned by the orders module), one row per order held
 * before its first ERP write, with the latest payload Shopify sent for it, until an operator releases or cancels it.
 */
export class OrderTriggerAndHold1768370000000 implements MigrationInterface {
  name = 'OrderTriggerAndHold1768370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE shops
        ADD COLUMN IF NOT EXISTS order_trigger text CHECK (order_trigger IN ('created', 'paid', 'fulfilled')),
        ADD COLUMN IF NOT EXISTS hold_high_risk_orders boolean`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS order_hold (
        shop text NOT NULL,
        shopify_order_id text NOT NULL,
        status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'released', 'cancelled')),
        reason text NOT NULL,
        risk_level text,
        risk_recommendation text,
        order_name text,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        source_updated_at timestamptz NOT NULL,
        held_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        settled_by text,
        PRIMARY KEY (shop, shopify_order_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS order_hold_held ON order_hold (shop, held_at, shopify_order_id) WHERE status = 'held'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS order_hold');
    await queryRunner.query(
      'ALTER TABLE shops DROP COLUMN IF EXISTS order_trigger, DROP COLUMN IF EXISTS hold_high_risk_orders',
    );
  }
}
