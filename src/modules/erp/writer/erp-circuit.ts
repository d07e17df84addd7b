import type { Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import CircuitBreaker from 'opossum';
import { ErrorKind } from 'src/common/errors/app-error';
import type { MetricsService } from 'src/common/observability/metrics.service';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { isConfigurationError } from 'src/modules/erp/writer/configuration-pause';

/** Circuit breaker tuning (defaults suit a 60 s outage: opens within a few calls, probes every 5 s). */
export interface ErpCircuitTuning {
  volumeThreshold?: number;
  errorThresholdPercentage?: number;
  resetTimeoutMs?: number;
}

/** The breaker events that can let a waiting caller through (or start a new wait). */
const CIRCUIT_EVENTS = ['halfOpen', 'close', 'open'] as const;
/** Callers waiting for the circuit look again at least this often, event or not (their deadline may have come). */
const CIRCUIT_RECHECK_MS = 1_000;
/** The refusal a request of an operation gets when the circuit opened after the operation was let through. */
const CIRCUIT_OPENED_CODE = 'CIRCUIT_OPENED';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a port operation carries to its requests: the circuit's opening it was let through under. */
interface OperationContext {
  readonly opening: number;
}

/**
 * The ERP's circuit breaker (opossum) and everything that waits on it: callers waiting for it to close share one
 * subscription to its next change, and each operation let through remembers under which opening, so that its
 * requests stop once the circuit opens again (see `untilLetsThrough`).
 */
export class ErpCircuit {
  readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  /** How many times the circuit has opened; an operation let through before the last opening sends nothing more. */
  private openings = 0;
  private readonly operation = new AsyncLocalStorage<OperationContext>();
  /** The breaker's next state change, shared by every caller waiting for the circuit (see nextChange). */
  private change?: Promise<void>;

  constructor(connector: string, tuning: ErpCircuitTuning | undefined, logger: Logger, metrics?: MetricsService) {
    this.breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false,
      volumeThreshold: tuning?.volumeThreshold ?? 5,
      errorThresholdPercentage: tuning?.errorThresholdPercentage ?? 50,
      resetTimeout: tuning?.resetTimeoutMs ?? 5_000,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      // Only an unavailable ERP (or one that refuses our settings) opens the circuit; a rejected order or a 429 says
      // nothing about availability. A filtered error counts as a success, which would close a half-open circuit.
      // The refusal of an operation that the circuit's opening overtook (untilLetsThrough) says nothing either.
      errorFilter: (error: unknown) =>
        isCircuitOpenedRefusal(error) ||
        !(error instanceof ErpError && (error.kind === ErrorKind.Transient || isConfigurationError(error))),
    });
    const state = (value: number) => () => metrics?.circuitState.set({ connector }, value);
    this.breaker.on('open', () => {
      this.openings++;
      logger.warn({ connector }, 'ERP circuit opened: pausing ERP writes');
      state(2)();
    });
    this.breaker.on('halfOpen', state(1));
    this.breaker.on('close', () => {
      logger.log({ connector }, 'ERP circuit closed: resuming ERP writes');
      state(0)();
    });
    state(0)();
  }

  get state(): 'closed' | 'half-open' | 'open' {
    return this.breaker.closed ? 'closed' : this.breaker.halfOpen ? 'half-open' : 'open';
  }

  /** Runs one operation through the breaker, remembering the opening it was let through under. */
  fire<T>(run: () => Promise<T>): Promise<T> {
    const context: OperationContext = { opening: this.openings };
    return this.operation.run(context, () => this.breaker.fire(run)) as Promise<T>;
  }

  /**
   * Before each request of an operation: while the circuit is not closed and the operation was let through before its
   * latest opening (one of the orders in flight, waiting for a request permit when the ERP went down), it must not
   * send, or every order in flight would reach a down ERP once more. Open: refused with a Transient CIRCUIT_OPENED
   * error, which the breaker does not count and the operation's caller answers by waiting for the circuit and running
   * the operation again. Half-open: held until the probe's outcome. Requests outside an operation are not held.
   */
  async untilLetsThrough(): Promise<void> {
    while (this.overtaken()) {
      if (this.breaker.opened) {
        throw new ErpError(ErrorKind.Transient, 'ERP circuit opened while the operation waited', {
          vendorCode: CIRCUIT_OPENED_CODE,
        });
      }
      await this.nextChange();
    }
  }

  /** True while the calling operation's requests must wait (see untilLetsThrough). */
  overtaken(): boolean {
    const context = this.operation.getStore();
    return context !== undefined && !this.breaker.closed && context.opening !== this.openings;
  }

  /**
   * Resolves when the circuit lets a call through: closed, or half-open with the single probe not yet taken.
   * Everyone else sleeps until the circuit changes state (never spins through permits while a probe is out).
   * Throws a Transient CIRCUIT_OPEN error after `maxWaitMs`.
   */
  async waitForClosed(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (!this.breaker.closed && !(this.breaker.halfOpen && this.breaker.pendingClose)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ErpError(ErrorKind.Transient, 'ERP circuit open', { vendorCode: 'CIRCUIT_OPEN' });
      }
      if (remaining >= CIRCUIT_RECHECK_MS) {
        await this.nextChange();
      } else {
        await Promise.race([this.nextChange(), sleep(remaining)]);
      }
    }
  }

  /**
   * Settles on the breaker's next state change, or after CIRCUIT_RECHECK_MS without one. Every waiting caller awaits
   * the same promise, so a backlog waiting out an outage holds one listener per event, not three per caller (which
   * grew with the backlog and tripped Node's MaxListenersExceededWarning within seconds of an outage).
   */
  private nextChange(): Promise<void> {
    this.change ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        for (const event of CIRCUIT_EVENTS) {
          this.breaker.removeListener(event, done);
        }
        this.change = undefined;
        resolve();
      };
      const timer = setTimeout(done, CIRCUIT_RECHECK_MS);
      for (const event of CIRCUIT_EVENTS) {
        this.breaker.once(event, done);
      }
    });
    return this.change;
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** The refusal `untilLetsThrough` gives an operation the circuit's opening overtook. */
export function isCircuitOpenedRefusal(error: unknown): boolean {
  return error instanceof ErpError && error.details.vendorCode === CIRCUIT_OPENED_CODE;
}

/** opossum's rejection of a call while the circuit is open (or its half-open probe is taken). */
export function isOpenCircuitRejection(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: string }).code === 'EOPENBREAKER';
}
