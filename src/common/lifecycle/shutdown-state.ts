import { Injectable } from '@nestjs/common';

/**
 * @description Work a process takes in on its own (RabbitMQ deliveries, Bull jobs), which a shutdown stops taking,
 * waits for, and cuts at the deadline.
 */
export interface WorkIntake {
  /** Takes no new work from now on; resolves once the work in flight has settled. */
  stop(): Promise<void>;
  /** Work in flight now (for the log), when the intake can tell. */
  inFlight?(): number;
  /**
   * At the deadline: abandons what still runs so that its work goes back where it came from (closing the AMQP
   * connection gives every unacknowledged message back to its queue). The process exits right after.
   */
  cut?(): void;
}

/**
 * What a shutdown has to reach inside the application: whether readiness must fail, and every work intake. Modules
 * that take work in register theirs (the consuming RabbitMQ connection, Bull's processed queues); `gracefulShutdown`
 * drives them. One instance per process (LifecycleModule is global).
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private readonly intakes = new Map<string, WorkIntake>();

  /** True once a shutdown has begun: /health/ready answers 503 from then on. */
  get isDraining(): boolean {
    return this.draining;
  }

  beginDraining(): void {
    this.draining = true;
  }

  /** Adds (or replaces) the intake stopped and cut under `name`. */
  registerIntake(name: string, intake: WorkIntake): void {
    this.intakes.set(name, intake);
  }

  registeredIntakes(): Array<[string, WorkIntake]> {
    return [...this.intakes.entries()];
  }
}
