import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order trace (`orderTrace`, `GET /admin/shops/{shop}/orders/{orderId}/trace`) reads each module's rows of one
 * order: the dead letters by the Shopify id (or by webhook id, to find the order of a webhook) and the fulfilment
 * writer's shipments by the order's GID. Without these indexes each lookup was a scan of the whole table.
 */
export class OrderTraceIndexes1768290000000 implements MigrationInterface {
  name = 'OrderTraceIndexes1768290000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX IF NOT EXISTS dead_letter_shopify_id_idx ON dead_letter (shopify_id, shop)');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS dead_letter_webhook_id_idx ON dead_letter (webhook_id, shop)');
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS erp_shipment_fulfilment_order_idx ON erp_shipment_fulfilment (order_gid, shop)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS erp_shipment_fulfilment_order_idx');
    await queryRunner.query('DROP INDEX IF EXISTS dead_letter_webhook_id_idx');
    await queryRunner.query('DROP INDEX IF EXISTS dead_letter_shopify_id_idx');
  }
}
