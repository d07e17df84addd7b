import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { Client } from 'pg';
import { Connection, type AsyncMessage } from 'rabbitmq-client';
import { createApp } from 'src/bootstrap';
import { burstChannelName } from 'src/common/lifecycle/burst-channel';
import { orderRoutingKey } from 'src/common/messaging/partition';
import { RABBIT_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { ALL_QUEUE_NAMES, MessageHeader } from 'src/common/messaging/topology';
import { IngestWarmUp, signShopifyBody } from 'src/modules/shopify';
import request from 'supertest';
import { AmqpAlarmProxy } from 'test/support/amqp-alarm-proxy';
import { INTEGRATION_RESOURCES, jestWorkerVhost } from 'test/support/integration-resources';
import { until } from 'test/support/scenario';
import { ensureDatabase, flushRedisDb, purgeQueues } from 'test/support/services';
import { TEST_SECRET, TEST_SHOP, serviceUrls, testConfig } from 'test/support/test-config';

const { database: DB, redisDb: REDIS_DB } = INTEGRATION_RESOURCES.ingest;
const urls = serviceUrls(DB, REDIS_DB, jestWorkerVhost());

function orderBody(id: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: '#1001',
    updated_at: '2026-10-05T19:09:49+02:00',
    line_items: [],
    ...extra,
  });
}

function headers(body: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': TEST_SHOP,
    'x-shopify-hmac-sha256': signShopifyBody(body, TEST_SECRET),
    'x-shopify-webhook-id': `wh-${Math.random().toString(36).slice(2)}`,
    'x-shopify-event-id': `ev-${Math.random().toString(36).slice(2)}`,
    'x-shopify-api-version': '2026-10',
    ...overrides,
  };
}

