import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The compare-at price and the weight of an ERP item (owned by the erp module), beside its price: the delta reads
 * store them when the connector's feed carries them, and the product sync writes them to Shopify. The weight is kept
 * as the ERP has it (exact value and its unit), never converted.
 */
export class ErpItemCompareAtWeight1768350000000 implements MigrationInterface {
  name = 'ErpItemCompareAtWeight1768350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE erp_item_xref
         ADD COLUMN IF NOT EXISTS compare_at_price numeric,
         ADD COLUMN IF NOT EXISTS weight_value numeric,
         ADD COLUMN IF NOT EXISTS weight_unit text
           CONSTRAINT erp_item_xref_weight_unit_check CHECK (weight_unit IN ('GRAMS', 'KILOGRAMS', 'OUNCES', 'POUNDS'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE erp_item_xref DROP COLUMN IF EXISTS weight_unit, DROP COLUMN IF EXISTS weight_value,
         DROP COLUMN IF EXISTS compare_at_price`,
    );
  }
}
