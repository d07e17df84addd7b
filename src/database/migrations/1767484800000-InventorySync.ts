import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inventory ERP → Shopify: the operator-set location mapping, the per-shop quantity policy, bundle SKUs (never
 * pushed as stock), what was last pushed per (SKU, ERP location) — the pending work is derived from it, so a Redis
 * wipe loses nothing — and the full reconciliation runs.
 */
export class InventorySync1767484800000 implements MigrationInterface {
  name = 'InventorySync1767484800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory_location_map (
        erp_location_id      text        PRIMARY KEY,
        shopify_location_id  text        NOT NULL,
        source               text        NOT NULL DEFAULT 'config',
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE inventory_shop_policy (
        shop        text        PRIMARY KEY,
        mode        text        NOT NULL CHECK (mode IN ('erp-available', 'on-hand-minus-shopify-committed')),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE inventory_bundle_sku (
        connector   text        NOT NULL,
        sku         text        NOT NULL,
        source      text        NOT NULL DEFAULT 'config',
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, sku)
      )`);
    // A level is pending when its erp_inventory_level.changed_at is later than handled_changed_at (or it has no row,
    // or it waits for its Shopify inventory item id, or its location mapping changed).
    await queryRunner.query(`
      CREATE TABLE inventory_push_state (
        connector             text        NOT NULL,
        sku                   text        NOT NULL,
        erp_location_id       text        NOT NULL,
        inventory_item_id     text,
        shopify_location_id   text,
        status                text        NOT NULL CHECK (status IN ('synced', 'rejected', 'skipped', 'waiting')),
        last_pushed_quantity  integer,
        handled_changed_at    timestamptz,
        pushed_at             timestamptz,
        reason                text,
        attempts              integer     NOT NULL DEFAULT 0,
        updated_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, sku, erp_location_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX inventory_push_state_shopify_idx ON inventory_push_state (inventory_item_id, shopify_location_id)',
    );
    await queryRunner.query(
      "CREATE INDEX inventory_push_state_waiting_idx ON inventory_push_state (connector) WHERE status = 'waiting'",
    );
    // Levels changed before `scanned_from` have all been handled: a push scans only newer ones (through
    // erp_inventory_level_changed_idx) plus the waiting ones, not the whole table every run. No row = scan all.
    await queryRunner.query(`
      CREATE TABLE inventory_scan_watermark (
        connector     text        PRIMARY KEY,
        scanned_from  timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE inventory_reconciliation_run (
        id           bigserial   PRIMARY KEY,
        trigger      text        NOT NULL,
        status       text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
        started_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        compared     integer,
        written      integer,
        equal        integer,
        rejected     integer,
        error        text
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'inventory_reconciliation_run',
      'inventory_scan_watermark',
      'inventory_push_state',
      'inventory_bundle_sku',
      'inventory_shop_policy',
      'inventory_location_map',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
