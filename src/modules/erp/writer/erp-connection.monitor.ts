import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { capabilitiesOf } from 'src/app-role';
import { ErrorKind, errorMessage } from 'src/common/errors/app-error';
import { ReadinessChecks, type ReadinessReport } from 'src/common/health/readiness-checks';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import { ERP_CONNECTION_CHECK_TTL_MS, ERP_START_CHECK_WAIT_MS, ERP_WRITE_GATE } from 'src/modules/erp/erp.constants';
import { ErpError } from 'src/modules/erp/port/erp-error';
import { ERP_PORT, type ErpPort } from 'src/modules/erp/port/erp.port';
import { isConfigurationError } from 'src/modules/erp/writer/configuration-pause';
import type { ErpWriteGate } from 'src/modules/erp/writer/erp-write-gate';

/** @description What the last look at the ERP connection found. */
export type ErpConnectionState = 'unknown' | 'ok' | 'configuration-error' | 'unreachable';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Fixed words for /health/ready, which needs no key: the ERP's own message goes to the logs only. */
const READINESS_MESSAGES: Record<ErpConnectionState, string | undefined> = {
  ok: undefined,
  unknown: 'not checked yet',
  unreachable: 'the ERP did not answer the last check; ERP calls wait for it',
  'configuration-error':
    'the ERP refuses our settings (credentials, base URL, company or account): ERP calls are paused, see the logs',
};

/**
 * Checks the ERP connection (the connector's `checkConnection`: authentication and base URL, one cheap read):
 * - at start, so a wrong setting is logged (and pauses the writers through the gate) before the first message is
 *   sent; an ERP that is merely down is logged too, and never stops the start;
 * - for /health/ready, at most once per ERP_CONNECTION_CHECK_TTL_MS per process, never per probe;
 * - while a configuration error pauses the gate and no message comes to probe, once per probe interval in the
 *   message's place, so the pause ends by itself when the setting is fixed (credentials re-enabled).
 *
 * Readiness: a configuration error fails it in the roles that only write to or read from the ERP (worker,
 * scheduler: a rollout with a wrong setting stops there); roles that take webhooks (api, all) stay ready, so
 * Shopify's deliveries are still accepted and queued, and report it. An unreachable ERP never fails readiness.
 */
@Injectable()
export class ErpConnectionMonitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ErpConnectionMonitor.name);
  private state: ErpConnectionState = 'unknown';
  private checkedAt = 0;
  private running?: Promise<ErpConnectionState>;
  private idleProbes?: NodeJS.Timeout;

  constructor(
    @Inject(ERP_PORT) private readonly erp: ErpPort,
    @Inject(ERP_WRITE_GATE) private readonly gate: ErpWriteGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.part === 'ingest') {
      // APP_ROLE=all: the ERP child watches the connection, and the process that ingests reports the child's check.
      return;
    }
    this.readiness.register('erp', () => this.readinessReport());
    this.idleProbes = setInterval(() => void this.probeWhileIdle(), this.config.erp.probeIntervalMs);
    this.idleProbes.unref();
    await Promise.race([this.check(), sleep(ERP_START_CHECK_WAIT_MS)]);
  }

  onApplicationShutdown(): void {
    clearInterval(this.idleProbes);
  }

  /** The connection as readiness reports it; starts a fresh check in the background when the last one is old. */
  readinessReport(): ReadinessReport {
    if (this.gate.configurationProblem !== undefined) {
      this.state = 'configuration-error';
    } else if (Date.now() - this.checkedAt > ERP_CONNECTION_CHECK_TTL_MS) {
      void this.check();
    }
    const blocking = this.state === 'configuration-error' && !capabilitiesOf(this.config.role).api;
    const message = READINESS_MESSAGES[this.state];
    return {
      ready: !blocking,
      details: { connector: this.erp.name, connection: this.state, ...(message === undefined ? {} : { message }) },
    };
  }

  /** One check at a time; a configuration error pauses the gate, a success ends such a pause. */
  check(): Promise<ErpConnectionState> {
    if (this.gate.configurationProblem !== undefined) {
      // Paused: the gate's probe (a message's call, or probeWhileIdle) is the one request per interval.
      return Promise.resolve('configuration-error');
    }
    this.running ??= this.erp
      .checkConnection()
      .then(
        () => {
          this.gate.configurationWorks();
          return this.record('ok');
        },
        (error: unknown) => this.record(this.judge(error), error),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** While paused with nothing waiting to probe, the check takes the half-open probe's place (see the gate). */
  private async probeWhileIdle(): Promise<void> {
    if (this.gate.configurationProblem === undefined) {
      return;
    }
    const probed = await this.gate.probeWhenIdle(() => this.erp.checkConnection());
    if (probed) {
      this.checkedAt = Date.now();
      this.state = this.gate.configurationProblem === undefined ? 'ok' : 'configuration-error';
    }
  }

  private judge(error: unknown): ErpConnectionState {
    if (isConfigurationError(error)) {
      this.gate.pauseForConfiguration(error);
      return 'configuration-error';
    }
    // A throttled check was answered: authentication and base URL work.
    return error instanceof ErpError && error.kind === ErrorKind.Throttled ? 'ok' : 'unreachable';
  }

  /** Keeps the result; one line when it changes (the start's first check included). */
  private record(state: ErpConnectionState, error?: unknown): ErpConnectionState {
    const previous = this.state;
    this.state = state;
    this.checkedAt = Date.now();
    if (state !== previous) {
      const connector = this.erp.name;
      switch (state) {
        case 'ok':
          this.logger.log({ connector }, 'ERP connection checked: it answers and accepts our settings');
          break;
        case 'unreachable':
          this.logger.warn(
            { connector, err: errorMessage(error) },
            'ERP connection check failed: ERP calls wait for it (the ERP may just be down)',
          );
          break;
        case 'configuration-error':
        case 'unknown':
          // The gate logs a configuration error itself, once per episode.
          break;
      }
    }
    return state;
  }
}
