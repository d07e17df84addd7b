import { Injectable } from '@nestjs/common';
import type { AdminRole } from 'src/common/auth/admin-role';
import type { ApiKeyRecord, NewApiKey } from 'src/modules/access/domain/api-key.types';
import { DataSource } from 'typeorm';

const COLUMNS = 'id, name, role, shops, key_prefix, created_by, created_at, last_used_at, revoked_at';

function toRecord(r: Record<string, unknown>): ApiKeyRecord {
  return {
    id: String(r.id),
    name: r.name as string,
    // The column's CHECK admits only AdminRole values.
    role: r.role as AdminRole,
    shops: (r.shops as string[] | null) ?? null,
    prefix: r.key_prefix as string,
    createdBy: r.created_by as string,
    createdAt: r.created_at as Date,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
    revokedAt: (r.revoked_at as Date | null) ?? null,
  };
}

/** The only code that touches admin_api_key. */
@Injectable()
export class AdminApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: NewApiKey, hash: Buffer, prefix: string, createdBy: string): Promise<ApiKeyRecord> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `INSERT INTO admin_api_key (name, role, shops, key_hash, key_prefix, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [key.name, key.role, key.shops, hash, prefix, createdBy],
    );
    return toRecord(rows[0] ?? {});
  }

  /** The unrevoked key with this SHA-256, with its stored hash (for a constant-time comparison by the caller). */
  async findActiveByHash(hash: Buffer): Promise<{ record: ApiKeyRecord; hash: Buffer } | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${COLUMNS}, key_hash FROM admin_api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    const row = rows[0];
    return row === undefined ? null : { record: toRecord(row), hash: row.key_hash as Buffer };
  }

  /** Newest first, keyset-paginated on id, revoked keys included. */
  async list(first: number, after?: string): Promise<ApiKeyRecord[]> {
    const rows: Array<Record<string, unknown>> =
      after === undefined
        ? await this.dataSource.query(`SELECT ${COLUMNS} FROM admin_api_key ORDER BY id DESC LIMIT $1`, [first])
        : await this.dataSource.query(`SELECT ${COLUMNS} FROM admin_api_key WHERE id < $1 ORDER BY id DESC LIMIT $2`, [
            after,
            first,
          ]);
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    if (!/^\d{1,19}$/.test(id)) {
      return null;
    }
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM admin_api_key WHERE id = $1`,
      [id],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Revokes an active key; null when there is no active key with this id. */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    if (!/^\d{1,19}$/.test(id)) {
      return null;
    }
    // An UPDATE answers [rows, count] through TypeORM's PostgreSQL driver.
    const [rows] = await this.dataSource.query<[Array<Record<string, unknown>>, number]>(
      `UPDATE admin_api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Records a use, at most once a minute per key (a busy client costs no write per request). */
  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE admin_api_key SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
