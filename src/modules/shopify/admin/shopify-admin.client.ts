import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorKind } from 'src/common/errors/app-error';
import type { MetricsService } from 'src/common/observability/metrics.service';
import {
  BULK_OPERATION_BY_ID,
  BULK_OPERATION_RUN_QUERY,
  type BulkOperationView,
} from 'src/modules/shopify/admin/bulk-operations.shopify-graphql';
import {
  classifyShopifyResponse,
  type GraphqlResponseBody,
  type ShopifyAnswer,
} from 'src/modules/shopify/admin/classify-shopify-response';
import { throttledRetryDelayMs } from 'src/modules/shopify/admin/cost-bucket.math';
import {
  assertNoUserErrors,
  ShopifyAdminError,
  ShopifyAdminErrorCode,
} from 'src/modules/shopify/admin/shopify-admin.errors';
import type {
  ShopifyAdminPort,
  ShopifyDocument,
  ShopifyQueryCost,
  ShopifyRequestOptions,
  ShopifyResponse,
} from 'src/modules/shopify/admin/shopify-admin.port';
import type { CostBucket, CostReservation } from 'src/modules/shopify/admin/shopify-cost-bucket';

export interface ShopifyAdminClientSettings {
  /** `https://{shop}/admin/api/{version}/graphql.json` or a simulator's URL. */
  adminApiUrl: string;
  /** Undefined: every call fails with a clear NotConfigured error (roles that never call Shopify need none). */
  accessToken?: string;
  /** The shop this client writes to, named in the NotConfigured error; absent: the environment's shop. */
  shopDomain?: string;
  /** Per HTTP request. */
  requestTimeoutMs?: number;
  /** Overall default per `request` (waiting for the bucket included) unless the caller passes `timeoutMs`. */
  defaultTimeoutMs?: number;
  /** Attempts for 5xx / network errors. THROTTLED retries are bounded by the timeout instead. */
  maxTransientAttempts?: number;
  /** Expected cost of a document never sent before (refined from each answer's requestedQueryCost). */
  defaultExpectedCost?: number;
  /** A bulk operation's result download that receives no byte for this long is abandoned (a stalled transfer). */
  bulkDownloadIdleTimeoutMs?: number;
  /** A bulk operation's result download still running after this long is abandoned, however it trickles. */
  bulkDownloadTimeoutMs?: number;
  /** Longest line of a bulk result file (characters): a file without newlines cannot grow the buffer without end. */
  bulkMaxLineLength?: number;
}

const DEFAULTS = {
  requestTimeoutMs: 30_000,
  defaultTimeoutMs: 300_000,
  maxTransientAttempts: 5,
  defaultExpectedCost: 50,
  bulkDownloadIdleTimeoutMs: 60_000,
  bulkDownloadTimeoutMs: 3_600_000,
  // One JSONL line is one object (Shopify flattens connections into lines of their own): a few kB in practice.
  bulkMaxLineLength: 8 * 1024 * 1024,
};

