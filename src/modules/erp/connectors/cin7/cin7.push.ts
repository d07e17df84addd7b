import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErpChangeStream, ErpPushOutcome, ErpPushRequest } from 'src/modules/erp/port/erp.types';

/** Custom header the operator adds to each Cin7 webhook (Cin7 webhooks carry custom headers). */
export const CIN7_PUSH_SECRET_HEADER = 'x-erp-secret';

/**
 * Cin7 Core webhook types that tell us a delta read has something new. Cin7 signs nothing (no HMAC is documented);
 * authenticity comes from the shared secret the webhook sends as a header, basic-auth password or bearer token.
 */
const STREAMS_BY_EVENT: Record<string, ErpChangeStream[]> = {
  'product/updated': ['items'],
  'stock/availablestocklevelchanged': ['inventory'],
  'sale/shipmenttrackingnumberchanged': ['shipments'],
  'sale/shipmentauthorised': ['shipments'],
};

/**
 * @description Checks a Cin7 webhook delivery and says which delta reads it wakes. The shared secret may arrive in
 * any of the ways Cin7 webhooks can authenticate: a custom header `X-Erp-Secret: <secret>` (recommended),
 * `ExternalAuthorizationType: basicauth` (the password is the secret) or a bearer token. Compared in constant time.
 *
 * The event type is read from the body: `Stock/AvailableStockLevelChanged` posts a bare JSON array of stock rows,
 * the others a single object with `EventType` (or `Type`); a `?event=` query parameter on the webhook URL is the
 * fallback. An authentic delivery of an event we do not use, or one we cannot parse, wakes nothing (answered 200,
 * so that Cin7 does not retry it six times and deactivate the webhook).
 */
export function verifyCin7Push(request: ErpPushRequest, secret: string | undefined): ErpPushOutcome {
  if (secret === undefined || secret === '') {
    return { kind: 'rejected', reason: 'no push secret is configured for cin7' };
  }
  const presented = presentedSecrets(request.headers);
  if (presented.length === 0) {
    return { kind: 'rejected', reason: 'missing X-Erp-Secret header or Authorization' };
  }
  // Every candidate is compared, so the time taken does not depend on which one matched.
  const matches = presented.map((candidate) => constantTimeEquals(candidate, secret));
  if (!matches.includes(true)) {
    return { kind: 'rejected', reason: 'push secret does not match' };
  }
  return { kind: 'wake', streams: streamsFor(request) };
}

function streamsFor(request: ErpPushRequest): ErpChangeStream[] {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    body = undefined;
  }
  if (Array.isArray(body)) {
    return ['inventory'];
  }
  let eventType: string | undefined;
  if (typeof body === 'object' && body !== null) {
    const record = body as { EventType?: unknown; Type?: unknown };
    eventType = [record.EventType, record.Type].find((value): value is string => typeof value === 'string');
  }
  eventType ??= request.query.event;
  return eventType === undefined ? [] : [...(STREAMS_BY_EVENT[eventType.toLowerCase()] ?? [])];
}

function presentedSecrets(headers: Record<string, string | undefined>): string[] {
  const found: string[] = [];
  const header = headers[CIN7_PUSH_SECRET_HEADER];
  if (header !== undefined && header !== '') {
    found.push(header);
  }
  const authorization = headers.authorization?.trim() ?? '';
  const basic = /^basic\s+(\S+)$/i.exec(authorization)?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      found.push(decoded.slice(colon + 1));
    }
  }
  const bearer = /^bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (bearer !== undefined) {
    found.push(bearer);
  }
  return found;
}

/** Compares digests, so neither the content nor the length of the secret leaks through timing. */
function constantTimeEquals(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
