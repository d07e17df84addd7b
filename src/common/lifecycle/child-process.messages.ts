/**
 * The IPC messages between the process the user starts with APP_ROLE=all and the child it forks for the ERP side
 * (`ChildProcessSupervisor`, `answerSupervisor`). Plain JSON: Node's IPC channel serialises them.
 */

/** The argument the child is forked with: main.ts starts the ERP part of APP_ROLE=all when it sees it. */
export const ERP_PART_ARGUMENT = '--all-in-one-part=erp';

/** Parent → child. */
export type SupervisorRequest = { kind: 'metrics'; id: number };

/** Child → parent. `started`: the application is initialised (its consumers and schedules are running). */
export type ChildReport = { kind: 'started' } | { kind: 'metrics'; id: number; metrics: object[] };

export function isChildReport(message: unknown): message is ChildReport {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return kind === 'started' || kind === 'metrics';
}

export function isSupervisorRequest(message: unknown): message is SupervisorRequest {
  return (message as { kind?: unknown } | null)?.kind === 'metrics';
}
