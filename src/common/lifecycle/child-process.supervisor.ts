import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import type { ReadinessReport } from 'src/common/health/readiness-checks';
import {
  type ChildReadiness,
  type ChildReport,
  isChildReport,
  type SupervisorRequest,
} from 'src/common/lifecycle/child-process.messages';
import type { WorkIntake } from 'src/common/lifecycle/shutdown-state';

/** @description How the child is started, restarted and asked for its metrics. */
export interface ChildProcessSupervisorOptions {
  /** The script to fork (main.ts's own file) and its arguments. */
  entry: string;
  args: string[];
  /** The child's nice value (0–19): higher yields the CPU to this process when both need it. */
  nice: number;
  /** A child that crashes is started again after this long... */
  restartDelayMs: number;
  /** ...unless it crashed this many times within `crashWindowMs`: then `onGiveUp` (the parent exits, visibly). */
  maxCrashes: number;
  crashWindowMs: number;
  /** The longest wait for the child's metrics or readiness; past it /metrics shows the parent's alone. */
  requestTimeoutMs: number;
  log: {
    log(details: Record<string, unknown>, message: string): void;
    warn(details: Record<string, unknown>, message: string): void;
    error(details: Record<string, unknown>, message: string): void;
  };
  onGiveUp(reason: string): void;
}

type ChildState = 'starting' | 'started' | 'exited' | 'stopped';

/**
 * Runs the ERP side of APP_ROLE=all in a child process of the one the user starts: forks it (same script, same Node
 * options, same environment, same stdout and stderr), restarts it when it crashes, gives up (`onGiveUp`) when it keeps
 * crashing, reports it to /health/ready (not ready until it has started, and while it restarts), fetches its metrics
 * for /metrics, and is the parent's work intake for graceful shutdown: a signal to the parent reaches the child at
 * once, the parent waits for it to exit, and kills it at the deadline.
 */
export class ChildProcessSupervisor implements WorkIntake {
  private child?: ChildProcess;
  private state: ChildState = 'starting';
  private stopping = false;
  private crashes: number[] = [];
  private nextRequestId = 1;
  private readonly pending = new Map<number, (report: ChildReport | undefined) => void>();
  private lastChecks: Record<string, ChildReadiness> = {};
  private readonly startedWaiters: Array<{ resolve(): void; reject(error: Error): void }> = [];
  private exitedAt?: Promise<void>;

  constructor(private readonly options: ChildProcessSupervisorOptions) {}

