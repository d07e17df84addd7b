import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken, keyDigests, matchesKey } from 'src/common/auth/bearer-keys';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/**
 * GET /metrics behind `Authorization: Bearer <METRICS_API_KEY>` when that key is set (Prometheus: `authorization`
 * with `credentials` in the scrape config); without it the endpoint stays open, as before, for compatibility. The
 * same check serves the separate metrics port (MetricsPortServer).
 */
@Injectable()
export class MetricsApiKeyGuard implements CanActivate {
  private readonly digests: readonly Buffer[];
  private readonly open: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.open = config.metrics.apiKey === undefined;
    this.digests = keyDigests(config.metrics.apiKey === undefined ? [] : [config.metrics.apiKey]);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.admits(context.switchToHttp().getRequest<Request>().headers.authorization)) {
      return true;
    }
    throw new UnauthorizedException('missing or invalid metrics key');
  }

  /** True when no key is configured, or `authorization` carries it. */
  admits(authorization: string | undefined): boolean {
    return this.open || matchesKey(this.digests, bearerToken(authorization));
  }
}
