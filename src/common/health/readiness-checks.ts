import { Injectable } from '@nestjs/common';

/** @description What a check added by a feature module tells /health/ready. */
export interface ReadinessReport {
  /** False fails readiness (503). */
  ready: boolean;
  /** Fixed words for operators (never raw error text: /health/ready is unauthenticated); details go to the logs. */
  details?: Record<string, string>;
}

/** @description A check added by a feature module: cheap (cached by its owner), never throwing, never slow. */
export type ReadinessCheck = () => ReadinessReport | Promise<ReadinessReport>;

/**
 * The checks feature modules add to /health/ready (common/ knows no module, so a module registers its own: the ERP
 * module registers the ERP connection). One instance per process, provided by the global ObservabilityModule.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) the check reported under `name`. */
  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): Array<[string, ReadinessCheck]> {
    return [...this.checks.entries()];
  }
}
