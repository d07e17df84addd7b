/**
 * Runs the built-in sandbox ERP — a **simulated** ERP that behaves like NetSuite's REST record API under load —
 * as a standalone process, for the demo and local development (`npm run sandbox-erp`).
 *
 * Environment (read here directly: this script is a tool, not part of the app):
 * - `SANDBOX_ERP_PORT` (default 4010), `SANDBOX_ERP_HOST` (default 127.0.0.1)
 * - optional `SANDBOX_ERP_CONCURRENCY_LIMIT`, `SANDBOX_ERP_LATENCY_MS`, `SANDBOX_ERP_AUTH_TOKEN`
 *
 * Everything else is changed at runtime through the control API (`POST /_control/config`, …).
 */
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer`);
  }
  return value;
}

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\n`);
}

async function main(): Promise<void> {
  const port = intFromEnv('SANDBOX_ERP_PORT', 4010);
  const host = process.env.SANDBOX_ERP_HOST ?? '127.0.0.1';
  const authToken = process.env.SANDBOX_ERP_AUTH_TOKEN;
  const server = new SandboxErpServer({
    concurrencyLimit: intFromEnv('SANDBOX_ERP_CONCURRENCY_LIMIT', 5),
    latencyMs: intFromEnv('SANDBOX_ERP_LATENCY_MS', 150),
    authToken: authToken === undefined || authToken === '' ? undefined : authToken,
  });
  const boundPort = await server.listen(port, host);
  log('info', 'sandbox ERP (simulated NetSuite-like record API) listening', {
    url: `http://${host}:${boundPort}`,
    pid: process.pid,
    config: server.state().config,
  });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      return;
    }
    closing = true;
    server.close().then(
      () => {
        log('info', 'sandbox ERP stopped', { signal });
        process.exit(0);
      },
      (error: unknown) => {
        log('error', 'sandbox ERP failed to stop cleanly', { signal, error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  log('error', 'sandbox ERP failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
