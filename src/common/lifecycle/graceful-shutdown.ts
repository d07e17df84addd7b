import type { WorkIntake } from 'src/common/lifecycle/shutdown-state';

/** @description SHUTDOWN_GRACE_MS and SHUTDOWN_READINESS_DELAY_MS (AppConfig `shutdown`). */
export interface ShutdownTimings {
  /** From the signal to the cut of whatever still runs. */
  graceMs: number;
  /** How long a process that serves webhooks keeps its listener open after readiness failed. */
  readinessDelayMs: number;
}

/** @description What a shutdown acts on, in the order it does (`exitGracefullyOnSignals` builds it from the app). */
export interface ShutdownTarget {
  /** /health/ready answers 503 from now on. */
  failReadiness(): void;
  /** Load balancers route webhooks here: they need `readinessDelayMs` to notice the failed readiness. */
  servesTraffic: boolean;
  /** Stops accepting connections; resolves once every open HTTP connection has ended. */
  closeListener(): Promise<void>;
  intakes: ReadonlyArray<[string, WorkIntake]>;
  /** What is left once the work has settled: the framework's shutdown hooks (queues, pools, connections). */
  closeApp(): Promise<void>;
  /** At the deadline: ends the HTTP connections still open. */
  closeConnections(): void;
}

/** @description The two log levels a shutdown uses (a Nest Logger). */
export interface ShutdownLog {
  log(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/** `complete`: everything finished and closed in time; `cut`: the deadline came first. */
export type ShutdownOutcome = 'complete' | 'cut';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True if `work` settles within `ms` (resolved or rejected alike), false otherwise (at once when `ms` is 0). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) {
    return false;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops the process within the orchestrator's grace period, each step logged once:
 *
 * 1. readiness fails at once, so load balancers stop sending;
 * 2. a process that serves webhooks keeps serving for `readinessDelayMs`, while they notice;
 * 3. the listener closes (no new connections; keep-alive ones end once idle);
 * 4. every work intake stops taking work (consumers cancelled: no new deliveries) and the work in flight finishes;
 * 5. then the framework's shutdown hooks run (queues, pools, connections).
 *
 * `graceMs` is counted from the signal. Whatever has not finished by then is cut: the intakes abandon it (the AMQP
 * connection closes, so the broker redelivers every unacknowledged message; ERP writes are idempotent on retry) and
 * open HTTP connections are ended. The caller exits the process right after, so no sleeping handler holds it.
 */
export async function gracefulShutdown(
  target: ShutdownTarget,
  timings: ShutdownTimings,
  log: ShutdownLog,
  signal: string,
  now: () => number = Date.now,
): Promise<ShutdownOutcome> {
  const started = now();
  const left = (): number => Math.max(0, started + timings.graceMs - now());
  const afterMs = (): number => now() - started;
  const inFlight = (): number =>
    target.intakes.reduce((sum, [, intake]) => sum + (intake.inFlight === undefined ? 0 : intake.inFlight()), 0);

  target.failReadiness();
  log.log({ signal, ...timings }, 'shutdown: readiness fails from now on');
  if (target.servesTraffic && timings.readinessDelayMs > 0) {
    await sleep(Math.min(timings.readinessDelayMs, left()));
  }

  const listenerClosed = target.closeListener();
  log.log({ afterMs: afterMs() }, 'shutdown: listener closed, no new HTTP connections');

  const intakesStopped = Promise.all(
    target.intakes.map(([name, intake]) =>
      intake.stop().catch((error: unknown) => {
        log.warn({ intake: name, err: String(error) }, 'shutdown: an intake failed to stop');
      }),
    ),
  );
  log.log(
    { afterMs: afterMs(), intakes: target.intakes.map(([name]) => name), inFlight: inFlight() },
    'shutdown: consumers cancelled, no new messages or jobs; waiting for the work in flight',
  );

  if (await settlesWithin(Promise.all([intakesStopped, listenerClosed]), left())) {
    log.log({ afterMs: afterMs() }, 'shutdown: work in flight finished');
    if (await settlesWithin(target.closeApp(), left())) {
      log.log({ afterMs: afterMs() }, 'shutdown: complete');
      return 'complete';
    }
  }

  const cut = inFlight();
  for (const [name, intake] of target.intakes) {
    try {
      intake.cut?.();
    } catch (error: unknown) {
      log.warn({ intake: name, err: String(error) }, 'shutdown: an intake failed to cut');
    }
  }
  target.closeConnections();
  log.warn(
    { afterMs: afterMs(), inFlight: cut },
    'shutdown: deadline reached, the work still running is cut; its messages go back to their queues for redelivery',
  );
  return 'cut';
}
