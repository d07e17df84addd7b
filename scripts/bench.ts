/**
 * `npm run bench [-- --quick] [-- --only floor,app,drain,flash,outage,connectors,inventory]` (connectors, inventory: only
 * when named)
 *
 * Measures the app against a bare floor in the same run and writes docs/benchmarks.md:
 * - floor: node:http + raw-body HMAC (timingSafeEqual) + confirmed publish to a quorum queue, nothing else;
 * - app: the real ingest (APP_ROLE=api, so no ERP work competes), same body, same generator;
 * - ack latency open-loop from each request's scheduled send time (shared/facts/reliability-notes.md §3.2, §4),
 *   and closed-loop maximum throughput, reported as app ÷ floor;
 * - ERP drain rate against the sandbox's theoretical maximum (concurrency ÷ latency);
 * - the issue's headline runs (5,000 orders/create at 500/s; the same with a 60 s ERP outage) judged by the ledger.
 *
 * The floor runs in a worker thread of this process, so that it has an event loop of its own like the app (a child
 * process) has; the load generator runs on the main thread in both cases.
 */
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formatConnectorResult, renderConnectorBench, runConnectorBench } from 'scripts/bench-connectors';
import { runInventoryBench } from 'scripts/bench-inventory';
import {
  appEnv,
  buildFlashSale,
  DEMO_SHOP,
  drainStats,
  type FlashSaleResult,
  isolatedRabbitUrl,
  localServiceUrls,
  resetInfrastructure,
  runFlashSale,
  SandboxControl,
  theoreticalWritesPerSecond,
} from 'scripts/demo';
import { ALL_QUEUE_NAMES } from 'src/common/messaging/topology';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import { type AppProcess, type AppRoleName, freePort, repoRoot, startApp } from 'test/support/app-process';
import { checkLedger, formatLedgerVerdict, type LedgerReport } from 'test/support/ledger';
import { type OpenLoopResult, runOpenLoop } from 'test/support/open-loop';
import { type Distribution, formatMs, summarise } from 'test/support/percentiles';
import { formatServerAck } from 'test/support/server-ack-histogram';
import {
  checkServices,
  closeRabbit,
  formatServicesReport,
  openRabbit,
  purgeQueues,
  type ServiceUrls,
  withBrokerTimeout,
} from 'test/support/services';
import { type SendOutcome, WebhookSender } from 'test/support/webhook-sender';
import { buildWebhookRequest, ShopifyHeader, type WebhookRequest } from 'test/support/webhook-signer';

const BENCH_DATABASE = 'erp_sync_bench';
const BENCH_REDIS_DB = 13;
const FLOOR_QUEUE = 'bench.floor';
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Keep-alive sockets of the flash sale's generator. Shopify delivers every webhook as a request of its own, from many
 * workers, and never queues one behind another in a client-side pool; a small pool here would (64 sockets at 500/s
 * turn any 128 ms of server time into queueing inside the generator, counted against every later request).
 */
const FLASH_SOCKETS = 512;
const PHASES = ['floor', 'app', 'drain', 'flash', 'outage', 'connectors', 'inventory'] as const;
type Phase = (typeof PHASES)[number];

// ---- the floor (worker thread) -----------------------------------------------------------------------------------

interface FloorWorkerData {
  kind: 'bench-floor';
  port: number;
  secret: string;
  rabbitmqUrl: string;
}

/** The least an ingest can do and still be correct: verify the raw bytes, make them durable, then answer 200. */
async function serveFloor(data: FloorWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) {
    return;
  }
  const rabbit = openRabbit(data.rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
  } catch (err) {
    await closeRabbit(rabbit);
    throw err;
  }
  // maxAttempts 1: a failed publish must become a failed answer, never a silent retry behind a 200.
  const publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      if (tooBig) {
        return;
      }
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
        res.writeHead(413, { Connection: 'close' }).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooBig) {
        return;
      }
      const body = Buffer.concat(chunks, size);
      const header = req.headers['x-shopify-hmac-sha256'];
      const given = typeof header === 'string' ? Buffer.from(header, 'base64') : Buffer.alloc(0);
      const expected = createHmac('sha256', data.secret).update(body).digest();
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      publisher
        .send(
          {
            routingKey: FLOOR_QUEUE,
            durable: true,
            contentType: 'application/json',
            headers: {
              'x-topic': String(req.headers['x-shopify-topic']),
              'x-webhook-id': String(req.headers['x-shopify-webhook-id']),
              'x-event-id': String(req.headers['x-shopify-event-id']),
            },
          },
          body,
        )
        .then(
          () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'),
          () => res.writeHead(503).end(),
        );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(data.port, '127.0.0.1', resolve));
  port.postMessage('ready');
  port.once('message', () => {
    server.close();
    server.closeAllConnections();
    void withBrokerTimeout(publisher.close(), 'publisher close', 2_000)
      .catch(() => undefined)
      .then(() => closeRabbit(rabbit))
      .finally(() => port.postMessage('stopped'));
  });
}

interface RunningFloor {
  url: string;
  stop(): Promise<void>;
}

