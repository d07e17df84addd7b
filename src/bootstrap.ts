import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import { Logger } from 'nestjs-pino';
import type { Server } from 'node:http';
import { capabilitiesOf } from 'src/app-role';
import { AppModule } from 'src/app.module';
import { applyHttpServerTimeouts } from 'src/common/http/http-server-timeouts';
import { serveAhead } from 'src/common/http/serve-ahead';
import type { AppConfig } from 'src/config/app-config';
import { runMigrationsLocked } from 'src/database/migrate';
import { ShopifyWebhookHttpHandler, shopifyWebhookOpenApi } from 'src/modules/shopify';

/**
 * Builds (and migrates for) the Nest application of one role; main.ts and the tests share it. Signals are main.ts's
 * business (`exitGracefullyOnSignals`); the tests close the app themselves.
 */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  await runMigrationsLocked(config.database.url);

  // bodyParser off: webhook routes must see the raw bytes (HMAC, shared secrets), so JSON parsing is for the rest only.
  const app = await NestFactory.create(AppModule.forRole(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  const parseJson = json({ limit: '1mb' });
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path.startsWith('/webhooks/') ? next() : parseJson(req, res, next),
  );
  const server = app.getHttpServer() as Server;

  if (capabilitiesOf(config.role, config.part).api) {
    // The webhook route takes the flash sale: node:http serves it ahead of Express (ShopifyWebhookHttpHandler).
    serveAhead(server, app.get(ShopifyWebhookHttpHandler));
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Shopify ⇄ ERP sync middleware')
        .setDescription(
          'Webhook ingest, operations endpoints and dead-letter actions. The admin GraphQL API is at POST /graphql.',
        )
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
    Object.assign(document.paths, shopifyWebhookOpenApi());
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  }

  // Slow or stalled clients are cut off instead of holding sockets (slowloris); Shopify itself gives up at 5 s.
  applyHttpServerTimeouts(server, config.http);
  return app;
}
