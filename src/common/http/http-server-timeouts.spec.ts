import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { applyHttpServerTimeouts, type HttpServerTimeouts } from 'src/common/http/http-server-timeouts';

/** A raw client: what it received and when the server closed it (ms after it connected). */
interface RawClient {
  socket: Socket;
  received: () => string;
  closedAfterMs: Promise<number>;
}

function rawClient(server: Server): Promise<RawClient> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(port, '127.0.0.1');
    const connectedAt = Date.now();
    const closedAfterMs = new Promise<number>((done) => socket.on('close', () => done(Date.now() - connectedAt)));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('connect', () => resolve({ socket, received: () => received, closedAfterMs }));
  });
}

/** Writes `text` one byte every `everyMs` until it is written or the socket is gone. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[at++]);
  }, everyMs);
}

describe(applyHttpServerTimeouts.name, () => {
  const timeouts: HttpServerTimeouts = {
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    keepAliveTimeoutMs: 600,
    timeoutCheckIntervalMs: 100,
  };
  // Scheduling slack on a busy 2-core machine; node's own check would come 30 s late.
  const slackMs = 1_000;
  let server: Server;

  beforeEach(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    applyHttpServerTimeouts(server, timeouts);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('cuts off a client trickling its headers at the headers timeout, not at the default 30 s check', async () => {
    const client = await rawClient(server);
    trickle(client.socket, 'POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Topic: orders/create\r\n', 50);
    const closedAfter = await client.closedAfterMs;
    expect(closedAfter).toBeGreaterThanOrEqual(timeouts.headersTimeoutMs - 50);
    expect(closedAfter).toBeLessThan(timeouts.headersTimeoutMs + timeouts.timeoutCheckIntervalMs + slackMs);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a client trickling its body at the request timeout', async () => {
    const client = await rawClient(server);
    client.socket.write('POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    trickle(client.socket, 'a'.repeat(1_000), 50);
    const closedAfter = await client.closedAfterMs;
    expect(closedAfter).toBeGreaterThanOrEqual(timeouts.requestTimeoutMs - 50);
    expect(closedAfter).toBeLessThan(timeouts.requestTimeoutMs + timeouts.timeoutCheckIntervalMs + slackMs);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a connection that sends nothing at all at the headers timeout', async () => {
    const client = await rawClient(server);
    expect(await client.closedAfterMs).toBeLessThan(
      timeouts.headersTimeoutMs + timeouts.timeoutCheckIntervalMs + slackMs,
    );
  });

  it('serves a prompt client and keeps its connection alive for the keep-alive timeout', async () => {
    const client = await rawClient(server);
    client.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAfter = await client.closedAfterMs;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
    // Idle after its answer, it is not taken for a slow client: only the keep-alive timeout closes it.
    expect(closedAfter).toBeGreaterThanOrEqual(timeouts.keepAliveTimeoutMs - 50);
  });

  it('refuses a server that already listens (node:http reads the check interval when it starts listening)', () => {
    expect(() => applyHttpServerTimeouts(server, timeouts)).toThrow(/before the server listens/);
  });
});
