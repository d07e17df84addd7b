import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEMO_SHOP } from 'scripts/lib/services';
import { type OpenLoopResult, runOpenLoop } from 'test/support/open-loop';
import { type Distribution, summarise } from 'test/support/percentiles';
import { type SendOutcome, WebhookSender } from 'test/support/webhook-sender';
import { buildWebhookRequest, ShopifyHeader, type WebhookRequest } from 'test/support/webhook-signer';

/** The bench's ingest load: open loop at fixed rates (latency from the due time) and closed loop (throughput). */

/** The same signed body every time, with fresh delivery ids so that no dedupe shortcut answers instead of ingest. */
export function requestFactory(body: string, secret: string): () => WebhookRequest {
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

export interface OpenLoopRow {
  target: string;
  rate: number;
  result: OpenLoopResult<SendOutcome>;
}

/** Open loop into `url` at `rate` per second: `warmupS` unmeasured, then `durationS` measured. */
export async function openLoopIngest(
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

export interface ClosedLoopResult {
  target: string;
  concurrency: number;
  requests: number;
  ok: number;
  failed: number;
  perSecond: number;
  latencyMs: Distribution;
}

/** Max throughput: `concurrency` senders, each sending again as soon as its answer arrives. Latency from send. */
export async function closedLoopIngest(
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
