import { readFileSync } from 'node:fs';
import path from 'node:path';
import { APP_NODE_FLAGS } from 'test/support/app-process';
import ts from 'typescript';

/**
 * The production build (`npm run build`: tsconfig.build.json → dist/, and the Docker app image) ships the app and
 * nothing else: no test, script or simulator code. tsc compiles every file its included files import, so what the
 * include says is not enough: this reads the program tsc would build, and every import of the files in it.
 */

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');

function buildConfig(): ts.ParsedCommandLine {
  const file = path.join(ROOT, 'tsconfig.build.json');
  const read = ts.readConfigFile(file, (name) => ts.sys.readFile(name));
  if (read.error !== undefined) {
    throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  }
  return ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
}

function isUnder(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function fromRoot(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** Every module a file names: static and type imports, re-exports, `import()`, `require()`, `import x = require()`. */
function moduleSpecifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
}

/** Where a specifier points inside the repository, or undefined for a package. */
function repositoryTarget(specifier: string, importer: string): string | undefined {
  if (specifier.startsWith('.')) {
    return fromRoot(path.resolve(path.dirname(importer), specifier));
  }
  const first = specifier.split('/')[0];
  return first !== undefined && ['src', 'test', 'scripts'].includes(first) ? specifier : undefined;
}

interface DockerStage {
  name: string;
  base: string;
  copies: Array<{ from?: string; sources: string[] }>;
}

function dockerStages(): DockerStage[] {
  const stages: DockerStage[] = [];
  const lines = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim());
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from !== null) {
      stages.push({ name: from[2] ?? String(stages.length), base: from[1] ?? '', copies: [] });
      continue;
    }
    const copy = /^(?:COPY|ADD)\s+(.*)$/i.exec(line);
    if (copy !== null && stages.length > 0) {
      const words = (copy[1] ?? '').split(/\s+/);
      const fromFlag = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      stages[stages.length - 1]?.copies.push({ from: fromFlag, sources: paths.slice(0, -1) });
    }
  }
  return stages;
}

/** The stages the default target is made of: itself, its base stages and the stages it copies from. */
function stagesOfDefaultTarget(stages: DockerStage[]): DockerStage[] {
  const byName = new Map(stages.map((stage) => [stage.name, stage]));
  const seen = new Map<string, DockerStage>();
  const visit = (stage: DockerStage | undefined): void => {
    if (stage === undefined || seen.has(stage.name)) {
      return;
    }
    seen.set(stage.name, stage);
    visit(byName.get(stage.base));
    for (const copy of stage.copies) {
      visit(copy.from === undefined ? undefined : byName.get(copy.from));
    }
  };
  visit(stages.at(-1));
  return [...seen.values()];
}

describe('the production build', () => {
  const config = buildConfig();

  it('includes src/ only, without specs', () => {
    expect(config.errors).toEqual([]);
    const include = (config.raw as { include?: string[] }).include ?? [];
    expect(include.length).toBeGreaterThan(0);
    expect(include.filter((pattern) => !pattern.startsWith('src/'))).toEqual([]);
    expect(config.fileNames.length).toBeGreaterThan(0);
    expect(config.fileNames.map(fromRoot).filter((file) => !file.startsWith('src/'))).toEqual([]);
    expect(config.fileNames.map(fromRoot).filter((file) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(file))).toEqual([]);
  });

  it('has no file that imports from test/ or scripts/, in any import form', () => {
    const offending = config.fileNames.flatMap((file) =>
      moduleSpecifiers(file)
        .map((specifier) => ({ specifier, target: repositoryTarget(specifier, file) }))
        .filter(({ target }) => target !== undefined && !target.startsWith('src/'))
        .map(({ specifier }) => `${fromRoot(file)} → ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('compiles no file from outside src/ (what tsc would emit, imports followed)', () => {
    // The files tsc pulls into the program from the repository: the included ones and, transitively, every
    // repository file they import (resolved as tsc resolves them; packages are not followed, tsc emits none).
    const emitted = new Set(config.fileNames.map((file) => path.resolve(file)));
    const queue = [...emitted];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      for (const specifier of moduleSpecifiers(file)) {
        const resolved = ts.resolveModuleName(specifier, file, config.options, ts.sys).resolvedModule;
        if (resolved === undefined || resolved.isExternalLibraryImport === true || resolved.extension === '.d.ts') {
          continue;
        }
        const target = path.resolve(resolved.resolvedFileName);
        if (!emitted.has(target)) {
          emitted.add(target);
          queue.push(target);
        }
      }
    }
    expect(emitted.size).toBeGreaterThan(100);
    expect([...emitted].filter((file) => !isUnder(SRC, file)).map(fromRoot)).toEqual([]);
  });

  it('is what the Docker app image is built from: its stages copy no test/ or scripts/ and build with tsconfig.build.json', () => {
    const stages = stagesOfDefaultTarget(dockerStages());
    const sources = stages.flatMap((stage) =>
      stage.copies.filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => /^(\.\/?)?(test|scripts)(\/|$)|^\.\/?$|tsconfig\.tools/.test(source))).toEqual(
      [],
    );
    expect(sources).toEqual(expect.arrayContaining(['src', 'tsconfig.build.json']));
  });

  it('runs the app with the same Node flags in the image, in `npm start` and in the test and bench launcher', () => {
    const commands = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
      .split('\n')
      .flatMap((line) => /^CMD\s+(\[.*\])\s*$/i.exec(line.trim())?.[1] ?? []);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };

    expect(APP_NODE_FLAGS).toEqual(expect.arrayContaining(['--max-old-space-size=1024', '--expose-gc']));
    // The default target's CMD is the file's last.
    expect(JSON.parse(commands.at(-1) ?? '[]')).toEqual(['node', ...APP_NODE_FLAGS, 'dist/src/main.js']);
    expect(pkg.scripts.start).toBe(`NODE_PATH=dist node ${APP_NODE_FLAGS.join(' ')} dist/src/main.js`);
  });
});
