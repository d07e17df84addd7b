import type { INestApplication } from '@nestjs/common';
import Queue from 'bull';
import { createApp } from 'src/bootstrap';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { signNetsuitePush } from 'src/modules/erp/connectors/netsuite/netsuite.push';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { ensureDatabase, flushRedisDb } from 'test/support/services';
import { serviceUrls, testConfig } from 'test/support/test-config';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.erpPush;
const SECRET = 'erp-push-secret-for-tests-0123';

/**
 * `POST /webhooks/erp/:connector` in the api role on the real services: a verified push only schedules the delta
 * reads it names (Bull jobs in Redis); a push with a wrong secret or for another connector schedules nothing.
 */
describe('ERP push endpoint (api role, NetSuite connector)', () => {
  const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());
  let app: INestApplication;
  let baseUrl: string;
  let queue: Queue.Queue;

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await flushRedisDb(urls.REDIS_URL);
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
        NETSUITE_BASE_URL: 'http://127.0.0.1:9',
        ERP_PUSH_SECRET: SECRET,
      }),
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    queue = new Queue(QueueName.ErpChanges, urls.REDIS_URL);
  });

  afterAll(async () => {
    await queue.close();
    await app.close();
  });

  async function push(connector: string, body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${baseUrl.replace('[::1]', '127.0.0.1')}/webhooks/erp/${connector}`, {
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
});
