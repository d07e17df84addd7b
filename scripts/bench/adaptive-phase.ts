import {
  type AdaptiveConcurrencyBenchResult,
  formatAdaptiveConcurrencyBench,
  runAdaptiveConcurrencyBench,
} from 'scripts/bench/adaptive-concurrency';
import type { SectionWriter } from 'scripts/bench/report-file';
import { errorMessage, log } from 'scripts/lib/log';

/**
 * `--only adaptive`: scenario S18's figures at the production adaptive timings (scripts/bench/adaptive-concurrency.ts:
 * the sandbox ERP, a simulation, in this process, and real Redis; no app process or broker), written into its own
 * section of the report, the rest of the file untouched.
 */

/** Runs the measurement and writes its section; resolves 1 when it could not complete. */
export async function runAdaptivePhase(options: { quick: boolean; write: SectionWriter }): Promise<number> {
  log('── adaptive');
  const startedAt = new Date();
  try {
    const result = await runAdaptiveConcurrencyBench({ quick: options.quick });
    for (const line of formatAdaptiveConcurrencyBench(result)) {
      log(`adaptive: ${line}`);
    }
    options.write('adaptive', renderAdaptiveSection(result), startedAt);
    log('wrote the adaptive section of the report');
    return 0;
  } catch (err) {
    log(`adaptive failed: ${errorMessage(err)}`);
    return 1;
  }
}

/** The section's lines: what the run does, and one table of what the gate found. */
export function renderAdaptiveSection(r: AdaptiveConcurrencyBenchResult): string[] {
  const seconds = (ms: number | null): string => (ms === null ? 'not within 60 s' : `${(ms / 1000).toFixed(1)} s`);
  return [
    `The sandbox ERP (a simulation, ${r.latencyMs} ms per request) allows ${r.erpLimit} concurrent requests, which ` +
      `nobody configured. 24 callers write through the real ERP write gate (Redis-shared permits, production ` +
      `adaptive timings, cap 20), which starts at the vendor default of ${r.startLimit}: it must find the limit, ` +
      `hold it while the callers keep it busy, and follow the ERP down when it lowers the limit to ${r.droppedLimit}.`,
    '',
    '| measure | value |',
    '|---|---|',
    `| limit ${r.erpLimit} found after | ${seconds(r.discoveredAfterMs)} |`,
    `| held for ${r.hold.ms / 1000} s at | ${r.hold.minLimit}–${r.hold.maxLimit} |`,
    `| throughput while held | ${r.hold.okPerSecond.toFixed(1)}/s = **${(100 * r.utilisation).toFixed(0)} %** of ` +
      `limit ÷ latency (${r.idealPerSecond.toFixed(0)}/s) |`,
    `| refused by the ERP while held | ${r.hold.refused} of ${r.hold.ok + r.hold.refused} ` +
      `(${(100 * r.hold.refusedShare).toFixed(2)} %) |`,
    `| peak concurrency in the ERP | ${r.peakConcurrency} |`,
    `| ERP dropped to ${r.droppedLimit}: followed after | ${seconds(r.followedDropAfterMs)} |`,
  ];
}
