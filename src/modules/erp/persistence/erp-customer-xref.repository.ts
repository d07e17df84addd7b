import type { ErpCustomerXref, ErpCustomerXrefEntry } from 'src/modules/erp/port/erp-customer-xref';
import type { DataSource } from 'typeorm';

/**
 * Our customer key → ERP customer id of one connector (table erp_customer_xref): how the Business Central connector
 * finds a customer by our key rather than by name. The only code that reads or writes the table.
 */
export class ErpCustomerXrefRepository implements ErpCustomerXref {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connector: string,
  ) {}

  async find(key: string): Promise<ErpCustomerXrefEntry | undefined> {
    const rows: Array<{ erp_customer_id: string | null; create_sent_at: Date | null }> = await this.dataSource.query(
      'SELECT erp_customer_id, create_sent_at FROM erp_customer_xref WHERE connector = $1 AND customer_key = $2',
      [this.connector, key],
    );
    const row = rows[0];
    if (row === undefined) {
      return undefined;
    }
    return {
      ...(row.erp_customer_id === null ? {} : { erpId: row.erp_customer_id }),
      ...(row.create_sent_at === null ? {} : { createSentAt: row.create_sent_at }),
    };
  }

  async remember(key: string, erpId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO erp_customer_xref (connector, customer_key, erp_customer_id) VALUES ($1, $2, $3)
       ON CONFLICT (connector, customer_key) DO UPDATE
         SET erp_customer_id = EXCLUDED.erp_customer_id, create_sent_at = NULL, updated_at = now()`,
      [this.connector, key, erpId],
    );
  }

  async createSending(key: string): Promise<Date> {
    const rows: Array<{ create_sent_at: Date }> = await this.dataSource.query(
      `INSERT INTO erp_customer_xref (connector, customer_key, create_sent_at) VALUES ($1, $2, now())
       ON CONFLICT (connector, customer_key) DO UPDATE SET create_sent_at = now(), updated_at = now()
       RETURNING create_sent_at`,
      [this.connector, key],
    );
    return rows[0].create_sent_at;
  }

  async forget(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM erp_customer_xref WHERE connector = $1 AND customer_key = $2', [
      this.connector,
      key,
    ]);
  }

  async claimedByOthers(erpIds: readonly string[], key: string): Promise<Set<string>> {
    if (erpIds.length === 0) {
      return new Set();
    }
    const rows: Array<{ erp_customer_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT erp_customer_id FROM erp_customer_xref
        WHERE connector = $1 AND erp_customer_id = ANY($2::text[]) AND customer_key <> $3`,
      [this.connector, erpIds, key],
    );
    return new Set(rows.map((row) => row.erp_customer_id));
  }
}
