import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { BenchFlags } from 'scripts/bench/bench-flags';
import type { Report } from 'scripts/bench/bench-report.types';
import { requestFactory } from 'scripts/bench/ingest-load';
import { machineFacts } from 'scripts/bench/machine';
import { sleep } from 'scripts/lib/log';
import { SandboxControl } from 'scripts/lib/sandbox-control';
import { appEnv } from 'scripts/lib/services';
import { buildShopifyOrder, serialiseOrder } from 'test/factories/shopify-order.factory';
import type { SandboxErpConfigPatch } from 'test/simulators/sandbox/sandbox-erp.types';
import { type AppProcess, type AppRoleName, freePort, repoRoot, startApp } from 'test/support/app-process';
import type { ServiceUrls } from 'test/support/services';
import type { WebhookRequest } from 'test/support/webhook-signer';

/**
 * @description What every phase of a bench run shares: its flags, services, secrets and report, the sandbox ERP
 * (a simulation, in a process of its own) and the app processes it launches.
 */
export interface BenchRun {
  flags: BenchFlags;
  urls: ServiceUrls;
  secret: string;
  adminKey: string;
  report: Report;
  /** The same signed orders/create body every time, with fresh delivery ids. */
  nextRequest: () => WebhookRequest;
  logFile(role: string): string;
  control: SandboxControl;
  sandbox: { configure(patch: SandboxErpConfigPatch): Promise<void>; close(): Promise<void> };
  /** Starts an app process of `role` on the sandbox (ERP_MAX_CONCURRENCY `erpConcurrency`, default 5). */
  launch(role: AppRoleName, erpConcurrency?: number): Promise<AppProcess>;
  stopApps(): Promise<void>;
}

/** nice 15: the CFS weight (36) docker-compose gives the worker and scheduler services beside the api (1,024). */
const ERP_SIDE_NICE = 15;

/** Prepares a run: the report's machine facts, the sandbox ERP process, and the app launcher. */
export async function startBenchRun(flags: BenchFlags, urls: ServiceUrls): Promise<BenchRun> {
  const secret = `shpss_bench_${randomUUID()}`;
  const adminKey = `bench-admin-${randomUUID()}`;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logFile = (role: string): string => path.join(os.tmpdir(), `erp-sync-bench-${stamp}-${role}.log`);
  const body = serialiseOrder(buildShopifyOrder({}, { seed: 42, lineCount: 1 }));
  const report: Report = {
    machine: await machineFacts(urls),
    flags,
    bodyBytes: Buffer.byteLength(body),
    openLoop: [],
    closedLoop: [],
    failures: [],
  };
  const { control, close } = await startSandboxProcess();
  const apps = new Set<AppProcess>();
  const launch = async (role: AppRoleName, erpConcurrency = 5): Promise<AppProcess> => {
    const app = await startApp({
      env: appEnv(urls, {
        secret,
        adminKey,
        sandboxUrl: control.baseUrl,
        erpConcurrency,
        extra: { LOG_LEVEL: flags.logLevel },
      }),
      role,
      port: await freePort(),
      logFile: logFile(role),
    });
    if (role === 'worker' || role === 'scheduler') {
      // As docker-compose deploys them (cpu_shares 36): the ERP side yields a contended CPU to ingest.
      os.setPriority(app.pid, ERP_SIDE_NICE);
    }
    apps.add(app);
    return app;
  };
  const stopApps = async (): Promise<void> => {
    for (const app of apps) {
      await app.stop();
    }
    apps.clear();
  };
  const sandbox = { configure: (patch: SandboxErpConfigPatch) => control.configure(patch), close };
  const nextRequest = requestFactory(body, secret);
  return { flags, urls, secret, adminKey, report, nextRequest, logFile, control, sandbox, launch, stopApps };
}

/**
 * The sandbox ERP runs in a process of its own: in the generator's process its timers and JSON would delay the
 * generator's reading of responses and so inflate the measured ack latency.
 */
async function startSandboxProcess(): Promise<{ control: SandboxControl; close(): Promise<void> }> {
  const sandboxPort = await freePort();
  const sandboxProcess = spawn(process.execPath, [path.join(repoRoot(), 'dist-tools', 'scripts', 'sandbox-erp.js')], {
    env: { ...process.env, NODE_PATH: path.join(repoRoot(), 'dist-tools'), SANDBOX_ERP_PORT: String(sandboxPort) },
    stdio: 'ignore',
  });
  const control = new SandboxControl(`http://127.0.0.1:${sandboxPort}`);
  for (let tries = 0; ; tries++) {
    try {
      await control.state();
      break;
    } catch (error: unknown) {
      if (tries > 100) {
        throw error;
      }
      await sleep(100);
    }
  }
  await control.configure({ concurrencyLimit: 5, latencyMs: 150, latencyJitterMs: 30, retryAfterSeconds: 1 });
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (sandboxProcess.exitCode !== null) {
        resolve();
        return;
      }
      sandboxProcess.once('exit', () => resolve());
      sandboxProcess.kill('SIGTERM');
    });
  return { control, close };
}
