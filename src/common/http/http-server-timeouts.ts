import type { Server } from 'node:http';

/**
 * @description How long the HTTP server waits on a client, in milliseconds (the `HTTP_*_MS` variables). Slow or
 * stalled clients (slowloris: headers or a body trickled a byte at a time) are cut off instead of holding sockets,
 * memory and, on the webhook route, a body reader each.
 */
export interface HttpServerTimeouts {
  /** The request's headers must all have arrived this long after its first byte (else 408 and close). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived this long after its first byte (else 408 and close). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked: a slow client goes at most this long after one expires. */
  timeoutCheckIntervalMs: number;
}

/**
 * Sets `timeouts` on `server`; call it before the server listens. node:http enforces `headersTimeout` and
 * `requestTimeout` from a timer that runs every `connectionsCheckingInterval` (30 s by default), started when the
 * server begins listening: left at its default, a client trickling a byte a second outlives a 10 s timeout by up to
 * 30 s more. The interval is a `createServer` option; Nest creates the server, so it is set on the server before
 * `listen`, which is when node:http reads it.
 */
export function applyHttpServerTimeouts(server: Server, timeouts: HttpServerTimeouts): void {
  if (server.listening) {
    throw new Error('HTTP server timeouts must be set before the server listens');
  }
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  Object.assign(server, { connectionsCheckingInterval: timeouts.timeoutCheckIntervalMs });
}