  /** Forks the child; call once. */
  start(): void {
    const child = fork(this.options.entry, this.options.args, { stdio: 'inherit' });
    this.child = child;
    this.state = 'starting';
    this.lowerPriority(child);
    this.exitedAt = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: unknown) => {
      if (isChildReport(message)) {
        this.onReport(message);
      }
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  /** Resolves once the child reports it has started; rejects if the supervisor gives up or stops first. */
  started(): Promise<void> {
    if (this.state === 'started') {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.startedWaiters.push({ resolve, reject }));
  }

  /** The child as /health/ready reports it. */
  readiness(): ReadinessReport {
    return { ready: this.state === 'started', details: { process: this.state, pid: String(this.child?.pid ?? '') } };
  }

  /** The child's metrics as `registry.getMetricsAsJSON()` gives them; none when it cannot answer in time. */
  async metrics(): Promise<object[]> {
    const report = await this.ask('metrics');
    return report?.kind === 'metrics' ? report.metrics : [];
  }

  /**
   * The child's readiness check `name` (the ERP connection's, which only the child watches). When the child cannot
   * answer in time, its last answer; before any, not ready.
   */
  async childCheck(name: string): Promise<ReadinessReport> {
    const report = await this.ask('readiness');
    if (report?.kind === 'readiness') {
      this.lastChecks = report.checks;
    }
    return this.lastChecks[name] ?? { ready: false, details: { process: this.state, message: 'no answer yet' } };
  }

  /** One request to the child; undefined when it is not running or does not answer within `requestTimeoutMs`. */
  private ask(kind: SupervisorRequest['kind']): Promise<ChildReport | undefined> {
    const child = this.child;
    if (this.state !== 'started' || child === undefined || !child.connected) {
      return Promise.resolve(undefined);
    }
    const id = this.nextRequestId++;
    return new Promise<ChildReport | undefined>((resolve) => {
      const timer = setTimeout(() => this.settle(id, undefined), this.options.requestTimeoutMs);
      this.pending.set(id, (report) => {
        clearTimeout(timer);
        resolve(report);
      });
      const request: SupervisorRequest = { kind, id };
      child.send(request, (error) => {
        if (error) {
          this.settle(id, undefined);
        }
      });
    });
  }

  private settle(id: number, report: ChildReport | undefined): void {
    const answer = this.pending.get(id);
    this.pending.delete(id);
    answer?.(report);
  }

  /** Passes a shutdown signal on at once, so that the child's grace period runs alongside the parent's. */
  forward(signal: NodeJS.Signals): void {
    this.stopping = true;
    if (this.state === 'starting' || this.state === 'started') {
      this.child?.kill(signal);
    }
  }

  /** Shutdown: the child stops taking work (it got the signal already, see `forward`); resolves once it has exited. */
  async stop(): Promise<void> {
    this.forward('SIGTERM');
    await this.exitedAt;
  }

  /** At the deadline: the child is killed; the broker gives its unacknowledged messages back to their queues. */
  cut(): void {
    if (this.state === 'starting' || this.state === 'started') {
      this.child?.kill('SIGKILL');
    }
  }

  /** Raising a nice value needs no privilege; where the system refuses it anyway, the child runs at ours (logged). */
  private lowerPriority(child: ChildProcess): void {
    if (child.pid === undefined || this.options.nice === 0) {
      return;
    }
    try {
      setPriority(child.pid, this.options.nice);
    } catch (error: unknown) {
      this.options.log.warn(
        { childPid: child.pid, nice: this.options.nice, err: error instanceof Error ? error.message : String(error) },
        'could not lower the ERP process priority; it runs at the same priority as ingest',
      );
    }
  }

  private onReport(report: ChildReport): void {
    if (report.kind === 'started') {
      this.state = 'started';
      this.options.log.log(
        { childPid: this.child?.pid, nice: this.options.nice },
        'ERP process started (APP_ROLE=all runs the ERP writers and schedules in this child process)',
      );
      for (const waiter of this.startedWaiters.splice(0)) {
        waiter.resolve();
      }
      return;
    }
    this.settle(report.id, report);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    for (const answer of this.pending.values()) {
      answer(undefined);
    }
    this.pending.clear();
    if (this.stopping) {
      this.state = 'stopped';
      this.options.log.log({ childPid: child.pid, code, signal }, 'ERP process exited');
      this.rejectWaiters('the service is shutting down');
      return;
    }
    this.state = 'exited';
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.options.crashWindowMs), now];
    if (this.crashes.length >= this.options.maxCrashes) {
      const reason = `the ERP process exited ${this.crashes.length} times within ${this.options.crashWindowMs} ms (last: code ${String(code)}, signal ${String(signal)})`;
      this.options.log.error({ childPid: child.pid, code, signal }, `giving up: ${reason}`);
      this.rejectWaiters(reason);
      this.options.onGiveUp(reason);
      return;
    }
    this.options.log.error(
      { childPid: child.pid, code, signal, restartInMs: this.options.restartDelayMs },
      'ERP process exited unexpectedly; starting it again (readiness fails meanwhile)',
    );
    setTimeout(() => {
      if (!this.stopping) {
        this.start();
      }
    }, this.options.restartDelayMs).unref();
  }

  private rejectWaiters(reason: string): void {
    for (const waiter of this.startedWaiters.splice(0)) {
      waiter.reject(new Error(reason));
    }
  }
}
