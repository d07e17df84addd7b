import { fetchDeadLetters } from 'scripts/lib/dead-letters';
import { drainStats } from 'scripts/lib/drain';
import { buildFlashSale } from 'scripts/lib/flash-sale-orders';
import type { FlashProgress, FlashSaleOptions, FlashSaleResult } from 'scripts/lib/flash-sale.types';
import { sleep } from 'scripts/lib/log';
import type { SandboxErpState, SandboxLedgerEntry } from 'test/simulators/sandbox/sandbox-erp.types';
import { runAckLoopInWorker } from 'test/support/ack-generator';
import { checkLedger, type GeneratedEvent, type LedgerReport } from 'test/support/ledger';
import type { OpenLoopResult } from 'test/support/open-loop';
import {
  type AckHistogram,
  fetchAckHistogram,
  type ServerAckSummary,
  subtractHistograms,
  summariseAckHistogram,
} from 'test/support/server-ack-histogram';
import { DEFAULT_RETRY_DELAYS_MS, type Delivery, type SendOutcome, WebhookSender } from 'test/support/webhook-sender';
import type { WebhookRequest } from 'test/support/webhook-signer';

/**
 * The flash sale that the demo and the bench play: signed orders/create webhooks at a fixed rate into the app's real
 * HTTP endpoint (open loop), re-sent like Shopify re-sends them, then a wait until every accepted order is in the ERP
 * or in the dead letters, judged by the exact ledger.
 */

/**
 * Plays `orders` signed orders/create webhooks at `ratePerSecond` into the app, re-sending failures like Shopify,
 * then waits until every accepted order is in the ERP or dead-lettered, and judges the run with the exact ledger.
 */
export async function runFlashSale(options: FlashSaleOptions): Promise<FlashSaleResult> {
  const warmupCount = Math.max(0, Math.floor(options.warmupOrders ?? 0));
  const { events, requests } = buildFlashSale({ ...options, orders: options.orders + warmupCount });
  const n = events.length;
  const sender = new WebhookSender({ url: `${options.appUrl}/webhooks/shopify`, maxSockets: options.maxSockets });
  const finalStatuses: number[] = new Array<number>(n);
  const progress: FlashProgress = {
    phase: 'sending',
    elapsedMs: 0,
    total: n,
    answered: 0,
    accepted: 0,
    inErp: 0,
    deadLetters: 0,
    throttled429: 0,
  };
  const startedAt = performance.now();
  const startedAtEpochMs = Date.now();
  const stopPolling = pollProgress(options, progress, startedAt, events);
  try {
    const { ack, serverAck } = await sendFirstAttempts(options, requests, warmupCount, progress);
    progress.answered = n;
    const pending = redeliver(options, ack, requests, sender, finalStatuses, progress);
    progress.phase = 'retrying';
    const settled = await Promise.all(pending);
    sender.close();

    progress.phase = 'draining';
    const timedOut = await waitForDrain(options, expected(...withPrior(options, events, finalStatuses)));
    // A moment for anything still in flight (a duplicate would show up here), then the final, exact picture.
    await sleep(1_000);
    stopPolling();
    const verdict = await judge(options, ...withPrior(options, events, finalStatuses));
    progress.phase = 'done';
    progress.inErp = verdict.state.counts.salesOrders;
    progress.deadLetters = verdict.deadLetters;
    progress.elapsedMs = performance.now() - startedAt;
    options.onProgress?.({ ...progress });

    return {
      events,
      finalStatuses,
      deliveries: settled,
      ack,
      serverAck,
      acceptedFirstAttempt: ack.results.filter((r) => r?.ok).length,
      retried: settled.filter((d) => d.attempts.length > 1).length,
      meanBodyBytes: requests.reduce((sum, r) => sum + r.body.length, 0) / Math.max(1, n),
      state: verdict.state,
      ledger: verdict.ledger,
      deadLetters: verdict.deadLetters,
      drain: drainStats(verdict.erpLedger, startedAtEpochMs),
      timedOut,
      startedAtEpochMs,
    };
  } finally {
    stopPolling();
    sender.close();
  }
}

/** Polls the ERP (and the dead letters, when some are expected) every 250 ms for the progress display. */
function pollProgress(
  options: FlashSaleOptions,
  progress: FlashProgress,
  startedAt: number,
  events: readonly GeneratedEvent[],
): () => void {
  const expectsDeadLetters = events.some((e) => !e.validSkus);
  let polling = false;
  let lastDeadLetterPoll = 0;
  const poll = async (): Promise<void> => {
    if (polling) {
      return;
    }
    polling = true;
    try {
      const state = await options.sandbox.state();
      progress.inErp = state.counts.salesOrders;
      progress.throttled429 = state.stats.counters.throttled429;
      if (expectsDeadLetters && performance.now() - lastDeadLetterPoll > 1_000) {
        lastDeadLetterPoll = performance.now();
        progress.deadLetters = (await fetchDeadLetters(options.appUrl, options.adminKey)).total;
      }
    } catch {
      // A missed poll only delays the display; the final check does not depend on it.
    } finally {
      polling = false;
      progress.elapsedMs = performance.now() - startedAt;
      options.onProgress?.({ ...progress });
    }
  };
  const poller = setInterval(() => void poll(), 250);
  return () => clearInterval(poller);
}

