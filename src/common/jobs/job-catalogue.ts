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
  /** The alert rules' evaluation (scheduler role). */
  Alerts = 'alerts',
  /** ERP document numbers → the Shopify orders (a tag and a metafield; scheduler role). */
  ShopifyOrderWriteBack = 'shopify-order-write-back',
  /** Operators' order replays: a date range or a list of ids read from Shopify into the order pipeline (scheduler role). */
  OrderReplay = 'order-replay',
  /** Shopify Payments payouts → ERP bank deposits (scheduler role). */
  ShopifyPayouts = 'shopify-payouts',
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
  EvaluateAlerts = 'alerts.evaluate',
  WriteBackDocumentNumbers = 'orders.write-back-document-numbers',
  ReplayOrders = 'orders.replay',
  DepositPayouts = 'payouts.deposit',
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
  /** With `shop` and `location` (an ERP location id it stocks): that location of that shop only (an operator's re-sync). */
  [JobName.InventoryReconcile]: { trigger: 'schedule' | 'operator'; shop?: string; location?: string };
  [JobName.SyncProducts]: Record<string, never>;
  [JobName.EvaluateAlerts]: Record<string, never>;
  [JobName.WriteBackDocumentNumbers]: Record<string, never>;
  /** The `order_replay` row to run (or resume from its last completed page). */
  [JobName.ReplayOrders]: { replayId: string };
  /**
   * The schedule's run has no `shop` (every enabled shop). An operator's run (`requestedBy`) names one shop and takes
   * its held, retrying and failed payouts at once, without waiting for their next attempt.
   */
  [JobName.DepositPayouts]: { shop?: string; requestedBy?: string };
}

export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };

/** The queue each job runs on: a process that processes a queue must handle every job of it (checked at boot). */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.PruneHistory]: QueueName.Maintenance,
  [JobName.ReadErpChanges]: QueueName.ErpChanges,
  [JobName.RenewErpPushSubscriptions]: QueueName.ErpChanges,
  [JobName.FulfilShipments]: QueueName.ShopifyFulfilments,
  [JobName.ReconcileOrders]: QueueName.OrderReconciliation,
  [JobName.InventoryPushDelta]: QueueName.ShopifyInventory,
  [JobName.InventoryReconcile]: QueueName.ShopifyInventory,
  [JobName.SyncProducts]: QueueName.ShopifyProducts,
  [JobName.EvaluateAlerts]: QueueName.Alerts,
  [JobName.WriteBackDocumentNumbers]: QueueName.ShopifyOrderWriteBack,
  [JobName.ReplayOrders]: QueueName.OrderReplay,
  [JobName.DepositPayouts]: QueueName.ShopifyPayouts,
};

/** The jobs of one queue, by the catalogue (the queue's name as @nestjs/bull's metadata has it). */
export function jobsOfQueue(queue: string): JobName[] {
  return Object.values(JobName).filter((name) => (JOB_QUEUE[name] as string) === queue);
}

/**
 * A repeatable schedule, registered by the scheduler role under a fixed id (so re-registering is idempotent). Each
 * module declares its own in its `schedules.ts`; `JobScheduleRegistrar` registers them.
 */
export interface RepeatableJob<N extends JobName = JobName> {
  id: string;
  queue: QueueName;
  name: N;
  /** A cron pattern, or an interval in ms. */
  repeat: { cron: string } | { every: number };
  data: JobPayloads[N];
}

/** A schedule of `name` on its catalogued queue, under a fixed id: the job's name, unless it has several schedules. */
export function repeatable<N extends JobName>(
  name: N,
  repeat: RepeatableJob['repeat'],
  data: JobPayloads[N],
  id: string = name,
): RepeatableJob<N> {
  return { id, queue: JOB_QUEUE[name], name, repeat, data };
}
