import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, that a test can cut and open again on the same port: to
 * whatever connects through it the service is unreachable (connections refused, open ones reset), while the
 * service itself, shared with every other suite, keeps running. (TcpProxy stalls connections instead.)
 */
export class CuttableTcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private listenPort = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  /** The port to connect to (the same one after every `open`). */
  get port(): number {
    return this.listenPort;
  }

  /** Listens (on an ephemeral port the first time, the same port after a cut); resolves the port. */
  async open(): Promise<number> {
    if (this.server !== undefined) {
      return this.listenPort;
    }
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.listenPort = typeof address === 'object' && address !== null ? address.port : this.listenPort;
    this.server = server;
    return this.listenPort;
  }

  /** Refuses new connections and resets the open ones, as a service that went away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
