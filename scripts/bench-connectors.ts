/**
 * The flash-sale scenario of issue #3 per ERP connector: signed orders/create webhooks at a fixed rate into the app,
 * out through the real NetSuite, Business Central or Cin7 connector to that vendor's simulator (its own process),
 * with an ERP limit of `limit` concurrent requests of `latencyMs` each and an outage (maintenance 503) part-way
 * through. Judged by the exact ledger (every order in the ERP exactly once) and by the drain rate after the outage:
 * governed requests the simulator served per second, against the limit's theoretical maximum `limit ÷ latency`.
 *
 * `npm run bench -- --only connectors [--flash-orders 5000 --flash-rate 500 --outage-seconds 60 --outage-after 5]`
 * runs it for all three connectors (bench.ts calls {@link runConnectorBench}); standalone, after `npm run build` and
 * `npm run build:tools`: `NODE_PATH=dist-tools node dist-tools/scripts/bench-connectors.js [--erp netsuite,cin7] [--orders 300] [--rate 100]
 *  [--outage-seconds 5] [--outage-after 2] [--limit 5] [--latency 150] [--out file.md]`.
 *
 * Cin7 Core's real budget is 60 requests a minute; with it a 5,000-order sale would take hours, so this bench lifts
 * the Cin7 simulator's per-minute budget (unlimited: the concurrency limit governs, as for the other two) and sets
 * ERP_MAX_RPS high enough not to bind, and says so in its output. Likewise for Business Central, whose default
 * ERP_MAX_RPS of 20 (6,000 requests per 5 minutes) would bind below 5 × 150 ms.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  appEnv,
  type FlashSaleResult,
  isolatedRabbitUrl,
  localServiceUrls,
  resetInfrastructure,
  runFlashSale,
  SimulatorSandboxControl,
} from 'scripts/demo';
import { isSimulatedErp, SIMULATED_ERPS, type SimulatedErpName } from 'test/simulators/vendor-simulators';
import { freePort, startApp } from 'test/support/app-process';
import { formatLedgerVerdict } from 'test/support/ledger';
import { formatMs } from 'test/support/percentiles';
import { checkServices, formatServicesReport, type ServiceUrls } from 'test/support/services';
import { startSimulatorProcess } from 'test/support/simulator-process';

/**
 * ERP_MAX_RPS for Business Central and Cin7 in this bench: far above what `limit ÷ latency` allows, so that only the
 * concurrency limit binds, as the issue's scenario states (their defaults, 20/s and 1/s, model the vendors'
 * per-window budgets, which the simulators do not enforce here).
 */
const LIFTED_MAX_RPS = 10_000;
/** Drain must reach this share of the theoretical maximum (#3 done-when: within 10 %). */
const DRAIN_TARGET = 0.9;

export interface ConnectorBenchOptions {
  erps: readonly SimulatedErpName[];
  urls: ServiceUrls;
  secret: string;
  adminKey: string;
  orders: number;
  ratePerSecond: number;
  /** The simulated ERP's concurrency limit, also the app's ERP_MAX_CONCURRENCY. */
  limit: number;
  latencyMs: number;
  jitterMs: number;
  /** 0 = no outage. */
  outageSeconds: number;
  outageAfterSeconds: number;
  logFile: (erp: string) => string;
  log: (line: string) => void;
  logLevel?: string;
}

export interface ConnectorBenchResult {
  erp: SimulatedErpName;
  flash: FlashSaleResult;
  theoreticalRps: number;
  /** Governed requests served per second from the end of the outage (or the first write) to the last write. */
  drainRps: number;
  drainShare: number;
  requests: number;
  requestsPerOrder: number;
  throttled: number;
  peakConcurrency: number;
  backlogAtOutageEnd: number;
  exactlyOnce: boolean;
  passed: boolean;
  problems: string[];
}

interface Served {
  at: number;
  served: number;
}

