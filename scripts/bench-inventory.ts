/**
 * `npm run bench -- --only inventory [--quick]` (or, after `npm run build:tools`,
 * `NODE_PATH=dist-tools node dist-tools/scripts/bench-inventory.js [--quick] [--out docs/benchmarks.md]`)
 *
 * The inventory push ERP → Shopify of issue #4 (scripts/bench/inventory.ts): writes its section into the report.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runInventoryBench } from 'scripts/bench/inventory';
import { errorMessage } from 'scripts/lib/log';
import { repoRoot } from 'test/support/app-process';

if (require.main === module) {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: 'docs/benchmarks.md' } },
  });
  runInventoryBench({ quick: values.quick, out: path.resolve(repoRoot(), values.out) }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(errorMessage(err));
      process.exit(1);
    },
  );
}
