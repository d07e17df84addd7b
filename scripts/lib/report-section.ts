import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `section` (which begins with `start` and ends with `end`) into `outFile` between those markers, leaving the
 * rest of the file as it is; appends it when the markers are not there yet.
 */
export function writeMarkedSection(outFile: string, start: string, end: string, section: string): void {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(outFile, next);
}
