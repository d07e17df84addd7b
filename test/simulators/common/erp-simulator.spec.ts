import {
  ErpSimulatorServer,
  type SimRequest,
  type SimResponse,
  type SimulatedErpVendor,
} from 'test/simulators/common/erp-simulator';

/** The smallest vendor: every request is authentic and answered 200; throttles carry Retry-After when asked to. */
function vendor(sendRetryAfter: boolean): SimulatedErpVendor {
  return {
    name: 'test',
    authenticate: () => undefined,
    authFailure: (): SimResponse => ({ status: 401 }),
    throttled: (_reason, seconds): SimResponse => ({
      status: 429,
      headers: sendRetryAfter ? { 'Retry-After': String(seconds) } : {},
    }),
    unavailable: (): SimResponse => ({ status: 503 }),
    serverError: (): SimResponse => ({ status: 500 }),
    isWrite: (request: SimRequest) => request.method !== 'GET',
    handle: (): SimResponse => ({ status: 200, body: { ok: true } }),
    orders: () => [],
    customers: () => [],
    counts: () => ({ customers: 0, salesOrders: 0 }),
    reset: () => undefined,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ErpSimulatorServer Retry-After accounting', () => {
  let server: ErpSimulatorServer;
  let url: string;

  async function start(sendRetryAfter: boolean): Promise<void> {
    // One request at a time, each held 400 ms: a second concurrent one is throttled with Retry-After 1 s.
    server = new ErpSimulatorServer(vendor(sendRetryAfter), {
      concurrencyLimit: 1,
      latencyMs: 400,
      latencyJitterMs: 0,
      retryAfterSeconds: 1,
      retryAfterGraceMs: 50,
    });
    url = `http://127.0.0.1:${await server.listen(0)}`;
  }

  afterEach(async () => {
    await server.close();
  });

  const post = (path: string, body: string): Promise<number> =>
    fetch(`${url}${path}`, { method: 'POST', body }).then((r) => r.status);

  it('counts a re-send before its Retry-After as an early retry, and any request inside the window as early', async () => {
    await start(true);
    const holding = post('/a', 'first');
    await sleep(50);
    expect(await post('/b', 'second')).toBe(429);
    // Inside the 1 s window and past the 50 ms grace: the same request again, and a different one.
    await sleep(100);
    await post('/b', 'second');
    await post('/c', 'third');
    await holding;
    const early = server.state().stats.retryAfter;
    expect(early.throttleAnswers).toBeGreaterThanOrEqual(1);
    expect(early.earlyRetries).toBe(1);
    expect(early.earlyRequests).toBeGreaterThanOrEqual(2);
    expect(early.maxEarlyMs).toBeGreaterThan(500);
  });

  it('does not count a re-send once its Retry-After has passed', async () => {
    await start(true);
    const holding = post('/a', 'first');
    await sleep(50);
    expect(await post('/b', 'second')).toBe(429);
    await holding;
    await sleep(1_100);
    expect(await post('/b', 'second')).toBe(200);
    expect(server.state().stats.retryAfter).toEqual({
      throttleAnswers: 1,
      earlyRetries: 0,
      earlyRequests: 0,
      maxEarlyMs: 0,
    });
  });

  it('has nothing to check when the vendor sends no Retry-After (Cin7)', async () => {
    await start(false);
    const holding = post('/a', 'first');
    await sleep(50);
    expect(await post('/b', 'second')).toBe(429);
    expect(await post('/b', 'second')).toBe(429);
    await holding;
    expect(server.state().stats.retryAfter.throttleAnswers).toBe(0);
    expect(server.state().stats.retryAfter.earlyRetries).toBe(0);
  });
});

describe('ErpSimulatorServer commitDelayMs (a create still committing after its client gave up)', () => {
  let server: ErpSimulatorServer;
  let url: string;
  const handled: Array<{ method: string; at: number }> = [];

  beforeEach(async () => {
    handled.length = 0;
    server = new ErpSimulatorServer(
      {
        ...vendor(false),
        handle: (request: SimRequest): SimResponse => {
          handled.push({ method: request.method, at: Date.now() });
          return { status: 201, body: { id: 'new' } };
        },
      },
      { concurrencyLimit: 0, latencyMs: 0, latencyJitterMs: 0, commitDelayMs: 400 },
    );
    url = `http://127.0.0.1:${await server.listen(0)}`;
  });

  afterEach(async () => {
    await server.close();
  });

  it('holds a POST past its client timeout and commits it afterwards; reads are not held', async () => {
    const sent = Date.now();
    await expect(
      fetch(`${url}/records`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    expect(handled).toEqual([]);
    expect((await fetch(`${url}/records`)).status).toBe(201);
    expect(handled.map((h) => h.method)).toEqual(['GET']);
    for (let waited = 0; handled.length < 2 && waited < 2_000; waited += 20) {
      await sleep(20);
    }
    expect(handled.map((h) => h.method)).toEqual(['GET', 'POST']);
    expect((handled[1]?.at ?? 0) - sent).toBeGreaterThanOrEqual(390);
    expect(server.state().stats.counters).toEqual(expect.objectContaining({ delayedCommits: 1, clientGone: 1 }));
  });
});
