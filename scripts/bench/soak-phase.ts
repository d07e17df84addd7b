import { execFile, execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BenchRun } from 'scripts/bench/bench-run';
import { parseSoakFaults, randomSoakFaults, type SoakFault } from 'scripts/bench/soak-faults';
import { judgeSoak } from 'scripts/bench/soak-report';
import type { ProcessSample, QueueSample, SoakFaultRecord, SoakProcess, SoakResult } from 'scripts/bench/soak.types';
import { fetchDeadLetters } from 'scripts/lib/dead-letters';
import { ms } from 'scripts/lib/format';
import { log, sleep } from 'scripts/lib/log';
import { DEMO_SHOP, resetInfrastructure } from 'scripts/lib/services';
import { ORDER_QUEUES, RETRY_QUEUES } from 'src/common/messaging/topology';
import { buildShopifyOrder, serialiseOrder, type BuiltShopifyOrder } from 'test/factories/shopify-order.factory';
import type { AppProcess } from 'test/support/app-process';
import { checkLedger, formatLedgerVerdict, type GeneratedEvent } from 'test/support/ledger';
import { summarise } from 'test/support/percentiles';
import { openFileDescriptors, rssMiB } from 'test/support/process-stats';
import { vhostOf } from 'test/support/services';
import { WebhookSender } from 'test/support/webhook-sender';
import { buildWebhookRequest, type WebhookRequest } from 'test/support/webhook-signer';

/**
 * `soak` (scenario S19): `--soak-minutes` of signed order webhooks at `--soak-rate` into the app deployed as an
 * APP_ROLE=api and an APP_ROLE=worker process (as docker-compose deploys it, so that killing the worker leaves ingest
 * up), writing to the sandbox ERP, with three faults at random times (or `--soak-faults`): the ERP down (maintenance
 * 503) for `--soak-outage-seconds`, the worker SIGKILLed and started again 5 s later (a supervisor), and RabbitMQ
 * stopped for `--soak-broker-seconds` (`rabbitmqctl stop_app`, then `start_app`, always, in `finally`).
 *
 * Every 5 s it reads each process's RSS and open file descriptors (/proc) and its heap and active handles (its own
 * /metrics); every 30 s the order queues' ready and unacknowledged messages (rabbitmqctl). After the load it waits
 * for the backlog to drain and judges the run: the exact ledger, RSS growth under 10 % after the warm-up, handles and
 * unacknowledged messages flat, nothing left in the queues.
 *
 * The broker restart stops the machine's whole RabbitMQ, not only the bench's vhost: run the soak on a machine where
 * nothing else uses it.
 */

/** The sandbox ERP of the soak: room for 100 orders a second and the backlog of an outage (2 writes per order). */
const ERP = { limit: 10, latencyMs: 30, jitterMs: 10 };
const SEED_BASE = 6_000_000;
/** Every tenth webhook is an `orders/updated` of an order created this many orders earlier. */
const UPDATE_EVERY = 10;
const UPDATE_LAG = 20;
/** A supervisor (docker, systemd, Kubernetes) starts a killed worker again after about this long. */
const RESTART_DELAY_MS = 5_000;
const PROCESS_SAMPLE_MS = 5_000;
const QUEUE_SAMPLE_EVERY = 6;

/** The app processes in play and what was read from them. */
interface SoakState {
  run: BenchRun;
  startedAt: number;
  api: AppProcess;
  worker: AppProcess;
  processes: Map<AppProcess, SoakProcess>;
  queues: QueueSample[];
  brokerDown: boolean;
  workers: number;
}

