import net from 'node:net';

const FRAME_METHOD = 1;
const FRAME_END = 0xce;
const CONNECTION_CLASS = 10;
const CONNECTION_BLOCKED = 60;
const CONNECTION_UNBLOCKED = 61;

/** An AMQP 0-9-1 method frame on channel 0 (the connection's own): class, method and the arguments' bytes. */
function connectionMethodFrame(method: number, args: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from([0, CONNECTION_CLASS, 0, method]), args]);
  const header = Buffer.alloc(7);
  header.writeUInt8(FRAME_METHOD, 0);
  header.writeUInt16BE(0, 1);
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([FRAME_END])]);
}

/**
 * A resource alarm of RabbitMQ, scoped to the connections that pass through this proxy. A real alarm
 * (`rabbitmqctl set_vm_memory_high_watermark`) is node-wide: it would block every publisher on the shared broker,
 * other suites included. What an alarm does to a publishing connection is on the wire, and this proxy does exactly
 * that to its own connections (RabbitMQ "Blocked Connection Notifications" and "Memory and Disk Alarms"): it sends
 * the `connection.blocked` method (with its reason) to the client and stops reading what the client sends, until
 * `clearAlarm` sends `connection.unblocked` and forwards what was held. The client library gets a real frame, and
 * reacts to it as it would to the broker's own.
 *
 * Frames from the broker are forwarded whole, so that an injected frame never lands inside one of them.
 */
export class AmqpAlarmProxy {
  private server?: net.Server;
  private readonly clients = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private alarm?: string;

  constructor(private readonly broker: { host: string; port: number }) {}

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

  /** As the broker does when a watermark is crossed: `connection.blocked` to every client, and stop reading them. */
  raiseAlarm(reason = 'low on memory'): void {
    this.alarm = reason;
    const args = Buffer.concat([Buffer.from([Buffer.byteLength(reason)]), Buffer.from(reason)]);
    for (const { client } of this.clients) {
      client.pause();
      client.write(connectionMethodFrame(CONNECTION_BLOCKED, args));
    }
  }

  clearAlarm(): void {
    this.alarm = undefined;
    for (const { client } of this.clients) {
      client.write(connectionMethodFrame(CONNECTION_UNBLOCKED, Buffer.alloc(0)));
      client.resume();
    }
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.clients) {
      client.destroy();
      upstream.destroy();
    }
    this.clients.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.broker.port, this.broker.host);
    let pending = Buffer.alloc(0);
    const entry = { client, upstream };
    this.clients.add(entry);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.clients.delete(entry);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Only the client sends a protocol header ("AMQP…"); the broker sends frames from its first byte.
      for (;;) {
        if (pending.length < 7) {
          return;
        }
        const size = pending.readUInt32BE(3);
        if (pending.length < 7 + size + 1) {
          return;
        }
        client.write(pending.subarray(0, 7 + size + 1));
        pending = pending.subarray(7 + size + 1);
      }
    });
    if (this.alarm !== undefined) {
      client.pause();
    }
  }
}
