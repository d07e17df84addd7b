import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fulfilment writer reads the erp module's shipments as keys in shipping order, a page at a time (keyset on
 * shipped_at, id), and matches each page with its own state: this index makes every page one short range read
 * instead of a scan and sort of all the connector's shipments.
 */
export class ErpShipmentShippingOrder1767657600000 implements MigrationInterface {
  name = 'ErpShipmentShippingOrder1767657600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS erp_shipment_shipping_order_idx ON erp_shipment (connector, shipped_at, erp_shipment_id)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS erp_shipment_shipping_order_idx');
  }
}
