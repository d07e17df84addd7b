import type { AppConfig } from 'src/config/app-config';
import { loadConfig } from 'src/config/load-config';
import { testRabbitmqUrl } from 'test/support/integration-resources';

export const TEST_SHOP = 'test-store.myshopify.com';
export const TEST_SECRET = 'shpss_integration_test_secret';
export const TEST_ADMIN_KEY = 'admin-key-for-tests-0123456789abcdef';

/**
 * Connection URLs of this machine's real services; a suite picks its own database, Redis db index and, when it uses
 * queues while other suites run, vhost (test/support/integration-resources.ts). `TEST_RABBITMQ_URL` (optional) points
 * the suites at another broker, or without `vhost` at another vhost, so that two runs on one machine do not share
 * the topology's fixed queue names.
 */
export function serviceUrls(database: string, redisDb: number, vhost?: string) {
  return {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    RABBITMQ_URL: testRabbitmqUrl(vhost),
    REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
  };
}

/** The environment a test app (in-process or child process) runs with. */
export function testEnv(
  database: string,
  redisDb: number,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...serviceUrls(database, redisDb),
    SHOPIFY_SHOP_DOMAIN: TEST_SHOP,
    SHOPIFY_WEBHOOK_SECRET: TEST_SECRET,
    ERP_CONNECTOR: 'sandbox',
    ADMIN_API_KEYS: TEST_ADMIN_KEY,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    // Tests start many processes: a short ingest warm-up each (the product's default is 1,000).
    WEBHOOK_WARM_UP_REQUESTS: '50',
    // APP_ROLE=all's ERP side on the app's own event loop: the suites start about 40 apps, and a second Nest
    // application per app cost the 2-core machine a minute of the suite's 8. The product's default (a child process)
    // is what the specs that set ERP_PROCESS=child run: graceful shutdown, ERP configuration, the admin API.
    ERP_PROCESS: 'inline',
    // Where a spec runs the child: at the priority of everything else, since the suites run apps side by side and a
    // child at nice 15 (the product's default, on a machine of its own) waits behind the other suites' processes.
    ERP_PROCESS_NICE: '0',
    ...overrides,
  };
}

export function testConfig(database: string, redisDb: number, overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(database, redisDb, overrides));
}