export async function soakPhase(run: BenchRun): Promise<void> {
  const { flags } = run;
  const durationS = flags.soakMinutes * 60;
  const seed = flags.soakSeed ?? randomInt(1, 2 ** 31);
  const parsed = parseSoakFaults(flags.soakFaults, durationS);
  const schedule =
    parsed === 'random'
      ? randomSoakFaults(
          {
            durationS,
            warmupS: flags.soakWarmupSeconds,
            outageS: flags.soakOutageSeconds,
            brokerS: flags.soakBrokerSeconds,
          },
          seed,
        )
      : parsed;
  if (parsed === 'random') {
    // The section's command repeats the same fault times.
    flags.soakSeed = seed;
  }
  await warnAboutSharedBroker(schedule);
  log(`soak: ${flags.soakMinutes} min at ${flags.soakRate}/s; faults ${formatSchedule(schedule)}`);

  await resetInfrastructure(run.urls);
  await run.control.reset();
  await run.sandbox.configure({
    concurrencyLimit: ERP.limit,
    latencyMs: ERP.latencyMs,
    latencyJitterMs: ERP.jitterMs,
    maintenance: 'off',
  });
  // The worker first, so that its consumers are up when the first webhook arrives.
  const worker = await run.launch('worker', ERP.limit);
  const api = await run.launch('api', ERP.limit);
  const state: SoakState = {
    run,
    startedAt: Date.now(),
    api,
    worker,
    processes: new Map(),
    queues: [],
    brokerDown: false,
    workers: 1,
  };
  track(state, api, 'api', 'api');
  track(state, worker, 'worker', 'worker #1');
  const restoreBroker = restoreBrokerOnSignal(state);
  const stopSampling = startSampling(state);
  try {
    const faults = schedule.map((fault) => scheduleFault(state, fault));
    const load = await playLoad(state, durationS);
    const loadEndedAtS = secondsSince(state);
    const records = await Promise.all(faults);
    await sampleProcesses(state, false);
    await sampleQueues(state, false);
    log(`soak: load over at ${loadEndedAtS.toFixed(0)} s; draining`);
    const drainedAfterS = await waitForDrain(state, load.events, load.finalStatuses, loadEndedAtS);
    stopSampling();
    await sampleProcesses(state, true);
    await sampleQueues(state, true);
    // One after the other: the sandbox serialises each of these large answers on its one thread.
    const erpOrders = await run.control.orders();
    const erpLedger = await run.control.ledger();
    const deadLetters = await fetchDeadLetters(state.api.url, run.adminKey);
    const ledger = checkLedger({
      events: load.events,
      finalStatuses: load.finalStatuses,
      erpOrders: erpOrders.map((o) => ({
        externalId: o.externalId,
        status: String(o.status),
        custbody_source_updated_at:
          typeof o.custbody_source_updated_at === 'string' ? o.custbody_source_updated_at : null,
        writeCount: o.writeCount,
      })),
      erpLedger,
      deadLetteredOrderIds: deadLetters.orderIds,
    });
    const result: SoakResult = {
      minutes: flags.soakMinutes,
      rate: flags.soakRate,
      warmupS: flags.soakWarmupSeconds,
      faultsSpec: flags.soakFaults,
      seed: parsed === 'random' ? seed : undefined,
      erp: ERP,
      webhooks: load.webhooks,
      ack: summarise(load.firstLatencies),
      firstAttemptsNot200: load.firstNot200,
      retried: load.retried,
      loadEndedAtS,
      drainedAfterS,
      processes: [...state.processes.values()],
      queues: state.queues,
      faults: records,
      ledger,
      deadLetters: deadLetters.total,
      verdicts: [],
    };
    result.verdicts = judgeSoak(result);
    run.report.soak = result;
    log(`soak: ${formatLedgerVerdict(ledger)}; ack p99 ${ms(result.ack.p99)} ms`);
    const failed = result.verdicts.filter((v) => !v.ok);
    if (failed.length > 0) {
      throw new Error(`soak: ${failed.map((v) => `${v.check}: ${v.detail}`).join('; ')}`);
    }
  } finally {
    stopSampling();
    restoreBroker();
    await run.sandbox.configure({ maintenance: 'off' }).catch(() => undefined);
    await run.stopApps();
  }
}

function secondsSince(state: SoakState): number {
  return (Date.now() - state.startedAt) / 1000;
}

function track(state: SoakState, app: AppProcess, role: 'api' | 'worker', label: string): void {
  state.processes.set(app, { label, role, pid: app.pid, startedAtS: secondsSince(state), samples: [] });
}

function formatSchedule(schedule: readonly SoakFault[]): string {
  return schedule.length === 0 ? 'none' : schedule.map((f) => `${f.kind}@${f.atS}`).join(',');
}

