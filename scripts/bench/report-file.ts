import { defaultSectionCommand, sectionCommand } from 'scripts/bench/bench-command';
import type { BenchFlags } from 'scripts/bench/bench-flags';
import type { Machine } from 'scripts/bench/machine';
import { REPORT_SECTIONS, type SectionId, sectionMarkers, sectionTitle } from 'scripts/bench/report-sections';
import { writeMarkedSection } from 'scripts/lib/report-section';

/**
 * The bench report (`--out`, docs/benchmarks.md by default): a fixed header, then one section per benchmark in the
 * order of REPORT_SECTIONS. A phase rewrites its own section and leaves every other one as it was; a section never
 * run says so, with its command.
 */

/** Where and when a section's figures were measured, and how to measure them again. */
export interface SectionRun {
  command: string;
  machine: Machine;
  startedAt: Date;
}

const HEADER = [
  '# Benchmarks',
  '',
  'The current figures of `npm run bench`: one section per benchmark, each rewritten only when its own phase runs',
  '(`npm run bench -- --only <phase>`), with the command that reproduces it, the machine and the date. Past runs and',
  'the findings written after them are in the [benchmark history](benchmarks-history.md).',
  '',
  '- **Open loop.** Webhooks are sent on a schedule (request *i* is due at start + i ÷ rate) and each latency counts',
  '  from that due time, not from the actual send, so a stall counts against every request it delays.',
  '- **Exact ledger.** Every run that sends orders is judged by its ledger: sent = accepted + rejected + failed, each',
  '  order exactly once in the ERP and in its latest state, invalid ones dead-lettered. A run that does not balance is',
  '  void, whatever its speed.',
  '- **Single runs on a shared 2-core machine.** The load generator, the app, the simulators (ERPs and Shopify are',
  '  always simulated here), PostgreSQL, RabbitMQ and Redis share the same cores, and a figure moves by up to ±30 %',
  '  from one run to the next. Compare the ratios measured within one run (app ÷ floor, drain ÷ theoretical) rather',
  '  than absolute figures across sections.',
];

/** One section: markers, title, `body`, then the command, the date and the machine. */
export function renderSection(id: SectionId, body: readonly string[], run: SectionRun): string {
  const { start, end } = sectionMarkers(id);
  return [
    start,
    `## ${sectionTitle(id)}`,
    '',
    ...body,
    '',
    `- **Command**: \`${run.command}\``,
    `- **Run**: ${formatUtc(run.startedAt)}`,
    `- **Machine**: ${formatMachine(run.machine)}`,
    end,
  ].join('\n');
}

/** A section no run has written yet. */
export function renderPlaceholder(id: SectionId): string {
  const { start, end } = sectionMarkers(id);
  return [start, `## ${sectionTitle(id)}`, '', `Not run yet: \`${defaultSectionCommand(id)}\`.`, end].join('\n');
}

/** The whole report with no section run yet: what a fresh `--out` file starts as. */
export function renderSkeleton(): string {
  return [HEADER.join('\n'), ...REPORT_SECTIONS.map(renderPlaceholder)].join('\n\n') + '\n';
}

/** Writes section `id` into `outFile`, every other section as it was (a new file starts as the skeleton). */
export function writeReportSection(outFile: string, id: SectionId, body: readonly string[], run: SectionRun): void {
  writeMarkedSection(outFile, sectionMarkers(id), renderSection(id, body, run), {
    order: REPORT_SECTIONS.map(sectionMarkers),
    fresh: renderSkeleton,
  });
}

/** `2026-12-03 09:05 UTC`. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatMachine(m: Machine): string {
  const unknown = (v: string | undefined): string => v ?? 'unknown';
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node.js ${m.node}, PostgreSQL ${unknown(m.postgres)}, ` +
    `RabbitMQ ${unknown(m.rabbitmq)}, Redis ${unknown(m.redis)}`
  );
}

/** Writes one section's figures, measured from `startedAt`, into the report. */
export type SectionWriter = (id: SectionId, body: readonly string[], startedAt: Date) => void;

/** A SectionWriter into `outFile` for a run with these flags on this machine. */
export function sectionWriter(outFile: string, flags: BenchFlags, machine: Machine): SectionWriter {
  return (id, body, startedAt) =>
    writeReportSection(outFile, id, body, { command: sectionCommand(id, flags), machine, startedAt });
}
