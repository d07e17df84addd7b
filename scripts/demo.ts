/**
 * `npm run demo [-- --orders 2000 --rate 200 --erp sandbox|netsuite|business-central|cin7 --concurrency 5 --latency 150]`
 *
 * Starts the middleware as a child process on the built-in sandbox ERP (`--erp sandbox`, the default) or, with
 * `--erp netsuite|business-central|cin7`, on that vendor's simulator (its own process, scripts/erp-simulator.ts)
 * through the real connector, plays a flash sale of signed `orders/create` webhooks into its real HTTP endpoint
 * (open loop, Shopify-like retries), shows progress, and ends with a summary judged by the exact ledger: it exits 0
 * only if every order is in the ERP exactly once. The flash sale and its helpers live in scripts/lib (shared with
 * `npm run bench`), the demo's own steps in scripts/demo.
 */
import { readDemoFlags } from 'scripts/demo/demo-flags';
import { runDemo } from 'scripts/demo/run-demo';
import { UsageError } from 'scripts/lib/flags';

async function main(): Promise<number> {
  return runDemo(readDemoFlags(process.argv.slice(2)));
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof UsageError ? err.message : err);
      process.exit(1);
    },
  );
}
