import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import type { AppConfig } from 'src/config/app-config';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { EvaluateAlerts } from 'src/modules/alerts/application/evaluate-alerts.use-case';
import type { AlertNotice } from 'src/modules/alerts/domain/alert-rules';
import { signAlert } from 'src/modules/alerts/domain/sign-alert';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { HttpAlertWebhook } from 'src/modules/alerts/transport/alert-webhook.sender';
import { CountRecentDeadLetters } from 'src/modules/dead-letters/application/count-recent-dead-letters.query';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import type { ErpWriteGate } from 'src/modules/erp';
import { INTEGRATION_RESOURCES } from 'test/support/integration-resources';
import { ensureDatabase } from 'test/support/services';
import { serviceUrls, testConfig } from 'test/support/test-config';
import type { DataSource } from 'typeorm';

const DB = INTEGRATION_RESOURCES.alerts.database;
const SECRET = 'alert-webhook-secret-for-tests-0123456789';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  notice: AlertNotice;
}

/**
 * The alert rules end to end on real PostgreSQL (dead letters, episodes) and a real HTTP receiver: each episode
 * raises one signed alert and one recovery, whatever the number of evaluations, restarts or failed deliveries. The
 * evaluator takes its clock as input, so a 10-minute outage is evaluated every 30 s without waiting 10 minutes.
 */
