import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The house rules a reader relies on to guess where things live and what may use what (STYLE habit 11 and
 * docs/architecture.md): modules talk through their index.ts; `common/` knows no module; entity rules and
 * connectors never import each other, nor the ERP port a connector; production code never reaches into test/ or
 * scripts/; every module has the same rooms; no source file grows past 500 lines; every table has one owner.
 */
const root = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every module a file names, in any form: `import` (type-only too), `export … from`, a bare `import '…'`, dynamic
 * `import()`, `import x = require()`, `require()` and `import('…')` types; comments and strings are not read.
 * Relative specifiers come back as project paths (`src/…`), like the absolute ones.
 */
function imports(file: string): string[] {
  const { importedFiles } = preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) =>
    fileName.startsWith('.')
      ? normalize(join(dirname(file), fileName))
          .split('\\')
          .join('/')
      : fileName,
  );
}

const sources = files(join(root, 'src')).map((f) => relative(root, f).split('\\').join('/'));
const isSpec = (file: string): boolean => /\.spec\.ts$/.test(file);
const isMigration = (file: string): boolean => file.startsWith('src/database/migrations/');
const moduleOf = (file: string): string | undefined => /^src\/modules\/([^/]+)\//.exec(file)?.[1];
const modules = readdirSync(join(root, 'src/modules')).filter((name) =>
  statSync(join(root, 'src/modules', name)).isDirectory(),
);

/** `file -> target` for every import of the files matching `from` whose target matches `to`. */
function edges(from: (file: string) => boolean, to: (target: string, file: string) => boolean): string[] {
  return sources.filter(from).flatMap((file) =>
    imports(file)
      .filter((target) => to(target, file))
      .map((target) => `${file} -> ${target}`),
  );
}

