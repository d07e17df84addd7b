import { Logger } from 'nestjs-pino';
import 'reflect-metadata';
import { createApp } from 'src/bootstrap';
import type { AppConfig } from 'src/config/app-config';
import { ConfigError, loadConfig } from 'src/config/load-config';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function bootstrap(config: AppConfig): Promise<void> {
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  app.get(Logger).log({ role: config.role, port: config.port, erp: config.erp.connector }, 'erp-sync started');
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
