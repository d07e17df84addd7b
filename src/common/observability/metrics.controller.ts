import { Controller, Get, Inject, NotFoundException, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsApiKeyGuard } from 'src/common/auth/metrics-api-key.guard';
import { MetricsService } from 'src/common/observability/metrics.service';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/** GET /metrics on PORT: behind METRICS_API_KEY when set; absent (404) when METRICS_PORT serves it instead. */
@ApiExcludeController()
@Controller('metrics')
@UseGuards(MetricsApiKeyGuard)
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    if (this.config.metrics.port !== undefined) {
      // The public port must not expose what the operator moved to an internal one.
      throw new NotFoundException();
    }
    const body = await this.metrics.exposition();
    res.type('text/plain; version=0.0.4; charset=utf-8');
    return body;
  }
}
