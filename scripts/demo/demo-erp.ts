import { type DemoFlags, simulatorBudget } from 'scripts/demo/demo-flags';
import { SandboxControl } from 'scripts/lib/sandbox-control';
import { SimulatorSandboxControl } from 'scripts/lib/simulator-sandbox-control';
import { SandboxErpServer } from 'test/simulators/sandbox/sandbox-erp.server';
import { type SimulatorProcess, startSimulatorProcess } from 'test/support/simulator-process';

/** @description The simulated ERP a demo writes to, how to read it, and what the app needs to reach it. */
export interface DemoErp {
  url: string;
  control: SandboxControl;
  /** Set when the demo runs against a vendor simulator (`--erp netsuite|business-central|cin7`). */
  simulator?: SimulatorProcess;
  /** The app's ERP variables beyond the sandbox's (a vendor's connector, credentials and base URLs). */
  env: Record<string, string>;
  label: string;
  stop(): Promise<void>;
}

/**
 * The sandbox ERP in this process (`--erp sandbox`), or the vendor's simulator in a process of its own, with the
 * demo's concurrency limit and latency; both are simulations, never a real ERP.
 */
export async function startDemoErp(flags: DemoFlags): Promise<DemoErp> {
  if (flags.erp === 'sandbox') {
    const sandbox = new SandboxErpServer({
      concurrencyLimit: flags.concurrency,
      latencyMs: flags.latency,
      latencyJitterMs: flags.jitter,
      retryAfterSeconds: 1,
    });
    const url = `http://127.0.0.1:${await sandbox.listen(0)}`;
    return { url, control: new SandboxControl(url), env: {}, label: 'Sandbox ERP', stop: () => sandbox.close() };
  }
  const budget = simulatorBudget(flags);
  const simulator = await startSimulatorProcess(flags.erp, {
    config: {
      concurrencyLimit: flags.concurrency,
      latencyMs: Math.round(flags.latency),
      latencyJitterMs: Math.round(flags.jitter),
      retryAfterSeconds: 1,
      ...(budget === undefined ? {} : { requestsPerMinute: budget.requestsPerMinute }),
    },
  });
  if (budget !== undefined) {
    console.log(budget.note);
  }
  return {
    url: simulator.url,
    control: new SimulatorSandboxControl(simulator.url, flags.erp),
    simulator,
    env: { ...simulator.appEnv, ...(budget === undefined ? {} : { ERP_MAX_RPS: String(budget.maxRps) }) },
    label: `${flags.erp} simulator (the real ${flags.erp} connector, authentication checked)`,
    stop: () => simulator.stop(),
  };
}