describe('POST /webhooks/shopify (real PostgreSQL, RabbitMQ, Redis)', () => {
  let app: INestApplication;
  let rabbit: Connection;
  let pg: Client;

  async function queued(queue: string): Promise<number> {
    const ok = await rabbit.queueDeclare({ queue, passive: true });
    return ok.messageCount;
  }

  async function readOne(queue: string): Promise<AsyncMessage> {
    return new Promise<AsyncMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing in ${queue}`)), 5_000);
      const consumer = rabbit.createConsumer({ queue, queueOptions: { queue, passive: true }, concurrency: 1 }, (m) => {
        clearTimeout(timer);
        resolve(m);
        void consumer.close();
      });
    });
  }

  async function totalQueued(): Promise<number> {
    let total = 0;
    for (const queue of ALL_QUEUE_NAMES) {
      total += await queued(queue);
    }
    return total;
  }

  beforeAll(async () => {
    await ensureDatabase(urls.DATABASE_URL, { reset: true });
    await flushRedisDb(urls.REDIS_URL);
    app = await createApp(
      testConfig(DB, REDIS_DB, { APP_ROLE: 'api', RABBITMQ_URL: urls.RABBITMQ_URL, WEBHOOK_MAX_BODY_BYTES: '65536' }),
    );
    await app.init();
    rabbit = new Connection(urls.RABBITMQ_URL);
    await rabbit.onConnect(5_000);
    // The app declares the topology on connect; wait until it exists before purging.
    for (let i = 0; i < 50; i++) {
      try {
        await rabbit.queueDeclare({ queue: ALL_QUEUE_NAMES[0] ?? '', passive: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await purgeQueues(urls.RABBITMQ_URL, [...ALL_QUEUE_NAMES]);
    pg = new Client({ connectionString: urls.DATABASE_URL });
    await pg.connect();
  });

  afterAll(async () => {
    await app?.close();
    await rabbit?.close();
    await pg?.end();
  });

  beforeEach(async () => {
    await purgeQueues(urls.RABBITMQ_URL, [...ALL_QUEUE_NAMES]);
  });

  // First: the app has seen no webhook yet.
  it("counts no warm-up webhook as a burst: the first real one after it signals the burst's start over Redis", async () => {
    const subscriber = new Redis(urls.REDIS_URL);
    const heard: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => heard.push(message));
    const channel = burstChannelName(urls.REDIS_URL);
    await subscriber.subscribe(channel);
    try {
      const report = await app.get(IngestWarmUp).run(app.getHttpServer() as Server);
      expect(report.accepted).toBeGreaterThanOrEqual(25);
      // A marker of our own: Redis hands a channel's messages out in the order it takes them in.
      const marker = new Redis(urls.REDIS_URL);
      await marker.publish(channel, 'marker');
      await marker.quit();
      await until('the marker heard', () => heard.includes('marker'), 5_000, 10);
      const body = orderBody(6004604174401);
      expect((await request(app.getHttpServer()).post('/webhooks/shopify').set(headers(body)).send(body)).status).toBe(
        200,
      );
      await until('the start heard', () => heard.length === 2, 5_000, 10);
      expect(heard).toEqual(['marker', 'start']);
    } finally {
      await subscriber.quit();
    }
  });

  it('answers 200 once the event is published, raw bytes and headers intact, in the order partition', async () => {
    const id = 6004604174410;
    const body = orderBody(id);
    const h = headers(body);
    const res = await request(app.getHttpServer()).post('/webhooks/shopify').set(h).send(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, durability: 'queue' });

    const queue = orderRoutingKey(String(id));
    expect(await queued(queue)).toBe(1);
    // Order partitions have a single active consumer; basic.get is not allowed on them, so read with a consumer.
    const msg = await readOne(queue);
    expect(Buffer.isBuffer(msg.body)).toBe(true);
    expect((msg.body as Buffer).toString()).toBe(body);
    expect(msg.headers?.[MessageHeader.WebhookId]).toBe(h['x-shopify-webhook-id']);
    expect(msg.headers?.[MessageHeader.EventId]).toBe(h['x-shopify-event-id']);
    expect(msg.headers?.[MessageHeader.ResourceId]).toBe(String(id));
    expect(msg.durable).toBe(true);
  });

  it.each([
    ['no HMAC', 401, (b: string) => headers(b, { 'x-shopify-hmac-sha256': '' })],
    ['a wrong HMAC', 401, (b: string) => headers(b, { 'x-shopify-hmac-sha256': signShopifyBody(b, 'wrong-secret') })],
    [
      'the HMAC of re-serialised JSON',
      401,
      (b: string) =>
        headers(b, { 'x-shopify-hmac-sha256': signShopifyBody(JSON.stringify(JSON.parse(b), null, 1), TEST_SECRET) }),
    ],
    ['an unknown shop', 404, (b: string) => headers(b, { 'x-shopify-shop-domain': 'other-store.myshopify.com' })],
    ['no shop', 400, (b: string) => headers(b, { 'x-shopify-shop-domain': '' })],
    ['no topic', 400, (b: string) => headers(b, { 'x-shopify-topic': '' })],
  ])('rejects %s with %d and queues nothing', async (_name, status, make) => {
    const body = orderBody(1001);
    const res = await request(app.getHttpServer()).post('/webhooks/shopify').set(make(body)).send(body);
    expect(res.status).toBe(status);
    expect(await totalQueued()).toBe(0);
  });

  it('rejects a correctly signed body that is not JSON with 400 and queues nothing', async () => {
    const body = '{"id": 1, "name": ';
    const res = await request(app.getHttpServer()).post('/webhooks/shopify').set(headers(body)).send(body);
    expect(res.status).toBe(400);
    expect(await totalQueued()).toBe(0);
  });

  it('rejects a signed body that is not UTF-8 with 400', async () => {
    const body = Buffer.concat([
      Buffer.from('{"id": 5, "note": "'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const res = await fetch(`${url.replace('[::1]', '127.0.0.1')}/webhooks/shopify`, {
      method: 'POST',
      headers: headers('', { 'x-shopify-hmac-sha256': signShopifyBody(body, TEST_SECRET) }),
      body,
    });
    expect(res.status).toBe(400);
    expect(await totalQueued()).toBe(0);
  });

  it('accepts a large legitimate order (250 lines, over 150 kB) under the default 2 MiB limit', async () => {
    const big = await createApp(testConfig(DB, REDIS_DB, { APP_ROLE: 'api', RABBITMQ_URL: urls.RABBITMQ_URL }));
    await big.init();
    try {
      const lines = Array.from({ length: 250 }, (_, i) => ({
        id: 1_000_000 + i,
        sku: `SKU-${String(i + 1).padStart(4, '0')}`,
        title: 'A product with a long title '.repeat(20),
        quantity: 1,
        price: '10.00',
      }));
      const body = orderBody(4004, { line_items: lines });
      expect(body.length).toBeGreaterThan(150_000);
      const res = await request(big.getHttpServer()).post('/webhooks/shopify').set(headers(body)).send(body);
      expect(res.status).toBe(200);
    } finally {
      await big.close();
    }
  });

  it('rejects a body over the limit with 413 and stays healthy', async () => {
    const big = orderBody(7, { note: 'x'.repeat(70_000) });
    const res = await request(app.getHttpServer()).post('/webhooks/shopify').set(headers(big)).send(big);
    expect(res.status).toBe(413);
    expect(await totalQueued()).toBe(0);
    const live = await request(app.getHttpServer()).get('/health/live');
    expect(live.status).toBe(200);
  });

  it('treats header names case-insensitively (HTTP/2 lower-cases them)', async () => {
    const body = orderBody(2002);
    const upper = Object.fromEntries(
      Object.entries(headers(body)).map(([k, v]) => [
        k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()),
        v,
      ]),
    );
    const res = await request(app.getHttpServer()).post('/webhooks/shopify').set(upper).send(body);
    expect(res.status).toBe(200);
  });

  it('reports PostgreSQL, RabbitMQ and Redis in /health/ready', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.info)).toEqual(expect.arrayContaining(['postgresql', 'rabbitmq', 'redis']));
  });

  it('describes the webhook route in the OpenAPI document although Express never routes it', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json');
    expect(res.status).toBe(200);
    const post = res.body.paths['/webhooks/shopify']?.post;
    expect(Object.keys(post?.responses ?? {})).toEqual(['200', '400', '401', '404', '413', '503']);
    expect(res.body.paths['/admin/dead-letters']).toBeDefined();
  });

  it('says in the OpenAPI document that every admin operation needs a bearer key (401) and may be refused (403)', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json');
    const paths = res.body.paths as Record<string, Record<string, { security?: unknown[]; responses?: object }>>;
    const admin = Object.entries(paths).filter(([path]) => path.startsWith('/admin/'));
    expect(admin.length).toBeGreaterThan(20);
    const lacking = admin.flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => !(op.security?.length && '401' in (op.responses ?? {}) && '403' in (op.responses ?? {})))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(lacking).toEqual([]);
  });

  it('holds webhooks in the PostgreSQL outbox while RabbitMQ is unreachable, then relays them', async () => {
    await pg.query('DELETE FROM ingest_outbox');
    const offline = await createApp(
      testConfig(DB, REDIS_DB, { APP_ROLE: 'api', RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5999' }),
    );
    await offline.init();
    try {
      const bodies = [orderBody(3003), orderBody(3004)];
      for (const body of bodies) {
        const started = Date.now();
        const res = await request(offline.getHttpServer()).post('/webhooks/shopify').set(headers(body)).send(body);
        expect(res.status).toBe(200);
        expect(res.body.durability).toBe('outbox');
        expect(Date.now() - started).toBeLessThan(5_000);
      }
      const rows = await pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_outbox');
      expect(Number(rows.rows[0]?.n)).toBe(2);
    } finally {
      await offline.close();
    }
    // The connected app's relay moves them to RabbitMQ within a few ticks.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await totalQueued()) < 2) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await queued(orderRoutingKey('3003'))).toBe(1);
    expect(await queued(orderRoutingKey('3004'))).toBe(1);
    const left = await pg.query<{ n: string }>('SELECT count(*) AS n FROM ingest_outbox');
    expect(Number(left.rows[0]?.n)).toBe(0);
  });

  it('answers 503 with Retry-After past WEBHOOK_MAX_IN_FLIGHT bodies at once, without reading the body', async () => {
    const capped = await createApp(
      testConfig(DB, REDIS_DB, { APP_ROLE: 'api', RABBITMQ_URL: urls.RABBITMQ_URL, WEBHOOK_MAX_IN_FLIGHT: '2' }),
    );
    await capped.listen(0, '127.0.0.1');
    const server = capped.getHttpServer() as Server;
    const port = (server.address() as AddressInfo).port;
    let arrived = 0;
    server.on('request', () => arrived++);
    const sockets: Socket[] = [];
    try {
      // Two slow uploads: headers and half the body sent, the rest held back. Each holds a place in flight.
      const slow = [orderBody(5001), orderBody(5002)].map((body) => {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        socket.write(rawRequest(body).subarray(0, -Math.floor(body.length / 2)));
        return { socket, body, answer: statusOfAnswer(socket) };
      });
      const deadline = Date.now() + 5_000;
      while (arrived < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(arrived).toBe(2);

      const third = orderBody(5003);
      const refused = await fetch(`http://127.0.0.1:${port}/webhooks/shopify`, {
        method: 'POST',
        headers: headers(third),
        body: third,
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');

      // The slow ones finish and are accepted; then there is room again.
      for (const { socket, body } of slow) {
        socket.write(rawRequest(body).subarray(-Math.floor(body.length / 2)));
      }
      expect(await Promise.all(slow.map((s) => s.answer))).toEqual([200, 200]);
      const fourth = orderBody(5004);
      const accepted = await fetch(`http://127.0.0.1:${port}/webhooks/shopify`, {
        method: 'POST',
        headers: headers(fourth),
        body: fourth,
      });
      expect(accepted.status).toBe(200);
    } finally {
      sockets.forEach((s) => s.destroy());
      await capped.close();
    }
  });

  it('a RabbitMQ resource alarm (connection.blocked on the wire) sends the next webhook to the outbox at once', async () => {
    const broker = new URL(urls.RABBITMQ_URL);
    const proxy = new AmqpAlarmProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const proxied = new URL(urls.RABBITMQ_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(await proxy.listen());
    const alarmed = await createApp(testConfig(DB, REDIS_DB, { APP_ROLE: 'api', RABBITMQ_URL: proxied.toString() }));
    await alarmed.init();
    try {
      const publishing = alarmed.get<Connection>(RABBIT_CONNECTION);
      await publishing.onConnect(5_000);
      const post = async (id: number): Promise<{ durability: string; ms: number }> => {
        const body = orderBody(id);
        const started = Date.now();
        const res = await request(alarmed.getHttpServer()).post('/webhooks/shopify').set(headers(body)).send(body);
        expect(res.status).toBe(200);
        return { durability: String(res.body.durability), ms: Date.now() - started };
      };
      expect((await post(6001)).durability).toBe('queue');

      const blocked = new Promise<void>((resolve) => publishing.once('connection.blocked', () => resolve()));
      proxy.raiseAlarm('low on memory');
      await blocked;
      const during = await post(6002);
      expect(during.durability).toBe('outbox');
      // Not the publish budget (2 s): the broker would read nothing we sent.
      expect(during.ms).toBeLessThan(500);

      const unblocked = new Promise<void>((resolve) => publishing.once('connection.unblocked', () => resolve()));
      proxy.clearAlarm();
      await unblocked;
      expect((await post(6003)).durability).toBe('queue');
    } finally {
      proxy.clearAlarm();
      await alarmed.close();
      await proxy.close();
    }
  });
});

/** A whole signed webhook request, as bytes on the wire. */
function rawRequest(body: string): Buffer {
  const lines = Object.entries(headers(body)).map(([k, v]) => `${k}: ${v}`);
  const head = ['POST /webhooks/shopify HTTP/1.1', 'host: 127.0.0.1', `content-length: ${Buffer.byteLength(body)}`];
  return Buffer.from([...head, ...lines, '', body].join('\r\n'));
}

/** The status code of the first answer read on `socket` (0 if it closes without one). */
function statusOfAnswer(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) {
        resolve(Number(match[1]));
      }
    });
    socket.on('close', () => resolve(0));
  });
}
