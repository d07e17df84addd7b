import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import 'reflect-metadata';
import { isErpPart, startErpPart, startIngestPart } from 'src/all-in-one';
import { capabilitiesOf } from 'src/app-role';
import { createApp } from 'src/bootstrap';
import { prepareAcceptLanes, type AcceptLanes } from 'src/common/http/accept-lanes';
import { exitGracefullyOnSignals } from 'src/common/lifecycle/shutdown-signals';
import type { AppConfig } from 'src/config/app-config';
import { ConfigError, loadConfig } from 'src/config/load-config';
import { IngestWarmUp } from 'src/modules/shopify';

const LISTEN_BACKLOG = 4_096;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(config: AppConfig): Promise<void> {
  if (config.role === 'all' && config.erpProcess === 'child') {
    // One command, two processes (src/all-in-one.ts): this one ingests, a child it forks writes to the ERP.
    if (isErpPart(process.argv)) {
      const erp = await startErpPart(config);
      started(erp, { ...config, part: 'erp' });
      return;
    }
    const lanes = prepareAcceptLanes(config.http.acceptLanes);
    const ingest = await startIngestPart(config, fail);
    await listenWithBacklog(ingest, config.port, '0.0.0.0', LISTEN_BACKLOG);
    started(ingest, { ...config, part: 'ingest' }, await addLanes(ingest, lanes));
    return;
  }
  const servesTraffic = capabilitiesOf(config.role).api;
  const lanes = servesTraffic ? prepareAcceptLanes(config.http.acceptLanes) : undefined;
  const app = await createApp(config);
  exitGracefullyOnSignals(app, { ...config.shutdown, servesTraffic });
  if (servesTraffic) {
    // Before the port opens, so that /health/ready answers only once a sale meets compiled code.
    await app.init();
    await app.get(IngestWarmUp).run(app.getHttpServer() as Server);
  }
  // A flash sale opens hundreds of connections in its first second: a queue of 4,096 (the kernel caps it at
  // net.core.somaxconn) instead of Node's 511, so that a burst of connects is not dropped and retried a second later.
  await listenWithBacklog(app, config.port, '0.0.0.0', LISTEN_BACKLOG);
  started(app, config, lanes === undefined ? undefined : await addLanes(app, lanes));
}

/** The listening server's accept lanes (HTTP_ACCEPT_LANES), so that a sale's burst of connects is taken at once. */
function addLanes(app: INestApplication, lanes: AcceptLanes): Promise<number> {
  const logger = app.get(Logger);
  return lanes.attach(app.getHttpServer() as Server, (error) =>
    logger.warn({ err: String(error) }, 'accept lane: a connection could not be accepted'),
  );
}

function started(app: INestApplication, config: AppConfig, acceptLanes?: number): void {
  app
    .get(Logger)
    .log(
      { role: config.role, part: config.part, port: config.port, erp: config.erp.connector, acceptLanes },
      'erp-sync started',
    );
}

/** Nest hands extra arguments to `server.listen`, whose third is the backlog; its typings name only a callback. */
function listenWithBacklog(app: INestApplication, port: number, host: string, backlog: number): Promise<unknown> {
  const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
  return listen(port, host, backlog);
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
