import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type DemoErp, startDemoErp } from 'scripts/demo/demo-erp';
import type { DemoFlags } from 'scripts/demo/demo-flags';
import { printDemoSummary } from 'scripts/demo/demo-summary';
import { ProgressView } from 'scripts/demo/progress-view';
import { CleanupStack } from 'scripts/lib/cleanup-stack';
import { defaultDrainTimeoutMs, theoreticalWritesPerSecond } from 'scripts/lib/drain';
import { runFlashSale } from 'scripts/lib/flash-sale';
import { appEnv, isolatedRabbitUrl, localServiceUrls, resetInfrastructure } from 'scripts/lib/services';
import { BUSINESS_CENTRAL_DEFAULT_LIMITS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { type AppProcess, freePort, startApp } from 'test/support/app-process';
import { checkServices, formatServicesReport, type ServiceUrls } from 'test/support/services';

const DEMO_DATABASE = 'erp_sync_demo';
/** A Redis db index of its own, so that flushing it never touches the tests' or a developer's data. */
const DEMO_REDIS_DB = 14;

/**
 * The demo: a fresh database, Redis db and vhost; the simulated ERP; the middleware as a child process
 * (APP_ROLE=all); the flash sale with a progress display; the summary. Resolves the exit code: 0 only when every
 * order is in the ERP exactly once.
 */
export async function runDemo(flags: DemoFlags): Promise<number> {
  const services = await checkServices(localServiceUrls(DEMO_DATABASE, DEMO_REDIS_DB));
  if (!services.ok) {
    console.error(`The demo needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  const urls = await isolatedRabbitUrl(localServiceUrls(DEMO_DATABASE, DEMO_REDIS_DB));
  const cleanups = new CleanupStack();
  let view: ProgressView | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    view?.stop();
    console.error(`\n${signal}: stopping the app and the sandbox ERP…`);
    void cleanups.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    console.log(
      `Preparing: fresh database ${DEMO_DATABASE}, Redis db ${DEMO_REDIS_DB}, RabbitMQ vhost ${DEMO_DATABASE} with empty queues…`,
    );
    await resetInfrastructure(urls);
    const erp = await startDemoErp(flags);
    cleanups.push(() => erp.stop());
    const { app, secret, adminKey, logFile } = await startDemoApp(urls, flags, erp);
    cleanups.push(() => app.stop());

    const { theoretical, requestCeiling } = erpCeilings(flags);
    console.log(
      `\nFlash sale: ${flags.orders} signed orders/create webhooks at ${flags.rate}/s → ${app.url}/webhooks/shopify\n` +
        `${erp.label} at ${erp.url}: ${flags.concurrency} concurrent requests, ${flags.latency} ± ${flags.jitter} ms each ` +
        `(at most ${theoretical.toFixed(1)} ${erp.simulator === undefined ? 'writes' : 'requests'}/s)\n`,
    );
    // A vendor connector makes 3–7 requests per new order (customer lookup and create, order lookup and write).
    const drainTimeoutMs = defaultDrainTimeoutMs(
      flags.erp === 'sandbox' ? flags.orders : flags.orders * 4,
      flags.concurrency,
      flags.latency,
    );
    const progressView = new ProgressView(flags.orders, process.stdout.isTTY === true);
    view = progressView;
    const result = await runFlashSale({
      appUrl: app.url,
      sandbox: erp.control,
      secret,
      adminKey,
      orders: flags.orders,
      ratePerSecond: flags.rate,
      badSkuPercent: flags.badSkuPercent,
      drainTimeoutMs,
      onProgress: (p) => progressView.update(p),
    });
    progressView.stop();
    const onSimulator = erp.simulator !== undefined;
    const summary = { result, limit: flags.concurrency, theoretical, requestCeiling, onSimulator, drainTimeoutMs };
    return printDemoSummary({ ...summary, logFile }) ? 0 : 1;
  } catch (err) {
    view?.stop();
    console.error(`\n✗ ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanups.run();
  }
}

/** The middleware as a child process (APP_ROLE=all) with a secret and an admin key of this run's own. */
async function startDemoApp(
  urls: ServiceUrls,
  flags: DemoFlags,
  erp: DemoErp,
): Promise<{ app: AppProcess; secret: string; adminKey: string; logFile: string }> {
  const secret = `shpss_demo_${randomBytes(12).toString('hex')}`;
  const adminKey = `demo-admin-${randomBytes(12).toString('hex')}`;
  const logFile = path.join(os.tmpdir(), `erp-sync-demo-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  console.log(`Starting the middleware (APP_ROLE=all); its logs go to ${logFile}`);
  const app = await startApp({
    env: appEnv(urls, {
      secret,
      adminKey,
      sandboxUrl: erp.url,
      erpConcurrency: flags.concurrency,
      extra: erp.env,
    }),
    role: 'all',
    port: await freePort(),
    logFile,
  });
  return { app, secret, adminKey, logFile };
}

/** What the ERP allows at most, and what the app may send (Business Central's default ERP_MAX_RPS can bind lower). */
function erpCeilings(flags: DemoFlags): { theoretical: number; requestCeiling: number } {
  const theoretical = theoreticalWritesPerSecond(flags.concurrency, flags.latency);
  // Business Central's connector default of 20 requests/s (6,000 per 5 minutes) binds below 5 × 150 ms.
  const bcRps = BUSINESS_CENTRAL_DEFAULT_LIMITS.maxRps;
  const requestCeiling =
    flags.erp === 'business-central' && bcRps !== undefined ? Math.min(theoretical, bcRps) : theoretical;
  if (requestCeiling < theoretical) {
    console.log(
      `Business Central's default ERP_MAX_RPS is ${bcRps} (6,000 requests per 5 minutes): at most ${requestCeiling} requests/s.`,
    );
  }
  return { theoretical, requestCeiling };
}
