import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopListening } from 'src/common/http/stop-listening';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

function get(port: number, agent: Agent, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe(stopListening.name, () => {
  let server: Server;
  let port: number;
  let agent: Agent;

  beforeEach(async () => {
    // `/slow` answers after 300 ms; keep-alive connections would stay open 65 s (HTTP_KEEP_ALIVE_TIMEOUT_MS).
    server = createServer((req, res) => {
      setTimeout(() => res.end('ok'), req.url === '/slow' ? 300 : 0);
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true });
  });

  afterEach(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the request in flight, then closes its keep-alive connection at once instead of after the keep-alive timeout', async () => {
    await get(port, agent, '/'); // leaves an idle keep-alive connection
    const inFlight = get(port, new Agent({ keepAlive: true }), '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const stopped = stopListening(server);
    expect(server.listening).toBe(false);
    await expect(inFlight).resolves.toMatchObject({ status: 200 });
    await stopped;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses new connections once stopped', async () => {
    await stopListening(server);
    await expect(get(port, new Agent(), '/')).rejects.toThrow();
  });

  it('answers a request that arrives on an open connection with Connection: close', async () => {
    // One socket (maxSockets 1): the second request waits for the first and goes out on the same connection.
    const single = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = get(port, single, '/slow');
    const second = get(port, single, '/');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = stopListening(server, 60_000);
    expect((await first).headers.connection).toBe('keep-alive');
    // Without the sweep (60 s here), only the header can end the connection: the server closes it after answering.
    await expect(second).resolves.toMatchObject({ status: 200, headers: { connection: 'close' } });
    await stopped;
    single.destroy();
  });
});