describe('architecture', () => {
  it('reads every import form (type-only, re-export, dynamic, require) and relative paths', () => {
    const probe = 'src/modules/orders/application/probe.ts';
    const source = [
      "import type { A } from 'src/modules/erp/port/a';",
      "export * from 'src/modules/erp/b';",
      "export { c } from 'src/modules/erp/c';",
      "const d = await import('src/modules/erp/d');",
      "const e = require('src/modules/erp/e');",
      "import f = require('../../erp/f');",
      "// import { g } from 'src/modules/erp/g';",
    ].join('\n');
    const found = preProcessFile(source, true, true).importedFiles.map(({ fileName }) =>
      fileName.startsWith('.')
        ? normalize(join(dirname(probe), fileName))
            .split('\\')
            .join('/')
        : fileName,
    );
    expect(found).toEqual([
      'src/modules/erp/port/a',
      'src/modules/erp/b',
      'src/modules/erp/c',
      'src/modules/erp/d',
      'src/modules/erp/e',
      'src/modules/erp/f',
    ]);
  });

  it('no module imports another module except through its index', () => {
    const offending = edges(
      (file) => moduleOf(file) !== undefined && !isSpec(file),
      (target, file) => {
        const match = /^src\/modules\/([^/]+)\/(.+)$/.exec(target);
        return match !== null && match[1] !== moduleOf(file) && match[2] !== 'index';
      },
    );
    expect(offending).toEqual([]);
  });

  it('common/ imports nothing from modules/', () => {
    expect(
      edges(
        (file) => file.startsWith('src/common/'),
        (target) => target.startsWith('src/modules'),
      ),
    ).toEqual([]);
  });

  it('entity rules never import connector code, and connectors never import entity rules', () => {
    const entity = ['orders', 'products', 'inventory', 'fulfilments'];
    const isEntity = (path: string): boolean => entity.some((e) => path.startsWith(`src/modules/${e}/`));
    const isConnector = (path: string): boolean => path.startsWith('src/modules/erp/connectors/');
    expect(
      edges(
        (file) => isEntity(file),
        (target) => isConnector(target) || target.includes('/connectors/'),
      ),
    ).toEqual([]);
    expect(
      edges(
        (file) => isConnector(file),
        (target) => isEntity(`${target}/`),
      ),
    ).toEqual([]);
  });

  it('the ERP port never imports a connector', () => {
    expect(
      edges(
        (file) => file.startsWith('src/modules/erp/port/'),
        (target) => target.startsWith('src/modules/erp/connectors'),
      ),
    ).toEqual([]);
  });

  it('nothing in src/ imports from test/ or scripts/ (the production build ships neither)', () => {
    // Spec files beside the code are test code: the build leaves them out, so they may use the test helpers.
    expect(
      edges(
        (file) => !isSpec(file),
        (target) => /^(test|scripts)\//.test(target),
      ),
    ).toEqual([]);
  });

  it('only src/config reads process.env', () => {
    const offending = sources.filter(
      (f) => !f.startsWith('src/config/') && /process\.env\b/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });

  it("every module has the same rooms: transport, application, domain, persistence (and its external system's port)", () => {
    const rooms = ['application', 'domain', 'persistence', 'transport'];
    // The two modules that own an external system keep its port apart: the ERP port with its connectors and write
    // machinery, and the Shopify Admin API port with its client and cost bucket.
    const extra: Record<string, string[]> = { erp: ['connectors', 'port', 'writer'], shopify: ['admin'] };
    const misshapen = modules.flatMap((m) => {
      const folders = readdirSync(join(root, 'src/modules', m)).filter((name) =>
        statSync(join(root, 'src/modules', m, name)).isDirectory(),
      );
      return [
        ...rooms.filter((room) => !folders.includes(room)).map((room) => `src/modules/${m} has no ${room}/`),
        ...folders
          .filter((f) => !rooms.includes(f) && !(extra[m] ?? []).includes(f))
          .map((f) => `src/modules/${m}/${f}/ is not a room of a module`),
      ];
    });
    expect(misshapen).toEqual([]);
  });

  it('no file in src/ is over 500 lines, migrations aside', () => {
    const long = sources
      .filter((f) => !isMigration(f))
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 500)
      .map(({ f, lines }) => `${f} (${lines} lines)`);
    expect(long).toEqual([]);
  });

  it('each table is read and written only by its owner module', () => {
    const owners: Array<[RegExp, string]> = [
      [/^erp_(item_xref|sync_watermark|inventory_level|shipment|customer_xref|create_doubt)$/, 'erp'],
      [/^sync_audit_log$/, 'audit'],
      [/^admin_api_key$/, 'access'],
      [/^dead_letter(_action)?$/, 'dead-letters'],
      [
        /^(webhook_inbox|order_sync_state|customer_sync_state|order_reconciliation_feed|shopify_reconciliation_watermark|order_replay|order_replay_item|order_edit_conflict)$/,
        'orders',
      ],
      [/^ingest_outbox$/, 'shopify'],
      [/^inventory_[a-z0-9_]+$/, 'inventory'],
      [/^shopify_product_xref$/, 'products'],
      [/^(erp_shipment_fulfilment|shopify_fulfilment)$/, 'fulfilments'],
      [/^shops$/, 'shops'],
      [/^mapping_[a-z_]+$/, 'mapping'],
      [/^flow_pause$/, 'flows'],
      [/^alert_episode$/, 'alerts'],
      [/^shopify_payout$/, 'payouts'],
    ];
    // The SQL keywords that name a table (upper case, as every repository writes them), and the name after them.
    const sql = /\b(?:FROM|JOIN|INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_][a-z0-9_]*)"?/g;
    const offending: string[] = [];
    const touched = new Set<string>();
    for (const file of sources.filter((f) => !isSpec(f) && !isMigration(f))) {
      for (const [, table = ''] of readFileSync(join(root, file), 'utf8').matchAll(sql)) {
        const owner = owners.find(([pattern]) => pattern.test(table))?.[1];
        if (owner !== undefined) {
          touched.add(table);
          if (moduleOf(file) !== owner) {
            offending.push(`${file} touches ${table} (owner: ${owner})`);
          }
        }
      }
    }
    expect([...new Set(offending)]).toEqual([]);
    // The check reads what it should: the repositories' own tables are found.
    expect([...touched]).toEqual(expect.arrayContaining(['sync_audit_log', 'erp_item_xref', 'ingest_outbox']));
  });
});
