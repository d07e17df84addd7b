import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeAcceptLanes } from 'src/common/http/accept-lanes';

/** How often keep-alive connections are looked at for idleness while the server drains. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections on `server` (and its accept lanes) and lets the open ones finish: a request already being served gets its
 * answer, then its connection is closed as soon as it is idle; a request arriving on an open connection from now on
 * is answered with `Connection: close`. Resolves once every connection has ended.
 *
 * `server.close()` alone closes the connections idle at that moment only: a keep-alive connection still serving a
 * request stays open after its answer for the whole HTTP_KEEP_ALIVE_TIMEOUT_MS (65 s), past any grace period.
 */
export function stopListening(server: Server, sweepMs = IDLE_SWEEP_MS): Promise<void> {
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) {
      res.setHeader('Connection', 'close');
    }
  });
  const sweep = setInterval(() => server.closeIdleConnections(), sweepMs);
  sweep.unref();
  const closed = new Promise<void>((resolve) => {
    // The callback also runs (with ERR_SERVER_NOT_RUNNING) when the server was not listening: nothing to wait for.
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  // The connections its accept lanes took are the server's too, but each lane waits for its own.
  return Promise.all([closed, closeAcceptLanes(server)]).then(() => clearInterval(sweep));
}
