import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** STYLE habit 11: modules talk through their index.ts; `common/` knows no module; entity rules never import connectors. */
const root = join(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
}

const sources = files(join(root, 'src')).map((f) => relative(root, f));

describe('architecture', () => {
  it('no module imports another module except through its index', () => {
    const offending: string[] = [];
    for (const file of sources.filter((f) => f.startsWith('src/modules/'))) {
      const own = file.split('/')[2];
      for (const target of imports(join(root, file))) {
        const match = /^src\/modules\/([^/]+)\/(.+)$/.exec(target);
        if (match && match[1] !== own && !/\.spec\.ts$/.test(file)) {
          offending.push(`${file} -> ${target}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('common/ imports nothing from modules/', () => {
    const offending = sources
      .filter((f) => f.startsWith('src/common/'))
      .flatMap((f) =>
        imports(join(root, f))
          .filter((t) => t.startsWith('src/modules'))
          .map((t) => `${f} -> ${t}`),
      );
    expect(offending).toEqual([]);
  });

  it('entity rules never import connector code, and connectors never import entity rules', () => {
    const entity = ['orders', 'products', 'inventory'];
    const offending: string[] = [];
    for (const file of sources) {
      for (const target of imports(join(root, file))) {
        if (entity.some((e) => file.startsWith(`src/modules/${e}/`)) && target.includes('/connectors/')) {
          offending.push(`${file} -> ${target}`);
        }
        if (file.includes('/connectors/') && entity.some((e) => target.startsWith(`src/modules/${e}`))) {
          offending.push(`${file} -> ${target}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('only src/config reads process.env', () => {
    const offending = sources.filter(
      (f) => !f.startsWith('src/config/') && /process\.env\b/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });
});
