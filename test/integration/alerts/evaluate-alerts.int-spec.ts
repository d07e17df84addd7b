import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import type { AppConfig } from 'src/config/app-config';
import { createDataSource } from 'src/database/data-source';
import { runMigrationsLocked } from 'src/database/migrate';
import { EvaluateAlerts } from 'src/modules/alerts/application/evaluate-alerts.use-case';
import type { AlertNotice } from 'src/modules/alerts/domain/alert-rules';
import { signAlert } from 'src/modules/alerts/domain/sign-alert';
import { AlertEpisodeRepository } from 'src/modules/alerts/persistence/alert-episode.repository';
import { SmtpAlertEmail } from 'src/modules/alerts/transport/alert-email.sender';
import { HttpAlertWebhook } from 'src/modules/alerts/transport/alert-webhook.sender';
import { ReadOrderLatency } from 'src/modules/audit/application/read-order-latency.query';
import { AuditLogRepository } from 'src/modules/audit/persistence/audit-log.repository';
import { CountRecentDeadLetters } from 'src/modules/dead-letters/application/count-recent-dead-letters.query';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import type { ErpWriteGate } from 'src/modules/erp';
import { ReadErpFeedRuns } from 'src/modules/erp/application/read-erp-feed-runs.query';
import { ErpChangeRepository } from 'src/modules/erp/persistence/erp-change.repository';
import { CountReconciliationGaps } from 'src/modules/orders/application/count-reconciliation-gaps.query';
import { OrderReconciliationRepository } from 'src/modules/orders/persistence/order-reconciliation.repository';
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
      [new HttpAlertWebhook(cfg), new SmtpAlertEmail(cfg)],
      new CountRecentDeadLetters(new DeadLetterRepository(dataSource)),
      new ReadOrderLatency(new AuditLogRepository(dataSource)),
      new ReadErpFeedRuns(new ErpChangeRepository(dataSource)),
      new CountReconciliationGaps(new OrderReconciliationRepository(dataSource)),
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
    await dataSource.query(
      'TRUNCATE alert_episode, dead_letter, sync_audit_log, erp_sync_watermark, order_reconciliation_feed',
    );
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

  it('sends nothing and records nothing without ALERT_WEBHOOK_URL nor ALERT_SMTP_URL', async () => {
    gate.circuitState = 'open';
    const unconfigured = testConfig(DB, 0, {});
    expect(await evaluator(unconfigured).execute(new Date())).toEqual({
      ran: false,
      reason: 'no alert channel is set (ALERT_WEBHOOK_URL, ALERT_SMTP_URL)',
    });
    expect(await dataSource.query('SELECT 1 FROM alert_episode')).toEqual([]);
  });

  /** Evaluates every minute from `from` to `to` (inclusive) of the clock t0 + m, each by a new evaluator. */
  const evaluateMinutes = async (t0: Date, from: number, to: number, cfg: AppConfig = config): Promise<void> => {
    for (let m = from; m <= to; m++) {
      await evaluator(cfg).execute(minutes(t0, m));
    }
  };
  const notices = (): string[] => received.map((r) => `${r.notice.event} ${r.notice.rule}`);

  it('orders reaching the ERP later than ALERT_ORDER_LAG_MINUTES raise one alert, and on-time orders recover it', async () => {
    const t0 = new Date();
    const written = (at: Date, latencyMinutes: number, n: number) =>
      dataSource.query(
        `INSERT INTO sync_audit_log (event_id, entity, topic, shop, shopify_id, status, attempt, latency_ms, created_at)
         SELECT 'e-' || $3 || '-' || g, 'order', 'orders/create', 's.myshopify.com', g::text, 'succeeded', 0, $2, $1
           FROM generate_series(1, $4) g`,
        [at, latencyMinutes * 60_000, at.getTime(), n],
      );
    await written(minutes(t0, 0), 2, 20); // on time
    await evaluateMinutes(t0, 0, 0);
    await written(minutes(t0, 1), 25, 20); // a backlog: 25 minutes behind
    await evaluateMinutes(t0, 1, 3); // minutes 2 and 3: no order written, no evidence: the episode stays
    await written(minutes(t0, 4), 1, 20);
    await evaluateMinutes(t0, 4, 4);
    expect(notices()).toEqual(['alert order-lag', 'recovery order-lag']);
    expect(received[0]?.notice.details).toMatchObject({ orders: 20, p95Minutes: '25.0', thresholdMinutes: 15 });
  });

  it('an ERP change stream without a successful read for ALERT_ERP_FEED_LAG_MINUTES raises one alert until it reads again', async () => {
    const t0 = new Date();
    const run = (stream: string, lastSuccess: Date, error: string | null) =>
      dataSource.query(
        `INSERT INTO erp_sync_watermark (connector, stream, last_run_at, last_error, last_success_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (connector, stream) DO UPDATE SET last_run_at = $3, last_error = $4, last_success_at = $5`,
        [config.erp.connector, stream, t0, error, lastSuccess],
      );
    await run('items', minutes(t0, 0), null);
    await run('inventory', minutes(t0, 0), null);
    await evaluateMinutes(t0, 0, 30);
    await run('inventory', minutes(t0, 0), 'HTTP 401 from the ERP'); // failing from minute 30 on
    await evaluateMinutes(t0, 31, 59);
    expect(notices()).toEqual([]);
    await evaluateMinutes(t0, 60, 61);
    expect(notices()).toEqual(['alert erp-feed-lag']);
    expect(received[0]?.notice.summary).toContain('inventory');
    expect(received[0]?.notice.details).toMatchObject({ streams: 'inventory (failing), items' });
    expect(received[0]?.body).not.toContain('HTTP 401'); // the ERP's error text stays in the table
    await run('items', minutes(t0, 62), null);
    await run('inventory', minutes(t0, 62), null);
    await evaluateMinutes(t0, 62, 63);
    expect(notices()).toEqual(['alert erp-feed-lag', 'recovery erp-feed-lag']);
  });

  it('a stream that never read to the end is late from its first run, not at once', async () => {
    const t0 = new Date();
    await dataSource.query(
      `INSERT INTO erp_sync_watermark (connector, stream, last_run_at, last_error, first_run_at) VALUES ($1, 'shipments', $2, $3, $2)
       ON CONFLICT (connector, stream) DO UPDATE SET last_run_at = $2, last_error = $3, last_success_at = NULL, first_run_at = $2`,
      [config.erp.connector, t0, 'HTTP 401 from the ERP'],
    );
    await evaluateMinutes(t0, 0, 59);
    expect(notices()).toEqual([]);
    await evaluateMinutes(t0, 60, 61);
    expect(notices()).toEqual(['alert erp-feed-lag']);
    expect(received[0]?.notice.details).toMatchObject({ streams: 'shipments (failing)' });
  });

  it('orders the reconciliation had to feed raise one alert, recovered once the window passes without new gaps', async () => {
    const t0 = new Date();
    await dataSource.query(
      `INSERT INTO order_reconciliation_feed (shop, kind, shopify_id, version, event_id, published_at)
       VALUES ('s.myshopify.com', 'order', '1', '1', 'r-1', $1), ('s.myshopify.com', 'order', '2', '1', 'r-2', $1),
              ('s.myshopify.com', 'refund', '3', 'refund', 'r-3', $1)`,
      [minutes(t0, 1)],
    );
    await evaluateMinutes(t0, 0, 62);
    expect(notices()).toEqual(['alert reconciliation-gaps', 'recovery reconciliation-gaps']);
    expect(received[0]?.notice.details).toMatchObject({ orders: 2, refunds: 1, windowMinutes: 60 });
    expect(received[1]?.notice.recoveredAt).toBe(minutes(t0, 61).toISOString());
  });

  describe('by e-mail too (a real SMTP server)', () => {
    interface Mail {
      from: string;
      to: string[];
      data: string;
    }
    const mails: Mail[] = [];
    /** Refuses this many messages first (SMTP 451), then takes them. */
    let refuse = 0;
    let smtp: SMTPServer;
    let emailConfig: AppConfig;

    beforeAll(async () => {
      smtp = new SMTPServer({
        disabledCommands: ['STARTTLS'],
        allowInsecureAuth: true,
        onAuth: (auth, _session, callback) =>
          auth.username === 'alerts' && auth.password === 'smtp-secret-password'
            ? callback(null, { user: 'alerts' })
            : callback(new Error('invalid credentials')),
        onData: (stream, session, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (refuse > 0) {
              refuse--;
              const error = Object.assign(new Error('try again later'), { responseCode: 451 });
              callback(error);
              return;
            }
            mails.push({
              from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((r) => r.address),
              data: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const { port } = smtp.server.address() as AddressInfo;
      emailConfig = testConfig(DB, 0, {
        ALERT_WEBHOOK_URL: config.alerts.webhook?.url ?? '',
        ALERT_WEBHOOK_SECRET: SECRET,
        ALERT_ERP_CIRCUIT_OPEN_MINUTES: '5',
        ALERT_SMTP_URL: `smtp://alerts:smtp-secret-password@127.0.0.1:${port}`,
        ALERT_EMAIL_FROM: 'ERP sync <alerts@example.com>',
        ALERT_EMAIL_TO: 'ops@example.com, finance@example.com',
      });
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    });

    it('an outage raises one alert and one recovery on each channel; a refused e-mail is sent again, the webhook is not', async () => {
      mails.length = 0;
      refuse = 1;
      const t0 = new Date();
      for (let m = 0; m <= 14; m++) {
        gate.circuitState = m >= 1 && m < 11 ? 'open' : 'closed';
        await evaluator(emailConfig).execute(minutes(t0, m));
      }
      expect(notices()).toEqual(['alert erp-circuit-open', 'recovery erp-circuit-open']);
      expect(mails).toHaveLength(2);
      const [alert, recovery] = mails;
      expect(alert).toMatchObject({ from: 'alerts@example.com', to: ['ops@example.com', 'finance@example.com'] });
      expect(alert?.data).toMatch(/^Subject: \[erp-sync\] ALERT erp-circuit-open: the sandbox ERP circuit has/m);
      expect(alert?.data).toContain(`X-Erp-Sync-Delivery: ${received[0]?.notice.episodeId}:alert`);
      expect(recovery?.data).toMatch(/^Subject: \[erp-sync\] RECOVERED erp-circuit-open/m);
      for (const mail of mails) {
        expect(mail.data).not.toContain('smtp-secret-password');
      }
      const [episode] = await dataSource.query<Array<{ alert_sent_to: string[]; recovery_sent_to: string[] }>>(
        'SELECT alert_sent_to, recovery_sent_to FROM alert_episode',
      );
      // The webhook took the alert at minute 6, the e-mail (refused once) at minute 7.
      expect(episode).toEqual({ alert_sent_to: ['webhook', 'email'], recovery_sent_to: ['webhook', 'email'] });
    });

    it('an SMTP server refusing the credentials fails the delivery with its code, never the password', async () => {
      const { port } = smtp.server.address() as AddressInfo;
      const wrong = testConfig(DB, 0, {
        ALERT_SMTP_URL: `smtp://alerts:wrong-password-456@127.0.0.1:${port}`,
        ALERT_EMAIL_FROM: 'alerts@example.com',
        ALERT_EMAIL_TO: 'ops@example.com',
      });
      const email = new SmtpAlertEmail(wrong);
      const notice = {
        event: 'alert' as const,
        rule: 'erp-circuit-open' as never,
        episodeId: '1',
        startedAt: new Date().toISOString(),
        summary: 's',
        details: {},
      };
      const error = await email.send(notice).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      email.onApplicationShutdown();
      expect(error?.message).toBe('the alert e-mail was not sent (SMTP EAUTH 535)');
      expect(error?.message).not.toContain('wrong-password-456');
    });
  });
});
