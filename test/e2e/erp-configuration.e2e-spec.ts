import { readFileSync } from 'node:fs';
import { expectExactlyOnceAfter } from 'test/e2e/expect-exactly-once';
import { Scenario, orders, sleep, until } from 'test/support/scenario';

/**
 * A configuration error pauses the writers; it does not dead-letter the world (issue #14 item 10). Tried as a new
 * user would, with the real app (child processes, RabbitMQ, PostgreSQL, Redis) and the vendors' simulators:
 *
 * - Business Central with its base URL missing `/v2.0`: BC answers every call 404 "No HTTP resource was found that
 *   matches the request URI". Nothing is dead-lettered, the app says why (one error line, the metric, readiness),
 *   the ERP sees about one request per probe interval, and a process started with the right URL writes every order
 *   exactly once.
 * - NetSuite refusing the credentials for 10 s mid-run: about one request per probe interval reaches it, nothing is
 *   dead-lettered, and everything lands once after the credentials work again.
 *
 * The probe interval is 1 s here (ERP_PROBE_INTERVAL_SECONDS; 5 s by default).
 */
const PROBE_INTERVAL_S = 1;

/** The simulator's own count of the API requests it answered (token requests excluded). */
async function erpRequests(scenario: Scenario): Promise<number> {
  const state = (await (await fetch(`${scenario.erpUrl}/_control/state`)).json()) as { stats: { requests: number } };
  return state.stats.requests;
}

async function configurationAlarm(url: string, connector: string): Promise<number | undefined> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const value = new RegExp(`erp_sync_erp_configuration_error\\{connector="${connector}"\\} (\\d)`).exec(metrics)?.[1];
  return value === undefined ? undefined : Number(value);
}

async function readiness(url: string): Promise<{ status: number; erp?: Record<string, string> }> {
  const res = await fetch(`${url}/health/ready`);
  const body = (await res.json()) as { info?: Record<string, Record<string, string>> };
  return { status: res.status, erp: body.info?.erp };
}

describe('a configuration error pauses the writers', () => {
  it('Business Central base URL without /v2.0: nothing dead-lettered, one request per probe, then every order once', async () => {
    const scenario = new Scenario({
      name: 'config-bc-base-url',
      database: 'erp_sync_e2e_config_url',
      redisDb: 0,
      erp: 'business-central',
      simulator: { concurrencyLimit: 5, latencyMs: 20, latencyJitterMs: 5, requestsPerMinute: 0 },
      // The product's default APP_ROLE=all: the ERP child watches the connection, /health/ready asks it.
      env: { ERP_PROCESS: 'child', ERP_MAX_RPS: '200', ERP_PROBE_INTERVAL_SECONDS: String(PROBE_INTERVAL_S) },
    });
    try {
      await scenario.setup();
      // What a new user writes: the host, without the API's /v2.0.
      const wrong = await scenario.start('all', { BC_API_BASE_URL: scenario.erpUrl });
      const startedAt = Date.now();
      // The check at start found it: the alarm is up, and readiness says so while webhooks are still taken.
      await until(
        'the configuration alarm',
        async () => (await configurationAlarm(wrong.url, 'business-central')) === 1,
      );
      const ready = await readiness(wrong.url);
      expect(ready.status).toBe(200);
      expect(ready.erp).toMatchObject({ connection: 'configuration-error' });

      const batch = orders(80, 150_000);
      batch.forEach((order) => scenario.plan(order, 'orders/create'));
      await scenario.sendAll(100);
      expect(scenario.outcomes.every((outcome) => outcome?.final.status === 200)).toBe(true);
      // The writers took the orders and wait: the ERP sees the probes, one per interval, never one per order.
      const afterSend = await erpRequests(scenario);
      const probesFrom = Date.now();
      await until('three more probes', async () => (await erpRequests(scenario)) >= afterSend + 3, 15_000);
      const probes = (await erpRequests(scenario)) - afterSend;
      expect(probes).toBeLessThanOrEqual((Date.now() - probesFrom) / (PROBE_INTERVAL_S * 1000) + 2);
      const requestsWhileWrong = await erpRequests(scenario);
      expect(requestsWhileWrong).toBeLessThanOrEqual((Date.now() - startedAt) / (PROBE_INTERVAL_S * 1000) + 3);
      expect(await scenario.deadLetteredOrderIds()).toEqual([]);
      expect(await scenario.erpOrders()).toEqual([]);
      expect(await configurationAlarm(wrong.url, 'business-central')).toBe(1);
      // One error line for the whole episode, naming what BC said.
      const errorLines = readFileSync(wrong.logFile, 'utf8')
        .split('\n')
        .filter(
          (line) =>
            wrong.pids().some((pid) => line.includes(`"pid":${pid},`)) && line.includes('ERP configuration error'),
        );
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toContain('No HTTP resource was found');

      // The operator fixes the variable and restarts: the orders were waiting in RabbitMQ, and land exactly once.
      await wrong.stop('SIGTERM', 5_000);
      const fixed = await scenario.start('all');
      await expectExactlyOnceAfter(scenario, 60_000);
      expect(await configurationAlarm(fixed.url, 'business-central')).toBe(0);
      expect((await readiness(fixed.url)).erp).toMatchObject({ connection: 'ok' });
    } finally {
      await scenario.teardown();
    }
  });

  it('NetSuite refusing the credentials for 10 s: about one request per probe interval, nothing dead-lettered, every order once', async () => {
    const scenario = new Scenario({
      name: 'config-netsuite-credentials',
      database: 'erp_sync_e2e_config_auth',
      redisDb: 0,
      erp: 'netsuite',
      // Token-based authentication signs each request: no cached token to refresh, so one probe is one request.
      netsuiteAuth: 'tba',
      simulator: { concurrencyLimit: 5, latencyMs: 20, latencyJitterMs: 5 },
      env: { ERP_PROCESS: 'child', ERP_PROBE_INTERVAL_SECONDS: String(PROBE_INTERVAL_S) },
    });
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const batch = orders(120, 160_000);
      batch.forEach((order) => scenario.plan(order, 'orders/create'));
      const sending = scenario.sendAll(40);
      await until('the first orders in the ERP', async () => (await scenario.control.state()).salesOrders >= 10);
      // The credentials are revoked mid-run, with work in flight and more arriving.
      await scenario.configureErp({ rejectAuth: true });
      const refusedFrom = Date.now();
      await until('the configuration alarm', async () => (await configurationAlarm(app.url, 'netsuite')) === 1);
      // The requests already sent when the first refusal came end; from then on the ERP sees only probes.
      await until('the requests in flight to end', async () => (await scenario.control.state()).inFlight === 0);
      const settledAt = Date.now();
      const settled = await erpRequests(scenario);
      // The refusal lasts 10 s in all.
      await sleep(Math.max(0, refusedFrom + 10_000 - Date.now()));
      const probes = (await erpRequests(scenario)) - settled;
      expect(probes).toBeLessThanOrEqual(Math.ceil((Date.now() - settledAt) / (PROBE_INTERVAL_S * 1000)) + 1);
      expect(await scenario.deadLetteredOrderIds()).toEqual([]);
      await scenario.configureErp({ rejectAuth: false });
      await sending;
      await expectExactlyOnceAfter(scenario, 60_000);
      expect(await configurationAlarm(app.url, 'netsuite')).toBe(0);
    } finally {
      await scenario.configureErp({ rejectAuth: false }).catch(() => undefined);
      await scenario.teardown();
    }
  });
});
