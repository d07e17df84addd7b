/**
 * The flash sale of issue #3 per ERP connector (scripts/bench/connectors.ts), through the real NetSuite, Business
 * Central or Cin7 connector to that vendor's simulator, with an outage part-way through.
 *
 * `npm run bench -- --only connectors [--flash-orders 5000 --flash-rate 500 --outage-seconds 60 --outage-after 5]`
 * runs it for all three connectors; standalone, after `npm run build` and `npm run build:tools`:
 * `NODE_PATH=dist-tools node dist-tools/scripts/bench-connectors.js [--erp netsuite,cin7] [--orders 300] [--rate 100]
 *  [--outage-seconds 5] [--outage-after 2] [--limit 5] [--latency 150] [--out file.md]`.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runConnectorBench } from 'scripts/bench/connectors';
import { renderConnectorBench } from 'scripts/bench/connectors-report';
import type { ConnectorBenchOptions } from 'scripts/bench/connectors.types';
import { numberAtLeast as num } from 'scripts/lib/flags';
import { errorMessage, log } from 'scripts/lib/log';
import { isolatedRabbitUrl, localServiceUrls } from 'scripts/lib/services';
import { isSimulatedErp, SIMULATED_ERPS, type SimulatedErpName } from 'test/simulators/vendor-simulators';
import { checkServices, formatServicesReport } from 'test/support/services';

const DATABASE = 'erp_sync_bench_connectors';
const REDIS_DB = 13;

function readFlags(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      erp: { type: 'string', default: SIMULATED_ERPS.join(',') },
      orders: { type: 'string', default: '5000' },
      rate: { type: 'string', default: '500' },
      limit: { type: 'string', default: '5' },
      latency: { type: 'string', default: '150' },
      jitter: { type: 'string', default: '30' },
      'outage-seconds': { type: 'string', default: '60' },
      'outage-after': { type: 'string', default: '5' },
      out: { type: 'string' },
    },
  });
  return values;
}

async function main(): Promise<number> {
  const values = readFlags(process.argv.slice(2));
  const erps = values.erp.split(',').map((e) => e.trim());
  const bad = erps.filter((e) => !isSimulatedErp(e));
  if (bad.length > 0) {
    console.error(`--erp: unknown ${bad.join(', ')}; choose from ${SIMULATED_ERPS.join(', ')}`);
    return 1;
  }
  const services = await checkServices(localServiceUrls(DATABASE, REDIS_DB));
  if (!services.ok) {
    console.error(`The benchmark needs PostgreSQL, RabbitMQ and Redis.\n${formatServicesReport(services)}`);
    return 1;
  }
  const urls = await isolatedRabbitUrl(localServiceUrls(DATABASE, REDIS_DB));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const options: ConnectorBenchOptions = {
    erps: erps as SimulatedErpName[],
    urls,
    secret: `shpss_bench_${randomUUID()}`,
    adminKey: `bench-admin-${randomUUID()}`,
    orders: Math.floor(num('orders', values.orders, 1)),
    ratePerSecond: num('rate', values.rate, 0.1),
    limit: Math.floor(num('limit', values.limit, 1)),
    latencyMs: Math.floor(num('latency', values.latency, 1)),
    jitterMs: Math.floor(num('jitter', values.jitter, 0)),
    outageSeconds: num('outage-seconds', values['outage-seconds'], 0),
    outageAfterSeconds: num('outage-after', values['outage-after'], 0),
    logFile: (erp) => path.join(os.tmpdir(), `erp-sync-bench-connectors-${stamp}-${erp}.log`),
    log,
  };
  const results = await runConnectorBench(options);
  const report = renderConnectorBench({ results, timing: options });
  if (values.out !== undefined) {
    writeFileSync(values.out, report);
    console.log(`wrote ${values.out}`);
  } else {
    console.log(`\n${report}`);
  }
  return results.every((r) => r.passed) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(errorMessage(err));
      process.exit(1);
    },
  );
}
