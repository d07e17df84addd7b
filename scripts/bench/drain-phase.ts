import type { DrainResult } from 'scripts/bench/bench-report.types';
import type { BenchRun } from 'scripts/bench/bench-run';
import { drainStats, theoreticalWritesPerSecond } from 'scripts/lib/drain';
import { buildFlashSale } from 'scripts/lib/flash-sale-orders';
import { rate1 } from 'scripts/lib/format';
import { log, sleep } from 'scripts/lib/log';
import { resetInfrastructure } from 'scripts/lib/services';
import { checkLedger, formatLedgerVerdict, type GeneratedEvent } from 'test/support/ledger';
import { runOpenLoop } from 'test/support/open-loop';
import { WebhookSender } from 'test/support/webhook-sender';

/**
 * `drain`: `--drain-orders` orders queued through an APP_ROLE=api process while no worker runs, then one
 * APP_ROLE=worker process started: how fast it drains the backlog into the sandbox ERP (limit 5 × 150 ms), judged by
 * the exact ledger.
 */

const LIMIT = 5;
const LATENCY_MS = 150;

export async function drainPhase(run: BenchRun): Promise<void> {
  await resetInfrastructure(run.urls);
  await run.control.reset();
  await run.sandbox.configure({
    concurrencyLimit: LIMIT,
    latencyMs: LATENCY_MS,
    latencyJitterMs: 30,
    maintenance: 'off',
  });
  const api = await run.launch('api', LIMIT);
  try {
    const { events, finalStatuses } = await queueThroughApi(run, api.url);
    const accepted = finalStatuses.filter((s) => s >= 200 && s < 300).length;
    log(`drain: ${accepted}/${events.length} queued through APP_ROLE=api; starting one worker`);
    run.report.drain = await drainWithOneWorker(run, events, finalStatuses, accepted);
    log(
      `drain: ${rate1(run.report.drain.writesPerSecond)} writes/s, ${rate1(run.report.drain.ordersPerSecond)} orders/s vs ${rate1(run.report.drain.theoretical)}; ${formatLedgerVerdict(run.report.drain.ledger)}`,
    );
  } finally {
    await run.stopApps();
  }
}

/** The orders at 500/s with Shopify-like retries; their final statuses. */
async function queueThroughApi(
  run: BenchRun,
  apiUrl: string,
): Promise<{ events: GeneratedEvent[]; finalStatuses: number[] }> {
  const { events, requests } = buildFlashSale({
    orders: run.flags.drainOrders,
    secret: run.secret,
    seedBase: 1_000_000,
  });
  const sender = new WebhookSender({ url: `${apiUrl}/webhooks/shopify` });
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
  return { events, finalStatuses };
}

async function drainWithOneWorker(
  run: BenchRun,
  events: GeneratedEvent[],
  finalStatuses: number[],
  accepted: number,
): Promise<DrainResult> {
  const { control } = run;
  const theoretical = theoreticalWritesPerSecond(LIMIT, LATENCY_MS);
  const spawnedAt = Date.now();
  const worker = await run.launch('worker', LIMIT);
  const workerStartMs = Date.now() - spawnedAt;
  const deadline = Date.now() + (accepted / theoretical) * 2 * 1000 + 60_000;
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
  return {
    orders: events.length,
    accepted,
    limit: LIMIT,
    latencyMs: LATENCY_MS,
    theoretical,
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
}
