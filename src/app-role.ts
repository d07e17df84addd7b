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

export function capabilitiesOf(role: AppRoleName): RoleCapabilities {
  return {
    api: role === 'all' || role === 'api',
    worker: role === 'all' || role === 'worker',
    scheduler: role === 'all' || role === 'scheduler',
  };
}
