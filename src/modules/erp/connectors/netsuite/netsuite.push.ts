import { createHmac, timingSafeEqual } from 'node:crypto';
import { NETSUITE_PUSH_MAX_AGE_MS } from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import type { ErpChangeStream, ErpPushOutcome, ErpPushRequest } from 'src/modules/erp/port/erp.types';

const STREAMS: readonly ErpChangeStream[] = ['items', 'inventory', 'shipments'];

/**
 * @description Checks a push from the SuiteScript in docs/connectors/netsuite.md (NetSuite has no native webhooks):
 * `X-Erp-Timestamp` (Unix seconds) within the replay window of now (`replayWindowMs`, ERP_PUSH_REPLAY_WINDOW_SECONDS,
 * 5 minutes by default), `X-Erp-Signature: sha256=<hex HMAC-SHA256 of "<X-Erp-Timestamp>.<raw body>" with the
 * shared secret>` compared in constant time, and a body `{"streams": [...]}` naming only known streams. The
 * signature covers the timestamp, so a captured push cannot be replayed with a fresh one once its window has
 * passed. A push only wakes delta reads; it never carries data, so its worst abuse is an extra poll.
 */
export function verifyNetsuitePush(
  request: ErpPushRequest,
  secret: string | undefined,
  now: number = Date.now(),
  replayWindowMs: number = NETSUITE_PUSH_MAX_AGE_MS,
): ErpPushOutcome {
  if (secret === undefined || secret === '') {
    return { kind: 'rejected', reason: 'no push secret is configured for netsuite' };
  }
  const signature = request.headers['x-erp-signature'];
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature?.trim() ?? '');
  if (match === null) {
    return { kind: 'rejected', reason: 'missing or malformed X-Erp-Signature' };
  }
  const timestamp = request.headers['x-erp-timestamp']?.trim() ?? '';
  if (!/^\d{1,13}$/.test(timestamp)) {
    return { kind: 'rejected', reason: 'missing or malformed X-Erp-Timestamp' };
  }
  // Seconds as documented; a 13-digit value is taken as milliseconds (SuiteScript's Date.now()).
  const sentAt = timestamp.length >= 13 ? Number(timestamp) : Number(timestamp) * 1_000;
  if (Math.abs(now - sentAt) > replayWindowMs) {
    return { kind: 'rejected', reason: `X-Erp-Timestamp is more than ${replayWindowMs / 1_000} s away from now` };
  }
  const expected = pushSignature(timestamp, request.rawBody, secret);
  const given = Buffer.from(match[1] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { kind: 'rejected', reason: 'X-Erp-Signature does not match the body' };
  }
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { kind: 'rejected', reason: 'push body is not JSON' };
  }
  const streams = (body as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams) || streams.length === 0) {
    return { kind: 'rejected', reason: 'push body has no streams' };
  }
  const unknown = streams.filter((stream) => !STREAMS.includes(stream as ErpChangeStream));
  if (unknown.length > 0) {
    const names = unknown.map((s) => String(s)).join(', ');
    // The names come from the sender; keep the audit line short.
    return { kind: 'rejected', reason: `unknown stream(s) in push: ${names.slice(0, 100)}` };
  }
  return { kind: 'wake', streams: STREAMS.filter((stream) => streams.includes(stream)) };
}

/** @description Signs a push body as the SuiteScript does (tests, the simulator and the demo use it). */
export function signNetsuitePush(
  rawBody: Buffer | string,
  secret: string,
  nowMs: number = Date.now(),
): { 'x-erp-signature': string; 'x-erp-timestamp': string } {
  const timestamp = String(Math.floor(nowMs / 1_000));
  return {
    'x-erp-signature': `sha256=${pushSignature(timestamp, rawBody, secret).toString('hex')}`,
    'x-erp-timestamp': timestamp,
  };
}

/** HMAC-SHA256 of `<timestamp>.<raw body>`: the timestamp exactly as sent, so it cannot be changed without the key. */
function pushSignature(timestamp: string, rawBody: Buffer | string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}
