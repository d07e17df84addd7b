import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSectionCommand, sectionCommand } from 'scripts/bench/bench-command';
import { readBenchFlags } from 'scripts/bench/bench-flags';
import type { Machine } from 'scripts/bench/machine';
import { renderSkeleton, type SectionRun, writeReportSection } from 'scripts/bench/report-file';
import { REPORT_SECTIONS, sectionMarkers } from 'scripts/bench/report-sections';
import { placeMarkedSection } from 'scripts/lib/report-section';

const machine: Machine = {
  date: '2026-12-03T09:05:00.000Z',
  cpu: 'AMD EPYC',
  cores: 2,
  memoryGiB: '23.5',
  node: 'v20.20.2',
  os: 'Linux 6.18 (x64)',
  postgres: '15.20',
  rabbitmq: '3.10.8',
  redis: '7.0.15',
};
const run: SectionRun = { command: 'npm run bench -- --only drain', machine, startedAt: new Date(machine.date) };

describe('the bench report file', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    out = path.join(dir, 'benchmarks.md');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a fresh file as the header and every section not run yet, then fills the one that ran', () => {
    writeReportSection(out, 'drain', ['| measure | value |', '|---|---|', '| writes/s | 32.4 |'], run);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# Benchmarks\n')).toBe(true);
    const starts = REPORT_SECTIONS.map((id) => text.indexOf(sectionMarkers(id).start));
    expect(starts.every((at) => at > 0)).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(text.match(/Not run yet/g)).toHaveLength(REPORT_SECTIONS.length - 1);
    expect(text).toContain('| writes/s | 32.4 |');
    expect(text).toContain('- **Command**: `npm run bench -- --only drain`');
    expect(text).toContain('- **Run**: 2026-12-03 09:05 UTC');
    expect(text).toContain('- **Machine**: AMD EPYC, 2 cores, 23.5 GiB, Linux 6.18 (x64); Node.js v20.20.2');
  });

  it('rewrites only its own section: every other byte of the file stays as it was', () => {
    writeFileSync(out, renderSkeleton().replace('## Adaptive', 'A note by hand.\n\n## Adaptive'));
    writeReportSection(out, 'flash-split', ['first run'], run);
    const before = readFileSync(out, 'utf8');
    writeReportSection(out, 'flash-split', ['second run'], run);
    const after = readFileSync(out, 'utf8');
    expect(after).toBe(before.replace('first run', 'second run'));
    expect(after).toContain('A note by hand.');
  });

  it('puts a section missing from the file in its place in the order', () => {
    const text = ['# Report', '<!-- bench:a -->A<!-- /bench:a -->', '<!-- bench:c -->C<!-- /bench:c -->', ''].join(
      '\n',
    );
    const m = (id: string) => ({ start: `<!-- bench:${id} -->`, end: `<!-- /bench:${id} -->` });
    const order = ['a', 'b', 'c', 'd'].map(m);
    const b = '<!-- bench:b -->B<!-- /bench:b -->';
    const d = '<!-- bench:d -->D<!-- /bench:d -->';
    const z = '<!-- bench:z -->Z<!-- /bench:z -->';
    expect(placeMarkedSection(text, m('b'), b, order)).toBe(text.replace('/bench:a -->', `/bench:a -->\n\n${b}`));
    expect(placeMarkedSection(text, m('d'), d, order)).toBe(text.replace('/bench:c -->', `/bench:c -->\n\n${d}`));
    expect(
      placeMarkedSection(
        '# Report\n<!-- bench:c -->C<!-- /bench:c -->\n',
        m('a'),
        '<!-- bench:a -->A<!-- /bench:a -->',
        order,
      ),
    ).toBe('# Report\n<!-- bench:a -->A<!-- /bench:a -->\n\n<!-- bench:c -->C<!-- /bench:c -->\n');
    expect(placeMarkedSection(text, m('z'), z, order)).toBe(`${text.trimEnd()}\n\n${z}\n`);
  });
});

describe('the command of a section', () => {
  it('spells out every flag its phase read, at the value the run used, and never --out', () => {
    const flags = readBenchFlags([
      '--only',
      'flash',
      '--flash-topology',
      'split',
      '--flash-orders',
      '300',
      '--flash-warmup',
      '100',
      '--out',
      '/tmp/b.md',
    ]);
    expect(sectionCommand('flash-split', flags)).toBe(
      'npm run bench -- --only flash --flash-topology split --flash-orders 300 --flash-rate 500 --flash-warmup 100 ' +
        '--flash-sockets 512 --log-level info',
    );
  });

  it('names the ingest phases the run named, both when it named neither', () => {
    const quick = readBenchFlags(['--only', 'app', '--quick', '--rates', '50']);
    expect(sectionCommand('ingest', quick)).toBe(
      'npm run bench -- --only app --rates 50 --warmup 1 --duration 3 --closed-concurrency 32 --closed-duration 3 ' +
        '--pacing spin --log-level info',
    );
    expect(defaultSectionCommand('ingest')).toMatch(/^npm run bench -- --only floor,app --rates 500,1000 /);
  });

  it('keeps --quick where it is the only size the phase has', () => {
    expect(sectionCommand('adaptive', readBenchFlags(['--only', 'adaptive', '--quick']))).toBe(
      'npm run bench -- --only adaptive --quick',
    );
    expect(defaultSectionCommand('adaptive')).toBe('npm run bench -- --only adaptive');
  });
});
