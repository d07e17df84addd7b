import { connect, type Socket } from 'node:net';

/**
 * Slow clients (slowloris) for scenario S13 and the bench's `slowloris` phase: connections opened all at once that
 * trickle their request a byte at a time, either the headers (which never end) or, after complete headers, the body.
 * Each records when and how it ended, so that a test can say whether the server cut it off, and how soon.
 */

/** What a slow connection trickles: its headers, or its body after complete headers. */
export type SlowClientKind = 'headers' | 'body';

export interface SlowClientGroup {
  kind: SlowClientKind;
  count: number;
  /** The request's path (`/webhooks/shopify`, `/graphql`…). */
  path: string;
}

export interface SlowClientOptions {
  /** http://127.0.0.1:<port> */
  url: string;
  groups: readonly SlowClientGroup[];
  /** Bytes each connection sends per second (1 = slowloris). */
  bytesPerSecond?: number;
  /**
   * Open a new connection in the place of each one the server closes, until `settle` (a sustained attack, as the
   * bench's `slowloris` phase plays it); by default each group's connections are opened once.
   */
  reopen?: boolean;
}

/** How one slow connection ended. */
export interface SlowClientResult {
  kind: SlowClientKind;
  path: string;
  /** The server closed it (else it was still open when the harness gave up on it). */
  closedByServer: boolean;
  /** From connect to close (or to the harness giving up). */
  openMs: number;
  /** Bytes of the request the connection had sent. */
  bytesSent: number;
  /** The status line the server answered with before closing, if any (`HTTP/1.1 408 Request Timeout`). */
  statusLine?: string;
}

export interface SlowClients {
  /** Connections the server has not closed yet. */
  open(): number;
  /**
   * Resolves when the server has closed every connection, or after `timeoutMs` (then the rest are destroyed here
   * and reported with `closedByServer: false`); stops the trickle.
   */
  settle(timeoutMs: number): Promise<SlowClientResult[]>;
}

interface Tracked {
  socket: Socket;
  group: SlowClientGroup;
  connectedAt: number;
  pending: Buffer;
  sent: number;
  received: string;
  result?: SlowClientResult;
  closed: Promise<void>;
}

/** Opens every group's connections at once and trickles each one's request until the server closes it. */
export async function openSlowClients(options: SlowClientOptions): Promise<SlowClients> {
  const target = new URL(options.url);
  const port = Number(target.port);
  const host = target.hostname;
  const everyMs = 1000 / (options.bytesPerSecond ?? 1);
  const tracked: Tracked[] = [];
  let settling = false;
  const open = async (group: SlowClientGroup): Promise<void> => {
    const t = await openOne(host, port, group);
    if (settling) {
      t.socket.destroy();
      return;
    }
    tracked.push(t);
    void t.closed.then(() => {
      if (options.reopen && !settling && t.result?.closedByServer) {
        // A refused connection ends the replacement, not the run: the server may be at its connection limit.
        open(group).catch(() => undefined);
      }
    });
  };
  await Promise.all(options.groups.flatMap((group) => Array.from({ length: group.count }, () => open(group))));
  // One timer for every connection: each sends its next byte together, like a thousand slow phones would not, but
  // the server's work per byte is the same.
  const trickle = setInterval(() => {
    for (const t of tracked) {
      if (t.result === undefined && !t.socket.destroyed) {
        t.socket.write(nextByte(t));
      }
    }
  }, everyMs);
  return {
    open: () => tracked.filter((t) => t.result === undefined).length,
    settle: async (timeoutMs) => {
      settling = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(tracked.map((t) => t.closed)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
      clearInterval(trickle);
      for (const t of tracked) {
        if (t.result === undefined) {
          t.result = resultOf(t, false);
          t.socket.destroy();
        }
      }
      return tracked.map((t) => t.result as SlowClientResult);
    },
  };
}

function openOne(host: string, port: number, group: SlowClientGroup): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const head = [`POST ${group.path} HTTP/1.1`, `Host: ${host}:${port}`, 'Content-Type: application/json'];
    const t: Tracked = {
      socket,
      group,
      connectedAt: 0,
      // Headers that never end (a header value that grows a byte at a time), or complete headers and a body that
      // is declared far longer than it will ever be sent.
      pending: Buffer.from(
        group.kind === 'headers'
          ? `${head.join('\r\n')}\r\nX-Slow: `
          : `${head.join('\r\n')}\r\nContent-Length: 100000\r\n\r\n{"slow":"`,
      ),
      sent: 0,
      received: '',
      closed: new Promise<void>((done) =>
        socket.once('close', () => {
          t.result ??= resultOf(t, true);
          done();
        }),
      ),
    };
    socket.on('data', (chunk: Buffer) => {
      if (t.received.length < 200) {
        t.received += chunk.toString('latin1');
      }
    });
    socket.once('error', (error) => {
      if (t.connectedAt === 0) {
        reject(error);
      }
    });
    socket.once('connect', () => {
      t.connectedAt = Date.now();
      if (group.kind === 'body') {
        // The headers go at once: the server has handed the request to its handler, which waits for the body.
        const headerEnd = t.pending.indexOf('\r\n\r\n') + 4;
        socket.write(t.pending.subarray(0, headerEnd));
        t.sent += headerEnd;
        t.pending = t.pending.subarray(headerEnd);
      }
      resolve(t);
    });
  });
}

/** The next byte of the request: what is left of its prefix, then `a` for ever. */
function nextByte(t: Tracked): Buffer {
  t.sent++;
  if (t.pending.length > 0) {
    const byte = t.pending.subarray(0, 1);
    t.pending = t.pending.subarray(1);
    return byte;
  }
  return Buffer.from('a');
}

function resultOf(t: Tracked, closedByServer: boolean): SlowClientResult {
  const statusLine = /^HTTP\/1\.1 \d{3}[^\r\n]*/.exec(t.received)?.[0];
  return {
    kind: t.group.kind,
    path: t.group.path,
    closedByServer,
    openMs: Date.now() - t.connectedAt,
    bytesSent: t.sent,
    statusLine,
  };
}
