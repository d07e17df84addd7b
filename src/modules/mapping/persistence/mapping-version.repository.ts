import { Injectable } from '@nestjs/common';
import type { ActiveMapping, MappingVersion, OrderMappingConfig } from 'src/modules/mapping/domain/order-mapping.types';
import type { OwnershipRule } from 'src/modules/mapping/domain/ownership-policy';
import { DataSource } from 'typeorm';

interface VersionRow {
  shop: string;
  version: number;
  config: OrderMappingConfig;
  created_by: string;
  note: string | null;
  created_at: Date;
}

interface ActiveRow extends VersionRow {
  activated_by: string;
  activated_at: Date;
}

/** PostgreSQL's unique_violation: two saves of one shop raced for the same version number. */
const UNIQUE_VIOLATION = '23505';

/** Each round of concurrent saves stores at least one, so this many rounds serve that many operators at once. */
const MAX_SAVE_ATTEMPTS = 20;

/** The only reader and writer of `mapping_version` and `mapping_activation`. */
@Injectable()
export class MappingVersionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Saves a new version numbered one past the shop's last; a concurrent save that took the number is retried. */
  async create(shop: string, config: OrderMappingConfig, createdBy: string, note?: string): Promise<MappingVersion> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const rows: VersionRow[] = await this.dataSource.query(
          `INSERT INTO mapping_version (shop, version, config, created_by, note)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2::jsonb, $3, $4 FROM mapping_version WHERE shop = $1
           RETURNING shop, version, config, created_by, note, created_at`,
          [shop, JSON.stringify(config), createdBy, note ?? null],
        );
        return toVersion(rows[0]);
      } catch (error) {
        if (attempt >= MAX_SAVE_ATTEMPTS || (error as { code?: string }).code !== UNIQUE_VIOLATION) {
          throw error;
        }
      }
    }
  }

  /**
   * Saves version 1 and activates it, unless the shop has a version already (then nothing happens). True when this
   * call created it.
   */
  async bootstrap(shop: string, config: OrderMappingConfig, createdBy: string, note: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH created AS (
         INSERT INTO mapping_version (shop, version, config, created_by, note) VALUES ($1, 1, $2::jsonb, $3, $4)
         ON CONFLICT (shop, version) DO NOTHING
         RETURNING shop, version
       )
       INSERT INTO mapping_activation (shop, version, activated_by) SELECT shop, version, $3 FROM created
       RETURNING id`,
      [shop, JSON.stringify(config), createdBy, note],
    );
    return rows.length > 0;
  }

  async find(shop: string, version: number): Promise<MappingVersion | null> {
    const rows: VersionRow[] = await this.dataSource.query(
      'SELECT shop, version, config, created_by, note, created_at FROM mapping_version WHERE shop = $1 AND version = $2',
      [shop, version],
    );
    return rows[0] === undefined ? null : toVersion(rows[0]);
  }

  /** Versions of a shop, newest first, `before` a version number when paging. */
  async list(shop: string, first: number, before?: number): Promise<MappingVersion[]> {
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT shop, version, config, created_by, note, created_at FROM mapping_version
        WHERE shop = $1 AND ($2::integer IS NULL OR version < $2)
        ORDER BY version DESC LIMIT $3`,
      [shop, before ?? null, first],
    );
    return rows.map(toVersion);
  }

  async count(shop: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.dataSource.query(
      'SELECT count(*) AS count FROM mapping_version WHERE shop = $1',
      [shop],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Makes `version` the shop's active one (appends an activation); false when the shop has no such version. */
  async activate(shop: string, version: number, activatedBy: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO mapping_activation (shop, version, activated_by)
       SELECT shop, version, $3 FROM mapping_version WHERE shop = $1 AND version = $2
       RETURNING id`,
      [shop, version, activatedBy],
    );
    return rows.length > 0;
  }

  /**
   * Makes `version` active again, only if it has been active before (a roll back never puts a draft live); false
   * when it never was.
   */
  async reactivate(shop: string, version: number, activatedBy: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO mapping_activation (shop, version, activated_by)
       SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM mapping_activation WHERE shop = $1 AND version = $2)
       RETURNING id`,
      [shop, version, activatedBy],
    );
    return rows.length > 0;
  }

  /** The version that was active before the active one (the latest activation of another version), if any. */
  async previouslyActive(shop: string): Promise<number | null> {
    const rows: Array<{ version: number }> = await this.dataSource.query(
      `SELECT version FROM mapping_activation
        WHERE shop = $1
          AND version <> (SELECT version FROM mapping_activation WHERE shop = $1 ORDER BY id DESC LIMIT 1)
        ORDER BY id DESC LIMIT 1`,
      [shop],
    );
    return rows[0]?.version ?? null;
  }

  /** The shop's active version: the one its latest activation names. */
  async active(shop: string): Promise<ActiveMapping | null> {
    const rows: ActiveRow[] = await this.dataSource.query(
      `SELECT v.shop, v.version, v.config, v.created_by, v.note, v.created_at, a.activated_by, a.activated_at
         FROM mapping_activation a
         JOIN mapping_version v ON v.shop = a.shop AND v.version = a.version
        WHERE a.shop = $1
        ORDER BY a.id DESC LIMIT 1`,
      [shop],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { ...toVersion(row), activatedBy: row.activated_by, activatedAt: new Date(row.activated_at) };
  }

  /**
   * What the order writer reads per order, in one round trip: the active version's number (configurations are
   * cached by number) and the shop's stored ownership rules (null = the defaults).
   */
  async orderSettings(shop: string): Promise<{ version: number | null; rules: OwnershipRule[] | null }> {
    const rows: Array<{ version: number | null; rules: OwnershipRule[] | null }> = await this.dataSource.query(
      `SELECT (SELECT version FROM mapping_activation WHERE shop = $1 ORDER BY id DESC LIMIT 1) AS version,
              (SELECT rules FROM mapping_ownership_policy WHERE shop = $1) AS rules`,
      [shop],
    );
    return { version: rows[0]?.version ?? null, rules: rows[0]?.rules ?? null };
  }

  /** Only the active version's number (the order writer's per-order read; configurations are cached by number). */
  async activeVersion(shop: string): Promise<number | null> {
    const rows: Array<{ version: number }> = await this.dataSource.query(
      'SELECT version FROM mapping_activation WHERE shop = $1 ORDER BY id DESC LIMIT 1',
      [shop],
    );
    return rows[0]?.version ?? null;
  }
}

function toVersion(row: VersionRow): MappingVersion {
  return {
    shop: row.shop,
    version: Number(row.version),
    config: row.config,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    ...(row.note === null ? {} : { note: row.note }),
  };
}
