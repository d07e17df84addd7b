import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Our key of a customer (the Shopify customer id, `email:<address>` of a guest, `guest:<order id>`) → the ERP
 * customer it resolved to, for ERPs whose customers have no field of ours to match on (Business Central). Filled on
 * create and on a match by e-mail; a create whose answer may be lost is recorded before it is sent
 * (`create_sent_at`), so that a re-run can tell our own customer from another of the same name.
 */
export class ErpCustomerXref1767747600000 implements MigrationInterface {
  name = 'ErpCustomerXref1767747600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE erp_customer_xref (
        connector        text        NOT NULL,
        customer_key     text        NOT NULL,
        erp_customer_id  text,
        create_sent_at   timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, customer_key)
      )`);
    await queryRunner.query(
      'CREATE INDEX erp_customer_xref_erp_id_idx ON erp_customer_xref (connector, erp_customer_id)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS erp_customer_xref');
  }
}
