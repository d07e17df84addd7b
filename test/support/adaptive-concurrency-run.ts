import Redis from 'ioredis';
import { SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import { ErpWriteGate, type ErpWriteGateOptions } from 'src/modules/erp/writer/erp-write-gate';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { directErpContext } from 'test/support/direct-erp-context';

/**
 * Scenario S18 (an ERP whose concurrency limit nobody configured, then lowers) on real Redis and the sandbox ERP
 * over HTTP: `workers` callers keep the writer busy through one ErpWriteGate that starts at `startLimit` (the vendor
 * default) under a cap of `cap`. The run waits for the gate to find the ERP's limit (throttled at least once, and
 * within one of the limit), holds there for `holdMs` counting answers, then lowers the ERP's limit and waits for
 * the gate to follow. The integration spec runs it with short adaptive timings and asserts the behaviour; the
 * benchmark (scripts/bench/adaptive-concurrency.ts) runs it with the production timings and reports the figures.
 */
export interface AdaptiveConcurrencyRunOptions {
  redisUrl: string;
  /** The ERP's real limit, then the one it drops to. */
  erpLimit: number;
  droppedLimit: number;
  startLimit: number;
  cap: number;
  workers: number;
  latencyMs: number;
  latencyJitterMs: number;
  retryAfterSeconds: number;
  /** The gate's adaptive timings (default: production). */
  adaptive?: ErpWriteGateOptions['adaptive'];
  discoverTimeoutMs: number;
  holdMs: number;
  dropTimeoutMs: number;
  /** How often the gate's limit is sampled. */
  sampleEveryMs?: number;
}

export interface AdaptiveConcurrencyFigures {
  /** From the start until the limit was found (throttled once, within one of `erpLimit`); null: not in time. */
  discoveredAfterMs: number | null;
  hold: {
    ms: number;
    ok: number;
    /** Requests the ERP refused (429) while holding. */
    refused: number;
    refusedShare: number;
    okPerSecond: number;
    minLimit: number;
    maxLimit: number;
  };
  /** Most requests the ERP ever had in flight before the drop. */
  peakConcurrency: number;
  /** From the drop until the gate's limit was at most `droppedLimit`; null: not in time. */
  followedDropAfterMs: number | null;
  samples: Array<{ t: number; limit: number }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runAdaptiveConcurrency(
  options: AdaptiveConcurrencyRunOptions,
): Promise<AdaptiveConcurrencyFigures> {
  const sampleEveryMs = options.sampleEveryMs ?? 50;
  const redis = new Redis(options.redisUrl);
  const sandbox = new SandboxErpServer({
    concurrencyLimit: options.erpLimit,
    latencyMs: options.latencyMs,
    latencyJitterMs: options.latencyJitterMs,
    retryAfterSeconds: options.retryAfterSeconds,
  });
  let gate: ErpWriteGate | undefined;
  let running = true;
  let sampler: NodeJS.Timeout | undefined;
  const workers: Promise<void>[] = [];
  try {
    await redis.flushdb();
    const port = await sandbox.listen();
    const g = new ErpWriteGate(redis, {
      connector: 'sandbox',
      maxConcurrency: options.cap,
      initialConcurrency: options.startLimit,
      adaptive: options.adaptive,
      requestTimeoutMs: 5_000,
      maxCircuitWaitMs: 30_000,
      maxThrottleRetries: 50,
      keyPrefix: 'erp-test:s18',
    });
    gate = g;
    // The gate under test wraps every request; the connector's own context must not add a second one.
    const connector = new SandboxErpConnector({ baseUrl: `http://127.0.0.1:${port}` }, directErpContext(5_000));
    const counters = (): { ok: number; refused: number } => {
      const c = sandbox.state().stats.counters;
      return { ok: c.ok ?? 0, refused: c.throttled429 ?? 0 };
    };
    const started = Date.now();
    const samples: Array<{ t: number; limit: number }> = [];
    sampler = setInterval(() => samples.push({ t: Date.now() - started, limit: g.concurrencyLimit }), sampleEveryMs);
    const until = async (check: () => boolean, timeoutMs: number): Promise<number | null> => {
      const from = Date.now();
      while (!check()) {
        if (Date.now() - from > timeoutMs) {
          return null;
        }
        await sleep(sampleEveryMs);
      }
      return Date.now() - from;
    };

    for (let w = 0; w < options.workers; w++) {
      workers.push(
        (async () => {
          for (let i = 0; running; i++) {
            const externalId = `s18-${w}-${i}`;
            await g
              .call('upsertCustomer', () =>
                g.request('upsertCustomer', () => connector.upsertCustomer({ externalId, currency: 'EUR' })),
              )
              .catch(() => undefined);
          }
        })(),
      );
    }

    const discoveredAfterMs = await until(
      () => counters().refused > 0 && Math.abs(g.concurrencyLimit - options.erpLimit) <= 1,
      options.discoverTimeoutMs,
    );
    const holdFrom = Date.now() - started;
    const before = counters();
    await sleep(options.holdMs);
    const after = counters();
    const held = samples.filter((s) => s.t >= holdFrom).map((s) => s.limit);
    const ok = after.ok - before.ok;
    const refused = after.refused - before.refused;
    const peakConcurrency = sandbox.state().stats.peakConcurrency;

    sandbox.configure({ concurrencyLimit: options.droppedLimit });
    const followedDropAfterMs = await until(() => g.concurrencyLimit <= options.droppedLimit, options.dropTimeoutMs);
    return {
      discoveredAfterMs,
      hold: {
        ms: options.holdMs,
        ok,
        refused,
        refusedShare: ok + refused === 0 ? 0 : refused / (ok + refused),
        okPerSecond: ok / (options.holdMs / 1000),
        minLimit: Math.min(...held),
        maxLimit: Math.max(...held),
      },
      peakConcurrency,
      followedDropAfterMs,
      samples,
    };
  } finally {
    running = false;
    clearInterval(sampler);
    await Promise.all(workers);
    gate?.shutdown();
    await sandbox.close();
    await redis.quit();
  }
}