/** Backoff for transient failures: 250 ms doubling to 8 s, with full jitter. */
function transientBackoffMs(attempt: number): number {
  const cap = Math.min(8_000, 250 * 2 ** (attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/**
 * The Shopify Admin GraphQL client (the adapter behind `ShopifyAdminPort`). Before each request it reserves the
 * expected cost in the bucket shared through Redis and waits until the bucket holds it, so a burst from any number
 * of processes never fires into a throttle; after the answer it settles the reservation with Shopify's own
 * `throttleStatus`. THROTTLED answers are retried after the time the bucket needs; 5xx and network errors with
 * backoff; everything else becomes a typed `ShopifyAdminError`. The access token never appears in errors or logs.
 */
export class ShopifyAdminClient implements ShopifyAdminPort {
  private readonly logger = new Logger(ShopifyAdminClient.name);
  private readonly settings: Required<Omit<ShopifyAdminClientSettings, 'accessToken' | 'shopDomain'>> &
    Pick<ShopifyAdminClientSettings, 'accessToken' | 'shopDomain'>;
  /** Requested cost of each document the last time it was sent. */
  private readonly lastRequestedCost = new Map<string, number>();

  constructor(
    settings: ShopifyAdminClientSettings,
    private readonly bucket: CostBucket,
    private readonly metrics?: MetricsService,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  async request<TData, TVariables>(
    document: ShopifyDocument<TData, TVariables>,
    variables: TVariables,
    options: ShopifyRequestOptions = {},
  ): Promise<ShopifyResponse<TData>> {
    const token = this.settings.accessToken;
    if (token === undefined || token === '') {
      throw new ShopifyAdminError(
        ErrorKind.Auth,
        ShopifyAdminErrorCode.NotConfigured,
        this.settings.shopDomain === undefined
          ? `${document.name}: SHOPIFY_ADMIN_ACCESS_TOKEN is not set; the worker and scheduler roles need it to call the Shopify Admin API`
          : `${document.name}: shop ${this.settings.shopDomain} has no Admin API token (SHOPIFY_ADMIN_ACCESS_TOKEN for the environment's shop, adminAccessToken through the shops API for the others)`,
        { operation: document.name },
      );
    }
    const deadline = Date.now() + (options.timeoutMs ?? this.settings.defaultTimeoutMs);
    const body = JSON.stringify({ query: document.source, variables });
    let transientAttempts = 0;
    let throttledAnswers = 0;

    for (;;) {
      const expected =
        options.expectedCost ?? this.lastRequestedCost.get(document.name) ?? this.settings.defaultExpectedCost;
      const reservation = await this.bucket.reserve(expected);
      if (reservation.waitMs > 0) {
        if (Date.now() + reservation.waitMs > deadline) {
          await this.bucket.settle(reservation, { refund: reservation.cost });
          throw this.outOfTime(document.name, throttledAnswers, reservation.waitMs);
        }
        await sleep(reservation.waitMs);
      }

      const answer = await this.send(document.name, token, body, reservation);
      switch (answer.kind) {
        case 'ok':
          this.count(document.name, 'ok', answer.cost);
          return { data: answer.data as TData, cost: answer.cost };
        case 'throttled': {
          throttledAnswers += 1;
          this.count(document.name, 'throttled', answer.cost);
          this.metrics?.shopifyThrottled.inc({ operation: document.name });
          // The bucket was just re-synchronised with Shopify's figures, so the next reservation waits exactly the
          // time the bucket needs; this pause only adds Retry-After (429) or a small growing floor against loops.
          const needed = answer.cost
            ? throttledRetryDelayMs(answer.cost.requestedQueryCost, answer.cost.throttleStatus)
            : transientBackoffMs(throttledAnswers);
          if (Date.now() + needed > deadline) {
            throw this.outOfTime(document.name, throttledAnswers, needed);
          }
          this.logger.warn(`${document.name}: THROTTLED by Shopify, retrying in about ${needed} ms`);
          await sleep(answer.retryAfterMs ?? (answer.cost ? Math.min(1_000, 50 * throttledAnswers) : needed));
          continue;
        }
        case 'retry': {
          transientAttempts += 1;
          this.count(document.name, 'transient', undefined);
          const delay = answer.error.details.retryAfterMs ?? transientBackoffMs(transientAttempts);
          if (transientAttempts >= this.settings.maxTransientAttempts || Date.now() + delay > deadline) {
            throw answer.error;
          }
          await sleep(delay);
          continue;
        }
        case 'fail':
          this.count(document.name, answer.error.kind, answer.cost);
          throw answer.error;
      }
    }
  }

  async *bulkQuery(
    query: string,
    options: { pollIntervalMs?: number; timeoutMs?: number } = {},
  ): AsyncIterable<Record<string, unknown>> {
    const started = await this.request(BULK_OPERATION_RUN_QUERY, { query });
    const payload = assertNoUserErrors(started.data.bulkOperationRunQuery, 'bulkOperationRunQuery');
    const id = payload.bulkOperation?.id;
    if (!id) {
      throw new ShopifyAdminError(
        ErrorKind.Permanent,
        ShopifyAdminErrorCode.BulkOperationFailed,
        'bulkOperationRunQuery returned no operation',
      );
    }
    const operation = await this.waitForBulkOperation(id, options.pollIntervalMs ?? 1_000, options.timeoutMs);
    if (!operation.url) {
      return; // Completed with no objects: Shopify gives no file.
    }
    yield* this.readJsonl(operation.url);
  }

  private async waitForBulkOperation(id: string, pollMs: number, timeoutMs = 3_600_000): Promise<BulkOperationView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { data } = await this.request(BULK_OPERATION_BY_ID, { id });
      const op = data.bulkOperation;
      if (op?.status === 'COMPLETED') {
        return op;
      }
      if (!op || op.status === 'FAILED' || op.status === 'CANCELED' || op.status === 'EXPIRED') {
        throw new ShopifyAdminError(
          ErrorKind.Transient,
          ShopifyAdminErrorCode.BulkOperationFailed,
          `bulk operation ${id} ended ${op?.status ?? 'NOT_FOUND'}${op?.errorCode ? ` (${op.errorCode})` : ''}`,
        );
      }
      if (Date.now() + pollMs > deadline) {
        throw new ShopifyAdminError(
          ErrorKind.Transient,
          ShopifyAdminErrorCode.BulkOperationFailed,
          `bulk operation ${id} still ${op.status} after ${timeoutMs} ms`,
        );
      }
      await sleep(pollMs);
    }
  }

  /**
   * The result file is a signed URL: fetched without the access token, streamed line by line. Bounded: no byte for
   * `bulkDownloadIdleTimeoutMs` (the time the caller spends on each line does not count), or a download still going
   * after `bulkDownloadTimeoutMs`, aborts it (a Transient error: the next run starts again); a line longer than
   * `bulkMaxLineLength` is refused (Permanent) instead of buffered.
   */
  private async *readJsonl(url: string): AsyncIterable<Record<string, unknown>> {
    const { bulkDownloadIdleTimeoutMs: idleMs, bulkDownloadTimeoutMs: totalMs, bulkMaxLineLength } = this.settings;
    const abort = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const waitForBytes = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`no data for ${idleMs} ms`)), idleMs);
    };
    const overall = setTimeout(() => abort.abort(new Error(`not finished after ${totalMs} ms`)), totalMs);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      waitForBytes();
      const response = await this.fetchImpl(url, { signal: abort.signal });
      if (!response.ok || !response.body) {
        throw new ShopifyAdminError(
          ErrorKind.Transient,
          ShopifyAdminErrorCode.BulkOperationFailed,
          `bulk operation result download answered HTTP ${response.status}`,
        );
      }
      reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        waitForBytes();
        const { done, value } = await reader.read();
        clearTimeout(idle);
        if (done) {
          break;
        }
        buffered += decoder.decode(value, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (line !== '') {
            yield JSON.parse(line) as Record<string, unknown>;
          }
          newline = buffered.indexOf('\n');
        }
        if (buffered.length > bulkMaxLineLength) {
          throw new ShopifyAdminError(
            ErrorKind.Permanent,
            ShopifyAdminErrorCode.BulkOperationFailed,
            `bulk operation result has a line longer than ${bulkMaxLineLength} characters`,
          );
        }
      }
      const rest = (buffered + decoder.decode()).trim();
      if (rest !== '') {
        yield JSON.parse(rest) as Record<string, unknown>;
      }
    } catch (error: unknown) {
      if (abort.signal.aborted && !(error instanceof ShopifyAdminError)) {
        throw new ShopifyAdminError(
          ErrorKind.Transient,
          ShopifyAdminErrorCode.BulkOperationFailed,
          `bulk operation result download abandoned: ${errorText(abort.signal.reason)}`,
        );
      }
      throw error;
    } finally {
      clearTimeout(idle);
      clearTimeout(overall);
      // An abandoned download (timeout, a refused line, a caller that stopped reading) frees its connection.
      await reader?.cancel().catch(() => undefined);
    }
  }

  private async send(
    operation: string,
    token: string,
    body: string,
    reservation: CostReservation,
  ): Promise<ShopifyAnswer & { cost?: ShopifyQueryCost }> {
    let response: Response;
    let parsed: GraphqlResponseBody | undefined;
    try {
      response = await this.fetchImpl(this.settings.adminApiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': token },
        body,
        signal: AbortSignal.timeout(this.settings.requestTimeoutMs),
      });
      const text = await response.text();
      try {
        parsed = text === '' ? undefined : (JSON.parse(text) as GraphqlResponseBody);
      } catch {
        parsed = undefined;
      }
    } catch (error) {
      // Unknown whether Shopify executed it: the reservation stays spent (the safe side).
      await this.bucket.settle(reservation, {});
      const message = error instanceof Error ? error.message : String(error);
      return {
        kind: 'retry',
        error: new ShopifyAdminError(
          ErrorKind.Transient,
          ShopifyAdminErrorCode.Unavailable,
          `${operation}: request to Shopify failed: ${message}`,
          { operation },
        ),
      };
    }
    const retryAfter = response.headers.get('retry-after');
    const retryAfterMs = retryAfter && /^\d+(\.\d+)?$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
    const answer = classifyShopifyResponse(operation, response.status, parsed, retryAfterMs);
    const cost = parsed?.extensions?.cost;
    if (cost) {
      this.lastRequestedCost.set(operation, cost.requestedQueryCost);
    }
    await this.bucket.settle(reservation, cost?.throttleStatus ? { throttleStatus: cost.throttleStatus } : {});
    if (cost?.throttleStatus) {
      this.metrics?.shopifyBucketAvailable.set(cost.throttleStatus.currentlyAvailable);
    }
    return answer;
  }

  private count(operation: string, outcome: string, cost: ShopifyQueryCost | undefined): void {
    this.metrics?.shopifyRequests.inc({ operation, outcome });
    if (cost?.actualQueryCost) {
      this.metrics?.shopifyPointsUsed.inc({ operation }, cost.actualQueryCost);
    }
  }

  private outOfTime(operation: string, throttledAnswers: number, neededMs: number): ShopifyAdminError {
    return new ShopifyAdminError(
      ErrorKind.Throttled,
      ShopifyAdminErrorCode.Throttled,
      `${operation}: Shopify's cost budget needs ${neededMs} ms more than the time left (${throttledAnswers} THROTTLED answers)`,
      { operation, retryAfterMs: neededMs },
    );
  }
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
