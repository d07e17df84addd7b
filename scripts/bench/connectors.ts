import { measureCallsPerOrder } from 'scripts/bench/connectors-calls';
import { formatConnectorResult } from 'scripts/bench/connectors-report';
import type { ConnectorBenchOptions, ConnectorBenchResult } from 'scripts/bench/connectors.types';
import { runFlashSale } from 'scripts/lib/flash-sale';
import type { FlashSaleResult } from 'scripts/lib/flash-sale.types';
import { appEnv, resetInfrastructure } from 'scripts/lib/services';
import { SimulatorSandboxControl } from 'scripts/lib/simulator-sandbox-control';
import type { SimulatedErpName } from 'test/simulators/vendor-simulators';
import { type AppProcess, freePort, startApp } from 'test/support/app-process';
import { type SimulatorProcess, startSimulatorProcess } from 'test/support/simulator-process';

/**
 * The flash-sale scenario of issue #3 per ERP connector: signed orders/create webhooks at a fixed rate into the app,
 * out through the real NetSuite, Business Central or Cin7 connector to that vendor's simulator (its own process),
 * with an ERP limit of `limit` concurrent requests of `latencyMs` each and an outage (maintenance 503) part-way
 * through. Judged by the exact ledger (every order in the ERP exactly once) and by the drain rate after the outage:
 * governed requests the simulator served per second, against the limit's theoretical maximum `limit ÷ latency`.
 *
 * Cin7 Core's real budget is 60 requests a minute; with it a 5,000-order sale would take hours, so this bench lifts
 * the Cin7 simulator's per-minute budget (unlimited: the concurrency limit governs, as for the other two) and sets
 * ERP_MAX_RPS high enough not to bind, and says so in its output. Likewise for Business Central, whose default
 * ERP_MAX_RPS of 20 (6,000 requests per 5 minutes) would bind below 5 × 150 ms.
 */

/**
 * ERP_MAX_RPS for Business Central and Cin7 in this bench: far above what `limit ÷ latency` allows, so that only the
 * concurrency limit binds, as the issue's scenario states (their defaults, 20/s and 1/s, model the vendors'
 * per-window budgets, which the simulators do not enforce here).
 */
const LIFTED_MAX_RPS = 10_000;
/** Drain must reach this share of the theoretical maximum (#3 done-when: within 10 %). */
const DRAIN_TARGET = 0.9;

interface Served {
  at: number;
  served: number;
}

async function servedNow(control: SimulatorSandboxControl): Promise<Served> {
  const s = await control.simulatorState();
  const c = s.stats.counters;
  return { at: Date.now(), served: c.ok + c.clientError + c.unauthorized + c.dropped + c.error500 };
}

/** What the outage timers saw: where the served count stood when the ERP came back, and the backlog then. */
interface OutageWatch {
  end?: Served;
  acceptedSoFar: number;
  backlogAtOutageEnd: number;
  timers: NodeJS.Timeout[];
}

/** Runs the flash sale once per connector, one after the other, each on a fresh database, queues and simulator. */
export async function runConnectorBench(options: ConnectorBenchOptions): Promise<ConnectorBenchResult[]> {
  const results: ConnectorBenchResult[] = [];
  for (const [index, erp] of options.erps.entries()) {
    results.push(await runOne(erp, index, options));
  }
  return results;
}

async function runOne(erp: SimulatedErpName, index: number, o: ConnectorBenchOptions): Promise<ConnectorBenchResult> {
  const label = `connectors/${erp}`;
  await resetInfrastructure(o.urls);
  const simulator = await startConnectorSimulator(erp, o, label);
  const control = new SimulatorSandboxControl(simulator.url, erp);
  const watch: OutageWatch = { acceptedSoFar: 0, backlogAtOutageEnd: 0, timers: [] };
  let app: AppProcess | undefined;
  try {
    app = await startConnectorApp(erp, o, simulator);
    const theoreticalRps = o.limit / (o.latencyMs / 1000);
    o.log(
      `${label}: ${o.orders} orders at ${o.ratePerSecond}/s; ERP limit ${o.limit} × ${o.latencyMs} ms ` +
        `(${theoreticalRps.toFixed(1)} requests/s at most)` +
        (o.outageSeconds > 0 ? `; outage ${o.outageSeconds} s from ${o.outageAfterSeconds} s` : ''),
    );
    if (o.outageSeconds > 0) {
      scheduleOutage(control, o, label, watch);
    }
    // 3–7 requests per new order (8 assumed): twice the theoretical time, plus the outage, plus a minute.
    const drainTimeoutMs = ((o.orders * 8) / theoreticalRps) * 2 * 1000 + o.outageSeconds * 1000 + 60_000;
    const seedBase = 4_000_000 + index * 100_000;
    const flash = await playSale(control, o, label, app.url, seedBase, drainTimeoutMs, watch);
    const result = judge(erp, o, flash, await servedNow(control), watch, theoreticalRps, drainTimeoutMs);
    o.log(`${label}: ${formatConnectorResult(result)}`);
    if (!flash.timedOut) {
      result.calls = await measureCallsPerOrder(erp, control, o, app.url, seedBase, theoreticalRps, flash);
      const problems = [...result.calls.newCustomers.problems, ...result.calls.returningCustomers.problems];
      result.problems.push(...problems.map((problem) => `calls per order: ${problem}`));
      result.passed = result.passed && problems.length === 0;
    }
    return result;
  } finally {
    for (const timer of watch.timers) {
      clearTimeout(timer);
    }
    await app?.stop().catch(() => undefined);
    await simulator.stop();
  }
}

