import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { prepareAcceptLanes } from 'src/common/http/accept-lanes';
import { stopListening } from 'src/common/http/stop-listening';

function get(port: number, agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Turns of the event loop, each kept busy for `busyMs` as a loaded server's are, until `done()` or `max` turns. */
function turnsUntil(done: () => boolean, busyMs: number, max: number): Promise<number> {
  return new Promise((resolve) => {
    let turns = 0;
    const turn = (): void => {
      turns++;
      const until = Date.now() + busyMs;
      while (Date.now() < until) {
        // busy, as a loop answering a sale is
      }
      if (done() || turns >= max) {
        resolve(turns);
      } else {
        setImmediate(turn);
      }
    };
    setImmediate(turn);
  });
}

describe('accept lanes', () => {
  let server: Server;
  let port: number;
  let accepted: number;
  const clients: Socket[] = [];

  const listen = async (lanes: number): Promise<number> => {
    const prepared = prepareAcceptLanes(lanes);
    server = createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 65_000;
    accepted = 0;
    server.on('connection', () => accepted++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    return prepared.attach(server, (error) => {
      throw error;
    });
  };

  /** Opens `count` connections at once: the kernel completes them into the accept queue before the server looks. */
  const connectMany = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      clients.push(socket);
    }
  };

  afterEach(async () => {
    clients.splice(0).forEach((socket) => socket.destroy());
    server.closeAllConnections();
    await stopListening(server, 10);
  });

  it('accepts as many new connections per loop turn as it has lanes, and serves them as its own', async () => {
    expect(await listen(8)).toBe(8);
    connectMany(40);
    // One accept per turn and lane: 40 connections in 5 turns with 8 lanes (40 with one).
    const turns = await turnsUntil(() => accepted === 40, 5, 60);
    expect(accepted).toBe(40);
    expect(turns).toBeLessThanOrEqual(12);
    // Requests on connections the lanes accepted are answered as on any other.
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get(port, agent)));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    agent.destroy();
  });

  it('with one lane, accepts one new connection per loop turn (what the lanes are for)', async () => {
    expect(await listen(1)).toBe(1);
    connectMany(20);
    const turns = await turnsUntil(() => accepted === 20, 5, 60);
    expect(accepted).toBe(20);
    expect(turns).toBeGreaterThanOrEqual(20);
  });

  it('stops every lane when the server stops listening, closing the keep-alive connections they accepted', async () => {
    await listen(4);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    // Idle keep-alive connections, most of them accepted by the lanes.
    await Promise.all(Array.from({ length: 8 }, () => get(port, agent)));
    const started = Date.now();
    await stopListening(server, 10);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(get(port, false)).rejects.toThrow();
    agent.destroy();
  });
});
