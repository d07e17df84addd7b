import Redis from 'ioredis';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { directErpContext } from 'test/support/direct-erp-context';

const REDIS_URL = 'redis://127.0.0.1:6379/12';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Scenario S18 (reliability notes §5) on real Redis and the sandbox ERP over HTTP: no limit configured (cap 20,
 * starting at the vendor default of 5), the ERP's true limit 7, then 3. The writer must find 7 by itself, hold it
 * with few refusals, and follow the drop.
 */
describe('adaptive ERP concurrency (S18)', () => {
  let redis: Redis;
  let sandbox: SandboxErpServer;
  let gate: ErpWriteGate;
  let connector: SandboxErpConnector;
  let running = true;
  const samples: Array<{ t: number; limit: number }> = [];

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
    sandbox = new SandboxErpServer({ concurrencyLimit: 7, latencyMs: 100, latencyJitterMs: 10, retryAfterSeconds: 1 });
    const port = await sandbox.listen();
    gate = new ErpWriteGate(redis, {
      connector: 'sandbox',
      maxConcurrency: 20,
      initialConcurrency: 5,
      requestTimeoutMs: 5_000,
      maxCircuitWaitMs: 30_000,
      maxThrottleRetries: 50,
      keyPrefix: 'erp-test:s18',
    });
    // The gate under test wraps every request; the connector's own context must not add a second one.
    connector = new SandboxErpConnector({ baseUrl: `http://127.0.0.1:${port}` }, directErpContext(5_000));
  });

  afterAll(async () => {
    running = false;
    gate.shutdown();
    await sandbox.close();
    await redis.quit();
  });

  async function worker(id: number): Promise<void> {
    for (let i = 0; running; i++) {
      const externalId = `s18-${id}-${i}`;
      await gate.call('upsertCustomer', () =>
        gate.request('upsertCustomer', () => connector.upsertCustomer({ externalId, currency: 'EUR' })),
      );
    }
  }

  function counters(): { ok: number; throttled: number } {
    const { counters: c } = sandbox.state().stats;
    return { ok: c.ok, throttled: c.throttled429 };
  }

  it('discovers 7 within 60 s with < 2 % refused afterwards, and follows a drop to 3 within 30 s', async () => {
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ t: Date.now() - started, limit: gate.concurrencyLimit }), 250);
    const workers = Array.from({ length: 24 }, (_, i) => worker(i).catch(() => undefined));

    await sleep(25_000);
    const converged = samples.find((s) => samples.filter((x) => x.t >= s.t).every((x) => x.limit >= 6 && x.limit <= 8));
    expect(converged?.t).toBeLessThan(20_000);
    const before = counters();
    await sleep(20_000);
    const after = counters();
    const ok = after.ok - before.ok;
    const refused = after.throttled - before.throttled;
    expect(refused / (ok + refused)).toBeLessThan(0.02);
    // ≥ 90 % of limit ÷ latency: 7 / 0.105 s (the sandbox's 100 ms plus ~5 ms of HTTP and Redis per request here).
    expect(ok / 20).toBeGreaterThanOrEqual(0.9 * (7 / 0.105));
    expect(sandbox.state().stats.peakConcurrency).toBeLessThanOrEqual(7);

    const dropAt = Date.now() - started;
    sandbox.configure({ concurrencyLimit: 3 });
    await sleep(15_000);
    const settled = samples.find((s) => s.t >= dropAt && s.limit <= 3);
    expect(settled).toBeDefined();
    expect((settled?.t ?? Infinity) - dropAt).toBeLessThan(30_000);

    running = false;
    clearInterval(sampler);
    await Promise.all(workers);
  }, 90_000);
});
