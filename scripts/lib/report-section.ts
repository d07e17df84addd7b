import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** The comment lines that open and close one section of a report made of marked sections. */
export interface SectionMarkers {
  start: string;
  end: string;
}

/**
 * `current` with `block` (which begins with `markers.start` and ends with `markers.end`) in place of that section,
 * the rest of the text as it was. A section not yet in the text goes where `order` puts it: after the nearest earlier
 * section present, else before the nearest later one, else at the end.
 */
export function placeMarkedSection(
  current: string,
  markers: SectionMarkers,
  block: string,
  order: readonly SectionMarkers[] = [],
): string {
  const from = current.indexOf(markers.start);
  const to = current.indexOf(markers.end);
  if (from >= 0 && to > from) {
    return current.slice(0, from) + block + current.slice(to + markers.end.length);
  }
  const index = order.findIndex((m) => m.start === markers.start);
  for (const earlier of order.slice(0, Math.max(index, 0)).reverse()) {
    const at = current.indexOf(earlier.end);
    if (at >= 0) {
      const cut = at + earlier.end.length;
      return `${current.slice(0, cut)}\n\n${block}${current.slice(cut)}`;
    }
  }
  for (const later of index >= 0 ? order.slice(index + 1) : []) {
    const at = current.indexOf(later.start);
    if (at >= 0) {
      return `${current.slice(0, at)}${block}\n\n${current.slice(at)}`;
    }
  }
  return `${current.trimEnd()}\n\n${block}\n`;
}

/** Writes `block` into `outFile` as placeMarkedSection places it; a file that does not exist yet starts as `fresh()`. */
export function writeMarkedSection(
  outFile: string,
  markers: SectionMarkers,
  block: string,
  options: { order?: readonly SectionMarkers[]; fresh: () => string },
): void {
  const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : options.fresh();
  writeFileSync(outFile, placeMarkedSection(current, markers, block, options.order));
}