describe('alerts: rules delivered once per episode to a signed webhook (real PostgreSQL and HTTP)', () => {
  const { DATABASE_URL } = serviceUrls(DB, 0);
  let dataSource: DataSource;
  let server: Server;
  let config: AppConfig;
  const received: Received[] = [];
  /** Answers with these statuses first (then 204). */
  const failWith: number[] = [];
  const gate = { circuitState: 'closed' as 'closed' | 'half-open' | 'open' };

  /** A new evaluator, as a restarted scheduler would build it: nothing is remembered but in PostgreSQL. */
  const evaluator = (cfg: AppConfig = config): EvaluateAlerts =>
    new EvaluateAlerts(
      new AlertEpisodeRepository(dataSource),
      new HttpAlertWebhook(cfg),
      new CountRecentDeadLetters(new DeadLetterRepository(dataSource)),
      gate as unknown as ErpWriteGate,
      cfg,
      new AdvisoryLocks(dataSource),
    );

  beforeAll(async () => {
    await ensureDatabase(DATABASE_URL, { reset: true });
    await runMigrationsLocked(DATABASE_URL);
    dataSource = createDataSource(DATABASE_URL);
    await dataSource.initialize();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = failWith.shift() ?? 204;
        if (status < 300) {
          const body = Buffer.concat(chunks).toString('utf8');
          received.push({ headers: req.headers, body, notice: JSON.parse(body) as AlertNotice });
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    config = testConfig(DB, 0, {
      ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_DEAD_LETTERS_THRESHOLD: '10',
      ALERT_DEAD_LETTERS_WINDOW_MINUTES: '15',
      ALERT_ERP_CIRCUIT_OPEN_MINUTES: '5',
    });
  });

  beforeEach(async () => {
    received.length = 0;
    failWith.length = 0;
    gate.circuitState = 'closed';
    await dataSource.query('TRUNCATE alert_episode, dead_letter');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const minutes = (t0: Date, m: number): Date => new Date(t0.getTime() + m * 60_000);

  it('a 10-minute ERP outage raises exactly one alert (after 5 min) and one recovery, signed', async () => {
    const t0 = new Date();
    for (let m = 0; m <= 14; m += 0.5) {
      // Open, half-open while probing, open again: one outage from minute 1 to minute 11.
      gate.circuitState = m < 1 || m >= 11 ? 'closed' : m % 2 === 0 ? 'half-open' : 'open';
      // Each evaluation by a new evaluator, as after a restart: only PostgreSQL remembers the episode.
      await evaluator().execute(minutes(t0, m));
    }
    expect(received.map((r) => `${r.notice.event} ${r.notice.rule}`)).toEqual([
      'alert erp-circuit-open',
      'recovery erp-circuit-open',
    ]);
    const [alert, recovery] = received.map((r) => r.notice);
    expect(alert).toMatchObject({ startedAt: minutes(t0, 1).toISOString(), details: { thresholdMinutes: 5 } });
    expect(recovery).toMatchObject({ episodeId: alert?.episodeId, recoveredAt: minutes(t0, 11).toISOString() });
    for (const r of received) {
      const timestamp = Number(r.headers['x-erp-sync-timestamp']);
      expect(Math.abs(timestamp - Date.now() / 1_000)).toBeLessThan(60);
      expect(r.headers['x-erp-sync-signature']).toBe(signAlert(r.body, timestamp, SECRET));
      expect(r.headers['x-erp-sync-delivery']).toBe(`${r.notice.episodeId}:${r.notice.event}`);
      expect(r.body).not.toContain(SECRET);
    }
    const episodes = await dataSource.query<Array<{ raised_at: Date; recovered_at: Date }>>(
      'SELECT raised_at, recovered_at FROM alert_episode',
    );
    expect(episodes).toEqual([{ raised_at: minutes(t0, 6), recovered_at: minutes(t0, 11) }]);
  });

  it('an outage shorter than the threshold sends nothing', async () => {
    const t0 = new Date();
    for (let m = 0; m <= 6; m += 0.5) {
      gate.circuitState = m >= 1 && m < 4 ? 'open' : 'closed';
      await evaluator().execute(minutes(t0, m));
    }
    expect(received).toEqual([]);
  });

  it('dead letters above the threshold in the window raise one alert, and the recovery once they age out of it', async () => {
    const t0 = new Date();
    const insert = (n: number, at: Date) =>
      dataSource.query(
        `INSERT INTO dead_letter (message_id, entity, topic, shop, routing_key, headers, body, reason, attempts, created_at)
         SELECT 'm-' || $3 || '-' || g, 'order', 'orders/create', 's.myshopify.com', 'orders.p00', '{}', '\\x7b7d', 'unknown SKU', 1, $2
           FROM generate_series(1, $1) g`,
        [n, at, at.getTime()],
      );
    await insert(10, t0);
    await evaluator().execute(minutes(t0, 1));
    expect(received).toEqual([]); // 10 is not above 10
    await insert(3, minutes(t0, 2));
    for (let m = 2; m <= 20; m++) {
      await evaluator().execute(minutes(t0, m));
    }
    expect(received.map((r) => [r.notice.event, r.notice.rule, r.notice.details.deadLetters])).toEqual([
      ['alert', 'dead-letters', 13],
      // At minute 15 the first ten leave the 15-minute window: 3 remain.
      ['recovery', 'dead-letters', 3],
    ]);
  });

  it('a delivery the receiver refuses is sent again at the next evaluation, and lands once', async () => {
    const t0 = new Date();
    gate.circuitState = 'open';
    failWith.push(503, 500);
    const results = [];
    for (let m = 0; m <= 8; m++) {
      results.push(await evaluator().execute(minutes(t0, m)));
    }
    expect(results.map((r) => (r.ran ? `${r.sent.length}/${r.failed}` : 'skipped'))).toEqual([
      '0/0',
      '0/0',
      '0/0',
      '0/0',
      '0/0',
      '0/1',
      '0/1',
      '1/0',
      '0/0',
    ]);
    expect(received.map((r) => r.notice.event)).toEqual(['alert']);
  });

  it('sends nothing and records nothing without ALERT_WEBHOOK_URL', async () => {
    gate.circuitState = 'open';
    const unconfigured = testConfig(DB, 0, {});
    expect(await evaluator(unconfigured).execute(new Date())).toEqual({
      ran: false,
      reason: 'ALERT_WEBHOOK_URL is not set',
    });
    expect(await dataSource.query('SELECT 1 FROM alert_episode')).toEqual([]);
  });
});