async function startFloor(rabbitmqUrl: string, secret: string): Promise<RunningFloor> {
  const port = await freePort();
  const data: FloorWorkerData = { kind: 'bench-floor', port, secret, rabbitmqUrl };
  const worker = new Worker(__filename, { workerData: data });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('the floor server did not start within 15 s'));
    }, 15_000);
    worker.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`floor worker exited with code ${code}`));
    });
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', () => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        setTimeout(resolve, 5_000);
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

/** Declared once if missing (never deleted or re-declared: see reliability-notes §3.4), purged after each phase. */
async function ensureFloorQueue(rabbitmqUrl: string): Promise<void> {
  const rabbit = openRabbit(rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
    try {
      await withBrokerTimeout(rabbit.queueDeclare({ queue: FLOOR_QUEUE, passive: true }), 'passive declare');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'NOT_FOUND') {
        throw err;
      }
      await withBrokerTimeout(
        rabbit.queueDeclare({ queue: FLOOR_QUEUE, durable: true, arguments: { 'x-queue-type': 'quorum' } }),
        'declare',
      );
    }
  } finally {
    await closeRabbit(rabbit);
  }
}

// ---- load shapes ---------------------------------------------------------------------------------------------------

/** The same signed body every time, with fresh delivery ids so that no dedupe shortcut answers instead of ingest. */
function requestFactory(body: string, secret: string): () => WebhookRequest {
  const base = buildWebhookRequest({ topic: 'orders/create', order: body, secret, shop: DEMO_SHOP });
  return () => {
    const webhookId = randomUUID();
    const eventId = randomUUID();
    return {
      body: base.body,
      webhookId,
      eventId,
      headers: {
        ...base.headers,
        [ShopifyHeader.WebhookId]: webhookId,
        [ShopifyHeader.EventId]: eventId,
        [ShopifyHeader.TriggeredAt]: new Date().toISOString(),
      },
    };
  };
}

interface OpenLoopRow {
  target: string;
  rate: number;
  result: OpenLoopResult<SendOutcome>;
}

async function openLoopIngest(
  url: string,
  next: () => WebhookRequest,
  rate: number,
  warmupS: number,
  durationS: number,
  pacing: 'spin' | 'timer',
): Promise<OpenLoopResult<SendOutcome>> {
  const sender = new WebhookSender({ url: `${url}/webhooks/shopify` });
  try {
    return await runOpenLoop<SendOutcome>({
      count: Math.round(rate * (warmupS + durationS)),
      warmupCount: Math.round(rate * warmupS),
      ratePerSecond: rate,
      send: () => sender.send(next()),
      pacing,
    });
  } finally {
    sender.close();
  }
}

interface ClosedLoopResult {
  target: string;
  concurrency: number;
  requests: number;
  ok: number;
  failed: number;
  perSecond: number;
  latencyMs: Distribution;
}

/** Max throughput: `concurrency` senders, each sending again as soon as its answer arrives. Latency from send. */
async function closedLoopIngest(
  target: string,
  url: string,
  next: () => WebhookRequest,
  concurrency: number,
  durationS: number,
  warmupS = 1,
): Promise<ClosedLoopResult> {
  const sender = new WebhookSender({ url: `${url}/webhooks/shopify`, maxSockets: concurrency });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const measureFrom = start + warmupS * 1000;
  const end = measureFrom + durationS * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const outcome = await sender.send(next());
      if (outcome.startedAt >= measureFrom && outcome.endedAt <= end) {
        latencies.push(outcome.endedAt - outcome.startedAt);
        if (outcome.ok) {
          ok++;
        } else {
          failed++;
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    sender.close();
  }
  return {
    target,
    concurrency,
    requests: ok + failed,
    ok,
    failed,
    perSecond: ok / durationS,
    latencyMs: summarise(latencies),
  };
}

// ---- results and the report ----------------------------------------------------------------------------------------

interface DrainResult {
  orders: number;
  accepted: number;
  limit: number;
  latencyMs: number;
  theoretical: number;
  writesPerSecond: number;
  ordersPerSecond: number;
  writesPerOrder: number;
  /** Worker spawn → last ERP write. */
  wallMs: number;
  workerStartMs: number;
  peakConcurrency: number;
  throttled429: number;
  ledger: LedgerReport;
  timedOut: boolean;
}

interface HeadlineResult {
  label: string;
  orders: number;
  rate: number;
  limit: number;
  latencyMs: number;
  flash: FlashSaleResult;
  outage?: {
    startAfterS: number;
    seconds: number;
    backlogAtEnd: number;
    drainAfterEndMs: number;
    boundMs: number;
    /** Committed ERP writes per second from the end of the outage to the last write. */
    writesPerSecondAfter: number;
  };
}

interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: string;
  node: string;
  os: string;
  postgres?: string;
  rabbitmq?: string;
  redis?: string;
}

interface Report {
  machine: Machine;
  flags: BenchFlags;
  bodyBytes: number;
  openLoop: OpenLoopRow[];
  closedLoop: ClosedLoopResult[];
  drain?: DrainResult;
  headline: HeadlineResult[];
  failures: Array<{ phase: string; error: string }>;
  phasesRun: Phase[];
}

function execText(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 15_000 }, (err, stdout) => resolve(err ? undefined : stdout.trim()));
  });
}

