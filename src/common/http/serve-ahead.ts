import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** A route served by `node:http` itself. */
export interface AheadRoute {
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Puts `route` in front of the framework on `server`: a request it matches never reaches Express (no router, no
 * middleware, no Nest pipeline); every other request goes to Express as before. Call it once the Nest application
 * exists (it has attached Express as the server's one request listener) and before it listens.
 */
export function serveAhead(server: Server, route: AheadRoute): void {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) {
    throw new Error(`serveAhead expects the framework as the one request listener, found ${listeners.length}`);
  }
  const framework = listeners[0];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (route.matches(req)) {
      route.handle(req, res);
    } else {
      framework.call(server, req, res);
    }
  });
}
