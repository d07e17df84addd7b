/**
 * What each integration suite owns on this machine's real PostgreSQL, Redis and RabbitMQ. The suites run in
 * parallel (two jest workers), so no two of them share a database or a Redis db index: a suite resets its
 * database and FLUSHDBs its Redis db. One table, so that a new suite takes what is free;
 * `integration-resources.spec.ts` checks that nothing is taken twice.
 *
 * Redis has 16 db indexes (0–15). The three ERP contract specs share one (`erpContracts`): they never FLUSHDB and
 * keep every key under a prefix of their own process, and each has its own database (`erp_sync_contract_<erp>`).
 *
 * RabbitMQ: the suites that use queues (`queues: true`) run on their jest worker's vhost (`jestWorkerVhost()`),
 * so two suites running at the same moment never share the topology's fixed queue names, and purge what they use.
 * One vhost per worker rather than per suite: every vhost holds the whole topology (about 40 quorum queues) and
 * the broker reserves file handles for each queue, so a vhost per suite ran this machine's RabbitMQ (1,024 open
 * files) out of handles; it then accepted no connection at all. The e2e scenarios use the same worker vhosts
 * (test/support/scenario.ts), and reuse Redis indexes: `npm test` runs them after these.
 *
 * No project imports here: jest's globalSetup (test/jest.services.setup.ts) reads this file outside jest's
 * module resolution.
 */
export interface SuiteResources {
  /** A database the suite drops and creates. */
  readonly database?: string;
  /** A Redis db index the suite may FLUSHDB. */
  readonly redisDb?: number;
  /** The suite publishes to or consumes RabbitMQ queues (on `jestWorkerVhost()`). */
  readonly queues?: true;
}

export const INTEGRATION_RESOURCES = {
  adminApiKeys: { database: 'erp_sync_it_admin_api_keys' },
  advisoryLock: { database: 'erp_sync_it_common' },
  alerts: { database: 'erp_sync_it_alerts' },
  auditLog: { database: 'erp_sync_int_audit' },
  // Its Redis (pub/sub, which keeps nothing, and a Bull queue under the run's own prefix) is the ERP contract specs' db.
  burstYield: {},
  catalogEvents: { database: 'erp_sync_it_catalog_events', redisDb: 4, queues: true },
  deadLetterList: { database: 'erp_sync_it_dead_letter_list' },
  deadLetterOperatorActions: { database: 'erp_sync_it_dead_letter_actions', queues: true },
  deadLetterRecorder: { database: 'erp_sync_it_dead_letters', queues: true },
  erpAdaptiveConcurrency: { redisDb: 14 },
  erpContracts: { redisDb: 13 },
  // Its Redis is the ERP contract specs' db (every key under the run's own prefix): the records of creates in doubt.
  erpKeyedLock: { database: 'erp_sync_it_erp_lock' },
  // Its Redis is only PINGed (the runner's probe), never written: no db index of its own.
  erpMessageRunner: { database: 'erp_sync_it_erp_runner', queues: true },
  erpPush: { database: 'erp_sync_it_erp_push', redisDb: 10, queues: true },
  erpWriteGate: { redisDb: 12 },
  // Its Redis (Bull's registered schedules) is the ERP contract specs' db, every key under the run's own prefix.
  flows: { database: 'erp_sync_it_flows', queues: true },
  fulfilErpShipments: { database: 'erp_sync_it_fulfil', redisDb: 1 },
  ingest: { database: 'erp_sync_int_ingest', redisDb: 11, queues: true },
  inventoryPush: { database: 'erp_sync_it_inventory', redisDb: 6 },
  inventoryReconcile: { database: 'erp_sync_it_inventory_reconcile', redisDb: 7 },
  inventoryThrottling: { database: 'erp_sync_it_inventory_s8', redisDb: 8 },
  mappingVersions: { database: 'erp_sync_it_mapping_versions' },
  messagingTopology: { queues: true },
  // A server-named exclusive queue on the worker's vhost: gone with its connection.
  corkedPublish: { queues: true },
  // Its Redis (the Shopify cost bucket) is the ERP contract specs' db, under a key of the run's own.
  orderGapReport: { database: 'erp_sync_it_order_gaps', queues: true },
  orderEditConflicts: { database: 'erp_sync_it_order_edits' },
  orderSyncState: { database: 'erp_sync_it_order_state' },
  // Its Redis (Bull's queue) is the ERP contract specs' db, every key under the run's own prefix.
  orderHold: { database: 'erp_sync_it_order_hold' },
  orderReplay: { database: 'erp_sync_it_order_replay', queues: true },
  orderTrace: { database: 'erp_sync_it_order_trace' },
  // Its Redis (Bull's queue, the cost bucket) is the ERP contract specs' db, every key under the run's own prefix.
  orderWriteBack: { database: 'erp_sync_it_order_write_back' },
  // Shopify payouts → ERP deposits: no Redis (a local cost bucket, the use case run as the job runs it).
  payouts: { database: 'erp_sync_it_payouts' },
  webhookInboxLookup: { database: 'erp_sync_it_inbox_lookup' },
  outboxRelay: { database: 'erp_sync_it_outbox_relay' },
  productSync: { database: 'erp_sync_it_products', redisDb: 5 },
  pruneHistory: { database: 'erp_sync_it_prune_history' },
  readErpChanges: { database: 'erp_sync_it_changes', redisDb: 9 },
  reconcileOrders: { database: 'erp_sync_it_reconcile', redisDb: 2, queues: true },
  serviceBounds: { database: 'erp_sync_it_service_bounds', redisDb: 15 },
  shopifyAdminClient: { redisDb: 3 },
  shops: { database: 'erp_sync_it_shops' },
} as const satisfies Record<string, SuiteResources>;

/** The vhost of the jest worker running this file (JEST_WORKER_ID: 1, 2, …; 1 when run in band). */
export function jestWorkerVhost(): string {
  return workerVhost(Number(process.env.JEST_WORKER_ID ?? '1'));
}

/** The vhost of jest worker `worker`; the globalSetup creates those of every worker. */
export function workerVhost(worker: number): string {
  return `erp-sync-test-worker-${worker}`;
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
