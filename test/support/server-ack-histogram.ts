/**
 * The app's own ack-latency histogram (`erp_sync_webhook_ack_seconds`, from the controller's entry to the event
 * being durable), read from /metrics around a timed run. Reported beside the generator's open-loop figure: the
 * generator's number includes everything between Shopify and the answer (queueing on the machine, the socket pool),
 * the app's number only the time the request spent inside the app once it had been read.
 */

const METRIC = 'erp_sync_webhook_ack_seconds_bucket';

/** Cumulative counts by bucket upper bound (seconds; +Inf as Infinity), summed over every label set. */
export type AckHistogram = Map<number, number>;

export interface ServerAckSummary {
  count: number;
  /** Upper bound (ms) of the bucket holding the median, the 99th percentile and the largest observation. */
  p50AtMostMs: number;
  p99AtMostMs: number;
  maxAtMostMs: number;
}

/** Parses the Prometheus text exposition; returns undefined when the histogram is absent. */
export function parseAckHistogram(metricsText: string): AckHistogram | undefined {
  const buckets: AckHistogram = new Map();
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) {
      continue;
    }
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (le === undefined || !Number.isFinite(value)) {
      continue;
    }
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets.size > 0 ? buckets : undefined;
}

export function subtractHistograms(after: AckHistogram, before: AckHistogram): AckHistogram {
  const out: AckHistogram = new Map();
  for (const [bound, count] of after) {
    out.set(bound, count - (before.get(bound) ?? 0));
  }
  return out;
}

/** The bucket bounds that hold the median, the p99 and the maximum of a (delta) histogram. */
export function summariseAckHistogram(histogram: AckHistogram): ServerAckSummary {
  const bounds = [...histogram.keys()].sort((a, b) => a - b);
  const count = histogram.get(Number.POSITIVE_INFINITY) ?? Math.max(0, ...histogram.values());
  const atMost = (q: number): number => {
    const rank = Math.ceil(q * count);
    const bound = bounds.find((b) => (histogram.get(b) ?? 0) >= rank) ?? Number.POSITIVE_INFINITY;
    return bound * 1000;
  };
  return { count, p50AtMostMs: atMost(0.5), p99AtMostMs: atMost(0.99), maxAtMostMs: atMost(1) };
}

/** Reads the app's histogram; undefined (never throws) when /metrics cannot be read. */
export async function fetchAckHistogram(appUrl: string): Promise<AckHistogram | undefined> {
  try {
    const response = await fetch(`${appUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? parseAckHistogram(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

export function formatServerAck(s: ServerAckSummary | undefined): string {
  if (s === undefined) {
    return 'n/a';
  }
  const ms = (v: number): string =>
    Number.isFinite(v) ? `≤ ${v >= 10 ? v.toFixed(0) : v.toFixed(1)}` : '> largest bucket';
  return `${ms(s.p50AtMostMs)} / ${ms(s.p99AtMostMs)} / ${ms(s.maxAtMostMs)}`;
}
