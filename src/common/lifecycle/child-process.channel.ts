import type { ReadinessChecks } from 'src/common/health/readiness-checks';
import {
  type ChildReadiness,
  type ChildReport,
  isSupervisorRequest,
  type SupervisorRequest,
} from 'src/common/lifecycle/child-process.messages';
import type { MetricsService } from 'src/common/observability/metrics.service';

/**
 * The child's side of `ChildProcessSupervisor`: tells the parent it has started, answers its requests for metrics
 * and for its readiness checks, and shuts down gracefully (as on SIGTERM) when the parent is gone, so that a parent killed outright never leaves
 * an ERP process consuming on its own.
 */
export function answerSupervisor(metrics: MetricsService, readiness: ReadinessChecks): void {
  const send = (report: ChildReport): void => {
    if (process.connected) {
      process.send?.(report);
    }
  };
  process.on('message', (message: unknown) => {
    if (isSupervisorRequest(message)) {
      void answer(message, metrics, readiness).then(send);
    }
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  send({ kind: 'started' });
}

async function answer(
  request: SupervisorRequest,
  metrics: MetricsService,
  readiness: ReadinessChecks,
): Promise<ChildReport> {
  if (request.kind === 'metrics') {
    return { kind: 'metrics', id: request.id, metrics: await metrics.registry.getMetricsAsJSON() };
  }
  const checks: Record<string, ChildReadiness> = {};
  for (const [name, check] of readiness.entries()) {
    checks[name] = await check();
  }
  return { kind: 'readiness', id: request.id, checks };
}
