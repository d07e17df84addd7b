import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MetricsApiKeyGuard } from 'src/common/auth/metrics-api-key.guard';
import { MetricsService } from 'src/common/observability/metrics.service';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/**
 * With METRICS_PORT set, GET /metrics is served on that port only, by a bare node:http server: an internal port for
 * Prometheus that the load balancer in front of PORT never exposes. METRICS_API_KEY, when set, is required here too.
 */
@Injectable()
export class MetricsPortServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsPortServer.name);
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly keys: MetricsApiKeyGuard,
  ) {}

  /** Listening before the app reports started: a port already taken stops the start with its reason. */
  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === undefined) {
      return;
    }
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log({ port }, 'metrics served on their own port');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    if (!this.keys.admits(req.headers.authorization)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('missing or invalid metrics key');
      return;
    }
    try {
      const body = await this.metrics.exposition();
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
    } catch {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('metrics unavailable');
    }
  }
}
