import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';

/**
 * Paths too frequent to log per request; their outcomes are counted in /metrics instead. POST /webhooks/shopify never
 * reaches this logger: node:http serves it ahead of Express (`serveAhead`), with its outcomes as metrics.
 */
const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * Structured JSON logs (pino). Secrets are redacted wherever they could appear: auth headers, Shopify's HMAC and
 * access-token headers, and any field named like a secret.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      autoLogging: {
        ignore: (req: IncomingMessage) => QUIET_PATHS.some((p) => (req.url ?? '').startsWith(p)),
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-shopify-hmac-sha256"]',
          'req.headers["x-shopify-access-token"]',
          'req.headers.cookie',
          '*.password',
          '*.secret',
          '*.token',
          '*.accessToken',
          '*.clientSecret',
          '*.applicationKey',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
      },
    },
  };
}
