import { type INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import 'reflect-metadata';
import { isErpPart, startErpPart, startIngestPart } from 'src/all-in-one';
import { capabilitiesOf } from 'src/app-role';
import { createApp } from 'src/bootstrap';
import { exitGracefullyOnSignals } from 'src/common/lifecycle/shutdown-signals';
import type { AppConfig } from 'src/config/app-config';
import { ConfigError, loadConfig } from 'src/config/load-config';
import { IngestWarmUp } from 'src/modules/shopify';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(config: AppConfig): Promise<void> {
  if (config.role === 'all') {
    // One command, two processes (src/all-in-one.ts): this one ingests, a child it forks writes to the ERP.
    const erp = isErpPart(process.argv);
    const app = erp ? await startErpPart(config) : await startIngestPart(config, fail);
    started(app, { ...config, part: erp ? 'erp' : 'ingest' });
    return;
  }
  const app = await createApp(config);
  const { api } = capabilitiesOf(config.role);
  exitGracefullyOnSignals(app, { ...config.shutdown, servesTraffic: api });
  if (api) {
    await app.get(IngestWarmUp).run(app.getHttpServer() as Server, config.shopify.warmUpRequests);
  }
  await app.listen(config.port, '0.0.0.0');
  started(app, config);
}

function started(app: INestApplication, config: AppConfig): void {
  app
    .get(Logger)
    .log({ role: config.role, part: config.part, port: config.port, erp: config.erp.connector }, 'erp-sync started');
}

let config: AppConfig;
try {
  config = loadConfig();
} catch (error: unknown) {
  fail(error instanceof ConfigError ? error.message : `Configuration could not be loaded: ${String(error)}`);
}
bootstrap(config).catch((error: unknown) =>
  fail(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`),
);
