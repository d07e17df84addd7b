import type { DailyWindow } from 'src/modules/inventory/domain/reconcile-window';

/** @description What the inventory use cases need from the configuration. */
export interface InventorySettings {
  /** The ERP connector whose levels are pushed (erp_inventory_level.connector). */
  connector: string;
  /** The environment's shop (the one `execute()` without a shop writes to, and the echo check's audit rows). */
  shop: string;
  reconcileWindow: DailyWindow;
  shopTimeZone: string;
  /** `inventorySetQuantities` calls in flight at once (the shared cost bucket paces them). */
  writeConcurrency: number;
}

export const INVENTORY_SETTINGS = Symbol('INVENTORY_SETTINGS');

/**
 * The advisory lock of the inventory writer: one push or reconciliation per connector and shop at a time, across
 * processes (the environment's shop keeps the name it had before shops: a rolling deploy runs both versions).
 */
export function inventoryWriterLock(connector: string, shop: { domain: string; bootstrap: boolean }): string {
  return `inventory-writer:${connector}${shop.bootstrap ? '' : `:${shop.domain}`}`;
}

/** Levels handled per round of a push (each round reads, writes and records them before the next). */
export const PUSH_ROUND_SIZE = 10_000;
/** STALE → re-read → retry rounds per batch before it is split like any failing batch. */
export const MAX_STALE_ROUNDS = 3;
