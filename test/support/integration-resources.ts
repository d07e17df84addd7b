/**
 * What each integration suite owns on this machine's real PostgreSQL, Redis and RabbitMQ. The suites run in
 * parallel (several jest workers), so no two of them share a database, a Redis db index or a RabbitMQ vhost: a
 * suite resets its database, FLUSHDBs its Redis db and purges its queues (whose names the topology fixes, so two
 * apps in one vhost would also consume each other's messages). One table, so that a new suite takes what is free;
 * `integration-resources.spec.ts` checks that nothing is taken twice.
 *
 * Redis has 16 db indexes (0–15). The three ERP contract specs share one (`erpContracts`): they never FLUSHDB and
 * keep every key under a prefix of their own process, and each has its own database (`erp_sync_contract_<erp>`).
 * The e2e scenarios reuse indexes and the default vhost: `npm test` runs them after these, one at a time.
 *
 * No project imports here: jest's globalSetup (test/jest.integration.setup.ts) reads this file outside jest's
 * module resolution.
 */
export interface SuiteResources {
  /** A database the suite drops and creates. */
  readonly database?: string;
  /** A Redis db index the suite may FLUSHDB. */
  readonly redisDb?: number;
  /** A RabbitMQ vhost for the suite's queues (created by the integration config's globalSetup). */
  readonly vhost?: string;
}

export const INTEGRATION_RESOURCES = {
  advisoryLock: { database: 'erp_sync_it_common' },
  auditLog: { database: 'erp_sync_int_audit' },
  catalogEvents: { database: 'erp_sync_it_catalog_events', redisDb: 4, vhost: 'erp-sync-it-catalog-events' },
  erpAdaptiveConcurrency: { redisDb: 14 },
  erpContracts: { redisDb: 13 },
  erpPush: { database: 'erp_sync_it_erp_push', redisDb: 10, vhost: 'erp-sync-it-erp-push' },
  erpWriteGate: { redisDb: 12 },
  fulfilErpShipments: { database: 'erp_sync_it_fulfil', redisDb: 1 },
  ingest: { database: 'erp_sync_int_ingest', redisDb: 11, vhost: 'erp-sync-it-ingest' },
  inventoryPush: { database: 'erp_sync_it_inventory', redisDb: 6 },
  inventoryReconcile: { database: 'erp_sync_it_inventory_reconcile', redisDb: 7 },
  inventoryThrottling: { database: 'erp_sync_it_inventory_s8', redisDb: 8 },
  messagingTopology: { vhost: 'erp-sync-it-topology' },
  orderSyncState: { database: 'erp_sync_it_order_state' },
  productSync: { database: 'erp_sync_it_products', redisDb: 5 },
  pruneHistory: { database: 'erp_sync_it_prune_history' },
  readErpChanges: { database: 'erp_sync_it_changes', redisDb: 9 },
  reconcileOrders: { database: 'erp_sync_it_reconcile', redisDb: 2, vhost: 'erp-sync-it-reconcile-orders' },
  shopifyAdminClient: { redisDb: 3 },
} as const satisfies Record<string, SuiteResources>;

/** Every vhost a suite uses, for the globalSetup to create before any suite starts. */
export function integrationVhosts(): string[] {
  return Object.values(INTEGRATION_RESOURCES as Record<string, SuiteResources>).flatMap((r) =>
    r.vhost === undefined ? [] : [r.vhost],
  );
}

/** The broker the test suites use (TEST_RABBITMQ_URL, else this machine's), on `vhost` when given. */
export function testRabbitmqUrl(vhost?: string): string {
  const base = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  if (vhost === undefined) {
    return base;
  }
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}
