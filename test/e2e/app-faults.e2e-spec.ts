import { expectExactlyOnceAfter } from 'test/e2e/expect-exactly-once';
import { orders, Scenario, until, updated } from 'test/support/scenario';

/**
 * Fault scenarios of docs/reliability.md that leave the shared services running, judged by the exact ledger: the
 * ERP goes down (S2) and our own worker is killed (S5). They run beside the other e2e specs; the scenarios that
 * restart RabbitMQ and PostgreSQL are in faults.e2e-spec.ts, which runs alone.
 *
 * Every wait is for what the fault stands for (the ERP has work in flight, the circuit says open, the probe came),
 * never a fixed time; and the orders are only as many as keep work in flight while the fault lasts.
 */

/** The ERP circuit as the app reports it: 0 closed, 1 half-open, 2 open. */
async function circuitState(url: string): Promise<number | undefined> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const value = /erp_sync_erp_circuit_state\{connector="sandbox"\} (\d)/.exec(metrics)?.[1];
  return value === undefined ? undefined : Number(value);
}

describe('faults of the ERP and of our own processes', () => {
  it('S2 ERP outage mid-run: nothing lost, nothing dead-lettered, the backlog drains by itself', async () => {
    const scenario = new Scenario({ name: 's2', database: 'erp_sync_e2e_s2', redisDb: 14 });
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const erp = scenario.control;
      // 2 s of webhooks: a backlog builds up behind the outage and must drain by itself afterwards.
      const batch = orders(200, 60_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      const sending = scenario.sendAll(100);
      // The outage hits with work in flight.
      await until('the first orders in the ERP', async () => (await erp.state()).salesOrders >= 20);
      await scenario.configureErp({ maintenance: '503' });
      const outageStarted = Date.now();
      await until('the circuit to open', async () => (await circuitState(app.url)) === 2, 30_000);
      const openedAt = Date.now();
      const unavailableAtOpen = (await erp.state()).unavailable;
      // The requests already sent when the circuit opened end (at most the ERP's 5 concurrent ones); the operations
      // in flight that were waiting for a request permit send nothing more: the ERP idle at two looks in a row. From
      // then on it sees only probes.
      let idleBefore = false;
      await until('the requests in flight to end', async () => {
        const idle = (await erp.state()).inFlight === 0;
        const settled = idle && idleBefore;
        idleBefore = idle;
        return settled;
      });
      const settled = (await erp.state()).unavailable;
      expect(settled - unavailableAtOpen).toBeLessThanOrEqual(5);
      await until('the half-open probe', async () => (await erp.state()).unavailable > settled, 30_000);
      // Consumption paused: nothing reached the ERP for most of the breaker's 5 s reset interval, then one probe —
      // not a retry storm — and the circuit is open again.
      expect(Date.now() - openedAt).toBeGreaterThan(3_000);
      expect((await erp.state()).unavailable - settled).toBe(1);
      await until('the circuit to open again', async () => (await circuitState(app.url)) === 2);
      await scenario.configureErp({ maintenance: 'off' });
      await sending;
      await expectExactlyOnceAfter(scenario, 90_000);
      expect(Date.now() - outageStarted).toBeLessThan(120_000);
      expect((await erp.state()).peakConcurrency).toBeLessThanOrEqual(5);
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
      sandbox: { concurrencyLimit: 5, latencyMs: 400, latencyJitterMs: 80 },
    });
    try {
      await scenario.setup();
      const [, ...workers] = await Promise.all([
        scenario.start('api'),
        scenario.start('worker'),
        scenario.start('worker'),
      ]);
      const erp = scenario.control;
      // About 30 s of ERP work at 5 × 400 ms: enough to be mid-message at each of the three kills (each waits for
      // the restarted worker's readiness, up to 10 s on a busy machine); a kill that finds no work in flight fails the
      // test rather than pass idle. The ERP's latency, not more orders, stretches it: no more work for the machine.
      const batch = orders(120, 70_000);
      batch.forEach((o) => scenario.plan(o, 'orders/create'));
      batch.slice(0, 30).forEach((o) => scenario.plan(updated(o, 3), 'orders/updated'));
      const sending = scenario.sendAll(60);
      for (let round = 0; round < 3; round++) {
        // Mid-message: the ERP is answering requests of both workers, and has written more since the last restart.
        const writesBefore = (await scenario.erpLedger()).length;
        await until(
          `round ${round + 1}: work in flight`,
          async () => (await erp.state()).inFlight >= 2 && (await scenario.erpLedger()).length >= writesBefore + 5,
          60_000,
          50,
        );
        const victim = workers[round % 2];
        await victim.kill();
        // A supervisor (docker, systemd, k8s) restarts it.
        workers[round % 2] = await scenario.start('worker');
      }
      await sending;
      await expectExactlyOnceAfter(scenario, 120_000);
    } finally {
      await scenario.teardown();
    }
  });
});
