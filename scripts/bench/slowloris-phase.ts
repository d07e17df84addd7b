import type { BenchRun } from 'scripts/bench/bench-run';
import { ms } from 'scripts/lib/format';
import { log } from 'scripts/lib/log';
import { resetInfrastructure } from 'scripts/lib/services';
import { ALL_QUEUE_NAMES } from 'src/common/messaging/topology';
import { runAckLoopInWorker } from 'test/support/ack-generator';
import type { OpenLoopResult } from 'test/support/open-loop';
import { purgeQueues } from 'test/support/services';
import { openSlowClients } from 'test/support/slow-clients';
import type { SendOutcome } from 'test/support/webhook-sender';

/**
 * `slowloris` (scenario S13): webhooks at `--slowloris-rate` into an APP_ROLE=api process for `--slowloris-seconds`,
 * first alone (the baseline), then beside `--slowloris-connections` connections that trickle a byte a second — half
 * never finish their headers, a quarter trickle a webhook body, a quarter a /graphql body — each replaced as soon as
 * the server closes it, so that the attack holds for the whole second half. The ack latency of the two halves, open
 * loop from a worker thread, and how long the server let each slow connection live.
 */

export async function slowlorisPhase(run: BenchRun): Promise<void> {
  const { flags, urls } = run;
  await resetInfrastructure(urls);
  const app = await run.launch('api');
  try {
    const send = (): Promise<OpenLoopResult<SendOutcome>> =>
      runAckLoopInWorker({
        url: `${app.url}/webhooks/shopify`,
        requests: Array.from({ length: Math.round(flags.slowlorisRate * flags.slowlorisSeconds) }, run.nextRequest),
        ratePerSecond: flags.slowlorisRate,
        // The first two seconds warm up the sockets and the code paths; the rest is measured.
        warmupCount: Math.round(flags.slowlorisRate * 2),
      });
    const baseline = await send();
    log(`slowloris: baseline p99 ${ms(baseline.latencyMs.p99)} ms`);
    await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);

    const n = flags.slowlorisConnections;
    const slow = await openSlowClients({
      url: app.url,
      bytesPerSecond: 1,
      reopen: true,
      groups: [
        { kind: 'headers', count: Math.ceil(n / 2), path: '/webhooks/shopify' },
        { kind: 'body', count: Math.floor(n / 4), path: '/webhooks/shopify' },
        { kind: 'body', count: n - Math.ceil(n / 2) - Math.floor(n / 4), path: '/graphql' },
      ],
    });
    const underAttack = await send();
    const slowClients = await slow.settle(15_000);
    log(`slowloris: beside ${n} slow connections p99 ${ms(underAttack.latencyMs.p99)} ms`);
    run.report.slowloris = {
      rate: flags.slowlorisRate,
      seconds: flags.slowlorisSeconds,
      connections: n,
      baseline,
      underAttack,
      slowClients,
    };
  } finally {
    await run.stopApps();
    await purgeQueues(urls.rabbitmqUrl, ALL_QUEUE_NAMES);
  }
}
