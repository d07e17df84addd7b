import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * `.env.example` says it lists every variable the service reads: each property of the validated environment
 * (src/config/env.schema.ts, with the classes it extends: order-release-settings.schema.ts, alert-settings.schema.ts,
 * payout-settings.schema.ts and erp-connector-settings.schema.ts) has a line there, set or commented out, and the
 * file names no variable the service does not read. Read from the source with the TypeScript parser, so a new
 * setting cannot be forgotten.
 */

const ROOT = path.resolve(__dirname, '..');

/** The properties of the validated environment: EnvironmentVariables and the classes it extends. */
const SCHEMA_CLASSES: ReadonlyArray<{ file: string; name: string }> = [
  { file: 'src/config/env.schema.ts', name: 'EnvironmentVariables' },
  { file: 'src/config/alert-settings.schema.ts', name: 'AlertSettings' },
  { file: 'src/config/order-release-settings.schema.ts', name: 'OrderReleaseSettings' },
  { file: 'src/config/payout-settings.schema.ts', name: 'PayoutSettings' },
  { file: 'src/config/erp-connector-settings.schema.ts', name: 'ErpConnectorSettings' },
];

function schemaVariables(): string[] {
  const names: string[] = [];
  for (const schema of SCHEMA_CLASSES) {
    const file = path.join(ROOT, schema.file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    source.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name?.text === schema.name) {
        for (const member of node.members) {
          if (ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name)) {
            names.push(member.name.text);
          }
        }
      }
    });
  }
  return names;
}

function exampleVariables(): string[] {
  return readFileSync(path.join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('.env.example', () => {
  it('lists every variable the service validates, and only those', () => {
    const schema = schemaVariables();
    expect(schema.length).toBeGreaterThan(40);
    const example = exampleVariables();
    expect(schema.filter((name) => !example.includes(name))).toEqual([]);
    expect(example.filter((name) => !schema.includes(name))).toEqual([]);
  });
});
