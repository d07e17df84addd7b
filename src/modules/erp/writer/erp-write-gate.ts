import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorKind } from 'src/common/errors/app-error';
import type { MetricsService } from 'src/common/observability/metrics.service';
import type { ErpRequestGate } from 'src/modules/erp/port/erp-connector-context';
import { ErpError } from 'src/modules/erp/port/erp-error';
import {
  AdaptiveLimit,
  DEFAULT_ADAPTIVE_TIMINGS,
  type AdaptiveLimitOptions,
  type AdaptiveLimitState,
} from 'src/modules/erp/writer/adaptive-limit';
import { ConfigurationPause } from 'src/modules/erp/writer/configuration-pause';
import {
  ErpCircuit,
  isCircuitOpenedRefusal,
  isOpenCircuitRejection,
  type ErpCircuitTuning,
} from 'src/modules/erp/writer/erp-circuit';
import { TAKE_PERMIT_SCRIPT } from 'src/modules/erp/writer/erp-write-gate.scripts';

export interface ErpWriteGateOptions {
  connector: string;
  /** Hard cap on concurrent ERP requests across every process. */
  maxConcurrency: number;
  /**
   * Where the learnt limit starts (default: the cap). Below the cap the writer discovers the ERP's real limit from
   * its throttling (see AdaptiveLimit); with ERP_MAX_CONCURRENCY unset the cap is high and this is the vendor default.
   */
  initialConcurrency?: number;
  /** Timings of the adaptive limit (tests shorten them). */
  adaptive?: Partial<Omit<AdaptiveLimitOptions, 'min' | 'max' | 'initial'>>;
  /** Hard cap on requests per second across every process; undefined = none. */
  maxRps?: number;
  /** The ERP HTTP timeout; leases outlive it so a permit is never freed while its request may still run. */
  requestTimeoutMs: number;
  /** How long a caller waits for an open circuit to close before giving the message back for a delayed retry. */
  maxCircuitWaitMs: number;
  /** Throttled answers retried in-process (after Retry-After) before the caller is told to retry later. */
  maxThrottleRetries: number;
  /**
   * The longest Retry-After honoured (ERP_MAX_RETRY_AFTER_SECONDS, default 300 s): a longer one is cut to this before
   * it is shared, so that a vendor saying "come back in three days" cannot freeze every writer for three days.
   */
  maxRetryAfterMs?: number;
  /** Circuit breaker tuning (defaults suit a 60 s outage: opens within a few calls, probes every 5 s). */
  breaker?: ErpCircuitTuning;
  /** Redis key prefix of the shared state; only tests that run several independent gates change it. */
  keyPrefix?: string;
}

const DEFAULT_KEY = 'erp-sync:erp-gate';
const DEFAULT_MAX_RETRY_AFTER_MS = 300_000;
/**
 * A caller waiting for a permit tries again as soon as a request of this process releases one, and at least this
 * often otherwise (a permit released by another process, or a lease that expired). Polling Redis every few ms instead
 * cost a Lua call per try for as long as a backlog waits, on the same cores as ingest.
 */
