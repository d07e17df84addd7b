import { exec, execSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expectExactlyOnceAfter } from 'test/e2e/expect-exactly-once';
import { Scenario, nthOrder, sleep, until } from 'test/support/scenario';

/**
 * Fault scenarios of docs/reliability.md that take the shared services down, judged by the exact ledger. They stop
 * and restart this machine's real RabbitMQ and PostgreSQL, so they run alone (jest.faults.config.ts), one after the
 * other, and restore every service in `finally`. The ERP outage and the killed worker: app-faults.e2e-spec.ts.
 *
 * Every wait is for what the fault stands for (the ERP has work in flight, the outbox holds what arrived while the
 * broker was down, readiness is back), never a fixed time; and the orders are only as many as keep work in flight
 * while the fault lasts: a stream that stops when the fault is over, not a volume.
 */

const execAsync = promisify(exec);

/** Runs a service command without blocking this process, so webhooks keep arriving while a service restarts. */
async function sh(command: string, timeoutMs = 120_000): Promise<void> {
  await execAsync(command, { timeout: timeoutMs });
}

/** `rabbitmq-server -detached` returns before the node exists; await_startup fails at once until it does. */
async function startRabbitAndWait(timeoutMs = 120_000): Promise<void> {
  await sh('rabbitmq-server -detached');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await sh('rabbitmqctl -q await_startup --timeout 60', 70_000);
      return;
    } catch (error: unknown) {
      if (Date.now() > deadline) {
        throw error;
      }
      await sleep(1_000);
    }
  }
}

function rabbitRunning(): boolean {
  try {
    execSync('rabbitmqctl -q await_startup --timeout 5', { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

/** A promise to stop a stream with, and the function that resolves it. */
function stopSignal(): { stopped: Promise<void>; stop: () => void } {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return { stopped, stop };
}

describe('faults of the shared services', () => {
  it('S6 RabbitMQ restarted during ingest (graceful, then kill -9): every 200 is durable, consumers resume', async () => {
    const scenario = new Scenario({ name: 's6', database: 'erp_sync_e2e_s6', redisDb: 9 });
    const count = async (sql: string): Promise<number> => Number((await scenario.sql<{ n: string }>(sql))[0]?.n);
    /** Webhooks answered 200 while the broker was away (audit), and those not relayed yet (outbox). */
    const outboxed = (): Promise<number> =>
      count(`SELECT count(*) AS n FROM sync_audit_log WHERE status = 'queued_outbox'`);
    const waiting = (): Promise<number> => count('SELECT count(*) AS n FROM ingest_outbox');
    const inErp = async (): Promise<number> => (await scenario.control.state()).salesOrders;
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const { stopped, stop } = stopSignal();
      const sending = scenario.streamOrders(30, stopped, (n) => nthOrder(80_000, n));
      try {
        await until('the first orders in the ERP', async () => (await inErp()) >= 10);
        try {
          await sh('rabbitmqctl -q stop_app');
          // What Shopify sends while the broker is down is answered 200 once it is in the outbox.
          await until('webhooks held in the outbox', async () => (await waiting()) >= 10);
        } finally {
          await sh('rabbitmqctl -q start_app');
        }
        // Consumers resumed: readiness is back and the ERP receives orders again.
        await until('readiness after start_app', () => ready(app.url), 60_000, 250);
        const resumedFrom = await inErp();
        await until('orders in the ERP after start_app', async () => (await inErp()) >= resumedFrom + 10, 60_000);
        try {
          const { stdout } = await execAsync(`rabbitmqctl eval 'os:getpid().'`);
          await sh(`kill -9 ${stdout.replace(/[^0-9]/g, '')}`);
          const before = await waiting();
          await until('webhooks held in the outbox after kill -9', async () => (await waiting()) >= before + 10);
        } finally {
          stop();
          await startRabbitAndWait();
        }
      } finally {
        stop();
        await sending;
      }
      // Everything Shopify got a 200 for is in the queue or the outbox, and the outbox is relayed.
      expect(await outboxed()).toBeGreaterThan(0);
      await until('readiness after the restart', () => ready(app.url), 60_000, 250);
      await expectExactlyOnceAfter(scenario, 120_000);
      expect(await waiting()).toBe(0);
    } finally {
      if (!rabbitRunning()) {
        await startRabbitAndWait();
      }
      await scenario.teardown();
    }
  });

  it('S7 PostgreSQL restarted (-m immediate) mid-run: no 200 for anything not durable, workers pause, full recovery', async () => {
    const scenario = new Scenario({ name: 's7', database: 'erp_sync_e2e_s7', redisDb: 8 });
    const cluster = execSync('ls /etc/postgresql').toString().trim();
    const accepted = (): number => scenario.outcomes.filter((o) => o?.final.status === 200).length;
    try {
      await scenario.setup();
      const app = await scenario.start('all');
      const { stopped, stop } = stopSignal();
      const sending = scenario.streamOrders(30, stopped, (n) => nthOrder(90_000, n));
      let recoveredIn = 0;
      try {
        await until('the first orders in the ERP', async () => (await scenario.control.state()).salesOrders >= 10);
        await scenario.teardownDatabaseClient();
        // Webhooks keep arriving while PostgreSQL restarts: none may get a 200 that is not durable.
        await sh(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main restart -m immediate`);
        await scenario.reconnectDatabaseClient();
        recoveredIn = await until('readiness after the restart', () => ready(app.url), 30_000, 250);
        const acceptedBefore = accepted();
        await until('webhooks accepted again', () => accepted() >= acceptedBefore + 10, 30_000);
      } finally {
        stop();
        await sending;
      }
      expect(recoveredIn).toBeLessThan(30_000);
      await expectExactlyOnceAfter(scenario, 90_000);
    } finally {
      await sh(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main start || true`);
      await scenario.teardown();
    }
  });
});