async function machineFacts(urls: ServiceUrls): Promise<Machine> {
  const services = await checkServices(urls);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    postgres: services.services.find((s) => s.name === 'PostgreSQL')?.version,
    redis: services.services.find((s) => s.name === 'Redis')?.version,
    rabbitmq: (await execText('rabbitmqctl', ['version']))?.split('\n').pop(),
  };
}

const ms = formatMs;
const rate1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const pct = (part: number, whole: number): string =>
  whole > 0 && Number.isFinite(part) ? `${Math.round((part / whole) * 100)} %` : '–';

function renderReport(r: Report): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${r.flags.argv.length > 0 ? ` -- ${r.flags.argv.join(' ')}` : ''}\` on ${m.date}. ` +
      'Single runs on a shared machine: compare the ratios measured in the same run, not the absolute figures, ' +
      'and treat ±30 % as noise (shared/facts/reliability-notes.md §3).',
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${m.cpu} × ${m.cores} |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| PostgreSQL | ${m.postgres ?? 'unknown'} |`,
    `| RabbitMQ | ${m.rabbitmq ?? 'unknown'} |`,
    `| Redis | ${m.redis ?? 'unknown'} |`,
    `| phases run | ${r.phasesRun.join(', ')} |`,
    '',
    '## Method',
    '',
    `- **Body**: one realistic \`orders/create\` payload from the order factory (${r.bodyBytes} bytes), signed once; ` +
      'every request carries fresh `X-Shopify-Webhook-Id` / `X-Shopify-Event-Id` so that no dedupe shortcut answers.',
    '- **Floor**: a bare `node:http` server in a worker thread of the bench process: raw body (1 MiB cap), ' +
      'HMAC-SHA256 checked with `timingSafeEqual`, `rabbitmq-client` Publisher `{confirm: true}` to the quorum queue ' +
      `\`${FLOOR_QUEUE}\`, 200 after the confirm. **App**: \`node dist/src/main.js\` with \`APP_ROLE=api\` (no ERP work ` +
      'competes), `LOG_LEVEL=' +
      r.flags.logLevel +
      '`. Both have their own event loop; the generator runs on the main thread of the bench, on the same cores.',
    `- **Open loop**: request *i* is due at t0 + i/R and its latency is measured **from that due time** to the ` +
      'response, so a stall counts against every request it delays (no coordinated omission). The generator lag ' +
      `(actual send − due time) is reported so an overloaded generator shows. ${r.flags.warmup} s warm-up excluded, ` +
      `then ${r.flags.duration} s measured; pacing \`${r.flags.pacing}\`; keep-alive, up to 64 sockets; 5 s timeout.`,
    `- **Closed loop**: ${r.flags.closedConcurrency} senders, each sending again on its answer, ${r.flags.closedDuration} s ` +
      'after 1 s warm-up; latency from the actual send (a throughput figure, not a latency one).',
    '- **Drain and headline runs**: the sandbox ERP in a process of its own (`dist-tools/scripts/sandbox-erp.js`); ERP rates come from its ledger of committed ' +
      'writes (first to last write); the verdict is the exact ledger (sent = accepted + rejected + failed; each order ' +
      'once in the ERP, in its latest state; invalid ones dead-lettered) — a run that does not balance is void.',
    '',
  );

  out.push('## Ingest: ack latency at fixed offered rates (open loop, ms)', '');
  if (r.openLoop.length === 0) {
    out.push('Not measured in this run.', '');
  } else {
    out.push(
      '| target | offered/s | achieved/s | p50 | p90 | p99 | p99.9 | max | generator lag p99 / max | non-2xx | errors |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const row of r.openLoop) {
      const l = row.result.latencyMs;
      out.push(
        `| ${row.target} | ${row.rate} | ${rate1(row.result.achievedRatePerSecond)} | ${ms(l.p50)} | ${ms(l.p90)} | ` +
          `${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${ms(row.result.lagMs.p99)} / ${ms(row.result.lagMs.max)} | ` +
          `${row.result.non2xx} | ${row.result.errors} |`,
      );
    }
    out.push('');
  }

  out.push(`## Ingest: maximum throughput (closed loop, ${r.flags.closedConcurrency} in flight)`, '');
  if (r.closedLoop.length === 0) {
    out.push('Not measured in this run.', '');
  } else {
    out.push('| target | req/s (2xx) | p50 | p99 | max | non-2xx or errors |', '|---|---|---|---|---|---|');
    for (const c of r.closedLoop) {
      out.push(
        `| ${c.target} | ${Math.round(c.perSecond)} | ${ms(c.latencyMs.p50)} | ${ms(c.latencyMs.p99)} | ` +
          `${ms(c.latencyMs.max)} | ${c.failed} |`,
      );
    }
    const floor = r.closedLoop.find((c) => c.target === 'floor');
    const app = r.closedLoop.find((c) => c.target === 'app');
    if (floor && app) {
      out.push('', `**app ÷ floor = ${pct(app.perSecond, floor.perSecond)}** (target ≥ 70 %).`);
    }
    out.push('');
  }

  out.push('## ERP drain', '');
  if (!r.drain) {
    out.push('Not measured in this run.', '');
  } else {
    const d = r.drain;
    out.push(
      `${d.accepted} of ${d.orders} orders queued through \`APP_ROLE=api\`, then one \`APP_ROLE=worker\` process ` +
        `started; sandbox limit ${d.limit}, latency ${d.latencyMs} ms → theoretical ${rate1(d.theoretical)} writes/s.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| committed ERP writes/s (first → last write) | ${rate1(d.writesPerSecond)} (**${pct(d.writesPerSecond, d.theoretical)}** of ${rate1(d.theoretical)}) |`,
      `| sales orders/s | ${rate1(d.ordersPerSecond)} (${rate1(d.writesPerOrder)} writes per order) |`,
      `| orders/s vs ${rate1(d.theoretical)}/s | ${pct(d.ordersPerSecond, d.theoretical)} |`,
      `| worker start → ready | ${(d.workerStartMs / 1000).toFixed(1)} s |`,
      `| worker spawn → last write | ${(d.wallMs / 1000).toFixed(1)} s |`,
      `| ERP peak concurrency | ${d.peakConcurrency} (limit ${d.limit}) |`,
      `| ERP 429s | ${d.throttled429} |`,
      `| ledger | ${formatLedgerVerdict(d.ledger)}${d.timedOut ? ' — **timed out**' : ''} |`,
      '',
    );
  }

  out.push(`## Headline runs (issue #2): flash sale and ERP outage, ${topologyLabel(r.flags.flashTopology)}`, '');
  if (r.headline.length === 0) {
    out.push('Not measured in this run.', '');
  } else {
    out.push(
      '| run | orders @ rate | all 200 | ack p50 / p99 / max (ms) | in the app: p50 / p99 / max (ms) | warm-up ack p99 (ms) | generator lag p99 (ms) | lost | duplicated | not latest | dead letters | ERP peak / limit | 429s | ERP writes/s vs theoretical | done after | verdict |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const h of r.headline) {
      const f = h.flash;
      const l = f.ledger;
      const theoretical = theoreticalWritesPerSecond(h.limit, h.latencyMs);
      // During an outage nothing can be written: its rate is the one after the ERP came back.
      const writes = h.outage ? h.outage.writesPerSecondAfter : f.drain.writesPerSecond;
      out.push(
        `| ${h.label} | ${h.orders} @ ${h.rate}/s | ${l.accepted === l.sent ? 'yes' : `no (${l.accepted}/${l.sent})`} | ` +
          `${ms(f.ack.latencyMs.p50)} / ${ms(f.ack.latencyMs.p99)} / ${ms(f.ack.latencyMs.max)} | ${formatServerAck(f.serverAck)} | ` +
          `${f.ack.warmupLatencyMs ? `${ms(f.ack.warmupLatencyMs.p99)} (${f.ack.warmupLatencyMs.count} orders)` : 'none'} | ${ms(f.ack.lagMs.p99)} | ${l.lost.length} | ` +
          `${l.duplicatedRecords.length} | ${l.notLatest.length} | ${f.deadLetters} | ${f.state.stats.peakConcurrency} / ${h.limit} | ` +
          `${f.state.stats.counters.throttled429} | ${rate1(writes)} vs ${rate1(theoretical)} (${pct(writes, theoretical)})${h.outage ? ' after the outage' : ''} | ` +
          `${(f.drain.completedAfterStartMs / 1000).toFixed(1)} s | ${l.verdict.toUpperCase()}${f.timedOut ? ' (timed out)' : ''} |`,
      );
    }
    out.push('');
    for (const h of r.headline) {
      if (h.outage) {
        const o = h.outage;
        out.push(
          `Outage: sandbox in maintenance (503) from ${o.startAfterS} s to ${o.startAfterS + o.seconds} s after the first ` +
            `webhook; ${o.backlogAtEnd} orders waiting when it ended; the backlog drained **${(o.drainAfterEndMs / 1000).toFixed(1)} s** ` +
            `after the outage (S2 bound: backlog ÷ theoretical × 1.1 + 30 s = ${(o.boundMs / 1000).toFixed(1)} s).`,
          '',
        );
      }
      for (const p of h.flash.ledger.problems) {
        out.push(`- ${h.label}: ${p}`);
      }
    }
    out.push(
      `Sandbox for these runs: limit ${r.headline[0].limit}, latency ${r.headline[0].latencyMs} ± 30 ms (scenario S1).`,
      '',
      "- **ack**: open loop, from each timed webhook's scheduled send time to its answer, as Shopify would see it " +
        `(generator on the same 2 cores, a pool of up to ${r.flags.flashSockets} keep-alive sockets: Shopify queues no ` +
        "webhook behind another in a client pool). **in the app**: the app's own `erp_sync_webhook_ack_seconds` from the first timed " +
        'send to the end (controller entry → durable; the few warm-up webhooks still in flight then are included), as the upper bounds of the histogram buckets holding p50, p99 and max.',
      `- **warm-up**: the first ${r.flags.flashWarmup} orders of the same open loop, at the same rate, are left out of the ` +
        'ack figures (shared/facts/reliability-notes.md §3.2 excludes a 2 s warm-up the same way), so that the timed ' +
        'sale meets a running service (compiled code, open connections), as a real sale does. They are real orders: ' +
        'in the ledger and the drain; their own ack p99 is the warm-up column (a cold start).',
      '',
    );
  }

  out.push('## Against the targets', '', '| target | result |', '|---|---|');
  const app1000 = r.openLoop.find((x) => x.target === 'app' && x.rate === 1000);
  const floor1000 = r.openLoop.find((x) => x.target === 'floor' && x.rate === 1000);
  out.push(
    `| ack p99 < 50 ms at 1,000/s (app) | ${app1000 ? `${ms(app1000.result.latencyMs.p99)} ms (floor ${floor1000 ? ms(floor1000.result.latencyMs.p99) : '–'} ms)` : 'not measured'} |`,
  );
  const floorC = r.closedLoop.find((c) => c.target === 'floor');
  const appC = r.closedLoop.find((c) => c.target === 'app');
  out.push(
    `| app throughput ≥ 70 % of the floor | ${floorC && appC ? `${pct(appC.perSecond, floorC.perSecond)} (${Math.round(appC.perSecond)} / ${Math.round(floorC.perSecond)} req/s)` : 'not measured'} |`,
  );
  out.push(
    `| ERP drain ≥ 95 % of limit ÷ latency | ${r.drain ? pct(r.drain.writesPerSecond, r.drain.theoretical) : 'not measured'} |`,
  );
  for (const h of r.headline) {
    out.push(
      `| ${h.label}: every webhook 200, p99 < 50 ms, each order once, concurrency ≤ limit | ` +
        `${h.flash.ledger.accepted}/${h.flash.ledger.sent} 200, p99 ${ms(h.flash.ack.latencyMs.p99)} ms, ` +
        `${h.flash.ledger.verdict.toUpperCase()}, peak ${h.flash.state.stats.peakConcurrency}/${h.limit} |`,
    );
  }
  out.push('');

  if (r.failures.length > 0) {
    out.push('## Phases that did not complete', '');
    for (const f of r.failures) {
      out.push(`- **${f.phase}**: ${f.error.split('\n')[0]}`);
    }
    out.push('');
  }
  return out.join('\n');
}

