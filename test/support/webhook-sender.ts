import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { WebhookRequest } from 'test/support/webhook-signer';

/** Shopify's own limits: it gives up on a delivery after 5 s in total (shared/facts api-facts A.1). */
export const SHOPIFY_TIMEOUT_MS = 5_000;
/** Shopify retries 8 times over 4 h; the harness keeps its shape on a compressed clock. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000];

export interface SendOutcome {
  /** HTTP status; 0 when no response arrived (connection error or timeout). */
  status: number;
  ok: boolean;
  timedOut: boolean;
  error?: string;
  /** The first 500 characters of the response body, for diagnostics. */
  body?: string;
  /** `performance.now()` when the request was written and when the response ended (or failed). */
  startedAt: number;
  endedAt: number;
}

export interface Delivery {
  /** The last attempt's outcome: the one that decides accepted / rejected / failed. */
  final: SendOutcome;
  attempts: SendOutcome[];
}

export interface SendWithRetriesOptions {
  retryDelaysMs?: readonly number[];
  /** Called after every attempt (0 = first); the open-loop generator times the first one through it. */
  onAttempt?: (outcome: SendOutcome, attempt: number) => void;
}

export interface WebhookSenderOptions {
  /** e.g. http://127.0.0.1:3000/webhooks/shopify */
  url: string;
  maxSockets?: number;
  timeoutMs?: number;
}

/**
 * Sends webhooks the way Shopify does: one POST with a hard total timeout, re-sent unchanged after a non-2xx answer
 * or a timeout. Keep-alive sockets are pooled so that the benchmark measures the server, not TCP handshakes.
 */
export class WebhookSender {
  private readonly agent: http.Agent;
  private readonly target: URL;
  private readonly timeoutMs: number;

  constructor(options: WebhookSenderOptions) {
    this.target = new URL(options.url);
    this.timeoutMs = options.timeoutMs ?? SHOPIFY_TIMEOUT_MS;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'fifo' });
  }

  /** One attempt; never rejects. */
  send(req: WebhookRequest): Promise<SendOutcome> {
    return new Promise<SendOutcome>((resolve) => {
      const startedAt = performance.now();
      let settled = false;
      const finish = (outcome: Omit<SendOutcome, 'startedAt' | 'endedAt' | 'ok'>): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        const ok = outcome.status >= 200 && outcome.status < 300;
        resolve({ ...outcome, ok, startedAt, endedAt: performance.now() });
      };
      const request = http.request(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname + this.target.search,
          method: 'POST',
          agent: this.agent,
          headers: { ...req.headers, 'Content-Length': String(req.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept < 500) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          res.on('end', () => {
            finish({
              status: res.statusCode ?? 0,
              timedOut: false,
              body: Buffer.concat(chunks).toString('utf8').slice(0, 500),
            });
          });
          res.on('error', (err) => finish({ status: 0, timedOut: false, error: err.message }));
        },
      );
      // A total deadline, not an idle timeout: Shopify counts the whole exchange.
      const timer = setTimeout(() => {
        finish({ status: 0, timedOut: true, error: `no response within ${this.timeoutMs} ms` });
        request.destroy();
      }, this.timeoutMs);
      request.on('error', (err) => finish({ status: 0, timedOut: false, error: err.message }));
      request.end(req.body);
    });
  }

  /** Re-sends after each delay until a 2xx or the delays run out; returns every attempt. Never rejects. */
  async sendWithRetries(req: WebhookRequest, options: SendWithRetriesOptions = {}): Promise<Delivery> {
    const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const attempts: SendOutcome[] = [];
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.send(req);
      attempts.push(outcome);
      options.onAttempt?.(outcome, attempt);
      if (outcome.ok || attempt >= delays.length) {
        return { final: outcome, attempts };
      }
      await sleep(delays[attempt]);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
