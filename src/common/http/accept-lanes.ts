import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

/**
 * Accept lanes: more than one new connection accepted per turn of the event loop.
 *
 * Node 20's libuv (1.46) accepts one connection per listening handle per loop turn. A process busy answering a flash
 * sale turns its loop every 10–100 ms, so the hundreds of connections a sender opens in a sale's first second wait
 * in the kernel's accept queue for loop turns (measured: docs/benchmarks-history.md, "The cause: one new connection
 * accepted per event-loop turn"). Every handle on the listening socket gets its own accept per turn, so the server
 * gets `lanes - 1` more handles on the same socket: copies of the listening descriptor, made the way Node's cluster
 * shares one listening socket between workers (a `net.Server` sent to a child process over IPC arrives as a new
 * descriptor of the same socket). A short-lived helper process sends the server back that many times and exits.
 * Each copy hands its connections to the HTTP server (`'connection'`, as node:http documents for injected
 * connections), which then serves them exactly as its own: timeouts, keep-alive, `closeIdleConnections`.
 *
 * Node 22.12 and later offer `reusePort` for the same effect; this works on every supported Node.
 */

/** The helper: sends the server it is given back `copies` times (each arrives as a new descriptor), then exits. */
const HELPER = `
process.once('message', (message, server) => {
  let left = Number(message && message.copies) || 0;
  const next = (error) => {
    if (error || left-- <= 0) {
      server.close();
      process.disconnect();
      return;
    }
    process.send({ copy: true }, server, next);
  };
  next();
});`;

/** The helper is given this long to hand the copies back; past it, the server keeps the lanes it has. */
const HELPER_TIMEOUT_MS = 5_000;

const lanesOf = new WeakMap<Server, NetServer[]>();

/** Starts the helper now (a Node.js start, ~50 ms), so that `attach` after `listen` costs only the copies. */
export function prepareAcceptLanes(lanes: number): AcceptLanes {
  return new AcceptLanes(lanes);
}

export class AcceptLanes {
  private readonly helper?: ChildProcess;

  constructor(private readonly lanes: number) {
    if (lanes > 1) {
      this.helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      // A helper that fails to start only leaves the server with its one lane (`attach` resolves then).
      this.helper.on('error', () => undefined);
    }
  }

  /**
   * Gives the listening `server` its extra lanes; resolves to the number of lanes it then has (1 when the helper
   * failed: the server works as before). Never rejects. `onError` hears a lane's accept errors.
   */
  attach(server: Server, onError: (error: Error) => void): Promise<number> {
    const helper = this.helper;
    if (helper === undefined || !server.listening || helper.exitCode !== null || !helper.connected) {
      this.helper?.kill();
      return Promise.resolve(1);
    }
    const copies: NetServer[] = [];
    lanesOf.set(server, copies);
    return new Promise<number>((resolve) => {
      let finished = false;
      const done = (): void => {
        if (finished) {
          return;
        }
        finished = true;
        clearTimeout(timer);
        helper.kill();
        resolve(1 + copies.length);
      };
      const timer = setTimeout(done, HELPER_TIMEOUT_MS);
      const onCopy = (_message: unknown, copy: unknown): void => {
        if (!isNetServer(copy)) {
          return;
        }
        if (finished || lanesOf.get(server) !== copies) {
          // Arrived after the wait was given up, or after the server stopped: Node already listens on it, and
          // nothing would serve what it accepts.
          copy.close();
          return;
        }
        copies.push(laneFor(server, copy, onError));
        if (copies.length >= this.lanes - 1) {
          done();
        }
      };
      helper.on('message', onCopy);
      helper.once('exit', done);
      helper.send({ copies: this.lanes - 1 }, server, (error) => (error ? done() : undefined));
    });
  }
}

/**
 * Closes `server`'s extra lanes; resolves once each has closed and the connections it accepted have ended (the HTTP
 * server's own `close` waits only for those it accepted itself).
 */
export function closeAcceptLanes(server: Server): Promise<void> {
  const copies = lanesOf.get(server) ?? [];
  lanesOf.delete(server);
  return Promise.all(copies.map((copy) => new Promise<void>((resolve) => copy.close(() => resolve())))).then(
    () => undefined,
  );
}

/** A copy that accepts as `server` would (its socket options) and hands each connection to it. */
function laneFor(server: Server, copy: NetServer, onError: (error: Error) => void): NetServer {
  const options = server as unknown as SocketOptions;
  Object.assign(copy, {
    allowHalfOpen: options.allowHalfOpen,
    noDelay: options.noDelay,
    keepAlive: options.keepAlive,
    keepAliveInitialDelay: options.keepAliveInitialDelay,
    pauseOnConnect: options.pauseOnConnect,
  } satisfies SocketOptions);
  copy.on('connection', (socket: Socket) => server.emit('connection', socket));
  // An accept error (EMFILE) loses that one connection; the lane stays.
  copy.on('error', onError);
  return copy;
}

/** The net.Server options node:http sets for its connections (public fields of net.Server, read on each accept). */
interface SocketOptions {
  allowHalfOpen: boolean;
  noDelay: boolean;
  keepAlive: boolean;
  keepAliveInitialDelay: number;
  pauseOnConnect: boolean;
}

function isNetServer(value: unknown): value is NetServer {
  return typeof value === 'object' && value !== null && typeof (value as NetServer).listen === 'function';
}
