import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type OpenLoopResult, runOpenLoop } from 'test/support/open-loop';
import { type SendOutcome, WebhookSender } from 'test/support/webhook-sender';
import type { WebhookRequest } from 'test/support/webhook-signer';

/**
 * The first delivery attempt of every webhook, sent open loop from a worker thread that does nothing else.
 *
 * Shopify is another machine; on this one the generator shares two cores with the system under test. When the
 * harness's own bookkeeping (retries, progress polling, ledger checks) ran on the generator's event loop, the
 * measured ack latency included the generator's stalls: p99 233–286 ms against 18–21 ms for a lean generator in a
 * separate process (docs/benchmarks.md, 2026-11-29). This thread has its own event loop and heap, so it times the
 * app and only the app; its own lag is still reported (`lagMs`).
 */

export interface AckLoopOptions {
  url: string;
  requests: readonly WebhookRequest[];
  ratePerSecond: number;
  maxSockets?: number;
  warmupCount?: number;
  /** Called about every 250 ms with the number of first attempts answered so far. */
  onAnswered?: (answered: number) => void;
  /** Called when the first request after the warm-up is sent. */
  onMeasuredStart?: () => void;
}

interface WorkerInput {
  url: string;
  requests: readonly WebhookRequest[];
  ratePerSecond: number;
  maxSockets?: number;
  warmupCount?: number;
}

type WorkerMessage =
  | { kind: 'progress'; answered: number }
  | { kind: 'measured-start' }
  | { kind: 'done'; result: OpenLoopResult<SendOutcome> }
  | { kind: 'error'; message: string };

/** Runs the open loop in a worker thread built from this compiled file; resolves with its result. */
export function runAckLoopInWorker(options: AckLoopOptions): Promise<OpenLoopResult<SendOutcome>> {
  if (!__filename.endsWith('.js')) {
    // Under ts-jest there is no compiled file to start a worker from; run in this thread instead.
    return runAckLoop(options, options.onAnswered, options.onMeasuredStart);
  }
  const input: WorkerInput = {
    url: options.url,
    requests: options.requests,
    ratePerSecond: options.ratePerSecond,
    maxSockets: options.maxSockets,
    warmupCount: options.warmupCount,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: input });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') {
        options.onAnswered?.(message.answered);
      } else if (message.kind === 'measured-start') {
        options.onMeasuredStart?.();
      } else if (message.kind === 'done') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(new Error(`ack generator failed: ${message.message}`));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) {
        reject(new Error(`ack generator exited with code ${code} before finishing`));
      }
    });
  });
}

async function runAckLoop(
  input: WorkerInput,
  onAnswered?: (answered: number) => void,
  onMeasuredStart?: () => void,
): Promise<OpenLoopResult<SendOutcome>> {
  const sender = new WebhookSender({ url: input.url, maxSockets: input.maxSockets });
  let answered = 0;
  let reported = performance.now();
  try {
    return await runOpenLoop<SendOutcome>({
      count: input.requests.length,
      ratePerSecond: input.ratePerSecond,
      warmupCount: input.warmupCount,
      onMeasuredStart,
      // Timer pacing leaves the CPU to the app between sends (a spinning generator would take a core from it).
      pacing: 'timer',
      send: (i) => sender.send(input.requests[i]),
      onResult: () => {
        answered++;
        const now = performance.now();
        if (now - reported >= 250) {
          reported = now;
          onAnswered?.(answered);
        }
      },
    });
  } finally {
    sender.close();
  }
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  runAckLoop(
    workerData as WorkerInput,
    (answered) => port.postMessage({ kind: 'progress', answered } satisfies WorkerMessage),
    () => port.postMessage({ kind: 'measured-start' } satisfies WorkerMessage),
  )
    .then((result) => port.postMessage({ kind: 'done', result } satisfies WorkerMessage))
    .catch((error: unknown) => port.postMessage({ kind: 'error', message: String(error) } satisfies WorkerMessage));
}
