import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { AppModule } from 'src/app.module';
import { capabilitiesOf } from 'src/app-role';
import type { AppConfig } from 'src/config/app-config';
import { ConfigError, loadConfig } from 'src/config/load-config';
import { runMigrationsLocked } from 'src/database/migrate';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(config: AppConfig): Promise<void> {
  await runMigrationsLocked(config.database.url).catch((error: unknown) =>
    fail(`Could not run database migrations: ${error instanceof Error ? error.message : String(error)}`),
  );

  // bodyParser off: the webhook route must see the raw bytes (HMAC), so JSON parsing is added for the rest only.
  const app = await NestFactory.create(AppModule.forRole(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  const parseJson = json({ limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path === '/webhooks/shopify' ? next() : parseJson(req, res, next),
  );
  app.enableShutdownHooks();

  if (capabilitiesOf(config.role).api) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Shopify ⇄ ERP sync middleware')
        .setDescription('Webhook ingest, operations endpoints and dead-letter actions. The admin GraphQL API is at /graphql.')
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }

  const server = app.getHttpServer() as Server;
  // Slow or stalled clients are cut off instead of holding sockets (slowloris); Shopify itself gives up at 5 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 65_000;
  await app.listen(config.port, '0.0.0.0');
  app.get(Logger).log({ role: config.role, port: config.port, erp: config.erp.connector }, 'erp-sync started');
}

let config: AppConfig;
try {
  config = loadConfig();
} catch (error: unknown) {
  fail(error instanceof ConfigError ? error.message : `Configuration could not be loaded: ${String(error)}`);
}
bootstrap(config).catch((error: unknown) => fail(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`));
