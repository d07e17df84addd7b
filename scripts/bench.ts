/**
 * `npm run bench [-- --quick] [-- --only floor,app,drain,flash,outage,slowloris,connectors,inventory,adaptive,soak]`
 * (slowloris, connectors, inventory, adaptive, soak: only when named)
 *
 * Measures the app against a bare floor in the same run. Each phase writes only its own section of the report
 * (`--out`, docs/benchmarks.md by default; scripts/bench/report-file.ts), with the command that reproduces it, the
 * machine and the date, and leaves every other section as it was:
 * - floor: node:http + raw-body HMAC (timingSafeEqual) + confirmed publish to a quorum queue, nothing else;
 * - app: the real ingest (APP_ROLE=api, so no ERP work competes), same body, same generator;
 * - ack latency open-loop from each request's scheduled send time, and closed-loop maximum throughput, reported as
 *   app ÷ floor;
 * - ERP drain rate against the sandbox's theoretical maximum (concurrency ÷ latency);
 * - the headline runs (5,000 orders/create at 500/s; the same with a 60 s ERP outage) judged by the ledger;
 * - when named: webhooks beside slow clients (S13), the flash sale per ERP connector, the inventory push, adaptive
 *   ERP concurrency (S18), and the soak (S19: half an hour with an ERP outage, a worker kill and a RabbitMQ restart;
 *   it restarts the machine's whole broker, so run it where nothing else uses it).
 *
 * The floor runs in a worker thread of this process (scripts/bench/floor.ts), so that it has an event loop of its
 * own like the app (a child process) has; the load generator runs on the main thread in both cases. The phases live
 * in scripts/bench, the flash sale and the helpers shared with the demo in scripts/lib.
 */
import { readBenchFlags } from 'scripts/bench/bench-flags';
import { runBench } from 'scripts/bench/run-bench';
import { errorMessage } from 'scripts/lib/log';

async function main(): Promise<number> {
  return runBench(readBenchFlags(process.argv.slice(2)));
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
