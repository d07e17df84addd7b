import type { AppRoleName } from 'src/config/app-config';

/** What each APP_ROLE runs, so ingest and ERP writers scale apart. Every role serves /health and /metrics. */
export interface RoleCapabilities {
  /** Webhook ingest, outbox relay, admin GraphQL/REST, Swagger. */
  api: boolean;
  /** RabbitMQ consumers that write to the ERP, dead-letter recorder. */
  worker: boolean;
  /** Bull repeatable jobs (retention, and later delta polling and reconciliation). */
  scheduler: boolean;
}

/**
 * APP_ROLE=all runs as two processes under the one command the user starts (src/common/process): that process serves
 * ingest and the admin API (`ingest`, the api role); a child it forks and supervises runs the ERP writers and the
 * schedules (`erp`, the worker and scheduler roles), so that a flash sale's webhooks never wait behind ERP work on
 * one event loop. Unset: every capability of the role in this process (the other roles, and tests that build an
 * APP_ROLE=all application in their own process).
 */
export type AllInOnePart = 'ingest' | 'erp';

export function capabilitiesOf(role: AppRoleName, part?: AllInOnePart): RoleCapabilities {
  const all = role === 'all';
  return {
    api: role === 'api' || (all && part !== 'erp'),
    worker: role === 'worker' || (all && part !== 'ingest'),
    scheduler: role === 'scheduler' || (all && part !== 'ingest'),
  };
}