/** The webhooks the soak sent and what became of them. */
interface SoakLoad {
  events: GeneratedEvent[];
  finalStatuses: number[];
  firstLatencies: number[];
  firstNot200: number;
  retried: number;
  webhooks: { creates: number; updates: number };
}

/**
 * Open loop at `--soak-rate` for `durationS`: webhook i is due at start + i ÷ rate, built just before (a 30-minute
 * run's bodies are not held in memory), re-sent like Shopify re-sends a failed delivery. Resolves once every
 * delivery has its final answer.
 */
async function playLoad(state: SoakState, durationS: number): Promise<SoakLoad> {
  const { run } = state;
  const rate = run.flags.soakRate;
  const total = Math.round(rate * durationS);
  const sender = new WebhookSender({ url: `${state.api.url}/webhooks/shopify`, maxSockets: 256 });
  const load: SoakLoad = {
    events: [],
    finalStatuses: [],
    firstLatencies: [],
    firstNot200: 0,
    retried: 0,
    webhooks: { creates: 0, updates: 0 },
  };
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  let lastLog = 0;
  try {
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) {
        await sleep(wait);
      }
      const { event, request } = nextDelivery(run.secret, i, load);
      const index = load.events.push(event) - 1;
      const delivery = sender
        .sendWithRetries(request, {
          onAttempt: (outcome, attempt) => {
            if (attempt === 0) {
              load.firstLatencies.push(outcome.endedAt - due);
              load.firstNot200 += outcome.status === 200 ? 0 : 1;
            }
          },
        })
        .then((d) => {
          load.finalStatuses[index] = d.final.status;
          load.retried += d.attempts.length > 1 ? 1 : 0;
        });
      pending.add(delivery);
      void delivery.finally(() => pending.delete(delivery));
      if (performance.now() - lastLog > 60_000) {
        lastLog = performance.now();
        log(`soak: ${secondsSince(state).toFixed(0)} s, ${i} webhooks sent, ${pending.size} awaiting an answer`);
      }
    }
    await Promise.all(pending);
  } finally {
    sender.close();
  }
  return load;
}

/** Webhook i: an `orders/create` of a new order, or (every tenth) an `orders/updated` of an earlier one. */
function nextDelivery(secret: string, i: number, load: SoakLoad): { event: GeneratedEvent; request: WebhookRequest } {
  const creates = load.webhooks.creates;
  const update = i % UPDATE_EVERY === UPDATE_EVERY - 1 && creates > UPDATE_LAG;
  const original = buildShopifyOrder({}, { seed: SEED_BASE + (update ? creates - UPDATE_LAG : creates), lineCount: 1 });
  const order: BuiltShopifyOrder = update
    ? {
        ...original,
        note: 'soak update',
        updated_at: new Date(Date.parse(original.updated_at) + 5 * 60_000).toISOString(),
      }
    : original;
  if (update) {
    load.webhooks.updates++;
  } else {
    load.webhooks.creates++;
  }
  const topic = update ? 'orders/updated' : 'orders/create';
  const request = buildWebhookRequest({ topic, order: serialiseOrder(order), secret, shop: DEMO_SHOP });
  const event: GeneratedEvent = {
    orderId: String(order.id),
    eventId: request.eventId,
    webhookId: request.webhookId,
    topic,
    updatedAt: order.updated_at,
    expectedStatus: 'open',
    validSkus: true,
  };
  return { event, request };
}

/** Runs `fault` at its time; resolves with what happened. A fault that fails is recorded, not thrown. */
function scheduleFault(state: SoakState, fault: SoakFault): Promise<SoakFaultRecord> {
  const record: SoakFaultRecord = { kind: fault.kind, plannedAtS: fault.atS, note: '' };
  return sleep(Math.max(0, fault.atS * 1000 - (Date.now() - state.startedAt)))
    .then(async () => {
      record.startedAtS = secondsSince(state);
      log(`soak: fault ${fault.kind} at ${record.startedAtS.toFixed(0)} s`);
      record.note = await FAULTS[fault.kind](state);
      record.recoveredAtS = secondsSince(state);
      log(`soak: ${fault.kind} over at ${record.recoveredAtS.toFixed(0)} s (${record.note})`);
      return record;
    })
    .catch((err: unknown) => {
      record.note = `failed: ${err instanceof Error ? err.message : String(err)}`;
      log(`soak: fault ${fault.kind} ${record.note}`);
      return record;
    });
}

