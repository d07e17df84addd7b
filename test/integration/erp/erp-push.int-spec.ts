import type { INestApplication } from '@nestjs/common';
import Queue from 'bull';
import { createHmac } from 'node:crypto';
import type { Connection } from 'rabbitmq-client';
import { createApp } from 'src/bootstrap';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { RABBIT_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import * as topology from 'src/common/messaging/topology';
import { signNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';
import { freePort } from 'test/support/app-process';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { ensureDatabase, flushRedisDb } from 'test/support/services';
import { serviceUrls, testConfig } from 'test/support/test-config';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.erpPush;
const SECRET = 'erp-push-secret-for-tests-0123';
const METRICS_KEY = 'metrics-key-for-tests-0123456789abcdef';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The api role's endpoints besides Shopify's webhooks, on the real services: `POST /webhooks/erp/:connector` (a
 * verified push only schedules the delta reads it names, as Bull jobs in Redis; a push with a wrong secret, a stale
 * or replayed timestamp, or for another connector schedules nothing), /health/ready and /metrics.
 */
describe('ERP push endpoint and operations endpoints (api role, NetSuite connector)', () => {
  const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());
  let app: INestApplication;
  let baseUrl: string;
  let metricsPort: number;
  let queue: Queue.Queue;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await flushRedisDb(urls.REDIS_URL);
    metricsPort = await freePort();
    app = await createApp(
      testConfig(DB, REDIS_DB, {
        APP_ROLE: 'api',
        RABBITMQ_URL: urls.RABBITMQ_URL,
        ERP_CONNECTOR: 'netsuite',
        NETSUITE_ACCOUNT_ID: '1234567_SB1',
        NETSUITE_AUTH: 'tba',
        NETSUITE_CONSUMER_KEY: 'ck',
        NETSUITE_CONSUMER_SECRET: 'cs-secret-value',
        NETSUITE_TOKEN_ID: 'tk',
        NETSUITE_TOKEN_SECRET: 'ts-secret-value',
        // Nothing listens there: the ERP is "down", which readiness reports without failing.
        NETSUITE_BASE_URL: 'http://127.0.0.1:9',
        ERP_PUSH_SECRET: SECRET,
        ERP_PUSH_REPLAY_WINDOW_SECONDS: '60',
        METRICS_PORT: String(metricsPort),
        METRICS_API_KEY: METRICS_KEY,
      }),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    queue = new Queue(QueueName.ErpChanges, urls.REDIS_URL);
  });

  afterAll(async () => {
    await queue.close();
    await app.close();
  });

  async function push(connector: string, body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${baseUrl}/webhooks/erp/${connector}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  }

  it('schedules the named delta reads for a signed push, once per burst', async () => {
    const body = JSON.stringify({ streams: ['items', 'shipments'] });
    const first = await push('netsuite', body, signNetsuitePush(body, SECRET));
    const second = await push('netsuite', body, signNetsuitePush(body, SECRET));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ ok: true, streams: ['items', 'shipments'] });
    expect(second.status).toBe(202);
    const delayed = await queue.getDelayed();
    // One job per stream per 2 s slot (two if the pushes straddled a slot boundary).
    expect(delayed.length).toBeLessThanOrEqual(4);
    expect([...new Set(delayed.map((job) => (job.data as { stream: string }).stream))].sort()).toEqual([
      'items',
      'shipments',
    ]);
  });

  it('refuses a wrong secret with 401 and another connector with 404, scheduling nothing', async () => {
    await queue.empty();
    const body = JSON.stringify({ streams: ['items'] });
    expect((await push('netsuite', body, signNetsuitePush(body, 'not-the-secret-at-all'))).status).toBe(401);
    expect((await push('netsuite', body, {})).status).toBe(401);
    expect((await push('cin7', body, signNetsuitePush(body, SECRET))).status).toBe(404);
    expect(await queue.getDelayed()).toHaveLength(0);
  });

  it('refuses a push outside ERP_PUSH_REPLAY_WINDOW_SECONDS, and a captured push replayed with a fresh timestamp', async () => {
    await queue.empty();
    const body = JSON.stringify({ streams: ['items'] });
    // 90 s old: inside the default 5 minutes, outside the 60 s this app was given.
    expect((await push('netsuite', body, signNetsuitePush(body, SECRET, Date.now() - 90_000))).status).toBe(401);
    // The timestamp is signed with the body: changing it to now breaks the signature.
    const captured = signNetsuitePush(body, SECRET, Date.now() - 600_000);
    const replayed = { ...captured, 'x-erp-timestamp': String(Math.floor(Date.now() / 1_000)) };
    expect((await push('netsuite', body, replayed)).status).toBe(401);
    // The old scheme (the body alone signed) is refused too.
    const bodyOnly = {
      'x-erp-timestamp': String(Math.floor(Date.now() / 1_000)),
      'x-erp-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    };
    expect((await push('netsuite', body, bodyOnly)).status).toBe(401);
    expect(await queue.getDelayed()).toHaveLength(0);
  });

  it('serves /metrics on METRICS_PORT only, behind METRICS_API_KEY', async () => {
    expect((await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_KEY}` } })).status).toBe(
      404,
    );
    const internal = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(internal)).status).toBe(401);
    expect((await fetch(internal, { headers: { authorization: 'Bearer not-the-key' } })).status).toBe(401);
    const scraped = await fetch(internal, { headers: { authorization: `Bearer ${METRICS_KEY}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('erp_sync_erp_configuration_error{connector="netsuite"} 0');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
  });

  it('reports the ERP on /health/ready without failing it while the ERP is only unreachable', async () => {
    const res = await fetch(`${baseUrl}/health/ready`);
    const body = (await res.json()) as { info: Record<string, Record<string, string>> };
    expect(res.status).toBe(200);
    expect(body.info.erp).toMatchObject({ status: 'up', connector: 'netsuite', connection: 'unreachable' });
    // A fixed phrase, not the connection error (ECONNREFUSED 127.0.0.1:9) an unauthenticated caller could read.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('answers /health/ready with fixed words only, and checks the work queues at most once per few seconds', async () => {
    const connection = app.get<Connection>(RABBIT_CONNECTION);
    const declares = jest.spyOn(topology, 'queueDepths');
    const orderQueueChecks = () => declares.mock.calls.filter(([, queues]) => queues === topology.ORDER_QUEUES).length;
    try {
      // A burst of probes costs one check (or none, within the cached few seconds).
      const statuses = await Promise.all(
        Array.from({ length: 25 }, () => fetch(`${baseUrl}/health/ready`).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(orderQueueChecks()).toBeLessThanOrEqual(1);
      // A work queue the broker no longer has (as a leaderless quorum queue after a crash): readiness fails, saying
      // so in fixed words, not with the broker's NOT_FOUND text.
      const channel = await connection.acquire();
      await channel.queueDelete({ queue: topology.orderQueueName(15) });
      await channel.close();
      let res = await fetch(`${baseUrl}/health/ready`);
      const started = Date.now();
      while (res.status === 200 && Date.now() - started < 10_000) {
        await sleep(200);
        res = await fetch(`${baseUrl}/health/ready`);
      }
      expect(res.status).toBe(503);
      const body = JSON.stringify(await res.json());
      expect(body).toContain('work queues unavailable');
      expect(body).not.toMatch(/NOT_FOUND|no queue|orders\.p15/);
    } finally {
      declares.mockRestore();
      await topology.declareTopology(connection);
    }
  });
});

/** Business Central's subscription handshake: the token echoed as plain text, and only a token of a sane size. */
describe('ERP push endpoint (api role, Business Central connector)', () => {
  const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await createApp(
      testConfig(DB, REDIS_DB, {
        APP_ROLE: 'api',
        RABBITMQ_URL: urls.RABBITMQ_URL,
        ERP_CONNECTOR: 'business-central',
        BC_TENANT_ID: 'tenant',
        BC_ENVIRONMENT: 'Production',
        BC_COMPANY_ID: 'c0ffee00-0000-4000-8000-00000000c0de',
        BC_CLIENT_ID: 'client',
        BC_CLIENT_SECRET: 'client-secret-value',
        BC_SHIPPING_ACCOUNT_NO: '40400',
        BC_API_BASE_URL: 'http://127.0.0.1:9/v2.0',
        BC_TOKEN_URL: 'http://127.0.0.1:9/{tenantId}/oauth2/v2.0/token',
        ERP_PUSH_SECRET: SECRET,
      }),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  const handshake = (token: string): Promise<Response> =>
    fetch(`${baseUrl}/webhooks/erp/business-central?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
    });

  it('echoes the validation token as text/plain with nosniff', async () => {
    const token = '<script>alert(1)</script>';
    const res = await handshake(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(token);
  });

  it('answers 400 to a validation token over 1 KiB, echoing nothing', async () => {
    expect((await handshake('t'.repeat(1_024))).status).toBe(200);
    const res = await handshake('t'.repeat(1_025));
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('ttt');
  });
});