async function servedNow(control: SimulatorSandboxControl): Promise<Served> {
  const s = await control.simulatorState();
  const c = s.stats.counters;
  return { at: Date.now(), served: c.ok + c.clientError + c.unauthorized + c.dropped + c.error500 };
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
  const control = new SimulatorSandboxControl(simulator.url, erp);
  const timers: NodeJS.Timeout[] = [];
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    app = await startApp({
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
    const theoreticalRps = o.limit / (o.latencyMs / 1000);
    o.log(
      `${label}: ${o.orders} orders at ${o.ratePerSecond}/s; ERP limit ${o.limit} × ${o.latencyMs} ms ` +
        `(${theoreticalRps.toFixed(1)} requests/s at most)` +
        (o.outageSeconds > 0 ? `; outage ${o.outageSeconds} s from ${o.outageAfterSeconds} s` : ''),
    );
    let outageEnd: Served | undefined;
    let acceptedSoFar = 0;
    let backlogAtOutageEnd = 0;
    if (o.outageSeconds > 0) {
      timers.push(
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
                outageEnd = served;
                backlogAtOutageEnd = Math.max(0, acceptedSoFar - state.counts.salesOrders);
                o.log(`${label}: ERP back; ${backlogAtOutageEnd} orders waiting`);
              })
              .catch(() => undefined);
          },
          (o.outageAfterSeconds + o.outageSeconds) * 1000,
        ),
      );
    }
    let lastLog = 0;
    // 3–7 requests per new order (8 assumed): twice the theoretical time, plus the outage, plus a minute.
    const drainTimeoutMs = ((o.orders * 8) / theoreticalRps) * 2 * 1000 + o.outageSeconds * 1000 + 60_000;
    const flash = await runFlashSale({
      appUrl: app.url,
      sandbox: control,
      secret: o.secret,
      adminKey: o.adminKey,
      orders: o.orders,
      ratePerSecond: o.ratePerSecond,
      seedBase: 4_000_000 + index * 100_000,
      drainTimeoutMs,
      onProgress: (p) => {
        acceptedSoFar = p.accepted;
        if (p.elapsedMs - lastLog >= 10_000 || p.phase === 'done') {
          lastLog = p.elapsedMs;
          o.log(
            `${label}: ${p.phase} ${(p.elapsedMs / 1000).toFixed(0)} s, accepted ${p.accepted}/${p.total}, in the ERP ${p.inErp}, throttled ${p.throttled429}`,
          );
        }
      },
    });
    const end = await servedNow(control);
    const lastWriteAt = flash.drain.lastWriteAt ?? end.at;
    const start: Served = outageEnd ?? { at: flash.drain.firstWriteAt ?? flash.startedAtEpochMs, served: 0 };
    const spanS = (lastWriteAt - start.at) / 1000;
    const drainRps = spanS > 0 ? (end.served - start.served) / spanS : 0;
    const l = flash.ledger;
    const exactlyOnce = l.ok && !flash.timedOut && flash.state.counts.salesOrders === l.orders.expectedInErp;
    const problems = [...l.problems];
    if (flash.timedOut) {
      problems.push(`gave up waiting for the ERP after ${Math.round(drainTimeoutMs / 1000)} s`);
    }
    if (o.outageSeconds > 0 && outageEnd === undefined) {
      problems.push('the outage had not ended when the run did (the sale finished first?)');
    }
    const drainShare = drainRps / theoreticalRps;
    if (drainShare < DRAIN_TARGET) {
      problems.push(
        `drain ${drainRps.toFixed(1)} requests/s is under ${DRAIN_TARGET * 100} % of ${theoreticalRps.toFixed(1)}`,
      );
    }
    const result: ConnectorBenchResult = {
      erp,
      flash,
      theoreticalRps,
      drainRps,
      drainShare,
      requests: end.served,
      requestsPerOrder: end.served / Math.max(1, flash.state.counts.salesOrders),
      throttled: flash.state.stats.counters.throttled429,
      peakConcurrency: flash.state.stats.peakConcurrency,
      backlogAtOutageEnd,
      exactlyOnce,
      passed: exactlyOnce && problems.length === 0,
      problems,
    };
    o.log(`${label}: ${formatConnectorResult(result)}`);
    return result;
  } finally {
    for (const timer of timers) {
      clearTimeout(timer);
    }
    await app?.stop().catch(() => undefined);
    await simulator.stop();
  }
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** One line per connector, for the log and the demo-style summary. */
export function formatConnectorResult(r: ConnectorBenchResult): string {
  return (
    `${r.passed ? 'PASS' : 'FAIL'}: ${formatLedgerVerdict(r.flash.ledger)}; in the ERP ${r.flash.state.counts.salesOrders}/` +
    `${r.flash.ledger.orders.expectedInErp}; drain ${r.drainRps.toFixed(1)} of ${r.theoreticalRps.toFixed(1)} requests/s ` +
    `(${pct(r.drainShare)}); ${r.requestsPerOrder.toFixed(1)} requests per order; peak concurrency ${r.peakConcurrency}; ` +
    `throttled ${r.throttled}; dead letters ${r.flash.deadLetters}; ack p99 ${formatMs(r.flash.ack.latencyMs.p99)} ms` +
    (r.problems.length > 0 ? ` — ${r.problems.join('; ')}` : '')
  );
}