async function startConnectorSimulator(
  erp: SimulatedErpName,
  o: ConnectorBenchOptions,
  label: string,
): Promise<SimulatorProcess> {
  const simulator = await startSimulatorProcess(erp, {
    config: {
      concurrencyLimit: o.limit,
      latencyMs: o.latencyMs,
      latencyJitterMs: o.jitterMs,
      retryAfterSeconds: 1,
      ...(erp === 'cin7' ? { requestsPerMinute: 0 } : {}),
    },
  });
  if (erp === 'cin7') {
    o.log(
      `${label}: Cin7 Core's real budget is 60 requests/min; this bench lifts the simulator's (unlimited) and sets ` +
        `ERP_MAX_RPS=${LIFTED_MAX_RPS}, so that the ${o.limit}-concurrent limit governs as for the other ERPs`,
    );
  }
  if (erp === 'business-central') {
    o.log(
      `${label}: Business Central's default ERP_MAX_RPS is 20 (6,000 requests per 5 minutes); this bench sets ` +
        `ERP_MAX_RPS=${LIFTED_MAX_RPS}, so that the ${o.limit}-concurrent limit governs as for the other ERPs`,
    );
  }
  return simulator;
}

async function startConnectorApp(
  erp: SimulatedErpName,
  o: ConnectorBenchOptions,
  simulator: SimulatorProcess,
): Promise<AppProcess> {
  return startApp({
    env: appEnv(o.urls, {
      secret: o.secret,
      adminKey: o.adminKey,
      sandboxUrl: simulator.url,
      erpConcurrency: o.limit,
      extra: {
        ...simulator.appEnv,
        ...(erp === 'netsuite' ? {} : { ERP_MAX_RPS: String(LIFTED_MAX_RPS) }),
        LOG_LEVEL: o.logLevel ?? 'info',
      },
    }),
    role: 'all',
    port: await freePort(),
    logFile: o.logFile(erp),
  });
}

function scheduleOutage(
  control: SimulatorSandboxControl,
  o: ConnectorBenchOptions,
  label: string,
  watch: OutageWatch,
): void {
  watch.timers.push(
    setTimeout(() => {
      o.log(`${label}: ERP down (maintenance 503) for ${o.outageSeconds} s`);
      void control.configure({ maintenance: '503' }).catch(() => undefined);
    }, o.outageAfterSeconds * 1000),
    setTimeout(
      () => {
        void control
          .configure({ maintenance: 'off' })
          .then(() => Promise.all([servedNow(control), control.state()]))
          .then(([served, state]) => {
            watch.end = served;
            watch.backlogAtOutageEnd = Math.max(0, watch.acceptedSoFar - state.counts.salesOrders);
            o.log(`${label}: ERP back; ${watch.backlogAtOutageEnd} orders waiting`);
          })
          .catch(() => undefined);
      },
      (o.outageAfterSeconds + o.outageSeconds) * 1000,
    ),
  );
}

function playSale(
  control: SimulatorSandboxControl,
  o: ConnectorBenchOptions,
  label: string,
  appUrl: string,
  seedBase: number,
  drainTimeoutMs: number,
  watch: OutageWatch,
): Promise<FlashSaleResult> {
  let lastLog = 0;
  return runFlashSale({
    appUrl,
    sandbox: control,
    secret: o.secret,
    adminKey: o.adminKey,
    orders: o.orders,
    ratePerSecond: o.ratePerSecond,
    seedBase,
    drainTimeoutMs,
    onProgress: (p) => {
      watch.acceptedSoFar = p.accepted;
      if (p.elapsedMs - lastLog >= 10_000 || p.phase === 'done') {
        lastLog = p.elapsedMs;
        o.log(
          `${label}: ${p.phase} ${(p.elapsedMs / 1000).toFixed(0)} s, accepted ${p.accepted}/${p.total}, in the ERP ${p.inErp}, throttled ${p.throttled429}`,
        );
      }
    },
  });
}

/** The exact ledger, and the drain rate from the outage's end (or the first write) to the last write. */
function judge(
  erp: SimulatedErpName,
  o: ConnectorBenchOptions,
  flash: FlashSaleResult,
  end: Served,
  watch: OutageWatch,
  theoreticalRps: number,
  drainTimeoutMs: number,
): ConnectorBenchResult {
  const lastWriteAt = flash.drain.lastWriteAt ?? end.at;
  const start: Served = watch.end ?? { at: flash.drain.firstWriteAt ?? flash.startedAtEpochMs, served: 0 };
  const spanS = (lastWriteAt - start.at) / 1000;
  const drainRps = spanS > 0 ? (end.served - start.served) / spanS : 0;
  const l = flash.ledger;
  const exactlyOnce = l.ok && !flash.timedOut && flash.state.counts.salesOrders === l.orders.expectedInErp;
  const problems = [...l.problems];
  if (flash.timedOut) {
    problems.push(`gave up waiting for the ERP after ${Math.round(drainTimeoutMs / 1000)} s`);
  }
  if (o.outageSeconds > 0 && watch.end === undefined) {
    problems.push('the outage had not ended when the run did (the sale finished first?)');
  }
  const drainShare = drainRps / theoreticalRps;
  if (drainShare < DRAIN_TARGET) {
    problems.push(
      `drain ${drainRps.toFixed(1)} requests/s is under ${DRAIN_TARGET * 100} % of ${theoreticalRps.toFixed(1)}`,
    );
  }
  return {
    erp,
    flash,
    theoreticalRps,
    drainRps,
    drainShare,
    requests: end.served,
    requestsPerOrder: end.served / Math.max(1, flash.state.counts.salesOrders),
    throttled: flash.state.stats.counters.throttled429,
    peakConcurrency: flash.state.stats.peakConcurrency,
    backlogAtOutageEnd: watch.backlogAtOutageEnd,
    exactlyOnce,
    passed: exactlyOnce && problems.length === 0,
    problems,
  };
}
