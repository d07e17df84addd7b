import Redis from 'ioredis';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { AuditWriter } from 'src/modules/audit/application/audit-writer.service';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { ErpInventoryLevelRepository } from 'src/modules/erp/persistence/erp-inventory-level.repository';
import { HandleInventoryLevelUpdate } from 'src/modules/inventory/application/handle-inventory-level-update.use-case';
import { PushInventoryDeltas } from 'src/modules/inventory/application/push-inventory-deltas.use-case';
import { ReconcileInventory } from 'src/modules/inventory/application/reconcile-inventory.use-case';
import { ShopStockLocations } from 'src/modules/inventory/application/shop-stock-locations';
import { parseDailyWindow } from 'src/modules/inventory/domain/reconcile-window';
import type { InventorySettings } from 'src/modules/inventory/inventory.constants';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';
import { MappingLocations } from 'src/modules/mapping/application/mapping-locations.query';
import { MappingShops } from 'src/modules/mapping/application/mapping-shops';
import { OwnershipPolicyService } from 'src/modules/mapping/application/ownership-policy.service';
import { MappingVersionRepository } from 'src/modules/mapping/persistence/mapping-version.repository';
import { OwnershipPolicyRepository } from 'src/modules/mapping/persistence/ownership-policy.repository';
import { ShopifyAdminClient } from 'src/modules/shopify/admin/shopify-admin.client';
import { RedisCostBucket } from 'src/modules/shopify/admin/shopify-cost-bucket';
import { ShopifySimulator } from 'test/simulators/shopify/shopify-simulator';
import { ensureDatabase } from 'test/support/services';
import { oneClientForEveryShop } from 'test/support/shopify-clients';
import { TestShops } from 'test/support/shops';
import { testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

export const CONNECTOR = 'netsuite';
export const SHOP = 'test-store.myshopify.com';

export interface SeededLevel {
  sku: string;
  erpLocationId: string;
  inventoryItemId: string;
  locationId: string;
}

/**
 * The inventory use cases wired by hand (as the Nest module does) against the real PostgreSQL and Redis and the
 * Shopify simulator, reached by the production client through its URL. Shared by the integration specs and the
 * inventory benchmark.
 */
export class InventoryWorld {
  readonly sim: ShopifySimulator;
  dataSource!: DataSource;
  redis!: Redis;
  client!: ShopifyAdminClient;
  repository!: InventoryRepository;
  audit!: AuditWriter;
  push!: PushInventoryDeltas;
  reconcile!: ReconcileInventory;
  levelUpdates!: HandleInventoryLevelUpdate;
  /** The shop's source-of-truth policy, as the writers read it (the defaults until a test changes it). */
  ownership!: OwnershipPolicyService;
  shops!: TestShops;
  readonly settings: InventorySettings;
  /** ERP location id → Shopify location GID. */
  readonly locations = new Map<string, string>();
  readonly levels: SeededLevel[] = [];

  constructor(
    private readonly urls: { DATABASE_URL: string; REDIS_URL: string },
    options: { restoreRate?: number; writeConcurrency?: number; reconcileWindow?: string; timeZone?: string } = {},
  ) {
    this.sim = new ShopifySimulator({ restoreRate: options.restoreRate ?? 1_000, shopDomain: SHOP, bulkDelayMs: 20 });
    this.settings = {
      connector: CONNECTOR,
      shop: SHOP,
      reconcileWindow: parseDailyWindow(options.reconcileWindow ?? '01:00-04:00'),
      shopTimeZone: options.timeZone ?? 'Europe/Amsterdam',
      writeConcurrency: options.writeConcurrency ?? 4,
    };
  }

  async start(): Promise<void> {
    await ensureDatabase(this.urls.DATABASE_URL, { reset: true });
    await runMigrationsLocked(this.urls.DATABASE_URL);
    this.dataSource = createDataSource(this.urls.DATABASE_URL);
    await this.dataSource.initialize();
    this.redis = new Redis(this.urls.REDIS_URL);
    await this.redis.flushdb();
    const url = await this.sim.start();
    this.client = new ShopifyAdminClient(
      { adminApiUrl: url, accessToken: this.sim.accessToken, defaultTimeoutMs: 120_000 },
      new RedisCostBucket(this.redis, SHOP),
    );
    this.repository = new InventoryRepository(this.dataSource, new ErpInventoryLevelRepository(this.dataSource));
    this.audit = new AuditWriter(new AuditLogRepository(this.dataSource));
    const locks = new AdvisoryLocks(this.dataSource);
    const clients = oneClientForEveryShop(this.client);
    this.shops = new TestShops(this.dataSource, testConfig('unused', 0, { SHOPIFY_SHOP_DOMAIN: SHOP }));
    const directory = await this.shops.start();
    this.ownership = new OwnershipPolicyService(
      new MappingShops(directory),
      new OwnershipPolicyRepository(this.dataSource),
    );
    const locations = new ShopStockLocations(
      this.repository,
      new MappingLocations(new MappingVersionRepository(this.dataSource)),
    );
    this.push = new PushInventoryDeltas(
      this.repository,
      clients,
      this.audit,
      this.settings,
      locks,
      directory,
      locations,
      this.ownership,
    );
    this.reconcile = new ReconcileInventory(
      this.repository,
      clients,
      this.audit,
      this.settings,
      locks,
      directory,
      locations,
      this.ownership,
    );
    this.levelUpdates = new HandleInventoryLevelUpdate(this.repository, this.audit, this.settings);
  }

  async stop(): Promise<void> {
    await this.audit?.flush();
    await this.sim.stop();
    this.redis?.disconnect();
    await this.dataSource?.destroy();
  }

  /**
   * `skuCount` SKUs × `locationCount` locations, in Shopify (simulator) and in PostgreSQL (ERP levels, SKU xref with
   * the inventory item ids, location map) with the same quantity everywhere. `synced` also records them as pushed
   * (the steady state before a delta); otherwise they have never been pushed.
   */
  async seed(
    skuCount: number,
    locationCount: number,
    options: { synced: boolean; quantity?: (sku: number, loc: number) => number },
  ): Promise<void> {
    const quantity = options.quantity ?? ((sku: number, loc: number) => (sku * 7 + loc * 3) % 50);
    const erpLocations = Array.from({ length: locationCount }, (_, l) => `WH${l + 1}`);
    for (const erpLocationId of erpLocations) {
      if (!this.locations.has(erpLocationId)) {
        this.locations.set(erpLocationId, this.sim.catalog.addLocation(`Warehouse ${erpLocationId}`).id);
      }
    }
    const xref: Array<Record<string, unknown>> = [];
    const erpLevels: Array<Record<string, unknown>> = [];
    for (let s = 0; s < skuCount; s++) {
      const sku = `SKU-${String(s).padStart(5, '0')}`;
      const levels = Object.fromEntries(
        erpLocations.map((erpLocationId, l) => [this.locations.get(erpLocationId)!, { available: quantity(s, l) }]),
      );
      const { variants } = this.sim.catalog.addProduct({ title: sku, variants: [{ sku, price: '10.00', levels }] });
      const inventoryItemId = variants[0].inventoryItemId;
      xref.push({ sku, erp_item_id: `ITEM-${s}`, shopify_inventory_item_id: inventoryItemId });
      erpLocations.forEach((erpLocationId, l) => {
        erpLevels.push({ sku, erp_location_id: erpLocationId, erp_item_id: `ITEM-${s}`, q: quantity(s, l) });
        this.levels.push({ sku, erpLocationId, inventoryItemId, locationId: this.locations.get(erpLocationId)! });
      });
    }
    await this.repository.bootstrapLocationMap(
      [...this.locations].map(([erpLocationId, shopifyLocationId]) => ({ erpLocationId, shopifyLocationId })),
    );
    await this.dataSource.query(
      `INSERT INTO erp_item_xref (connector, sku, erp_item_id, shopify_inventory_item_id)
       SELECT $1, r.sku, r.erp_item_id, r.shopify_inventory_item_id
         FROM json_to_recordset($2::json) AS r(sku text, erp_item_id text, shopify_inventory_item_id text)`,
      [CONNECTOR, JSON.stringify(xref)],
    );
    await this.dataSource.query(
      // Read from the ERP a day ago (the steady state a delta starts from).
      `INSERT INTO erp_inventory_level (connector, sku, erp_location_id, erp_item_id, on_hand, available, committed,
                                       changed_at)
       SELECT $1, r.sku, r.erp_location_id, r.erp_item_id, r.q, r.q, 0, now() - interval '1 day'
         FROM json_to_recordset($2::json) AS r(sku text, erp_location_id text, erp_item_id text, q integer)`,
      [CONNECTOR, JSON.stringify(erpLevels)],
    );
    // Fresh statistics after the bulk load, as autovacuum would have them in production.
    await this.dataSource.query('ANALYZE erp_inventory_level, erp_item_xref, inventory_location_map');
    if (options.synced) {
      await this.dataSource.query(
        `INSERT INTO inventory_push_state (connector, sku, erp_location_id, inventory_item_id, shopify_location_id, status,
                                           last_pushed_quantity, handled_changed_at, pushed_at)
         SELECT l.connector, l.sku, l.erp_location_id, x.shopify_inventory_item_id, m.shopify_location_id, 'synced',
                l.available::int, l.changed_at, now()
           FROM erp_inventory_level l
           JOIN erp_item_xref x ON x.connector = l.connector AND x.sku = l.sku
           JOIN inventory_location_map m ON m.erp_location_id = l.erp_location_id
          WHERE l.connector = $1
         ON CONFLICT DO NOTHING`,
        [CONNECTOR],
      );
      await this.dataSource.query('ANALYZE inventory_push_state');
    }
  }

  /** An ERP delta read that found these levels changed (what ErpChangeRepository.applyInventory does). */
  async changeErp(
    changes: ReadonlyArray<{
      sku: string;
      erpLocationId: string;
      available: number;
      onHand?: number;
      committed?: number;
    }>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE erp_inventory_level l
          SET available = r.available, on_hand = COALESCE(r.on_hand, r.available), committed = COALESCE(r.committed, 0),
              changed_at = clock_timestamp()
         FROM json_to_recordset($2::json) AS r(sku text, erp_location_id text, available numeric, on_hand numeric,
              committed numeric)
        WHERE l.connector = $1 AND l.sku = r.sku AND l.erp_location_id = r.erp_location_id`,
      [
        CONNECTOR,
        JSON.stringify(
          changes.map((c) => ({
            sku: c.sku,
            erp_location_id: c.erpLocationId,
            available: c.available,
            on_hand: c.onHand ?? null,
            committed: c.committed ?? null,
          })),
        ),
      ],
    );
  }

  /** Shopify's `available` at a seeded level. */
  shopifyAvailable(level: SeededLevel): number | undefined {
    return this.sim.catalog.quantity(level.inventoryItemId, level.locationId, 'available');
  }

  /** Every (item, location) written by an applied inventorySetQuantities call. */
  writtenLevels(): string[] {
    return this.sim.ledger.appliedMutations('inventorySetQuantities').flatMap((entry) => {
      const input = (
        entry.variables as { input?: { quantities?: Array<{ inventoryItemId: string; locationId: string }> } }
      ).input;
      return (input?.quantities ?? []).map((q) => `${q.inventoryItemId}|${q.locationId}`);
    });
  }
}
