/**
 * The IPC messages between the process the user starts with APP_ROLE=all and the child it forks for the ERP side
 * (`ChildProcessSupervisor`, `answerSupervisor`). Plain JSON: Node's IPC channel serialises them.
 */

/** The argument the child is forked with: main.ts starts the ERP part of APP_ROLE=all when it sees it. */
export const ERP_PART_ARGUMENT = '--all-in-one-part=erp';

/** Parent → child: its metrics registry, or its readiness checks (the ERP connection's, for /health/ready). */
export type SupervisorRequest = { kind: 'metrics'; id: number } | { kind: 'readiness'; id: number };

/** A readiness check's report, as the child's ReadinessChecks give it. */
export interface ChildReadiness {
  ready: boolean;
  details?: Record<string, string>;
}

/** Child → parent. `started`: the application is initialised (its consumers and schedules are running). */
export type ChildReport =
  | { kind: 'started' }
  | { kind: 'metrics'; id: number; metrics: object[] }
  | { kind: 'readiness'; id: number; checks: Record<string, ChildReadiness> };

const REQUEST_KINDS: ReadonlySet<unknown> = new Set(['metrics', 'readiness']);
const REPORT_KINDS: ReadonlySet<unknown> = new Set(['started', 'metrics', 'readiness']);

export function isChildReport(message: unknown): message is ChildReport {
  return REPORT_KINDS.has((message as { kind?: unknown } | null)?.kind);
}

export function isSupervisorRequest(message: unknown): message is SupervisorRequest {
  return REQUEST_KINDS.has((message as { kind?: unknown } | null)?.kind);
}
