import { Injectable } from '@nestjs/common';
import type { ShopRow, ShopRowPatch } from 'src/modules/shops/domain/shop.types';
import { DataSource, type EntityManager } from 'typeorm';

const COLUMNS: Record<keyof Omit<ShopRow, 'domain' | 'createdAt' | 'updatedAt'>, string> = {
  enabled: 'enabled',
  currency: 'currency',
  netsuiteSubsidiaryId: 'netsuite_subsidiary_id',
  netsuiteLocationId: 'netsuite_location_id',
  businessCentralCompanyId: 'bc_company_id',
  cin7Location: 'cin7_location',
  adminApiUrl: 'admin_api_url',
  webhookSecret: 'webhook_secret',
  webhookSecretPrevious: 'webhook_secret_previous',
  adminAccessToken: 'admin_access_token',
  orderTrigger: 'order_trigger',
  holdHighRiskOrders: 'hold_high_risk_orders',
};

const FIELDS = `shop_domain, enabled, currency, netsuite_subsidiary_id, netsuite_location_id, bc_company_id,
  cin7_location, admin_api_url, webhook_secret, webhook_secret_previous, admin_access_token, order_trigger,
  hold_high_risk_orders, created_at, updated_at`;
const SELECT = `SELECT ${FIELDS} FROM shops`;

function toRow(r: Record<string, unknown>): ShopRow {
  return {
    domain: r.shop_domain as string,
    enabled: r.enabled as boolean,
    currency: r.currency as string | null,
    netsuiteSubsidiaryId: r.netsuite_subsidiary_id as string | null,
    netsuiteLocationId: r.netsuite_location_id as string | null,
    businessCentralCompanyId: r.bc_company_id as string | null,
    cin7Location: r.cin7_location as string | null,
    adminApiUrl: r.admin_api_url as string | null,
    webhookSecret: r.webhook_secret as string | null,
    webhookSecretPrevious: r.webhook_secret_previous as string | null,
    adminAccessToken: r.admin_access_token as string | null,
    orderTrigger: r.order_trigger as ShopRow['orderTrigger'],
    holdHighRiskOrders: r.hold_high_risk_orders as boolean | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** The only code that touches `shops`. */
@Injectable()
export class ShopRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the row with defaults unless it exists; true when it was created. Safe for replicas starting together. */
  async insertIfAbsent(domain: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'INSERT INTO shops (shop_domain) VALUES ($1) ON CONFLICT (shop_domain) DO NOTHING RETURNING shop_domain',
      [domain],
    );
    return rows.length === 1;
  }

  /** Creates the shop; undefined when one with this domain exists already. */
  async insert(domain: string, values: ShopRowPatch): Promise<ShopRow | undefined> {
    const entries = Object.entries(values).filter(([, v]) => v !== undefined);
    const columns = ['shop_domain', ...entries.map(([k]) => COLUMNS[k as keyof typeof COLUMNS])];
    const params = [domain, ...entries.map(([, v]) => v)];
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `INSERT INTO shops (${columns.join(', ')}) VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (shop_domain) DO NOTHING
       RETURNING ${FIELDS}`,
      params,
    );
    return rows[0] === undefined ? undefined : toRow(rows[0]);
  }

  /** Applies `patch` (and bumps the revision); undefined when no shop has this domain. */
  async update(domain: string, patch: ShopRowPatch, manager?: EntityManager): Promise<ShopRow | undefined> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k], i) => `${COLUMNS[k as keyof typeof COLUMNS]} = $${i + 2}`);
    const [result] = await (manager ?? this.dataSource).query<[Array<Record<string, unknown>>, number]>(
      `UPDATE shops SET ${[...sets, "revision = nextval('shops_revision_seq')", 'updated_at = now()'].join(', ')}
       WHERE shop_domain = $1
       RETURNING ${FIELDS}`,
      [domain, ...entries.map(([, v]) => v)],
    );
    return result[0] === undefined ? undefined : toRow(result[0]);
  }

  async find(domain: string): Promise<ShopRow | undefined> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(`${SELECT} WHERE shop_domain = $1`, [
      domain,
    ]);
    return rows[0] === undefined ? undefined : toRow(rows[0]);
  }

  /** Every shop, by domain. */
  async list(): Promise<ShopRow[]> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(`${SELECT} ORDER BY shop_domain`);
    return rows.map(toRow);
  }

  /** A fingerprint of the whole table that changes whenever a row is added or changed: one index-only read. */
  async version(): Promise<string> {
    const rows = await this.dataSource.query<Array<{ shops: string; revision: string }>>(
      'SELECT count(*)::text AS shops, coalesce(max(revision), 0)::text AS revision FROM shops',
    );
    return `${rows[0]?.shops ?? '0'}:${rows[0]?.revision ?? '0'}`;
  }

  /** Runs `work` in a transaction holding every row locked (a key rotation re-encrypts them all at once). */
  async withAllLocked<T>(work: (rows: ShopRow[], manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<Array<Record<string, unknown>>>(`${SELECT} ORDER BY shop_domain FOR UPDATE`);
      return work(rows.map(toRow), manager);
    });
  }
}