const FAULTS: Record<SoakFault['kind'], (state: SoakState) => Promise<string>> = {
  outage: async (state) => {
    const seconds = state.run.flags.soakOutageSeconds;
    await state.run.sandbox.configure({ maintenance: '503' });
    try {
      await sleep(seconds * 1000);
    } finally {
      await state.run.sandbox.configure({ maintenance: 'off' });
    }
    return `ERP answered 503 (maintenance) for ${seconds} s`;
  },
  kill: async (state) => {
    const victim = state.worker;
    const inFlight = (await state.run.control.state()).stats.inFlight;
    await victim.kill();
    const killed = state.processes.get(victim);
    if (killed) {
      killed.endedAtS = secondsSince(state);
      killed.killed = true;
    }
    await sleep(RESTART_DELAY_MS);
    state.workers++;
    state.worker = await state.run.launch('worker', ERP.limit);
    track(state, state.worker, 'worker', `worker #${state.workers}`);
    return `worker pid ${victim.pid} SIGKILLed with ${inFlight} ERP requests in flight; worker #${state.workers} started ${RESTART_DELAY_MS / 1000} s later`;
  },
  broker: async (state) => {
    const seconds = state.run.flags.soakBrokerSeconds;
    state.brokerDown = true;
    try {
      await rabbitmqctl(['stop_app']);
      await sleep(seconds * 1000);
    } finally {
      await rabbitmqctl(['start_app']);
      state.brokerDown = false;
    }
    const back = Date.now();
    await Promise.all([waitReady(state.api), waitReady(state.worker)]);
    return `RabbitMQ stopped (rabbitmqctl stop_app) for ${seconds} s; both processes ready ${((Date.now() - back) / 1000).toFixed(1)} s after start_app`;
  },
};

function rabbitmqctl(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('rabbitmqctl', ['-q', ...args], { timeout: timeoutMs }, (err, stdout) =>
      err ? reject(new Error(`rabbitmqctl ${args.join(' ')}: ${err.message}`)) : resolve(stdout),
    );
  });
}

async function waitReady(app: AppProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        return;
      }
    } catch {
      // Not ready yet.
    }
    await sleep(500);
  }
  throw new Error(`pid ${app.pid} not ready ${timeoutMs / 1000} s after the broker came back`);
}

/** If the bench is interrupted while the broker is stopped, it is started again before the process exits. */
function restoreBrokerOnSignal(state: SoakState): () => void {
  const restore = (): void => {
    if (state.brokerDown) {
      state.brokerDown = false;
      try {
        execFileSync('rabbitmqctl', ['-q', 'start_app'], { timeout: 120_000, stdio: 'ignore' });
      } catch {
        console.error('RabbitMQ could not be started again: run `rabbitmqctl start_app`');
      }
    }
  };
  process.on('SIGINT', restore);
  process.on('SIGTERM', restore);
  return () => {
    process.off('SIGINT', restore);
    process.off('SIGTERM', restore);
    restore();
  };
}

/** Says which other processes on this machine use the broker the soak is about to restart. */
async function warnAboutSharedBroker(schedule: readonly SoakFault[]): Promise<void> {
  if (!schedule.some((f) => f.kind === 'broker')) {
    return;
  }
  const others = await new Promise<string>((resolve) =>
    execFile('pgrep', ['-fa', 'jest|dist/src/main.js'], (_err, stdout) => resolve(stdout.trim())),
  );
  log('soak: restarts this machine’s RabbitMQ (every vhost) during the run');
  if (others !== '') {
    log(`soak: other processes that may use it are running:\n${others}`);
  }
}

