import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shop of a Shopify order by its id alone (order_sync_state is keyed by shop first): the fulfilment writer sends
 * each ERP shipment to the shop its order came from, looking up a page of order ids at a time.
 */
export class OrderShopLookup1768250000000 implements MigrationInterface {
  name = 'OrderShopLookup1768250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS order_sync_state_order_idx ON order_sync_state (shopify_order_id)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS order_sync_state_order_idx');
  }
}
