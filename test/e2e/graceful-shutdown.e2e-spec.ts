import { readFileSync } from 'node:fs';
import { expectExactlyOnceAfter } from 'test/e2e/expect-exactly-once';
import { httpStatus } from 'test/support/app-process';
import { Scenario, nthOrder, orders, until } from 'test/support/scenario';

/**
 * Graceful shutdown within the orchestrator's grace period (issue #14 item 8), on the real app (a child process),
 * RabbitMQ, PostgreSQL and Redis. An `all` process is writing orders when the ERP starts answering every request
 * 429 with a 10 s Retry-After, so its message handlers sleep on the shared cool-down; then it gets SIGTERM:
 *
 * - /health/ready answers 503 at once, while the listener still takes webhooks (one is answered 200 then);
 * - after SHUTDOWN_READINESS_DELAY_MS the listener is closed, with the process still running (its handlers sleep);
 * - the process exits by itself within SHUTDOWN_GRACE_MS (+ scheduling slack), its ERP child (APP_ROLE=all runs the
 *   writers in a child process) cutting the sleeping handlers, instead of waiting for them until the orchestrator's
 *   SIGKILL;
 * - the cut messages were never acked: once the ERP accepts again, a new process writes every order exactly once
 *   and nothing is dead-lettered.
 *
 * Small values keep it short: a 3 s grace period and a 0.5 s readiness delay (8 s and 2 s by default).
 */
const GRACE_MS = 3_000;
const READINESS_DELAY_MS = 500;
/** A busy 2-core machine runs the process's timers late, and its exit takes a moment. */
const SLACK_MS = 2_000;
const RETRY_AFTER_S = 10;

/** The lines of `pid` in `logFile` whose message starts with `shutdown:`. */
function shutdownLines(logFile: string, pid: number): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"pid":${pid},`) && line.includes('"msg":"shutdown:'));
}

describe('graceful shutdown', () => {
  it('SIGTERM with handlers asleep on a Retry-After: readiness 503 first, listener closed, exit within the grace period, every order once', async () => {
    const scenario = new Scenario({
      name: 'graceful-shutdown',
      database: 'erp_sync_e2e_shutdown',
      redisDb: 6,
      sandbox: { concurrencyLimit: 5, latencyMs: 200, latencyJitterMs: 20, retryAfterSeconds: RETRY_AFTER_S },
      // The product's default APP_ROLE=all: the ERP side in a child process (the suites run it inline by default).
      env: {
        ERP_PROCESS: 'child',
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        SHUTDOWN_READINESS_DELAY_MS: String(READINESS_DELAY_MS),
      },
    });
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const erp = scenario.control;
      const batch = orders(40, 180_000);
      batch.forEach((order) => scenario.plan(order, 'orders/create'));
      await scenario.sendAll(100);
      // Some orders are written; then the ERP admits nothing more (429, Retry-After 10 s) and the handlers sleep.
      await until('the first orders in the ERP', async () => (await erp.state()).salesOrders >= 5);
      await scenario.configureErp({ concurrencyLimit: 0 });
      await until('a handler asleep on the Retry-After', async () => (await erp.state()).throttled >= 1, 30_000, 50);

      const signalledAt = Date.now();
      const exited = app.stop('SIGTERM', GRACE_MS + SLACK_MS + 2_000).then((code) => ({ code, at: Date.now() }));
      let readinessFailedAt: number | undefined;
      await until(
        'readiness to fail',
        async () => {
          const status = await httpStatus(`${app.url}/health/ready`);
          readinessFailedAt = Date.now();
          return status === 503;
        },
        READINESS_DELAY_MS,
        20,
      );
      expect((readinessFailedAt ?? Infinity) - signalledAt).toBeLessThan(READINESS_DELAY_MS);
      // Load balancers may still send for a moment: a webhook sent now is taken and made durable.
      scenario.plan(nthOrder(190_000, 0), 'orders/create');
      await scenario.sendAll(100, []);
      expect(scenario.outcomes.at(-1)?.final.status).toBe(200);

      // Then the listener closes; the process is still there (its handlers sleep), and leaves by itself in time.
      let refusedAt: number | undefined;
      await until(
        'the listener to close',
        async () => {
          const status = await httpStatus(`${app.url}/health/live`);
          refusedAt = Date.now();
          return status === 0;
        },
        GRACE_MS,
        20,
      );
      const exit = await exited;
      expect((refusedAt ?? 0) - signalledAt).toBeGreaterThanOrEqual(READINESS_DELAY_MS);
      expect(refusedAt).toBeLessThan(exit.at);
      expect(exit.code).toBe(0);
      expect(exit.at - signalledAt).toBeLessThan(GRACE_MS + SLACK_MS);

      // Each step once. APP_ROLE=all is two processes: the one started (ingest) and its ERP child, which got the signal
      // at once; the child's handlers still asleep at its deadline were cut, and the child exited before the parent.
      const lines = shutdownLines(app.logFile, app.pid);
      const step = (words: string, of = lines): string[] => of.filter((line) => line.includes(words));
      expect(step('readiness fails')).toHaveLength(1);
      expect(step('listener closed')).toHaveLength(1);
      expect(step('consumers cancelled')).toHaveLength(1);
      expect(step('complete')).toHaveLength(1);
      const childLines = shutdownLines(app.logFile, app.pids()[1] ?? -1);
      expect(step('deadline reached', childLines)).toHaveLength(1);
      expect(
        Number(/"inFlight":(\d+)/.exec(step('deadline reached', childLines)[0] ?? '')?.[1]),
      ).toBeGreaterThanOrEqual(1);

      // The ERP accepts again and the process is restarted: the cut messages come back and land exactly once.
      await scenario.configureErp({ concurrencyLimit: 5 });
      await scenario.start('all');
      await expectExactlyOnceAfter(scenario, 60_000);
    } finally {
      await scenario.teardown();
    }
  });
});
