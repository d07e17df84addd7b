import { type INestApplication, Logger as NestLogger } from '@nestjs/common';
import type { Server } from 'node:http';
import { createApp } from 'src/bootstrap';
import { ReadinessChecks } from 'src/common/health/readiness-checks';
import { answerSupervisor } from 'src/common/lifecycle/child-process.channel';
import { ERP_PART_ARGUMENT } from 'src/common/lifecycle/child-process.messages';
import { ChildProcessSupervisor } from 'src/common/lifecycle/child-process.supervisor';
import { exitGracefullyOnSignals } from 'src/common/lifecycle/shutdown-signals';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';
import { MetricsService } from 'src/common/observability/metrics.service';
import type { AppConfig } from 'src/config/app-config';
import { IngestWarmUp } from 'src/modules/shopify';
import { DataSource } from 'typeorm';

/**
 * APP_ROLE=all: one command, two processes (`AllInOnePart`). The process the user starts serves ingest and the admin
 * API; the ERP writers and the schedules run in a child it forks and supervises, at a lower CPU priority
 * (ERP_PROCESS_NICE), so that their work never holds up a webhook's answer: Node accepts one new connection per turn
 * of its event loop, and a loop shared with ERP work turns slowly exactly when a sale opens hundreds of connections.
 */

/** The child's grace period is this much shorter than the parent's, so that it cuts its own work and exits first. */
const CHILD_GRACE_MARGIN_MS = 1_000;
/** Connections the child opens before it reports started: the pool's size (data-source.ts), not one per first use. */
const ERP_POOL_CONNECTIONS = 10;

export function isErpPart(argv: readonly string[]): boolean {
  return argv.includes(ERP_PART_ARGUMENT);
}

/**
 * The process the user started: forks the ERP part first (both start at once), builds and warms up ingest, and
 * resolves once the child has started too, so that /health/ready never reports a half-started service. The caller
 * opens the port.
 */
export async function startIngestPart(config: AppConfig, fail: (message: string) => never): Promise<INestApplication> {
  const supervisor = new ChildProcessSupervisor({
    entry: process.argv[1] ?? '',
    args: [ERP_PART_ARGUMENT],
    nice: config.erpProcessNice,
    restartDelayMs: 1_000,
    maxCrashes: 5,
    crashWindowMs: 60_000,
    requestTimeoutMs: 1_000,
    log: new NestLogger('AllInOne'),
    onGiveUp: (reason) => fail(`Stopping: ${reason}`),
  });
  supervisor.start();
  // A signal before the service is up ends the start: the child first, then this process.
  const abortStart = (signal: NodeJS.Signals): void => {
    supervisor.forward(signal);
    void supervisor.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', abortStart);
  process.on('SIGINT', abortStart);

  const app = await createApp({ ...config, part: 'ingest' });
  const readiness = app.get(ReadinessChecks);
  readiness.register('erp-process', () => supervisor.readiness());
  // The ERP connection is watched where the ERP is called: the child's check, asked for each /health/ready.
  readiness.register('erp', () => supervisor.childCheck('erp'));
  app.get(MetricsService).addSource(() => supervisor.metrics());
  app.get(ShutdownState).registerIntake('erp process', supervisor);
  // Before the port opens, so that /health/ready answers only once a sale meets compiled code.
  await app.init();
  await app.get(IngestWarmUp).run(app.getHttpServer() as Server);
  await supervisor.started();

  process.off('SIGTERM', abortStart);
  process.off('SIGINT', abortStart);
  // The child's grace period starts with the parent's: it gets the signal at once, not after the readiness delay.
  process.on('SIGTERM', () => supervisor.forward('SIGTERM'));
  process.on('SIGINT', () => supervisor.forward('SIGINT'));
  exitGracefullyOnSignals(app, { ...config.shutdown, servesTraffic: true });
  return app;
}

/** The child: the ERP writers and the schedules, without a listener (the parent serves /health and /metrics). */
export async function startErpPart(config: AppConfig): Promise<INestApplication> {
  const erp: AppConfig = { ...config, part: 'erp', metrics: { ...config.metrics, port: undefined } };
  const app = await createApp(erp);
  const graceMs = Math.max(0, config.shutdown.graceMs - Math.min(CHILD_GRACE_MARGIN_MS, config.shutdown.graceMs / 4));
  exitGracefullyOnSignals(app, { ...config.shutdown, graceMs, servesTraffic: false });
  await app.init();
  // Nest buffers log lines (bufferLogs) until `listen`, which this process never calls: without this flush every
  // line it logs would stay in the buffer.
  app.flushLogs();
  // Opened now rather than by the sale's first messages, all at once (a PostgreSQL backend each).
  const dataSource = app.get(DataSource);
  await Promise.all(Array.from({ length: ERP_POOL_CONNECTIONS }, () => dataSource.query('SELECT 1')));
  answerSupervisor(app.get(MetricsService), app.get(ReadinessChecks));
  return app;
}
