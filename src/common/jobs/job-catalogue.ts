/** Every Bull queue and job of the product, with its payload type (immich's typed job catalogue). */
export enum QueueName {
  Maintenance = 'maintenance',
  ErpChanges = 'erp-changes',
  /** ERP shipments → Shopify fulfilments (scheduler role). */
  ShopifyFulfilments = 'shopify-fulfilments',
  /** Missed-webhook order reconciliation (scheduler role). */
  OrderReconciliation = 'order-reconciliation',
  /** ERP inventory levels → Shopify `available` (scheduler role). */
  ShopifyInventory = 'shopify-inventory',
  /** ERP items → Shopify products and variants (scheduler role). */
  ShopifyProducts = 'shopify-products',
}

export enum JobName {
  PruneHistory = 'prune-history',
  ReadErpChanges = 'read-erp-changes',
  RenewErpPushSubscriptions = 'renew-erp-push-subscriptions',
  FulfilShipments = 'fulfil-shipments',
  ReconcileOrders = 'reconcile-orders',
  InventoryPushDelta = 'inventory.push-delta',
  InventoryReconcile = 'inventory.reconcile',
  SyncProducts = 'products.sync',
}

export interface JobPayloads {
  [JobName.PruneHistory]: { inboxRetentionDays: number; auditRetentionDays: number; deadLetterRetentionDays: number };
  /** `full` ignores the watermark (an operator's full re-read). */
  [JobName.ReadErpChanges]: { stream: 'items' | 'inventory' | 'shipments'; full?: boolean };
  [JobName.RenewErpPushSubscriptions]: Record<string, never>;
  [JobName.FulfilShipments]: Record<string, never>;
  [JobName.ReconcileOrders]: Record<string, never>;
  [JobName.InventoryPushDelta]: Record<string, never>;
  /** `operator` runs at once; `schedule` runs only inside the shop's off-hours window, once per window. */
  [JobName.InventoryReconcile]: { trigger: 'schedule' | 'operator' };
  [JobName.SyncProducts]: Record<string, never>;
}

export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };

/** A repeatable schedule, registered by the scheduler role under a fixed id (so re-registering is idempotent). */
export interface RepeatableJob<N extends JobName = JobName> {
  id: string;
  queue: QueueName;
  name: N;
  /** A cron pattern, or an interval in ms. */
  repeat: { cron: string } | { every: number };
  data: JobPayloads[N];
}

export const PRUNE_HISTORY_SCHEDULE: RepeatableJob<JobName.PruneHistory> = {
  id: JobName.PruneHistory,
  queue: QueueName.Maintenance,
  name: JobName.PruneHistory,
  // Daily, off-peak. Inbox keys outlive Shopify's retry window (8 retries over 4 h) and late deliveries (~1 day).
  repeat: { cron: '17 3 * * *' },
  data: { inboxRetentionDays: 7, auditRetentionDays: 90, deadLetterRetentionDays: 30 },
};

/** Delta polls per ERP change stream; `intervalMs` comes from ERP_POLL_INTERVAL_SECONDS. Pushes only add runs. */
export function erpChangeSchedules(intervalMs: number): RepeatableJob<JobName.ReadErpChanges>[] {
  return (['items', 'inventory', 'shipments'] as const).map((stream) => ({
    id: `${JobName.ReadErpChanges}:${stream}`,
    queue: QueueName.ErpChanges,
    name: JobName.ReadErpChanges,
    repeat: { every: intervalMs },
    data: { stream },
  }));
}

/** Business Central subscriptions expire after 3 days; renewing every 12 h keeps a margin for outages. */
export const RENEW_PUSH_SUBSCRIPTIONS_SCHEDULE: RepeatableJob<JobName.RenewErpPushSubscriptions> = {
  id: JobName.RenewErpPushSubscriptions,
  queue: QueueName.ErpChanges,
  name: JobName.RenewErpPushSubscriptions,
  repeat: { every: 12 * 3_600_000 },
  data: {},
};

/** Fulfils ERP shipments on the ERP poll interval; a shipments read that changed rows also enqueues a run at once. */
export function fulfilShipmentsSchedule(intervalMs: number): RepeatableJob<JobName.FulfilShipments> {
  return {
    id: JobName.FulfilShipments,
    queue: QueueName.ShopifyFulfilments,
    name: JobName.FulfilShipments,
    repeat: { every: intervalMs },
    data: {},
  };
}

/**
 * Missed-webhook reconciliation. Shopify retries a failed delivery 8 times over 4 h, so a lost webhook is found
 * within one interval of Shopify giving up, or sooner when the webhook was never sent.
 */
export const RECONCILE_ORDERS_SCHEDULE: RepeatableJob<JobName.ReconcileOrders> = {
  id: JobName.ReconcileOrders,
  queue: QueueName.OrderReconciliation,
  name: JobName.ReconcileOrders,
  repeat: { cron: '*/10 * * * *' },
  data: {},
};

/**
 * Inventory pushes re-derived from PostgreSQL on the ERP poll interval (an inventory read that changed rows also
 * enqueues one at once), so a Redis wipe that loses queued jobs delays a push by one interval at most.
 */
export function inventoryPushSchedule(intervalMs: number): RepeatableJob<JobName.InventoryPushDelta> {
  return {
    id: JobName.InventoryPushDelta,
    queue: QueueName.ShopifyInventory,
    name: JobName.InventoryPushDelta,
    repeat: { every: intervalMs },
    data: {},
  };
}

/** Checks every 15 min whether the off-hours window is open; the job does nothing outside it (or once done). */
export const INVENTORY_RECONCILE_SCHEDULE: RepeatableJob<JobName.InventoryReconcile> = {
  id: JobName.InventoryReconcile,
  queue: QueueName.ShopifyInventory,
  name: JobName.InventoryReconcile,
  repeat: { cron: '*/15 * * * *' },
  data: { trigger: 'schedule' },
};

/**
 * Product pushes re-derived from PostgreSQL (erp_item_xref rows changed since they were last synced) on the ERP
 * poll interval; an items read that changed rows also enqueues one at once.
 */
export function productSyncSchedule(intervalMs: number): RepeatableJob<JobName.SyncProducts> {
  return {
    id: JobName.SyncProducts,
    queue: QueueName.ShopifyProducts,
    name: JobName.SyncProducts,
    repeat: { every: intervalMs },
    data: {},
  };
}
