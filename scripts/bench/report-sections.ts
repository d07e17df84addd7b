import type { FlashTopology } from 'scripts/bench/bench-flags';
import type { SectionMarkers } from 'scripts/lib/report-section';

/**
 * The sections of the bench report (docs/benchmarks.md), in the order the file keeps them. Each phase rewrites only
 * its own section, between the section's markers; the two flash-sale topologies have a section each.
 */
export const REPORT_SECTIONS = [
  'ingest',
  'drain',
  'flash-all',
  'flash-split',
  'flash-cold-all',
  'flash-cold-split',
  'outage',
  'slowloris',
  'connectors',
  'inventory',
  'adaptive',
  'soak',
] as const;

export type SectionId = (typeof REPORT_SECTIONS)[number];

const TITLES: Record<SectionId, string> = {
  ingest: 'Ingest: the app against a bare floor',
  drain: 'ERP drain: one worker empties a backlog',
  'flash-all': 'Flash sale, one command (`APP_ROLE=all`)',
  'flash-split': 'Flash sale, api and worker processes (`--flash-topology split`, as docker-compose deploys)',
  'flash-cold-all': 'Flash sale from a cold start, one command (`APP_ROLE=all`, `--cold`)',
  'flash-cold-split': 'Flash sale from a cold start, api and worker processes (`--cold --flash-topology split`)',
  outage: 'ERP outage during a flash sale',
  slowloris: 'Slow clients beside webhooks (S13)',
  connectors: 'Flash sale per ERP connector',
  inventory: 'Inventory push ERP → Shopify',
  adaptive: 'Adaptive ERP concurrency',
  soak: 'Soak: outage, worker kill and broker restart under steady load (S19)',
};

export function sectionTitle(id: SectionId): string {
  return TITLES[id];
}

/** `<!-- bench:<id> -->` … `<!-- /bench:<id> -->` (inventory's and adaptive's are the markers they always had). */
export function sectionMarkers(id: SectionId): SectionMarkers {
  return { start: `<!-- bench:${id} -->`, end: `<!-- /bench:${id} -->` };
}

export function flashSectionId(topology: FlashTopology, cold = false): SectionId {
  if (cold) {
    return topology === 'all' ? 'flash-cold-all' : 'flash-cold-split';
  }
  return topology === 'all' ? 'flash-all' : 'flash-split';
}
