import { createHmac } from 'node:crypto';

/**
 * The alert webhook's signature: HMAC-SHA256 over `<timestamp>.<body>` with ALERT_WEBHOOK_SECRET, hex, sent as
 * `X-Erp-Sync-Signature: sha256=<hex>` beside `X-Erp-Sync-Timestamp: <unix seconds>`. The timestamp is covered, so
 * a receiver refuses old deliveries replayed (compare it with its clock, then the signature in constant time).
 */
export function signAlert(body: string, timestamp: number, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}
