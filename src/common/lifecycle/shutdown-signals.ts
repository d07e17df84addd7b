import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { stopListening } from 'src/common/http/stop-listening';
import { gracefulShutdown, type ShutdownTimings } from 'src/common/lifecycle/graceful-shutdown';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';

/** A shutdown that has not ended this long after its deadline exits anyway (a step that ignored the deadline). */
const WATCHDOG_MARGIN_MS = 1_000;

export interface ShutdownSignalOptions extends ShutdownTimings {
  /** The process serves webhooks (APP_ROLE api or all): readiness fails `readinessDelayMs` before the listener closes. */
  servesTraffic: boolean;
}

/**
 * On SIGTERM or SIGINT, runs `gracefulShutdown` on `app` once (a second signal changes nothing) and then exits the
 * process: 0 once it ended, within SHUTDOWN_GRACE_MS whether or not work had to be cut; 1 if the shutdown itself
 * failed or overran its deadline. Replaces Nest's `enableShutdownHooks`, which closes the app with no deadline: one
 * message handler asleep on an ERP's Retry-After kept the process until the orchestrator's SIGKILL.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  options: ShutdownSignalOptions,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const logger = new Logger('GracefulShutdown');
  const state = app.get(ShutdownState);
  const server = app.getHttpServer() as Server;
  let begun = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (begun) {
      return;
    }
    begun = true;
    setTimeout(() => {
      logger.error({ graceMs: options.graceMs }, 'shutdown: overran its deadline, exiting');
      exit(1);
    }, options.graceMs + WATCHDOG_MARGIN_MS).unref();
    gracefulShutdown(
      {
        failReadiness: () => state.beginDraining(),
        servesTraffic: options.servesTraffic,
        closeListener: () => stopListening(server),
        intakes: state.registeredIntakes(),
        closeApp: () => app.close(),
        closeConnections: () => server.closeAllConnections(),
      },
      options,
      logger,
      signal,
    ).then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
