import {
  gracefulShutdown,
  type ShutdownLog,
  type ShutdownOutcome,
  type ShutdownTarget,
} from 'src/common/lifecycle/graceful-shutdown';
import type { WorkIntake } from 'src/common/lifecycle/shutdown-state';

/** A promise with its resolve, to settle a step when the test says so. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A target whose every step writes `<ms since start> <step>` to `steps`; the work settles when the test says. */
function recordingTarget(servesTraffic: boolean) {
  const steps: string[] = [];
  const started = Date.now();
  const at = (step: string): void => {
    steps.push(`${Date.now() - started} ${step}`);
  };
  const handler = deferred();
  const listener = deferred();
  const app = deferred();
  let handlersRunning = 2;
  const consumers: WorkIntake = {
    stop: () => {
      at('consumers stop');
      return handler.promise.then(() => {
        handlersRunning = 0;
      });
    },
    inFlight: () => handlersRunning,
    cut: () => at('consumers cut'),
  };
  const jobs: WorkIntake = {
    stop: () => {
      at('jobs stop');
      return Promise.resolve();
    },
  };
  const target: ShutdownTarget = {
    failReadiness: () => at('readiness fails'),
    servesTraffic,
    closeListener: () => {
      at('listener closes');
      return listener.promise;
    },
    intakes: [
      ['rabbitmq consumers', consumers],
      ['bull jobs', jobs],
    ],
    closeApp: () => {
      at('app closes');
      return app.promise;
    },
    closeConnections: () => at('connections closed'),
  };
  const lines: string[] = [];
  const log: ShutdownLog = {
    log: (_details, message) => lines.push(message),
    warn: (details, message) => lines.push(`${message} ${JSON.stringify(details)}`),
  };
  return { target, steps, log, lines, handler, listener, app };
}

describe(gracefulShutdown.name, () => {
  const timings = { graceMs: 3_000, readinessDelayMs: 500 };

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('fails readiness at once, closes the listener after the delay, then stops every intake and closes the app once the work is done', async () => {
    const t = recordingTarget(true);
    let outcome: ShutdownOutcome | undefined;
    void gracefulShutdown(t.target, timings, t.log, 'SIGTERM').then((o) => (outcome = o));
    await jest.advanceTimersByTimeAsync(499);
    expect(t.steps).toEqual(['0 readiness fails']);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.steps).toEqual(['0 readiness fails', '500 listener closes', '500 consumers stop', '500 jobs stop']);
    // The handlers and the last HTTP connection finish a second later: only then do the app's hooks run.
    await jest.advanceTimersByTimeAsync(1_000);
    t.handler.resolve();
    t.listener.resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(t.steps.at(-1)).toBe('1500 app closes');
    t.app.resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(outcome).toBe('complete');
    expect(t.steps.some((step) => step.endsWith('cut') || step.endsWith('connections closed'))).toBe(false);
    expect(t.lines).toEqual([
      'shutdown: readiness fails from now on',
      'shutdown: listener closed, no new HTTP connections',
      'shutdown: consumers cancelled, no new messages or jobs; waiting for the work in flight',
      'shutdown: work in flight finished',
      'shutdown: complete',
    ]);
  });

  it('a process that serves no webhooks closes its listener and stops its consumers at once', async () => {
    const t = recordingTarget(false);
    void gracefulShutdown(t.target, timings, t.log, 'SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    expect(t.steps).toEqual(['0 readiness fails', '0 listener closes', '0 consumers stop', '0 jobs stop']);
  });

  it('cuts a handler that sleeps past the deadline, counted from the signal, and never runs the app hooks that would wait for it', async () => {
    const t = recordingTarget(true);
    t.listener.resolve();
    let outcome: ShutdownOutcome | undefined;
    void gracefulShutdown(t.target, timings, t.log, 'SIGTERM').then((o) => (outcome = o));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(outcome).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(outcome).toBe('cut');
    expect(t.steps.slice(-2)).toEqual(['3000 consumers cut', '3000 connections closed']);
    expect(t.steps.some((step) => step.endsWith('app closes'))).toBe(false);
    expect(t.lines.at(-1)).toBe(
      'shutdown: deadline reached, the work still running is cut; its messages go back to their queues for redelivery {"afterMs":3000,"inFlight":2}',
    );
  });

  it('cuts when the app hooks outlast the deadline, even though the work had finished', async () => {
    const t = recordingTarget(false);
    t.handler.resolve();
    t.listener.resolve();
    let outcome: ShutdownOutcome | undefined;
    void gracefulShutdown(t.target, timings, t.log, 'SIGTERM').then((o) => (outcome = o));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(outcome).toBe('cut');
    expect(t.steps.slice(-3)).toEqual(['0 app closes', '3000 consumers cut', '3000 connections closed']);
  });

  it('a readiness delay longer than the grace period still cuts at the deadline', async () => {
    const t = recordingTarget(true);
    let outcome: ShutdownOutcome | undefined;
    void gracefulShutdown(t.target, { graceMs: 1_000, readinessDelayMs: 5_000 }, t.log, 'SIGTERM').then(
      (o) => (outcome = o),
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(outcome).toBe('cut');
    expect(t.steps).toEqual([
      '0 readiness fails',
      '1000 listener closes',
      '1000 consumers stop',
      '1000 jobs stop',
      '1000 consumers cut',
      '1000 connections closed',
    ]);
  });

  it('an intake that fails to stop is logged and does not hold the others', async () => {
    const t = recordingTarget(false);
    t.handler.resolve();
    t.listener.resolve();
    t.app.resolve();
    const failing: WorkIntake = { stop: () => Promise.reject(new Error('Redis unreachable')) };
    const target = { ...t.target, intakes: [...t.target.intakes, ['bull jobs', failing] as [string, WorkIntake]] };
    const outcome = gracefulShutdown(target, timings, t.log, 'SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    await expect(outcome).resolves.toBe('complete');
    expect(t.lines).toContain(
      'shutdown: an intake failed to stop {"intake":"bull jobs","err":"Error: Redis unreachable"}',
    );
  });
});
