import { Injectable } from '@nestjs/common';
import type { OwnershipRule } from 'src/modules/mapping/domain/ownership-policy';
import { DataSource } from 'typeorm';

/** @description A shop's stored policy rules (over the defaults) and who changed them last. */
export interface StoredOwnershipPolicy {
  rules: OwnershipRule[];
  updatedBy: string;
  updatedAt: Date;
}

/** The only reader and writer of `mapping_ownership_policy`. */
@Injectable()
export class OwnershipPolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(shop: string): Promise<StoredOwnershipPolicy | null> {
    const rows: Array<{ rules: OwnershipRule[]; updated_by: string; updated_at: Date }> = await this.dataSource.query(
      'SELECT rules, updated_by, updated_at FROM mapping_ownership_policy WHERE shop = $1',
      [shop],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { rules: row.rules, updatedBy: row.updated_by, updatedAt: new Date(row.updated_at) };
  }

  async save(shop: string, rules: readonly OwnershipRule[], updatedBy: string): Promise<StoredOwnershipPolicy> {
    const rows: Array<{ rules: OwnershipRule[]; updated_by: string; updated_at: Date }> = await this.dataSource.query(
      `INSERT INTO mapping_ownership_policy (shop, rules, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (shop) DO UPDATE SET rules = EXCLUDED.rules, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING rules, updated_by, updated_at`,
      [shop, JSON.stringify(rules), updatedBy],
    );
    const row = rows[0];
    return { rules: row.rules, updatedBy: row.updated_by, updatedAt: new Date(row.updated_at) };
  }
}
