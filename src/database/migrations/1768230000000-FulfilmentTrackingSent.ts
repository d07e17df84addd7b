import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tracking (company, numbers, URL) each fulfilment carries as we last sent it, so that an ERP change of a shipped
 * shipment's tracking or carrier becomes `fulfillmentTrackingInfoUpdate` on the fulfilment(s) it made, and a change of
 * anything else sends nothing. Null for fulfilments recorded before this column: their tracking is taken as sent.
 */
export class FulfilmentTrackingSent1768230000000 implements MigrationInterface {
  name = 'FulfilmentTrackingSent1768230000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE shopify_fulfilment ADD COLUMN IF NOT EXISTS tracking jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE shopify_fulfilment DROP COLUMN IF EXISTS tracking`);
  }
}
