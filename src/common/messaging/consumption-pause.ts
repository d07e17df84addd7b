import { Logger } from '@nestjs/common';
import type { InfrastructureService } from 'src/common/errors/infrastructure-failure';

/** @description A cheap check that one of our own services answers (`SELECT 1`, `PING`); rejects while it does not. */
export type ServiceProbes = Partial<Record<InfrastructureService, () => Promise<unknown>>>;

/** @description Pacing of the probes while a service is unreachable. */
export interface ConsumptionPauseOptions {
  /** Wait before the second probe; doubled after each failed probe up to `maxProbeIntervalMs`. */
  minProbeIntervalMs: number;
  maxProbeIntervalMs: number;
  /** A probe that has not answered by then counts as failed (a pool waiting for a connection, a queued command). */
  probeTimeoutMs: number;
}

export const DEFAULT_CONSUMPTION_PAUSE: ConsumptionPauseOptions = {
  minProbeIntervalMs: 250,
  maxProbeIntervalMs: 5_000,
  probeTimeoutMs: 5_000,
};

const LABEL: Record<InfrastructureService, string> = { postgresql: 'PostgreSQL', redis: 'Redis' };

/**
 * Stops a consumer's handlers while one of our own services is unreachable, instead of failing their messages:
 * on RabbitMQ 3.10 every nack counts as a delivery, so requeueing through an outage would spend each message's
 * delivery limit and dead-letter it for nothing. The first handler that reports an outage starts one probe loop;
 * every handler waits on it (none starts a message meanwhile), and all resume together when every reported
 * service answers again. Held messages stay unacknowledged in RabbitMQ, not requeued.
 */
export class ConsumptionPause {
  private readonly logger = new Logger(ConsumptionPause.name);
  private readonly options: ConsumptionPauseOptions;
  /** Settles when the outage being waited out is over (true) or the pause was stopped (false). */
  private outage?: Promise<boolean>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly probes: ServiceProbes,
    options: Partial<ConsumptionPauseOptions> = {},
  ) {
    this.options = { ...DEFAULT_CONSUMPTION_PAUSE, ...options };
  }

  get paused(): boolean {
    return this.outage !== undefined;
  }

  /** Resolves at once unless an outage is being waited out; false once the pause is stopped (shutting down). */
  async untilResumed(): Promise<boolean> {
    if (this.stopped) {
      return false;
    }
    return this.outage === undefined ? true : this.outage;
  }

  /**
   * An operation failed in a way that says `services` are unreachable. Probes them (joining a probe loop already
   * running) and resolves once every one answers: true if any did not answer at first (an outage, now over: run the
   * operation again), false if all answered at once (so the failure was not an outage: judge it as an error) or
   * the pause was stopped.
   */
  async holdUntilReachable(services: readonly InfrastructureService[], reason: string): Promise<boolean> {
    if (this.stopped) {
      return false;
    }
    if (this.outage !== undefined) {
      return this.outage;
    }
    const down = await this.unreachable(services);
    if (down.length === 0 || this.stopped) {
      return false;
    }
    // Another handler may have started the loop while this one probed.
    this.outage ??= this.waitOut(down, reason).finally(() => {
      this.outage = undefined;
    });
    return this.outage;
  }

  /** Ends every wait (false): the process is shutting down and held messages go back to RabbitMQ. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async waitOut(services: readonly InfrastructureService[], reason: string): Promise<boolean> {
    const names = services.map((s) => LABEL[s]).join(' and ');
    const started = Date.now();
    this.logger.error({ services, err: reason }, `${names} unreachable: consumption paused until it answers`);
    let interval = this.options.minProbeIntervalMs;
    let down = services;
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, interval);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
      if (this.stopped) {
        break;
      }
      down = await this.unreachable(down);
      if (down.length === 0) {
        this.logger.log({ services, pausedMs: Date.now() - started }, `${names} reachable again: consumption resumed`);
        return true;
      }
      interval = Math.min(interval * 2, this.options.maxProbeIntervalMs);
    }
    return false;
  }

  /** The services among `services` whose probe fails or does not answer in time. */
  private async unreachable(services: readonly InfrastructureService[]): Promise<InfrastructureService[]> {
    const results = await Promise.all(
      services.map(async (service) => ((await this.answers(service)) ? undefined : service)),
    );
    return results.filter((s): s is InfrastructureService => s !== undefined);
  }

  private async answers(service: InfrastructureService): Promise<boolean> {
    const probe = this.probes[service];
    if (probe === undefined) {
      // Nothing to probe it with: only the operation itself can tell, so it is not held.
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('probe timed out')), this.options.probeTimeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