/** A Markdown report of the phase. */
export function renderConnectorBench(
  results: readonly ConnectorBenchResult[],
  o: Pick<
    ConnectorBenchOptions,
    'orders' | 'ratePerSecond' | 'limit' | 'latencyMs' | 'jitterMs' | 'outageSeconds' | 'outageAfterSeconds'
  >,
): string {
  const lines = [
    '# Connector benchmark: the flash sale per ERP connector (issue #3)',
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length} cores. ${o.orders} signed orders/create at ${o.ratePerSecond}/s; ` +
      `each vendor simulator allows ${o.limit} concurrent requests of ${o.latencyMs} ± ${o.jitterMs} ms` +
      (o.outageSeconds > 0 ? `, and is down (503) for ${o.outageSeconds} s from ${o.outageAfterSeconds} s` : '') +
      '. Drain = governed requests served per second after the outage (or from the first write) against ' +
      "`limit ÷ latency`; the target is ≥ 90 %. Cin7: the simulator's 60/min budget is lifted; Cin7 and Business Central: " +
      'ERP_MAX_RPS is lifted so that only the concurrency limit binds (see bench-connectors.ts).',
    '',
    '| ERP | verdict | in the ERP | duplicates | dead letters | drain requests/s | of theoretical | requests per order | peak concurrency | throttled | backlog after outage | ack p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.erp} | ${r.passed ? 'PASS' : 'FAIL'} | ${r.flash.state.counts.salesOrders} / ${r.flash.ledger.orders.expectedInErp} | ` +
        `${r.flash.ledger.duplicatedRecords.length} | ${r.flash.deadLetters} | ${r.drainRps.toFixed(1)} | ${pct(r.drainShare)} | ` +
        `${r.requestsPerOrder.toFixed(1)} | ${r.peakConcurrency} / ${o.limit} | ${r.throttled} | ${r.backlogAtOutageEnd} | ` +
        `${formatMs(r.flash.ack.latencyMs.p99)} |`,
    ),
    '',
    ...results.flatMap((r) => (r.problems.length > 0 ? [`- ${r.erp}: ${r.problems.join('; ')}`] : [])),
  ];
  return lines.join('\n') + '\n';
}

// ---- standalone ------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      erp: { type: 'string', default: SIMULATED_ERPS.join(',') },
      orders: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '500' },
      limit: { type: 'string', default: '5' },
      latency: { type: 'string', default: '150' },
      jitter: { type: 'string', default: '30' },
      'outage-seconds': { type: 'string', default: '60' },
      'outage-after': { type: 'string', default: '5' },
      out: { type: 'string' },
    },
  });
  const erps = values.erp.split(',').map((e) => e.trim());
  const bad = erps.filter((e) => !isSimulatedErp(e));
  if (bad.length > 0) {
    console.error(`--erp: unknown ${bad.join(', ')}; choose from ${SIMULATED_ERPS.join(', ')}`);
    return 1;
  }
  const num = (name: string, raw: string, min: number): number => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min) {
      throw new Error(`--${name} must be a number ≥ ${min}, got "${raw}"`);
    }
    return v;
  };
  const database = 'erp_sync_bench_connectors';
  const services = await checkServices(localServiceUrls(database, 13));
  if (!services.ok) {
    console.error(`The benchmark needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  const urls = await isolatedRabbitUrl(localServiceUrls(database, 13));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const options: ConnectorBenchOptions = {
    erps: erps as SimulatedErpName[],
    urls,
    secret: `shpss_bench_${randomUUID()}`,
    adminKey: `bench-admin-${randomUUID()}`,
    orders: Math.floor(num('orders', values.orders, 1)),
    ratePerSecond: num('rate', values.rate, 0.1),
    limit: Math.floor(num('limit', values.limit, 1)),
    latencyMs: Math.floor(num('latency', values.latency, 1)),
    jitterMs: Math.floor(num('jitter', values.jitter, 0)),
    outageSeconds: num('outage-seconds', values['outage-seconds'], 0),
    outageAfterSeconds: num('outage-after', values['outage-after'], 0),
    logFile: (erp) => path.join(os.tmpdir(), `erp-sync-bench-connectors-${stamp}-${erp}.log`),
    log: (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
  const results = await runConnectorBench(options);
  const report = renderConnectorBench(results, options);
  if (values.out !== undefined) {
    writeFileSync(values.out, report);
    console.log(`wrote ${values.out}`);
  } else {
    console.log(`\n${report}`);
  }
  return results.every((r) => r.passed) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