/**
 * First attempts: open loop from a worker thread that does nothing else (see ack-generator.ts), so that the ack
 * latency is the app's and not this thread's polling and bookkeeping. Warm-up and timed orders go out as one open
 * loop from one generator thread, so that the timed ones meet warm connections on both sides; the app's histogram
 * is read when the first timed webhook is sent, and at the end.
 */
async function sendFirstAttempts(
  options: FlashSaleOptions,
  requests: WebhookRequest[],
  warmupCount: number,
  progress: FlashProgress,
): Promise<{ ack: OpenLoopResult<SendOutcome>; serverAck?: ServerAckSummary }> {
  let metricsBefore: Promise<AckHistogram | undefined> = Promise.resolve(undefined);
  const ack = await runAckLoopInWorker({
    url: `${options.appUrl}/webhooks/shopify`,
    requests,
    ratePerSecond: options.ratePerSecond,
    maxSockets: options.maxSockets,
    warmupCount,
    onMeasuredStart: () => {
      // With no warm-up orders there is nothing to subtract: no scrape of the app while its sale begins.
      if (warmupCount > 0) {
        metricsBefore = fetchAckHistogram(options.appUrl);
      }
    },
    onAnswered: (answered) => {
      progress.answered = answered;
    },
  });
  const [before, after] = await Promise.all([metricsBefore, fetchAckHistogram(options.appUrl)]);
  // With no warm-up orders the histogram is absent before the sale (nothing observed yet): the sale is all of it.
  const base = before ?? (warmupCount === 0 ? new Map<number, number>() : undefined);
  const serverAck = base && after ? summariseAckHistogram(subtractHistograms(after, base)) : undefined;
  return { ack, serverAck };
}

/** A first attempt the generator has no outcome for (the send threw): treated as unanswered, so it is re-sent. */
function failedAttempt(): SendOutcome {
  const now = performance.now();
  return { status: 0, ok: false, timedOut: false, error: 'no outcome', startedAt: now, endedAt: now };
}

/** Re-deliveries, as Shopify makes them: only for first attempts that were not answered 2xx. */
function redeliver(
  options: FlashSaleOptions,
  ack: OpenLoopResult<SendOutcome>,
  requests: WebhookRequest[],
  sender: WebhookSender,
  finalStatuses: number[],
  progress: FlashProgress,
): Array<Promise<Delivery>> {
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  return requests.map((request, i) => {
    const first = ack.results[i] ?? failedAttempt();
    finalStatuses[i] = first.status;
    if (first.ok) {
      progress.accepted++;
      return Promise.resolve({ final: first, attempts: [first] });
    }
    return sleep(retryDelays[0] ?? 1_000)
      .then(() => sender.sendWithRetries(request, { retryDelaysMs: retryDelays.slice(1) }))
      .then((delivery) => {
        finalStatuses[i] = delivery.final.status;
        if (delivery.final.ok) {
          progress.accepted++;
        }
        return { final: delivery.final, attempts: [first, ...delivery.attempts] };
      });
  });
}

/** This sale's events and final statuses after those of the earlier sale into the same ERP, if any. */
function withPrior(
  options: FlashSaleOptions,
  events: readonly GeneratedEvent[],
  finalStatuses: readonly number[],
): [GeneratedEvent[], number[]] {
  return [
    [...(options.prior?.events ?? []), ...events],
    [...(options.prior?.finalStatuses ?? []), ...finalStatuses],
  ];
}

/** Distinct orders that must end in the ERP (accepted, valid) and in the dead letters (accepted, unknown SKU). */
function expected(
  events: readonly GeneratedEvent[],
  finalStatuses: readonly number[],
): { inErp: number; deadLettered: number } {
  const accepted = (i: number): boolean => finalStatuses[i] >= 200 && finalStatuses[i] < 300;
  const acceptedValid = events.filter((e, i) => e.validSkus && accepted(i));
  const acceptedInvalid = events.filter((e, i) => !e.validSkus && accepted(i));
  return {
    inErp: new Set(acceptedValid.map((e) => e.orderId)).size,
    deadLettered: new Set(acceptedInvalid.map((e) => e.orderId)).size,
  };
}

/** Waits until every expected order is in the ERP or the dead letters; true when `drainTimeoutMs` ran out first. */
async function waitForDrain(
  options: FlashSaleOptions,
  target: { inErp: number; deadLettered: number },
): Promise<boolean> {
  const deadline = Date.now() + options.drainTimeoutMs;
  for (;;) {
    const state = await options.sandbox.state();
    const dead = target.deadLettered > 0 ? (await fetchDeadLetters(options.appUrl, options.adminKey)).total : 0;
    if (state.counts.salesOrders >= target.inErp && dead >= target.deadLettered) {
      return false;
    }
    if (Date.now() > deadline) {
      return true;
    }
    await sleep(250);
  }
}

/** The final picture from the ERP and the app, judged by the exact ledger. */
async function judge(
  options: FlashSaleOptions,
  events: GeneratedEvent[],
  finalStatuses: number[],
): Promise<{ state: SandboxErpState; ledger: LedgerReport; deadLetters: number; erpLedger: SandboxLedgerEntry[] }> {
  const [state, erpOrders, erpLedger, deadLetters] = await Promise.all([
    options.sandbox.state(),
    options.sandbox.orders(),
    options.sandbox.ledger(),
    fetchDeadLetters(options.appUrl, options.adminKey).catch(() => ({ total: 0, orderIds: [] as string[] })),
  ]);
  const ledger = checkLedger({
    events,
    finalStatuses,
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
  return { state, ledger, deadLetters: deadLetters.total, erpLedger };
}
