import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';
import type { SimulatedErpName } from 'test/simulators/vendor-simulators';
import { repoRoot } from 'test/support/app-process';
import { erpControl, type ErpControl } from 'test/support/erp-control';

/** @description A vendor simulator running in a child process (scripts/erp-simulator.ts), and how to reach it. */
export interface SimulatorProcess {
  erp: SimulatedErpName;
  pid: number;
  url: string;
  /** The app's environment for this simulator: ERP_CONNECTOR, credentials and base URLs (secrets of this run). */
  appEnv: Record<string, string>;
  control: ErpControl;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

interface ReadyLine {
  ready: true;
  url: string;
  pid: number;
  appEnv: Record<string, string>;
}

/**
 * Starts the compiled simulator runner (`dist-tools/scripts/erp-simulator.js`, so `npm run build:tools` first) in a process of
 * its own, so that its timers and JSON do not share an event loop with a load generator.
 */
export function startSimulatorProcess(
  erp: SimulatedErpName,
  options: { config?: SimulatorConfigPatch; netsuiteAuth?: 'oauth2-m2m' | 'tba'; readyTimeoutMs?: number } = {},
): Promise<SimulatorProcess> {
  const root = repoRoot();
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'dist-tools', 'scripts', 'erp-simulator.js'),
      '--erp',
      erp,
      '--config',
      JSON.stringify(options.config ?? {}),
      '--netsuite-auth',
      options.netsuiteAuth ?? 'oauth2-m2m',
      '--print-secrets',
    ],
    { cwd: root, env: { ...process.env, NODE_PATH: path.join(root, 'dist-tools') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise<SimulatorProcess>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${erp} simulator did not start within ${options.readyTimeoutMs ?? 15_000} ms: ${stderr}`));
    }, options.readyTimeoutMs ?? 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${erp} simulator exited (${String(code)}) before it was ready: ${stderr}`));
    });
    lines.on('line', (line) => {
      let parsed: Partial<ReadyLine>;
      try {
        parsed = JSON.parse(line) as Partial<ReadyLine>;
      } catch {
        return;
      }
      if (parsed.ready !== true || parsed.url === undefined || parsed.appEnv === undefined) {
        return;
      }
      clearTimeout(timer);
      lines.close();
      // Nothing else is read from stdout; keep the pipe drained.
      child.stdout.resume();
      const url = parsed.url;
      resolve({
        erp,
        pid: child.pid ?? 0,
        url,
        appEnv: parsed.appEnv,
        control: erpControl(erp, url),
        stop: async () => {
          process.off('exit', kill);
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(timeout);
          }
        },
      });
    });
  });
}
