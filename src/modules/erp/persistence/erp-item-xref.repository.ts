import type { ErpItemXref } from 'src/modules/erp/port/erp-connector-context';
import type { DataSource } from 'typeorm';

/**
 * The SKU → ERP item cross-reference of one connector (table erp_item_xref). Order lines resolve through it; item
 * delta reads keep it current (see ErpChangeRepository). The only code that reads it for connectors.
 */
export class ErpItemXrefRepository implements ErpItemXref {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connector: string,
  ) {}

  async find(sku: string): Promise<string | undefined> {
    const rows: Array<{ erp_item_id: string }> = await this.dataSource.query(
      'SELECT erp_item_id FROM erp_item_xref WHERE connector = $1 AND sku = $2 AND active',
      [this.connector, sku],
    );
    return rows[0]?.erp_item_id;
  }

  async remember(sku: string, erpItemId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_item_xref (connector, sku, erp_item_id) VALUES ($1, $2, $3)
       ON CONFLICT (connector, sku) DO UPDATE SET erp_item_id = EXCLUDED.erp_item_id, active = true, updated_at = now()
       WHERE erp_item_xref.erp_item_id IS DISTINCT FROM EXCLUDED.erp_item_id OR NOT erp_item_xref.active`,
      [this.connector, sku, erpItemId],
    );
  }

  async forget(sku: string): Promise<void> {
    await this.dataSource.query('DELETE FROM erp_item_xref WHERE connector = $1 AND sku = $2', [this.connector, sku]);
  }
}
