import type { BenchRun } from 'scripts/bench/bench-run';
import { ensureFloorQueue, FLOOR_QUEUE, startFloor } from 'scripts/bench/floor';
import { closedLoopIngest, openLoopIngest } from 'scripts/bench/ingest-load';
import { ms } from 'scripts/lib/format';
import { log } from 'scripts/lib/log';
import { resetInfrastructure } from 'scripts/lib/services';
import { ALL_QUEUE_NAMES } from 'src/common/messaging/topology';
import { purgeQueues } from 'test/support/services';

/**
 * The ingest phases: the same load against the floor and against the app (APP_ROLE=api, so no ERP work competes),
 * open loop at each `--rates` and closed loop, so that the report can set the app against the floor of one run.
 */

/** `floor`: the bare ingest in a worker thread. */
export async function floorPhase(run: BenchRun): Promise<void> {
  const { urls } = run;
  await ensureFloorQueue(urls.rabbitmqUrl);
  await purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]);
  const floor = await startFloor(urls.rabbitmqUrl, run.secret);
  try {
    await measureIngest(run, 'floor', floor.url, () => purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]));
  } finally {
    await floor.stop();
    await purgeQueues(urls.rabbitmqUrl, [FLOOR_QUEUE]);
  }
}

/** `app`: the real ingest, one APP_ROLE=api process. */
export async function appPhase(run: BenchRun): Promise<void> {
  const { urls } = run;
  await resetInfrastructure(urls);
  const app = await run.launch('api');
  try {
    await measureIngest(run, 'app', app.url, () => purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES));
  } finally {
    await run.stopApps();
    await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
  }
}

/** Open loop at every rate (queues purged after each), then the closed loop; both into the report. */
async function measureIngest(
  run: BenchRun,
  target: 'floor' | 'app',
  url: string,
  purge: () => Promise<unknown>,
): Promise<void> {
  const { flags, report, nextRequest } = run;
  for (const rate of flags.rates) {
    const result = await openLoopIngest(url, nextRequest, rate, flags.warmup, flags.duration, flags.pacing);
    report.openLoop.push({ target, rate, result });
    log(
      `${target} @ ${rate}/s: p50 ${ms(result.latencyMs.p50)} p99 ${ms(result.latencyMs.p99)} max ${ms(result.latencyMs.max)} ms, lag p99 ${ms(result.lagMs.p99)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
    await purge();
  }
  const closed = await closedLoopIngest(target, url, nextRequest, flags.closedConcurrency, flags.closedDuration);
  report.closedLoop.push(closed);
  log(`${target} closed loop: ${Math.round(closed.perSecond)} req/s, p99 ${ms(closed.latencyMs.p99)} ms`);
}
