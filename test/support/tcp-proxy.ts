import net from 'node:net';

/**
 * A TCP proxy in front of a real service (Redis, PostgreSQL, RabbitMQ) that can *stall*: the connections stay open
 * and nothing more is forwarded either way, as when a server hangs or a network path silently drops packets (no reset,
 * no close: the failure a client's own timeouts must catch). `resume` forwards what was held. It never touches the
 * service itself, so a test can stall its own connections while other suites use the same service.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private stalled = false;

  constructor(
    private readonly target: { host: string; port: number },
    /** Optional hook on what the service sends: forward (or change) each chunk with `write`. */
    private readonly fromService?: (chunk: Buffer, write: (data: Buffer) => void, client: net.Socket) => void,
  ) {}

  /** Listens on an ephemeral port of 127.0.0.1; resolves the port. */
  async listen(): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Open client connections (each with its connection to the service). */
  get connections(): number {
    return this.pairs.size;
  }

  /** From now on nothing is forwarded, either way, on any connection (new ones included). */
  stall(): void {
    this.stalled = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  resume(): void {
    this.stalled = false;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  async close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) =>
      this.fromService ? this.fromService(chunk, (data) => client.write(data), client) : client.write(chunk),
    );
    if (this.stalled) {
      client.pause();
      upstream.pause();
    }
  }
}
