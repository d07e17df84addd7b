import { parseArgs } from 'node:util';
import { numberInRange as num, UsageError } from 'scripts/lib/flags';
import { isSimulatedErp, SIMULATED_ERPS, type SimulatedErpName } from 'test/simulators/vendor-simulators';

/** The demo's command line (README: `npm run demo -- --orders … --rate … --erp …`). */

export interface DemoFlags {
  erp: 'sandbox' | SimulatedErpName;
  /** Cin7 only: the simulator's per-minute request budget (the vendor's is 60). */
  erpRpm: number | undefined;
  orders: number;
  rate: number;
  concurrency: number;
  latency: number;
  jitter: number;
  badSkuPercent: number;
}

/** Parses the demo's flags; `--help` prints the usage and exits 0, a bad value throws a UsageError. */
export function readDemoFlags(argv: string[]): DemoFlags {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string', default: '2000' },
      rate: { type: 'string', default: '200' },
      erp: { type: 'string', default: 'sandbox' },
      'erp-rpm': { type: 'string' },
      concurrency: { type: 'string', default: '5' },
      latency: { type: 'string', default: '150' },
      jitter: { type: 'string', default: '30' },
      'bad-sku-percent': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'npm run demo -- [--orders 2000] [--rate 200] [--erp sandbox|netsuite|business-central|cin7] [--erp-rpm N (cin7)] ' +
        '[--concurrency 5] [--latency 150] [--jitter 30] [--bad-sku-percent 0]',
    );
    process.exit(0);
  }
  const erp = values.erp;
  if (erp !== 'sandbox' && !isSimulatedErp(erp)) {
    throw new UsageError(`--erp ${erp}: choose sandbox (the built-in sandbox ERP) or ${SIMULATED_ERPS.join(', ')}`);
  }
  if (values['erp-rpm'] !== undefined && erp !== 'cin7') {
    throw new UsageError("--erp-rpm is the Cin7 simulator's per-minute budget: use it with --erp cin7");
  }
  return {
    erp,
    erpRpm: values['erp-rpm'] === undefined ? undefined : Math.floor(num('erp-rpm', values['erp-rpm'], 1, 1_000_000)),
    orders: Math.floor(num('orders', values.orders, 1, 1_000_000)),
    rate: num('rate', values.rate, 0.1, 100_000),
    concurrency: Math.floor(num('concurrency', values.concurrency, 1, 1000)),
    latency: num('latency', values.latency, 1, 60_000),
    jitter: num('jitter', values.jitter, 0, 60_000),
    badSkuPercent: num('bad-sku-percent', values['bad-sku-percent'], 0, 100),
  };
}

/**
 * Cin7 Core allows 60 requests a minute; at 3–6 requests per order a demo of thousands of orders would take hours.
 * Unless `--erp-rpm` says otherwise, the Cin7 demo lifts the simulator's budget to 6,000 a minute and paces the app
 * with ERP_MAX_RPS=100 to match, and says so. Other ERPs keep the simulator's defaults.
 */
export function simulatorBudget(
  flags: DemoFlags,
): { requestsPerMinute: number; maxRps: number; note: string } | undefined {
  if (flags.erp !== 'cin7') {
    return undefined;
  }
  const requestsPerMinute = flags.erpRpm ?? 6_000;
  const maxRps = Math.max(1, Math.floor(requestsPerMinute / 60));
  return {
    requestsPerMinute,
    maxRps,
    note:
      requestsPerMinute === 60
        ? "Cin7 Core's real budget: 60 requests per minute (ERP_MAX_RPS=1). Expect about 4 s per order."
        : `Note: Cin7 Core's real budget is 60 requests per minute. This demo lifts the simulator's to ${requestsPerMinute}/min ` +
          `and sets ERP_MAX_RPS=${maxRps} to match (--erp-rpm 60 for the vendor's limit).`,
  };
}
