import { Global, Module } from '@nestjs/common';
import { MetricsApiKeyGuard } from 'src/common/auth/metrics-api-key.guard';
import { ReadinessChecks } from 'src/common/health/readiness-checks';
import { MetricsPortServer } from 'src/common/observability/metrics-port.server';
import { MetricsController } from 'src/common/observability/metrics.controller';
import { MetricsService } from 'src/common/observability/metrics.service';

/**
 * The process-wide observability state every module may feed: the Prometheus registry, and the checks feature
 * modules add to /health/ready (the health controller lives in a module of its own, without exports).
 */
@Global()
@Module({ providers: [MetricsService, ReadinessChecks], exports: [MetricsService, ReadinessChecks] })
export class ObservabilityModule {}

/** Mounted in every role: GET /metrics on PORT, or on METRICS_PORT alone when set (MetricsPortServer). */
@Module({ controllers: [MetricsController], providers: [MetricsApiKeyGuard, MetricsPortServer] })
export class MetricsHttpModule {}
