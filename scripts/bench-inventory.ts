/**
 * `npm run bench -- --only inventory [--quick]` (or, after `npm run build:tools`,
 * `NODE_PATH=dist-tools node dist-tools/scripts/bench-inventory.js [--quick] [--out docs/benchmarks.md]`)
 *
 * The inventory push ERP → Shopify of issue #4 (scripts/bench/inventory.ts): writes its section into the report.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readBenchFlags } from 'scripts/bench/bench-flags';
import { runInventoryBench } from 'scripts/bench/inventory';
import { machineFacts } from 'scripts/bench/machine';
import { sectionWriter } from 'scripts/bench/report-file';
import { errorMessage } from 'scripts/lib/log';
import { localServiceUrls } from 'scripts/lib/services';
import { repoRoot } from 'test/support/app-process';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'docs/benchmarks.md' } },
  });
  // The section shows the equivalent `npm run bench -- --only inventory` command.
  const flags = readBenchFlags(['--only', 'inventory', ...(values.quick ? ['--quick'] : [])]);
  const machine = await machineFacts(localServiceUrls('postgres', 0));
  const write = sectionWriter(path.resolve(repoRoot(), values.out), flags, machine);
  return runInventoryBench({ quick: values.quick, write });
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
