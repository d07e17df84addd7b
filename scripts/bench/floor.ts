import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { freePort } from 'test/support/app-process';
import { closeRabbit, openRabbit, withBrokerTimeout } from 'test/support/services';

/**
 * The bench's floor: the least an ingest can do and still be correct (raw body, HMAC with timingSafeEqual, a
 * confirmed publish to a quorum queue, then 200), in a worker thread of the bench so that it has an event loop of its
 * own as the app (a child process) has. This file is also the worker's entry point.
 */

export const FLOOR_QUEUE = 'bench.floor';
const MAX_BODY_BYTES = 1024 * 1024;

interface FloorWorkerData {
  kind: 'bench-floor';
  port: number;
  secret: string;
  rabbitmqUrl: string;
}

type FloorPublisher = ReturnType<ReturnType<typeof openRabbit>['createPublisher']>;

/** The least an ingest can do and still be correct: verify the raw bytes, make them durable, then answer 200. */
async function serveFloor(data: FloorWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) {
    return;
  }
  const rabbit = openRabbit(data.rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
  } catch (err) {
    await closeRabbit(rabbit);
    throw err;
  }
  // maxAttempts 1: a failed publish must become a failed answer, never a silent retry behind a 200.
  const publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });
  const server = http.createServer((req, res) => handleFloorRequest(req, res, data.secret, publisher));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(data.port, '127.0.0.1', resolve));
  port.postMessage('ready');
  port.once('message', () => {
    server.close();
    server.closeAllConnections();
    void withBrokerTimeout(publisher.close(), 'publisher close', 2_000)
      .catch(() => undefined)
      .then(() => closeRabbit(rabbit))
      .finally(() => port.postMessage('stopped'));
  });
}

function handleFloorRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  secret: string,
  publisher: FloorPublisher,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  req.on('data', (chunk: Buffer) => {
    if (tooBig) {
      return;
    }
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      tooBig = true;
      res.writeHead(413, { Connection: 'close' }).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooBig) {
      return;
    }
    const body = Buffer.concat(chunks, size);
    const header = req.headers['x-shopify-hmac-sha256'];
    const given = typeof header === 'string' ? Buffer.from(header, 'base64') : Buffer.alloc(0);
    const expected = createHmac('sha256', secret).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    publisher
      .send(
        {
          routingKey: FLOOR_QUEUE,
          durable: true,
          contentType: 'application/json',
          headers: {
            'x-topic': String(req.headers['x-shopify-topic']),
            'x-webhook-id': String(req.headers['x-shopify-webhook-id']),
            'x-event-id': String(req.headers['x-shopify-event-id']),
          },
        },
        body,
      )
      .then(
        () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'),
        () => res.writeHead(503).end(),
      );
  });
}

export interface RunningFloor {
  url: string;
  stop(): Promise<void>;
}

/** Starts the floor in a worker thread running this file; resolves once it listens. */
export async function startFloor(rabbitmqUrl: string, secret: string): Promise<RunningFloor> {
  const port = await freePort();
  const data: FloorWorkerData = { kind: 'bench-floor', port, secret, rabbitmqUrl };
  const worker = new Worker(__filename, { workerData: data });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('the floor server did not start within 15 s'));
    }, 15_000);
    worker.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`floor worker exited with code ${code}`));
    });
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', () => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      const stopped = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        setTimeout(resolve, 5_000);
      });
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

/** Declared once if missing (never deleted or re-declared: see docs/reliability.md), purged after each phase. */
export async function ensureFloorQueue(rabbitmqUrl: string): Promise<void> {
  const rabbit = openRabbit(rabbitmqUrl);
  try {
    await withBrokerTimeout(rabbit.onConnect(5_000, true), 'connect');
    try {
      await withBrokerTimeout(rabbit.queueDeclare({ queue: FLOOR_QUEUE, passive: true }), 'passive declare');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'NOT_FOUND') {
        throw err;
      }
      await withBrokerTimeout(
        rabbit.queueDeclare({ queue: FLOOR_QUEUE, durable: true, arguments: { 'x-queue-type': 'quorum' } }),
        'declare',
      );
    }
  } finally {
    await closeRabbit(rabbit);
  }
}

if (!isMainThread && (workerData as Partial<FloorWorkerData> | null)?.kind === 'bench-floor') {
  void serveFloor(workerData as FloorWorkerData);
}
