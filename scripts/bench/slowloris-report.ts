import { ms } from 'scripts/lib/format';
import type { OpenLoopResult } from 'test/support/open-loop';
import type { SlowClientResult } from 'test/support/slow-clients';
import type { SendOutcome } from 'test/support/webhook-sender';

/** The slowloris phase's figures and its section of the report (scenario S13; scripts/bench/slowloris-phase.ts). */

/** What the slowloris phase measured. */
export interface SlowlorisResult {
  rate: number;
  seconds: number;
  connections: number;
  baseline: OpenLoopResult<SendOutcome>;
  underAttack: OpenLoopResult<SendOutcome>;
  slowClients: SlowClientResult[];
}

/** The section: the webhooks' ack alone and beside the slow connections, and what became of those. */
export function renderSlowlorisSection(r: SlowlorisResult): string[] {
  const row = (label: string, o: OpenLoopResult<SendOutcome>): string =>
    `| ${label} | ${ms(o.latencyMs.p50)} | ${ms(o.latencyMs.p90)} | ${ms(o.latencyMs.p99)} | ${ms(o.latencyMs.max)} | ` +
    `${o.non2xx + o.errors} |`;
  const kinds = [
    { label: 'headers never finished', pick: (c: SlowClientResult) => c.kind === 'headers' },
    { label: 'webhook body trickled', pick: (c: SlowClientResult) => c.kind === 'body' && c.path !== '/graphql' },
    { label: '/graphql body trickled', pick: (c: SlowClientResult) => c.kind === 'body' && c.path === '/graphql' },
  ];
  return [
    `${r.rate} signed \`orders/create\` webhooks a second into an APP_ROLE=api process, open loop from a worker thread, ` +
      `for ${r.seconds} s alone, then for ${r.seconds} s beside ${r.connections} connections sending a byte a second ` +
      '(each replaced as soon as the server closes it); the first 2 s of each half are warm-up. Timeouts at their ' +
      'defaults: headers 5 s, whole request 9 s, checked every second.',
    '',
    '| webhooks | ack p50 (ms) | p90 | p99 | max | not 200 |',
    '|---|---|---|---|---|---|',
    row('alone', r.baseline),
    row(`beside ${r.connections} slow connections`, r.underAttack),
    '',
    '| slow connections | opened | closed by the server | longest open (s) | answer |',
    '|---|---|---|---|---|',
    ...kinds.map(({ label, pick }) => {
      const cs = r.slowClients.filter(pick);
      const closed = cs.filter((c) => c.closedByServer);
      const longest = closed.length > 0 ? Math.max(...closed.map((c) => c.openMs)) / 1000 : NaN;
      const answers = [...new Set(cs.map((c) => c.statusLine ?? 'none (still open at the end)'))].join(', ');
      return `| ${label} | ${cs.length} | ${closed.length} | ${Number.isFinite(longest) ? longest.toFixed(1) : '–'} | ${answers} |`;
    }),
  ];
}
