/**
 * Runs one vendor ERP **simulator** (NetSuite, Business Central or Cin7 Core; test/simulators/) as a standalone
 * process, for the demo, the bench and local development. They talk to no real ERP.
 *
 * `NODE_PATH=dist-tools node dist-tools/scripts/erp-simulator.js --erp netsuite|business-central|cin7 [--port 0] [--host 127.0.0.1]
 *  [--config '{"concurrencyLimit":5,"latencyMs":150}'] [--netsuite-auth oauth2-m2m|tba] [--print-secrets]`
 *
 * Once listening it writes one JSON line to stdout: `{ "ready": true, "erp", "url", "pid", "config", "appEnv" }`.
 * `appEnv` holds the app's environment for this simulator (ERP_CONNECTOR, credentials, base URLs): the same
 * variables an operator sets for a real account. Its credentials are secrets of this run only; they are replaced by
 * `***` unless `--print-secrets` is given (the demo and bench pass it and read the line from a pipe, never a log).
 * Fault settings change at runtime through the simulator's control API (`POST /_control/config`, …).
 */
import { parseArgs } from 'node:util';
import { createVendorSimulator, isSimulatedErp, SIMULATED_ERPS } from 'test/simulators/vendor-simulators';

const SECRET_NAME = /SECRET|KEY|PRIVATE|ACCOUNT_ID|APPLICATION/;

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      erp: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      config: { type: 'string', default: '{}' },
      'netsuite-auth': { type: 'string', default: 'oauth2-m2m' },
      'print-secrets': { type: 'boolean', default: false },
    },
  });
  const erp = values.erp ?? '';
  if (!isSimulatedErp(erp)) {
    throw new Error(`--erp must be one of ${SIMULATED_ERPS.join(', ')}`);
  }
  const auth = values['netsuite-auth'];
  if (auth !== 'oauth2-m2m' && auth !== 'tba') {
    throw new Error('--netsuite-auth must be oauth2-m2m or tba');
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error('--port must be a port number (0 = any free port)');
  }
  const config = JSON.parse(values.config) as Record<string, unknown>;
  const simulator = createVendorSimulator(erp, { config, netsuiteAuth: auth });
  const boundPort = await simulator.server.listen(port, values.host);
  const url = `http://${values.host}:${boundPort}`;
  const appEnv = simulator.appEnv(url);
  const shown = values['print-secrets']
    ? appEnv
    : Object.fromEntries(Object.entries(appEnv).map(([k, v]) => [k, SECRET_NAME.test(k) ? '***' : v]));
  process.stdout.write(
    `${JSON.stringify({ ready: true, erp, url, pid: process.pid, config: simulator.server.state().config, appEnv: shown })}\n`,
  );

  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      return;
    }
    closing = true;
    simulator.server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', `${erp} simulator failed to stop cleanly`, { signal, error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  log('error', 'ERP simulator failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