/** Samples the processes every 5 s and the queues every 30 s until stopped. */
function startSampling(state: SoakState): () => void {
  let tick = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) {
      return;
    }
    busy = true;
    const queues = tick++ % QUEUE_SAMPLE_EVERY === 0;
    void sampleProcesses(state, false)
      .then(() => (queues ? sampleQueues(state, false) : undefined))
      .finally(() => (busy = false));
  }, PROCESS_SAMPLE_MS);
  return () => clearInterval(timer);
}

async function sampleProcesses(state: SoakState, afterDrain: boolean): Promise<void> {
  await Promise.all(
    [...state.processes.entries()]
      .filter(([, p]) => p.endedAtS === undefined)
      .map(async ([app, p]) => {
        const [rss, fds, metrics] = await Promise.all([
          rssMiB(app.pid),
          openFileDescriptors(app.pid),
          readMetrics(app),
        ]);
        const sample: ProcessSample = { atS: secondsSince(state), rssMiB: rss, fds, ...metrics };
        if (afterDrain) {
          sample.afterDrain = true;
        }
        p.samples.push(sample);
      }),
  );
}

/** Heap used and active handles from the process's /metrics (prom-client's default metrics). */
async function readMetrics(app: AppProcess): Promise<Pick<ProcessSample, 'heapUsedMiB' | 'activeHandles'>> {
  try {
    const text = await (await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(3_000) })).text();
    const value = (name: string): number | undefined => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : undefined;
    };
    const heap = value('nodejs_heap_size_used_bytes');
    return {
      heapUsedMiB: heap === undefined ? undefined : heap / 1024 / 1024,
      activeHandles: value('nodejs_active_handles_total'),
    };
  } catch {
    return {};
  }
}

/** The order partitions' and retry queues' messages; nothing while the broker is stopped. */
async function sampleQueues(state: SoakState, afterDrain: boolean): Promise<QueueSample | undefined> {
  const counts = state.brokerDown ? undefined : await queueCounts(state.run.urls.rabbitmqUrl);
  if (counts === undefined) {
    return undefined;
  }
  const sample: QueueSample = { atS: secondsSince(state), ...counts };
  if (afterDrain) {
    sample.afterDrain = true;
  }
  state.queues.push(sample);
  return sample;
}

async function queueCounts(rabbitmqUrl: string): Promise<Omit<QueueSample, 'atS'> | undefined> {
  try {
    const out = await rabbitmqctl(
      [
        'list_queues',
        '-p',
        vhostOf(rabbitmqUrl),
        'name',
        'messages_ready',
        'messages_unacknowledged',
        '--no-table-headers',
      ],
      30_000,
    );
    const counts = { ready: 0, unacked: 0, retrying: 0 };
    for (const line of out.split('\n')) {
      const [name, ready, unacked] = line.trim().split(/\s+/);
      if (ORDER_QUEUES.includes(name)) {
        counts.ready += Number(ready);
        counts.unacked += Number(unacked);
      } else if (RETRY_QUEUES.includes(name)) {
        counts.retrying += Number(ready) + Number(unacked);
      }
    }
    return counts;
  } catch {
    return undefined;
  }
}

/**
 * Waits until every accepted order is in the ERP and the order and retry queues are empty (twice in a row, 2 s
 * apart); resolves how long that took after the load, or undefined after a generous bound.
 */
async function waitForDrain(
  state: SoakState,
  events: readonly GeneratedEvent[],
  finalStatuses: readonly number[],
  loadEndedAtS: number,
): Promise<number | undefined> {
  const accepted = new Set(events.filter((_, i) => finalStatuses[i] === 200).map((e) => e.orderId)).size;
  const deadline = Date.now() + 600_000;
  let emptyBefore = false;
  while (Date.now() < deadline) {
    const [erp, queues] = await Promise.all([state.run.control.state(), queueCounts(state.run.urls.rabbitmqUrl)]);
    const empty =
      erp.counts.salesOrders >= accepted &&
      queues !== undefined &&
      queues.ready + queues.unacked + queues.retrying === 0 &&
      erp.stats.inFlight === 0;
    if (empty && emptyBefore) {
      return secondsSince(state) - loadEndedAtS;
    }
    emptyBefore = empty;
    await sleep(2_000);
  }
  return undefined;
}
