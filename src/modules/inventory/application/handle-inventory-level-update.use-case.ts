import { Inject, Injectable } from '@nestjs/common';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import { INVENTORY_SETTINGS, type InventorySettings } from 'src/modules/inventory/inventory.constants';
import { InventoryRepository } from 'src/modules/inventory/persistence/inventory.repository';

/** @description The fields of an `inventory_levels/update` webhook this handler reads (Shopify's REST-style body). */
export interface InventoryLevelUpdate {
  inventory_item_id: number | string;
  location_id: number | string;
  available: number | null;
  updated_at?: string;
}

export type InventoryLevelUpdateOutcome =
  | { outcome: 'echo' }
  | { outcome: 'drift'; shopify: number | null; pushed: number | null }
  | { outcome: 'unknown_level' };

/** `gid://shopify/<type>/<id>` from a REST numeric id (or a GID already). */
function gid(type: string, id: number | string): string {
  const text = String(id);
  return text.startsWith('gid://') ? text : `gid://shopify/${type}/${text}`;
}

/**
 * The inventory half of "no loops": an `inventory_levels/update` whose `available` equals what we last pushed to
 * that level is our own write coming back (audited `skipped`, echo). A different quantity is a Shopify-side change
 * of an ERP-owned quantity (a manual edit, an app, or a sale the ERP has not seen yet): it is never written to the
 * ERP, and it is recorded as drift. The next push's `changeFromQuantity` will be stale and re-read, so no push
 * overwrites it blindly.
 */
@Injectable()
export class HandleInventoryLevelUpdate {
  constructor(
    private readonly repository: InventoryRepository,
    private readonly audit: AuditWriter,
    @Inject(INVENTORY_SETTINGS) private readonly settings: InventorySettings,
  ) {}

  /** `shop`: the shop the webhook came from (its audit rows); Shopify's ids are global, so the check is not. */
  async execute(
    update: InventoryLevelUpdate,
    eventId: string,
    shop = this.settings.shop,
  ): Promise<InventoryLevelUpdateOutcome> {
    const inventoryItemId = gid('InventoryItem', update.inventory_item_id);
    const locationId = gid('Location', update.location_id);
    const state = await this.repository.findByShopifyLevel(inventoryItemId, locationId);
    const base = {
      eventId,
      entity: 'inventory' as const,
      topic: 'inventory_levels/update',
      shop,
      shopifyId: inventoryItemId,
    };
    if (state === undefined) {
      this.audit.record({ ...base, status: AuditStatus.Skipped, reason: 'not a level the ERP sync writes' });
      return { outcome: 'unknown_level' };
    }
    const erpId = `${state.sku}@${state.erpLocationId}`;
    if (update.available !== null && update.available === state.lastPushedQuantity) {
      this.audit.record({ ...base, erpId, status: AuditStatus.Skipped, reason: 'echo: our own inventory write' });
      return { outcome: 'echo' };
    }
    this.audit.record({
      ...base,
      erpId,
      status: AuditStatus.Skipped,
      reason: `drift: Shopify available ${update.available ?? 'null'} at ${locationId}, last pushed ${state.lastPushedQuantity ?? 'unknown'}; the ERP owns inventory, not written to the ERP`,
    });
    return { outcome: 'drift', shopify: update.available, pushed: state.lastPushedQuantity };
  }
}
