import { execSync } from 'node:child_process';
import { Scenario, orders, sleep, updated } from 'test/support/scenario';

/**
 * Fault scenarios of reliability-notes §5, judged by the exact ledger. They stop and restart this machine's real
 * RabbitMQ and PostgreSQL, so they run serially and restore every service in `finally`.
 */

function sh(command: string, timeoutMs = 120_000): void {
  execSync(command, { stdio: 'ignore', timeout: timeoutMs });
}

/** `rabbitmq-server -detached` returns before the node exists; await_startup fails at once until it does. */
function startRabbitAndWait(timeoutMs = 120_000): void {
  sh('rabbitmq-server -detached');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      sh('rabbitmqctl -q await_startup --timeout 60', 70_000);
      return;
    } catch (error: unknown) {
      if (Date.now() > deadline) {
        throw error;
      }
      execSync('sleep 1');
    }
  }
}

function rabbitRunning(): boolean {
  try {
    sh('rabbitmqctl -q await_startup --timeout 5', 15_000);
    return true;
  } catch {
    return false;
  }
}

async function waitReady(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        return Date.now() - started;
      }
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

async function expectNoLossNoDuplicate(scenario: Scenario, drainMs: number): Promise<void> {
  await scenario.drain(drainMs);
  const report = await scenario.ledger();
  expect(report.problems).toEqual([]);
  expect(report.verdict).toBe('pass');
  expect(report.failed + report.rejected).toBe(0);
  // Nothing was dead-lettered because of the fault.
  expect(await scenario.deadLetteredOrderIds()).toEqual([]);
}

describe('faults', () => {
  it('S2 ERP outage mid-run: nothing lost, nothing dead-lettered, the backlog drains by itself', async () => {
    const scenario = new Scenario({ name: 's2', database: 'erp_sync_e2e_s2', redisDb: 14 });
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const batch = orders(500, 60_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      const sending = scenario.sendAll(100);
      await sleep(1_500);
      await scenario.configureErp({ maintenance: '503' });
      const outageStarted = Date.now();
      await sleep(8_000);
      // Consumption paused: the circuit is open and the ERP barely sees probes.
      const during = await scenario.erpState();
      const unavailableAtOpen = during.stats.counters.unavailable503 ?? 0;
      await sleep(7_000);
      const later = await scenario.erpState();
      const probes = (later.stats.counters.unavailable503 ?? 0) - unavailableAtOpen;
      // About one probe per 5 s half-open interval per process, not a retry storm.
      expect(probes).toBeLessThanOrEqual(6);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/erp_sync_erp_circuit_state\{connector="sandbox"\} 2/);
      await scenario.configureErp({ maintenance: 'off' });
      await sending;
      await expectNoLossNoDuplicate(scenario, 90_000);
      expect(Date.now() - outageStarted).toBeLessThan(120_000);
      const state = await scenario.erpState();
      expect(state.stats.peakConcurrency).toBeLessThanOrEqual(5);
    } finally {
      await scenario.configureErp({ maintenance: 'off' }).catch(() => undefined);
      await scenario.teardown();
    }
  });

  it('S5 worker SIGKILL mid-message, three times: redelivered work completes, nothing lost or duplicated', async () => {
    const scenario = new Scenario({
      name: 's5',
      database: 'erp_sync_e2e_s5',
      redisDb: 15,
      sandbox: { concurrencyLimit: 5, latencyMs: 250, latencyJitterMs: 50 },
    });
    try {
      await scenario.setup();
      await scenario.start('api');
      const workers = [await scenario.start('worker'), await scenario.start('worker')];
      const batch = orders(240, 70_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      batch.slice(0, 60).forEach((o) => scenario.plan(updated(o, 3), 'orders/updated'));
      const sending = scenario.sendAll(60);
      for (let round = 0; round < 3; round++) {
        await sleep(2_500);
        const victim = workers[round % 2];
        await victim.kill();
        // A supervisor (docker, systemd, k8s) restarts it.
        workers[round % 2] = await scenario.start('worker');
      }
      await sending;
      await expectNoLossNoDuplicate(scenario, 120_000);
    } finally {
      await scenario.teardown();
    }
  });

  it('S6 RabbitMQ restarted during ingest (graceful, then kill -9): every 200 is durable, consumers resume', async () => {
    const scenario = new Scenario({ name: 's6', database: 'erp_sync_e2e_s6', redisDb: 9 });
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const batch = orders(900, 80_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      const sending = scenario.sendAll(150);
      await sleep(1_500);
      try {
        sh('rabbitmqctl -q stop_app');
        await sleep(2_000);
      } finally {
        sh('rabbitmqctl -q start_app');
      }
      await sleep(1_500);
      try {
        const pid = execSync(`rabbitmqctl eval 'os:getpid().'`)
          .toString()
          .replace(/[^0-9]/g, '');
        sh(`kill -9 ${pid}`);
        await sleep(1_000);
      } finally {
        startRabbitAndWait();
      }
      await sending;
      // Everything Shopify got a 200 for is in the queue or the outbox, and the outbox is relayed.
      const outboxUsed = (
        await scenario.sql<{ n: string }>(`SELECT count(*) AS n FROM sync_audit_log WHERE status = 'queued_outbox'`)
      )[0]?.n;
      expect(Number(outboxUsed)).toBeGreaterThan(0);
      await waitReady(app.url, 30_000);
      await expectNoLossNoDuplicate(scenario, 120_000);
      const left = await scenario.sql<{ n: string }>('SELECT count(*) AS n FROM ingest_outbox');
      expect(Number(left[0]?.n)).toBe(0);
    } finally {
      if (!rabbitRunning()) {
        startRabbitAndWait();
      }
      await scenario.teardown();
    }
  });

  it('S7 PostgreSQL restarted (-m immediate) mid-run: no 200 for anything not durable, workers pause, full recovery', async () => {
    const scenario = new Scenario({ name: 's7', database: 'erp_sync_e2e_s7', redisDb: 8 });
    const cluster = execSync('ls /etc/postgresql').toString().trim();
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const batch = orders(400, 90_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      const sending = scenario.sendAll(100);
      await sleep(1_500);
      await scenario.teardownDatabaseClient();
      sh(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main restart -m immediate`);
      await scenario.reconnectDatabaseClient();
      await sending;
      const recoveredIn = await waitReady(app.url, 30_000);
      expect(recoveredIn).toBeLessThan(30_000);
      await expectNoLossNoDuplicate(scenario, 90_000);
    } finally {
      sh(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main start || true`);
      await scenario.teardown();
    }
  });
});
