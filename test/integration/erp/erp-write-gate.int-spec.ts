import Redis from 'ioredis';
import type { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ErrorKind } from 'src/common/errors/app-error';
import { MetricsService } from 'src/common/observability/metrics.service';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ErpWriteGate, type ErpWriteGateOptions } from 'src/modules/erp/writer/erp-write-gate';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { serviceUrls } from 'test/support/test-config';

const { REDIS_URL } = serviceUrls('unused', INTEGRATION_RESOURCES.erpWriteGate.redisDb);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(5);
  }
}

/** One port operation made of one ERP request, as a connector sends it: the breaker around, the limits inside. */
function send<T>(gate: ErpWriteGate | undefined, request: () => Promise<T>): Promise<T> {
  if (gate === undefined) {
    throw new Error('no gate');
  }
  return gate.call('op', () => gate.request('op', request));
}

/** A fake ERP call that records how many calls overlap: the gate's contract is about overlap, not vendors. */
class OverlapMeter {
  inFlight = 0;
  peak = 0;
  calls = 0;
  async run<T>(ms: number, result: T): Promise<T> {
    this.inFlight++;
    this.calls++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      await sleep(ms);
      return result;
    } finally {
      this.inFlight--;
    }
  }
}

describe('ErpWriteGate (real Redis)', () => {
  let redis: Redis;
  const gates: ErpWriteGate[] = [];

  function gate(options: Partial<ErpWriteGateOptions> = {}, metrics?: MetricsService): ErpWriteGate {
    const g = new ErpWriteGate(
      redis,
      {
        connector: 'test',
        maxConcurrency: 3,
        requestTimeoutMs: 2_000,
        maxCircuitWaitMs: 10_000,
        maxThrottleRetries: 5,
        ...options,
      },
      metrics,
    );
    gates.push(g);
    return g;
  }

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.flushdb();
  });

  afterEach(async () => {
    gates.splice(0).forEach((g) => g.shutdown());
    await redis.flushdb();
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('holds concurrency to the limit across several gates (as if several worker processes)', async () => {
    const meter = new OverlapMeter();
    const [a, b, c] = [gate(), gate(), gate()];
    const calls = Array.from({ length: 30 }, (_, i) => send([a, b, c][i % 3], () => meter.run(40, i)));
    const results = await Promise.all(calls);
    expect(results).toHaveLength(30);
    expect(meter.peak).toBe(3);
  });

  it('uses the whole limit (no idle permits while work waits)', async () => {
    const meter = new OverlapMeter();
    const g = gate({ maxConcurrency: 4 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => send(g, () => meter.run(50, 1))));
    const elapsed = Date.now() - started;
    // 40 calls × 50 ms ÷ 4 permits = 500 ms at best; allow Redis round trips on a loaded 2-core machine.
    expect(elapsed).toBeLessThan(1_500);
    expect(meter.peak).toBe(4);
  });

  it('caps requests per second across gates', async () => {
    const meter = new OverlapMeter();
    const [a, b] = [gate({ maxConcurrency: 10, maxRps: 10 }), gate({ maxConcurrency: 10, maxRps: 10 })];
    const started = Date.now();
    await Promise.all(Array.from({ length: 25 }, (_, i) => send(i % 2 ? a : b, () => meter.run(1, i))));
    // 25 requests at 10/s need at least two full windows after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('honours Retry-After: after a 429 no call starts before the ERP said, from any gate', async () => {
    const [a, b] = [gate(), gate()];
    const starts: number[] = [];
    let throttledAt = 0;
    let first = true;
    const call = (): Promise<string> => {
      starts.push(Date.now());
      if (first) {
        first = false;
        throttledAt = Date.now();
        return Promise.reject(new ErpError(ErrorKind.Throttled, '429', { httpStatus: 429, retryAfterMs: 800 }));
      }
      return Promise.resolve('ok');
    };
    const first429 = send(a, call);
    await sleep(50);
    const other = send(b, call);
    await expect(Promise.all([first429, other])).resolves.toEqual(['ok', 'ok']);
    const later = starts.slice(1);
    expect(later.every((t) => t - throttledAt >= 790)).toBe(true);
    expect(a.concurrencyLimit).toBeLessThan(3);
  });

  it('a caller that was waiting for a permit when another call was throttled waits out the Retry-After too', async () => {
    const g = gate({ maxConcurrency: 2 });
    let finishA!: () => void;
    let throttleB!: () => void;
    const a = send(g, () => new Promise<string>((resolve) => (finishA = () => resolve('a'))));
    let bCalls = 0;
    const b = send(g, () => {
      bCalls++;
      return bCalls === 1
        ? new Promise<string>((_, reject) => {
            throttleB = () => reject(new ErpError(ErrorKind.Throttled, '429', { retryAfterMs: 800 }));
          })
        : Promise.resolve('b');
    });
    let cSentAt = 0;
    const c = send(g, () => {
      cSentAt = Date.now();
      return Promise.resolve('c');
    });
    // A and B hold both permits; C waits for one.
    await until(() => finishA !== undefined && throttleB !== undefined);
    throttleB();
    const throttledAt = Date.now();
    // B keeps its permit while it cools down; A's permit is the one C gets.
    await sleep(50);
    finishA();
    await expect(Promise.all([a, b, c])).resolves.toEqual(['a', 'b', 'c']);
    expect(cSentAt - throttledAt).toBeGreaterThanOrEqual(790);
  });

  it('cuts a Retry-After longer than maxRetryAfterMs to the cap before sharing it: no worker waits three days', async () => {
    const [a, b] = [gate({ maxRetryAfterMs: 600 }), gate({ maxRetryAfterMs: 600 })];
    const starts: number[] = [];
    let throttledAt = 0;
    const threeDays = 3 * 86_400_000;
    const call = (): Promise<string> => {
      starts.push(Date.now());
      if (throttledAt === 0) {
        throttledAt = Date.now();
        return Promise.reject(new ErpError(ErrorKind.Throttled, '429', { httpStatus: 429, retryAfterMs: threeDays }));
      }
      return Promise.resolve('ok');
    };
    const throttled = send(a, call);
    // What every worker reads: the shared cool-down in Redis holds the cap, not the vendor's three days.
    let coolDownMs = -2;
    for (let i = 0; i < 200 && coolDownMs < 0; i++) {
      coolDownMs = await redis.pttl('erp-sync:erp-gate:cooldown-until');
      await sleep(5);
    }
    expect(coolDownMs).toBeGreaterThan(0);
    expect(coolDownMs).toBeLessThanOrEqual(600);
    const other = send(b, call);
    await expect(Promise.all([throttled, other])).resolves.toEqual(['ok', 'ok']);
    // Still honoured up to the cap, from either gate.
    const later = starts.slice(1);
    expect(later).toHaveLength(2);
    expect(later.every((t) => t - throttledAt >= 590 && t - throttledAt < 3_000)).toBe(true);
  });

  it('opens the circuit on an outage, holds callers without failing them, and resumes by itself', async () => {
    const g = gate({ breaker: { volumeThreshold: 3, resetTimeoutMs: 300 } });
    let down = true;
    let attempts = 0;
    const erp = (): Promise<string> => {
      attempts++;
      return down
        ? Promise.reject(new ErpError(ErrorKind.Transient, 'HTTP 503', { httpStatus: 503 }))
        : Promise.resolve('ok');
    };
    // The failures seen before the circuit opens are reported to their callers (they become counted retries);
    // the call that opens it, and any failure seen after, waits for the circuit instead.
    const early = [send(g, erp), send(g, erp), send(g, erp)].map((p) =>
      p.then(
        () => 'ok',
        () => 'failed',
      ),
    );
    await sleep(100);
    expect(g.circuitState).toBe('open');
    const waiting = Array.from({ length: 5 }, () => send(g, erp));
    await sleep(1_200);
    // About one probe per reset interval while the ERP is down: never a stampede.
    expect(attempts).toBeLessThanOrEqual(3 + Math.ceil(1_200 / 300) + 1);
    down = false;
    await expect(Promise.all(waiting)).resolves.toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const outcomes = await Promise.all(early);
    // Fewer than the breaker's volume threshold: once it opened, the remaining failures wait instead. A caller whose
    // failure is seen after the circuit opened waits too, so when the three fail together none is failed at all.
    const failed = outcomes.filter((o) => o === 'failed').length;
    expect(failed).toBeLessThanOrEqual(2);
    expect(g.circuitState).toBe('closed');
  });

  it.each([
    [
      'a base URL the ERP does not serve',
      new ErpError(ErrorKind.Configuration, 'No HTTP resource was found', { httpStatus: 404 }),
    ],
    ['refused credentials', new ErpError(ErrorKind.Auth, 'Authentication_InvalidCredentials', { httpStatus: 401 })],
  ])(
    '%s pauses every caller at the first answer: one probe per interval, nobody fails, an alarm, resumed by itself',
    async (_name, refusal) => {
      const metrics = new MetricsService();
      const g = gate({ breaker: { resetTimeoutMs: 300 } }, metrics);
      const alarm = async (): Promise<number | undefined> =>
        (await metrics.erpConfigurationError.get()).values.find((v) => v.labels.connector === 'test')?.value;
      let wrong = true;
      let requests = 0;
      const erp = (): Promise<string> => {
        requests++;
        return wrong ? Promise.reject(refusal) : Promise.resolve('ok');
      };
      // Twenty messages at once, as a backlog meets a wrong setting; the gate lets three through at a time.
      const calls = Array.from({ length: 20 }, () =>
        send(g, erp).then(
          (value) => value,
          (error: unknown) => `failed: ${String(error)}`,
        ),
      );
      await until(() => g.circuitState === 'open');
      expect(g.configurationProblem).toBe(refusal);
      expect(await alarm()).toBe(1);
      const atPause = requests;
      // The requests already holding a permit when the first answer came: never the backlog.
      expect(atPause).toBeLessThanOrEqual(3);
      await sleep(1_500);
      // One probe per 300 ms reset interval, not one request per waiting message.
      expect(requests - atPause).toBeLessThanOrEqual(Math.ceil(1_500 / 300) + 1);
      expect(requests - atPause).toBeGreaterThanOrEqual(2);
      wrong = false;
      // Nobody was failed, nothing given up: every call completes once the setting works.
      await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 20 }, () => 'ok'));
      expect(g.circuitState).toBe('closed');
      expect(g.configurationProblem).toBeUndefined();
      expect(await alarm()).toBe(0);
    },
  );

  it('operations waiting for a permit when the circuit opens send nothing more: the ERP sees only the half-open probe', async () => {
    const g = gate({ breaker: { volumeThreshold: 3, resetTimeoutMs: 400 } });
    let down = false;
    let requests = 0;
    let sentWhileOpen = 0;
    const erp = async (): Promise<string> => {
      requests++;
      if (g.circuitState === 'open') {
        sentWhileOpen++;
      }
      await sleep(40);
      if (down) {
        throw new ErpError(ErrorKind.Transient, 'HTTP 503', { httpStatus: 503 });
      }
      return 'ok';
    };
    // Twenty orders in flight, each past the breaker and sending one request; three permits, so most of them wait.
    const calls = Array.from({ length: 20 }, () =>
      send(g, erp).then(
        () => 'ok',
        () => 'failed',
      ),
    );
    await until(() => requests >= 3);
    down = true;
    await until(() => g.circuitState === 'open');
    const atOpen = requests;
    await until(() => g.circuitState === 'half-open', 2_000);
    // Only the requests already sent when the circuit opened answered after it: no waiting operation took its permit
    // and sent to the ERP it knew was down.
    expect(sentWhileOpen).toBe(0);
    // By the time the circuit is seen half-open, its probe may have gone: that one request, no more.
    expect(requests - atOpen).toBeLessThanOrEqual(1);
    down = false;
    const outcomes = await Promise.all(calls);
    // The operations overtaken by the opening were re-run once the circuit closed: the only failures reported to
    // callers are of requests sent before it opened (the breaker counts every operation fired, so 20 in flight take
    // 11 failures to open it; those become counted retries of their messages), and the rest completed.
    const failed = outcomes.filter((o) => o === 'failed').length;
    expect(failed).toBeLessThan(atOpen);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(20 - failed);
    expect(g.circuitState).toBe('closed');
  });

  it('resumes at once when a check of the connection succeeds', async () => {
    const g = gate({ breaker: { resetTimeoutMs: 60_000 } });
    expect(g.pauseForConfiguration(new ErpError(ErrorKind.Configuration, 'Internal_CompanyNotFound'))).toBe(true);
    expect(g.circuitState).toBe('open');
    const waiting = send(g, () => Promise.resolve('ok'));
    g.configurationWorks();
    await expect(waiting).resolves.toBe('ok');
    expect(g.configurationProblem).toBeUndefined();
    // Only refused settings pause; an outage is the breaker's own business.
    expect(g.pauseForConfiguration(new ErpError(ErrorKind.Transient, 'HTTP 503'))).toBe(false);
  });

  it('passes a permanent error straight through without opening the circuit', async () => {
    const g = gate({ breaker: { volumeThreshold: 2 } });
    for (let i = 0; i < 5; i++) {
      await expect(
        send(g, () => Promise.reject(new ErpError(ErrorKind.Permanent, "unknown item SKU 'NOPE'"))),
      ).rejects.toMatchObject({ kind: ErrorKind.Permanent });
    }
    expect(g.circuitState).toBe('closed');
  });

  it('fences after a Redis reset: waits one lease before calling again', async () => {
    const g = gate({ requestTimeoutMs: 200 });
    await send(g, () => Promise.resolve(1));
    await redis.flushdb();
    const started = Date.now();
    await send(g, () => Promise.resolve(2));
    // lease = request timeout + 5 s
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_100);
  }, 20_000);

  it('a backlog waiting out a long outage holds a constant number of circuit listeners and a flat heap', async () => {
    // A long outage, accelerated: 200 calls wait through a hundred reset intervals of 20 ms (at 5 s, over 8 minutes).
    const g = gate({ breaker: { volumeThreshold: 2, resetTimeoutMs: 20 }, maxCircuitWaitMs: 60_000 });
    const breaker = Reflect.get(g, 'breaker') as EventEmitter;
    const events = ['open', 'close', 'halfOpen'] as const;
    const listeners = (): number[] => events.map((e) => breaker.listenerCount(e));
    const baseline = listeners();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    try {
      let down = true;
      let probes = 0;
      const erp = (): Promise<string> => {
        probes++;
        return down ? Promise.reject(new ErpError(ErrorKind.Transient, 'HTTP 503')) : Promise.resolve('ok');
      };
      // The first failure goes back to its caller; the one that opens the circuit waits with the others.
      const opening = [send(g, erp), send(g, erp)].map((p) => p.catch(() => 'failed'));
      await until(() => g.circuitState !== 'closed');
      const calls = Array.from({ length: 200 }, () => send(g, erp));
      await sleep(500);
      gc();
      const heapAtStart = process.memoryUsage().heapUsed;
      const peak = [...baseline];
      const sampleUntil = Date.now() + 3_000;
      while (Date.now() < sampleUntil) {
        listeners().forEach((n, i) => (peak[i] = Math.max(peak[i] ?? 0, n)));
        await sleep(10);
      }
      gc();
      const heapGrowth = process.memoryUsage().heapUsed - heapAtStart;
      // The outage really went on (probes kept failing), with every call still waiting.
      expect(probes).toBeGreaterThan(50);
      expect(g.circuitState).not.toBe('closed');
      // One shared subscription per event whatever the backlog (it was three listeners per waiting call).
      expect(peak.map((n, i) => n - (baseline[i] ?? 0))).toEqual([1, 1, 1]);
      expect(warnings).toEqual([]);
      expect(heapGrowth).toBeLessThan(4 * 1024 * 1024);
      down = false;
      await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 200 }, () => 'ok'));
      await Promise.all(opening);
      await sleep(1_100);
      expect(listeners()).toEqual(baseline);
    } finally {
      process.off('warning', onWarning);
    }
  }, 15_000);
});