const PERMIT_POLL_MS = 20;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Everything between a use case and the ERP: a concurrency limit shared by every worker process (a Redis
 * semaphore with leases, sized by an adaptive limit learnt from the ERP's 429s), an optional shared requests-per-second limit,
 * a shared cool-down after Retry-After, and a circuit breaker that pauses calls while the ERP is down (ErpCircuit).
 *
 * Redis keeps nothing across a restart here, so the gate *fences* after one: a process that sees the gate's epoch
 * change waits one lease length before acquiring, so permits wiped with Redis cannot let concurrency overshoot.
 */
export class ErpWriteGate implements ErpRequestGate {
  private readonly logger = new Logger(ErpWriteGate.name);
  private readonly limit: AdaptiveLimit;
  private readonly circuit: ErpCircuit;
  private readonly breaker: ErpCircuit['breaker'];
  private readonly rateLimiter?: RateLimiterRedis;
  private readonly leaseMs: number;
  /** Only one local caller polls Redis for a permit at a time; the others queue here, in order. */
  private acquireChain: Promise<void> = Promise.resolve();
  private epoch?: string;
  private inFlight = 0;
  /** Wakes the (single) local caller waiting for a permit when a local request releases one. */
  private permitFreed?: () => void;
  private readonly key: string;
  private readonly permitsKey: string;
  private readonly configuration: ConfigurationPause;

  constructor(
    private readonly redis: Redis,
    private readonly options: ErpWriteGateOptions,
    private readonly metrics?: MetricsService,
  ) {
    this.key = options.keyPrefix ?? DEFAULT_KEY;
    // Where redis-semaphore kept the permits, so that a rolling upgrade shares them with the processes not yet new.
    this.permitsKey = `semaphore:${this.key}:permits`;
    this.limit = new AdaptiveLimit(
      {
        min: 1,
        max: options.maxConcurrency,
        initial: options.initialConcurrency ?? options.maxConcurrency,
        ...DEFAULT_ADAPTIVE_TIMINGS,
        ...options.adaptive,
      },
      Date.now(),
    );
    this.leaseMs = options.requestTimeoutMs + 5_000;
    this.circuit = new ErpCircuit(options.connector, options.breaker, this.logger, metrics);
    this.breaker = this.circuit.breaker;
    this.configuration = new ConfigurationPause(options.connector, this.logger, metrics);
    this.breaker.on('close', () => this.configuration.end());
    if (options.maxRps !== undefined) {
      this.rateLimiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${this.key}:rps`,
        points: options.maxRps,
        duration: 1,
      });
    }
    this.metrics?.erpConcurrencyLimit.set(this.limit.current);
  }

  get circuitState(): 'closed' | 'half-open' | 'open' {
    return this.circuit.state;
  }

  get concurrencyLimit(): number {
    return this.limit.current;
  }

  /**
   * Runs one port operation (which may send several ERP requests, each through `request`) behind the circuit
   * breaker. While the ERP is down the operation waits for the circuit and is re-run from the start, so an outage
   * never spends a message's retry attempts; operations are idempotent by the port's contract. Throws ErpError.
   */
  async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.circuit.waitForClosed(this.options.maxCircuitWaitMs);
      try {
        return await this.circuit.fire(run);
      } catch (error: unknown) {
        if (isOpenCircuitRejection(error) || isCircuitOpenedRefusal(error)) {
          // Lost the race for the half-open probe, or the circuit opened while this operation waited for a permit:
          // wait for the circuit again (the operation is re-run from the start).
          continue;
        }
        const kind = error instanceof ErpError ? error.kind : ErrorKind.Transient;
        if (kind === ErrorKind.Transient && this.breaker.opened) {
          // The ERP is down (this failure opened the circuit, or was a failed probe): not this message's fault.
          this.logger.debug({ operation }, 'ERP operation waits for the circuit');
          continue;
        }
        if (this.pauseForConfiguration(error)) {
          continue;
        }
        throw error;
      }
    }
  }

  /** @description The answer that paused ERP calls because our settings are wrong; undefined while they work. */
  get configurationProblem(): ErpError | undefined {
    return this.configuration.problem;
  }

  /**
   * Refused credentials, or a base URL, company or account the ERP does not have, fail every message alike until an
   * operator acts: the circuit opens at once, as for an outage (calls wait, their messages stay in RabbitMQ
   * uncounted, one probe per reset interval), and ConfigurationPause raises the alarm. True for such an answer.
   */
  pauseForConfiguration(error: unknown): boolean {
    if (!this.configuration.begin(error)) {
      return false;
    }
    this.breaker.open();
    return true;
  }

  /**
   * While paused for a configuration error and the half-open probe finds no caller (no message waits), runs
   * `check` (a cheap read) as that probe, through the breaker like any call, so the pause ends by itself once the
   * setting works. Resolves true when it probed.
   */
  async probeWhenIdle(check: () => Promise<void>): Promise<boolean> {
    if (this.configuration.problem === undefined || !this.breaker.halfOpen || !this.breaker.pendingClose) {
      return false;
    }
    try {
      await this.breaker.fire(check);
    } catch (error: unknown) {
      if (isOpenCircuitRejection(error)) {
        return false; // a message's call took the probe first
      }
      this.pauseForConfiguration(error);
    }
    return true;
  }

  /** A check of the connection succeeded: while paused for a configuration error, resume now. */
  configurationWorks(): void {
    if (this.configuration.problem !== undefined) {
      this.breaker.close();
    }
  }

  /**
   * Operations past the breaker when the first refusal came get the same refusal here instead of a request each
   * (their callers then wait for the circuit), and give their permit back. The half-open probe is not held.
   */
  private async refuseWhilePausedForConfiguration(release: () => Promise<void>): Promise<void> {
    const refusal = this.configuration.problem;
    if (refusal !== undefined && this.breaker.opened) {
      await release();
      throw refusal;
    }
  }

  /**
   * Sends one HTTP request to the ERP under the shared limits: a permit of the shared concurrency limit, a rate
   * token, and no earlier than any shared Retry-After. A throttled answer shrinks the limit, is waited out and
   * re-sent here (a throttled request was not processed, so re-sending is safe). Other failures are thrown.
   */
  async request<T>(operation: string, send: () => Promise<T>): Promise<T> {
    let throttleRetries = 0;
    for (;;) {
      await this.circuit.untilLetsThrough();
      const release = await this.acquire();
      await this.refuseWhilePausedForConfiguration(release);
      if (this.circuit.overtaken()) {
        // The circuit changed while this request waited for its permit: give the permit back and decide again.
        await release();
        continue;
      }
      const started = Date.now();
      this.inFlight++;
      this.metrics?.erpInFlight.set(this.inFlight);
      try {
        const result = await send();
        if (this.limit.onSuccess(Date.now())) {
          this.shareLimit();
        }
        this.observe(operation, 'ok', started);
        return result;
      } catch (error: unknown) {
        const kind = error instanceof ErpError ? error.kind : ErrorKind.Transient;
        this.observe(operation, kind, started);
        if (error instanceof ErpError && kind === ErrorKind.Throttled) {
          if (this.limit.onThrottle(Date.now())) {
            this.shareLimit();
          }
          this.metrics?.erpThrottled.inc({ connector: this.options.connector });
          await this.coolDown(this.coolDownOf(error, operation));
          if (throttleRetries++ < this.options.maxThrottleRetries) {
            continue;
          }
        }
        throw error;
      } finally {
        this.inFlight--;
        this.metrics?.erpInFlight.set(this.inFlight);
        this.metrics?.erpConcurrencyLimit.set(this.limit.current);
        await release();
      }
    }
  }

  /**
   * Takes one shared permit (after any shared cool-down and rate limit); returns its release. Local callers take
   * their turn one at a time; each try is one atomic round trip to Redis (TAKE_PERMIT_SCRIPT), which also answers
   * the gate's epoch, the shared learnt limit and the shared cool-down, so a permit is never taken inside a
   * Retry-After nor after a Redis restart not yet fenced.
   */
  private async acquire(): Promise<() => Promise<void>> {
    let releaseTurn!: () => void;
    const previous = this.acquireChain;
    this.acquireChain = new Promise<void>((resolve) => (releaseTurn = resolve));
    await previous;
    try {
      const holder = await this.takePermit();
      return async () => {
        await this.redis.zrem(this.permitsKey, holder).catch((error: unknown) => {
          // The lease expires by itself; a failed release only delays the next caller.
          this.logger.warn(`permit release failed: ${String(error)}`);
        });
        this.permitFreed?.();
      };
    } finally {
      releaseTurn();
    }
  }

  /** Waits out the fence, the shared cool-down and the rate limit, then polls for one permit; returns its holder id. */
  private async takePermit(): Promise<string> {
    const holder = randomUUID();
    await this.takeRateToken();
    for (;;) {
      const [taken, epoch, sharedLimit, coolDownLeft] = (await this.redis.eval(
        TAKE_PERMIT_SCRIPT,
        4,
        `${this.key}:epoch`,
        `${this.key}:cooldown-until`,
        `${this.key}:limit`,
        this.permitsKey,
        Date.now(),
        this.leaseMs,
        holder,
        this.epoch ?? '',
        randomUUID(),
        this.limit.current,
        this.options.maxConcurrency,
      )) as [number, string, string, number];
      this.adoptSharedLimit(sharedLimit === '' ? null : sharedLimit);
      if (epoch !== this.epoch) {
        await this.fenceAfterRedisRestart(epoch);
        continue;
      }
      if (Number(taken) === 1) {
        return holder;
      }
      if (Number(coolDownLeft) > 0) {
        await sleep(Number(coolDownLeft));
        await this.takeRateToken();
        continue;
      }
      await this.untilPermitFreed(PERMIT_POLL_MS);
    }
  }

  /** Resolves when a local request releases a permit, or after `ms`. */
  private untilPermitFreed(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.permitFreed === done) {
          this.permitFreed = undefined;
        }
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.permitFreed = done;
    });
  }

  /** Every process uses the limit the last deciding process learnt (a JSON state in Redis). */
  private adoptSharedLimit(shared: string | null): void {
    if (shared === null) {
      return;
    }
    try {
      this.limit.adopt(JSON.parse(shared) as AdaptiveLimitState);
      this.metrics?.erpConcurrencyLimit.set(this.limit.current);
    } catch {
      // A corrupt value is overwritten by the next decision.
    }
  }

  private shareLimit(): void {
    this.metrics?.erpConcurrencyLimit.set(this.limit.current);
    this.logger.log({ connector: this.options.connector, limit: this.limit.current }, 'ERP concurrency limit changed');
    this.redis.set(`${this.key}:limit`, JSON.stringify(this.limit.snapshot())).catch(() => undefined);
  }

  /**
   * The gate's epoch in Redis is not the one this process knew: Redis restarted (or lost its keys), and permits
   * leased before may still be in use. The first epoch a process sees is adopted as it is; a change waits one lease.
   */
  private async fenceAfterRedisRestart(current: string): Promise<void> {
    const hadEpoch = this.epoch !== undefined;
    this.epoch = current;
    if (hadEpoch) {
      this.logger.warn({ waitMs: this.leaseMs }, 'Redis state was reset: fencing one lease length before ERP calls');
      await sleep(this.leaseMs);
    }
  }

  /** How long a throttled answer holds every request back: its Retry-After (1 s if none), at most the cap. */
  private coolDownOf(error: ErpError, operation: string): number {
    const asked = Math.max(error.details.retryAfterMs ?? 1_000, 100);
    const cap = this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    if (asked <= cap) {
      return asked;
    }
    this.logger.warn(
      { connector: this.options.connector, operation, retryAfterMs: asked, waitMs: cap },
      'ERP Retry-After longer than ERP_MAX_RETRY_AFTER_SECONDS: every worker waits the cap instead',
    );
    return cap;
  }

  /** Shares the ERP's Retry-After with every process, so no request reaches it earlier than it asked. */
  private async coolDown(waitMs: number): Promise<void> {
    const until = Date.now() + waitMs;
    const key = `${this.key}:cooldown-until`;
    const current = Number((await this.redis.get(key).catch(() => null)) ?? 0);
    if (until > current) {
      await this.redis.set(key, String(until), 'PX', waitMs).catch(() => undefined);
    }
    await sleep(waitMs);
  }

  private async takeRateToken(): Promise<void> {
    if (this.rateLimiter === undefined) {
      return;
    }
    for (;;) {
      try {
        await this.rateLimiter.consume('erp', 1);
        return;
      } catch (rejection: unknown) {
        if (rejection instanceof RateLimiterRes) {
          await sleep(Math.max(rejection.msBeforeNext, 5));
        } else {
          throw rejection;
        }
      }
    }
  }

  private observe(operation: string, outcome: string, started: number): void {
    this.metrics?.erpRequests.inc({ connector: this.options.connector, operation, outcome });
    this.metrics?.erpRequestSeconds.observe(
      { connector: this.options.connector, operation },
      (Date.now() - started) / 1000,
    );
  }

  shutdown(): void {
    this.circuit.shutdown();
  }
}