// ---- flags ----------------------------------------------------------------------------------------------------------

/**
 * How the headline runs deploy the app: `all`, one process with APP_ROLE=all; `split`, an APP_ROLE=api process taking
 * the webhooks and an APP_ROLE=worker process writing to the ERP, as docker-compose.yml deploys them.
 */
type FlashTopology = 'all' | 'split';

function topologyLabel(topology: FlashTopology): string {
  return topology === 'all' ? 'APP_ROLE=all' : 'APP_ROLE=api + APP_ROLE=worker (two processes, as docker-compose)';
}

interface BenchFlags {
  argv: string[];
  quick: boolean;
  only: Phase[];
  rates: number[];
  warmup: number;
  duration: number;
  closedConcurrency: number;
  closedDuration: number;
  drainOrders: number;
  flashOrders: number;
  flashRate: number;
  flashWarmup: number;
  flashSockets: number;
  flashTopology: FlashTopology;
  outageSeconds: number;
  outageAfter: number;
  pacing: 'spin' | 'timer';
  logLevel: string;
  out: string;
}

function readFlags(argv: string[]): BenchFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      rates: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      'closed-concurrency': { type: 'string', default: '32' },
      'closed-duration': { type: 'string' },
      'drain-orders': { type: 'string' },
      'flash-orders': { type: 'string' },
      'flash-rate': { type: 'string', default: '500' },
      'flash-warmup': { type: 'string' },
      'flash-sockets': { type: 'string' },
      'flash-topology': { type: 'string', default: 'all' },
      'outage-seconds': { type: 'string' },
      'outage-after': { type: 'string', default: '5' },
      pacing: { type: 'string', default: 'spin' },
      'log-level': { type: 'string', default: 'info' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
    },
  });
  const quick = values.quick;
  const num = (name: string, raw: string | undefined, fallback: number, allowZero = false): number => {
    if (raw === undefined) {
      return fallback;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) {
      throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
    }
    return v;
  };
  const only = (values.only ?? PHASES.filter((p) => p !== 'connectors' && p !== 'inventory').join(','))
    .split(',')
    .map((s) => s.trim());
  const unknown = only.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown phase(s) ${unknown.join(', ')}; choose from ${PHASES.join(', ')}`);
  }
  const topology = values['flash-topology'];
  if (topology !== 'all' && topology !== 'split') {
    throw new Error(`--flash-topology must be all or split, got "${topology}"`);
  }
  if (values.pacing !== 'spin' && values.pacing !== 'timer') {
    throw new Error('--pacing must be spin or timer');
  }
  return {
    argv,
    quick,
    only: only as Phase[],
    rates: (values.rates ?? '500,1000').split(',').map((r) => num('rates', r, 0)),
    warmup: num('warmup', values.warmup, quick ? 1 : 2),
    duration: num('duration', values.duration, quick ? 3 : 10),
    closedConcurrency: Math.floor(num('closed-concurrency', values['closed-concurrency'], 32)),
    closedDuration: num('closed-duration', values['closed-duration'], quick ? 3 : 8),
    drainOrders: Math.floor(num('drain-orders', values['drain-orders'], quick ? 300 : 2000)),
    flashOrders: Math.floor(num('flash-orders', values['flash-orders'], quick ? 1000 : 5000)),
    flashRate: num('flash-rate', values['flash-rate'], 500),
    flashSockets: Math.floor(num('flash-sockets', values['flash-sockets'], FLASH_SOCKETS)),
    flashTopology: topology,
    // 0 is allowed: a cold-start run.
    flashWarmup: Math.floor(num('flash-warmup', values['flash-warmup'], quick ? 500 : 2000, true)),
    outageSeconds: num('outage-seconds', values['outage-seconds'], quick ? 15 : 60),
    outageAfter: num('outage-after', values['outage-after'], 5),
    pacing: values.pacing,
    logLevel: values['log-level'],
    out: values.out,
  };
}

// ---- main -----------------------------------------------------------------------------------------------------------

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

function log(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.only.length === 1 && flags.only[0] === 'inventory') {
    // Issue #4's inventory push (scripts/bench-inventory.ts) needs no app process, sandbox ERP or broker.
    return runInventoryBench({ quick: flags.quick, out: path.resolve(repoRoot(), flags.out) });
  }
  const services = await checkServices(localServiceUrls(BENCH_DATABASE, BENCH_REDIS_DB));
  if (!services.ok) {
    console.error(`The benchmark needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  // A vhost of the bench's own where possible: the app's queue names are fixed, so another app would share them.
  const urls = await isolatedRabbitUrl(localServiceUrls(BENCH_DATABASE, BENCH_REDIS_DB));
  const secret = `shpss_bench_${randomUUID()}`;
  const adminKey = `bench-admin-${randomUUID()}`;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logFile = (role: string): string => path.join(os.tmpdir(), `erp-sync-bench-${stamp}-${role}.log`);
  const body = serialiseOrder(buildShopifyOrder({}, { seed: 42, lineCount: 1 }));
  const nextRequest = requestFactory(body, secret);
  const report: Report = {
    machine: await machineFacts(urls),
    flags,
    bodyBytes: Buffer.byteLength(body),
    openLoop: [],
    closedLoop: [],
    headline: [],
    failures: [],
    phasesRun: flags.only,
  };
  const outFile = path.resolve(repoRoot(), flags.out);
  const save = (): void => writeFileSync(outFile, renderReport(report) + '\n');

  const apps = new Set<AppProcess>();
  // The sandbox ERP runs in a process of its own: in the generator's process its timers and JSON would delay the
  // generator's reading of responses and so inflate the measured ack latency.
  const sandboxPort = await freePort();
  const sandboxProcess = spawn(process.execPath, [path.join(repoRoot(), 'dist-tools', 'scripts', 'sandbox-erp.js')], {
    env: { ...process.env, NODE_PATH: path.join(repoRoot(), 'dist-tools'), SANDBOX_ERP_PORT: String(sandboxPort) },
    stdio: 'ignore',
  });
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const control = new SandboxControl(sandboxUrl);
  for (let tries = 0; ; tries++) {
    try {
      await control.state();
      break;
    } catch (error: unknown) {
      if (tries > 100) {
        throw error;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await control.configure({ concurrencyLimit: 5, latencyMs: 150, latencyJitterMs: 30, retryAfterSeconds: 1 });
  const sandbox = {
    configure: (patch: Parameters<SandboxControl['configure']>[0]): Promise<void> => control.configure(patch),
    close: (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (sandboxProcess.exitCode !== null) {
          resolve();
          return;
        }
        sandboxProcess.once('exit', () => resolve());
        sandboxProcess.kill('SIGTERM');
      }),
  };
  const launch = async (role: AppRoleName, erpConcurrency = 5): Promise<AppProcess> => {
    const app = await startApp({
      env: appEnv(urls, { secret, adminKey, sandboxUrl, erpConcurrency, extra: { LOG_LEVEL: flags.logLevel } }),
      role,
      port: await freePort(),
      logFile: logFile(role),
    });
    apps.add(app);
    return app;
  };
  const stopApps = async (): Promise<void> => {
    for (const app of apps) {
      await app.stop();
    }
    apps.clear();
  };
  const onSignal = (): void => {
    console.error('\ninterrupted: stopping the app processes and the sandbox ERP…');
    void stopApps()
      .then(() => sandbox.close())
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const phase = async (name: string, run: () => Promise<void>): Promise<void> => {
    log(`── ${name}`);
    try {
      await run();
    } catch (err) {
      log(`${name} failed: ${errorMessage(err)}`);
      report.failures.push({ phase: name, error: errorMessage(err) });
    }
    save();
  };
  const has = (p: Phase): boolean => flags.only.includes(p);

  try {
    log(
      `body ${report.bodyBytes} bytes; app logs in ${os.tmpdir()}/erp-sync-bench-${stamp}-*.log; report → ${outFile}`,
    );

    if (has('floor')) {
      await phase('floor', async () => {
        await ensureFloorQueue(urls.rabbitmqUrl);
        await purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]);
        const floor = await startFloor(urls.rabbitmqUrl, secret);
        try {
          for (const rate of flags.rates) {
            const result = await openLoopIngest(
              floor.url,
              nextRequest,
              rate,
              flags.warmup,
              flags.duration,
              flags.pacing,
            );
            report.openLoop.push({ target: 'floor', rate, result });
            log(
              `floor @ ${rate}/s: p50 ${ms(result.latencyMs.p50)} p99 ${ms(result.latencyMs.p99)} max ${ms(result.latencyMs.max)} ms, lag p99 ${ms(result.lagMs.p99)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
            );
            await purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]);
          }
          const closed = await closedLoopIngest(
            'floor',
            floor.url,
            nextRequest,
            flags.closedConcurrency,
            flags.closedDuration,
          );
          report.closedLoop.push(closed);
          log(`floor closed loop: ${Math.round(closed.perSecond)} req/s, p99 ${ms(closed.latencyMs.p99)} ms`);
        } finally {
          await floor.stop();
          await purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]);
        }
      });
    }

    if (has('app')) {
      await phase('app', async () => {
        await resetInfrastructure(urls);
        const app = await launch('api');
        try {
          for (const rate of flags.rates) {
            const result = await openLoopIngest(app.url, nextRequest, rate, flags.warmup, flags.duration, flags.pacing);
            report.openLoop.push({ target: 'app', rate, result });
            log(
              `app @ ${rate}/s: p50 ${ms(result.latencyMs.p50)} p99 ${ms(result.latencyMs.p99)} max ${ms(result.latencyMs.max)} ms, lag p99 ${ms(result.lagMs.p99)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
            );
            await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
          }
          const closed = await closedLoopIngest(
            'app',
            app.url,
            nextRequest,
            flags.closedConcurrency,
            flags.closedDuration,
          );
          report.closedLoop.push(closed);
          log(`app closed loop: ${Math.round(closed.perSecond)} req/s, p99 ${ms(closed.latencyMs.p99)} ms`);
        } finally {
          await stopApps();
          await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
        }
      });
    }

    if (has('drain')) {
      await phase('drain', async () => {
        const limit = 5;
        const latencyMs = 150;
        await resetInfrastructure(urls);
        await control.reset();
        await sandbox.configure({ concurrencyLimit: limit, latencyMs, latencyJitterMs: 30, maintenance: 'off' });
        const api = await launch('api', limit);
        try {
          const { events, requests } = buildFlashSale({ orders: flags.drainOrders, secret, seedBase: 1_000_000 });
          const sender = new WebhookSender({ url: `${api.url}/webhooks/shopify` });
          const finalStatuses: number[] = [];
          await runOpenLoop({
            count: requests.length,
            ratePerSecond: 500,
            send: async (i) => {
              const delivery = await sender.sendWithRetries(requests[i]);
              finalStatuses[i] = delivery.final.status;
              return delivery.final;
            },
          });
          sender.close();
          const accepted = finalStatuses.filter((s) => s >= 200 && s < 300).length;
          log(`drain: ${accepted}/${requests.length} queued through APP_ROLE=api; starting one worker`);
          const spawnedAt = Date.now();
          const worker = await launch('worker', limit);
          const workerStartMs = Date.now() - spawnedAt;
          const deadline = Date.now() + (accepted / theoreticalWritesPerSecond(limit, latencyMs)) * 2 * 1000 + 60_000;
          let timedOut = false;
          for (;;) {
            const state = await control.state();
            if (state.counts.salesOrders >= accepted) {
              break;
            }
            if (Date.now() > deadline) {
              timedOut = true;
              break;
            }
            await sleep(250);
          }
          await sleep(1_000);
          const [state, orders, ledger] = await Promise.all([control.state(), control.orders(), control.ledger()]);
          await worker.stop();
          const stats = drainStats(ledger, spawnedAt);
          report.drain = {
            orders: requests.length,
            accepted,
            limit,
            latencyMs,
            theoretical: theoreticalWritesPerSecond(limit, latencyMs),
            writesPerSecond: stats.writesPerSecond,
            ordersPerSecond: stats.ordersPerSecond,
            writesPerOrder: stats.salesOrderWrites > 0 ? stats.erpWrites / stats.salesOrderWrites : 0,
            wallMs: stats.completedAfterStartMs,
            workerStartMs,
            peakConcurrency: state.stats.peakConcurrency,
            throttled429: state.stats.counters.throttled429,
            ledger: checkLedger({
              events,
              finalStatuses,
              erpOrders: orders.map((o) => ({
                externalId: o.externalId,
                status: String(o.status),
                custbody_source_updated_at:
                  typeof o.custbody_source_updated_at === 'string' ? o.custbody_source_updated_at : null,
              })),
              erpLedger: ledger,
              deadLetteredOrderIds: [],
            }),
            timedOut,
          };
          log(
            `drain: ${rate1(stats.writesPerSecond)} writes/s, ${rate1(stats.ordersPerSecond)} orders/s vs ${rate1(report.drain.theoretical)}; ${formatLedgerVerdict(report.drain.ledger)}`,
          );
        } finally {
          await stopApps();
        }
      });
    }

    const headline = async (label: string, seedBase: number, outageSeconds: number): Promise<void> => {
      const limit = 5;
      const latencyMs = 100;
      await resetInfrastructure(urls);
      await control.reset();
      await sandbox.configure({ concurrencyLimit: limit, latencyMs, latencyJitterMs: 30, maintenance: 'off' });
      // In the split topology the worker starts first, so that its consumers are up when the sale begins.
      const app =
        flags.flashTopology === 'all'
          ? await launch('all', limit)
          : await launch('worker', limit).then(() => launch('api', limit));
      const timers: NodeJS.Timeout[] = [];
      try {
        let outageEndedAt = 0;
        let backlogAtEnd = 0;
        let acceptedSoFar = 0;
        if (outageSeconds > 0) {
          timers.push(
            setTimeout(() => {
              log(`${label}: ERP down (maintenance 503) for ${outageSeconds} s`);
              void sandbox.configure({ maintenance: '503' });
            }, flags.outageAfter * 1000),
            setTimeout(
              () => {
                outageEndedAt = Date.now();
                void sandbox
                  .configure({ maintenance: 'off' })
                  .then(() => control.state())
                  .then((state) => {
                    backlogAtEnd = Math.max(0, acceptedSoFar - state.counts.salesOrders);
                    log(`${label}: ERP back; ${backlogAtEnd} orders waiting`);
                  });
              },
              (flags.outageAfter + outageSeconds) * 1000,
            ),
          );
        }
        let lastLog = 0;
        const flash = await runFlashSale({
          appUrl: app.url,
          sandbox: control,
          secret,
          adminKey,
          orders: flags.flashOrders,
          ratePerSecond: flags.flashRate,
          warmupOrders: flags.flashWarmup,
          maxSockets: flags.flashSockets,
          seedBase,
          drainTimeoutMs:
            ((flags.flashOrders + flags.flashWarmup) / theoreticalWritesPerSecond(limit, latencyMs)) * 2 * 1000 +
            60_000 +
            outageSeconds * 1000,
          onProgress: (p) => {
            acceptedSoFar = p.accepted;
            if (p.elapsedMs - lastLog >= 10_000 || p.phase === 'done') {
              lastLog = p.elapsedMs;
              log(
                `${label}: ${p.phase} ${(p.elapsedMs / 1000).toFixed(0)} s, accepted ${p.accepted}/${p.total}, in the ERP ${p.inErp}, 429s ${p.throttled429}`,
              );
            }
          },
        });
        const result: HeadlineResult = {
          label,
          orders: flags.flashOrders,
          rate: flags.flashRate,
          limit,
          latencyMs,
          flash,
        };
        if (outageSeconds > 0) {
          const theoretical = theoreticalWritesPerSecond(limit, latencyMs);
          const writesPerOrder =
            flash.drain.salesOrderWrites > 0 ? flash.drain.erpWrites / flash.drain.salesOrderWrites : 2;
          const after = drainStats(
            (await control.ledger()).filter((entry) => outageEndedAt > 0 && entry.at >= outageEndedAt),
            outageEndedAt,
          );
          result.outage = {
            writesPerSecondAfter: after.writesPerSecond,
            startAfterS: flags.outageAfter,
            seconds: outageSeconds,
            backlogAtEnd,
            drainAfterEndMs: outageEndedAt > 0 && flash.drain.lastWriteAt ? flash.drain.lastWriteAt - outageEndedAt : 0,
            boundMs: ((backlogAtEnd * writesPerOrder) / theoretical) * 1.1 * 1000 + 30_000,
          };
        }
        report.headline.push(result);
        log(
          `${label}: ${formatLedgerVerdict(flash.ledger)}; ack p99 ${ms(flash.ack.latencyMs.p99)} ms; dead letters ${flash.deadLetters}`,
        );
      } finally {
        for (const t of timers) {
          clearTimeout(t);
        }
        await sandbox.configure({ maintenance: 'off' });
        await stopApps();
      }
    };

    if (has('flash')) {
      await phase('flash', () => headline('flash sale (S1)', 2_000_000, 0));
    }
    if (has('outage')) {
      await phase('outage', () => headline(`ERP outage ${flags.outageSeconds} s (S2)`, 3_000_000, flags.outageSeconds));
    }
    if (has('connectors')) {
      // Issue #3's flash sale per ERP connector (scripts/bench-connectors.ts), reported in a file of its own.
      await phase('connectors', async () => {
        const o = { orders: flags.flashOrders, ratePerSecond: flags.flashRate, limit: 5, latencyMs: 150, jitterMs: 30 };
        const timing = { ...o, outageSeconds: flags.outageSeconds, outageAfterSeconds: flags.outageAfter };
        const results = await runConnectorBench({
          ...timing,
          erps: ['netsuite', 'business-central', 'cin7'],
          urls,
          secret,
          adminKey,
          logFile: (erp) => logFile(`connectors-${erp}`),
          log,
          logLevel: flags.logLevel,
        });
        writeFileSync(outFile.replace(/(\.md)?$/, '-connectors.md'), renderConnectorBench(results, timing));
        const failed = results.filter((r) => !r.passed);
        if (failed.length > 0) {
          throw new Error(failed.map((r) => `${r.erp}: ${formatConnectorResult(r)}`).join('\n'));
        }
      });
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopApps();
    await sandbox.close();
  }
  save();
  log(`wrote ${outFile}`);
  // After the last save, which rewrites the file: the inventory bench adds its own section to it.
  const inventory = flags.only.includes('inventory')
    ? await runInventoryBench({ quick: flags.quick, out: outFile })
    : 0;
  return report.failures.length === 0 && inventory === 0 ? 0 : 1;
}

if (!isMainThread && (workerData as Partial<FloorWorkerData> | null)?.kind === 'bench-floor') {
  void serveFloor(workerData as FloorWorkerData);
} else if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(errorMessage(err));
      process.exit(1);
    },
  );
}
