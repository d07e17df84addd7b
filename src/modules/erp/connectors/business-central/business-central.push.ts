import { timingSafeEqual } from 'node:crypto';
import { BUSINESS_CENTRAL_SUBSCRIPTION_RENEW_WITHIN_MS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import type {
  BcNotification,
  BcSubscription,
} from 'src/modules/erp/connectors/business-central/business-central.types';
import type { ErpChangeStream, ErpPushOutcome, ErpPushRequest } from 'src/modules/erp/port/erp.types';

/**
 * Longest validation token echoed, in bytes. BC's tokens are short opaque strings; the echo is the one place a
 * caller's text comes back in our answer, so it is bounded (and sent as text/plain with nosniff by the transport).
 */
export const BC_VALIDATION_TOKEN_MAX_BYTES = 1_024;

/** Entity sets whose notifications wake a delta read; BC sends no webhooks for shipments or stock (api-facts §C). */
const STREAM_OF_ENTITY_SET: Record<string, ErpChangeStream> = { items: 'items' };

/**
 * @description Checks a push from Business Central (api-reference/v2.0/dynamics-subscriptions):
 * - `?validationToken=…` is BC's handshake on subscription create / renew: answer 200 with the token as text.
 *   It carries no secret; echoing the token is all it asks and grants nothing. A token over
 *   {@link BC_VALIDATION_TOKEN_MAX_BYTES} is malformed (400), never echoed.
 * - otherwise a body `{"value":[{subscriptionId, clientState, resource, changeType, …}]}`: every entry must carry
 *   our client state (compared in constant time), else the push is rejected. Verified entries wake the delta read
 *   of their entity set (`items` → items; a `collection` notification the same way).
 */
export function verifyBusinessCentralPush(request: ErpPushRequest, clientState: string | undefined): ErpPushOutcome {
  const validationToken = request.query.validationToken;
  if (validationToken !== undefined) {
    return Buffer.byteLength(validationToken, 'utf8') > BC_VALIDATION_TOKEN_MAX_BYTES
      ? { kind: 'malformed', reason: `validationToken longer than ${BC_VALIDATION_TOKEN_MAX_BYTES} bytes` }
      : { kind: 'handshake', body: validationToken };
  }
  if (clientState === undefined || clientState === '') {
    return { kind: 'rejected', reason: 'no Business Central client state is configured' };
  }
  const notifications = parseNotifications(request.rawBody);
  if (notifications === undefined) {
    return { kind: 'rejected', reason: 'not a Business Central notification body' };
  }
  if (notifications.some((n) => !sameSecret(n.clientState, clientState))) {
    return { kind: 'rejected', reason: 'client state does not match' };
  }
  const streams = new Set<ErpChangeStream>();
  for (const notification of notifications) {
    const stream = streamOf(notification.resource);
    if (stream !== undefined) {
      streams.add(stream);
    }
  }
  return { kind: 'wake', streams: [...streams] };
}

/** The entity set a resource path names: `api/v2.0/companies(…)/items(…)` or `…/items?$filter=…` → `items`. */
export function entitySetOf(resource: string | undefined): string | undefined {
  if (resource === undefined) {
    return undefined;
  }
  const path = resource.split('?')[0] ?? '';
  const match = /companies\([^)]*\)\/([A-Za-z]+)/.exec(path);
  return match?.[1];
}

function streamOf(resource: string | undefined): ErpChangeStream | undefined {
  const set = entitySetOf(resource);
  return set === undefined ? undefined : STREAM_OF_ENTITY_SET[set];
}

function parseNotifications(rawBody: Buffer): BcNotification[] | undefined {
  let json: unknown;
  try {
    // BC stopped sending a byte-order mark with version 19; strip one anyway.
    json = JSON.parse(rawBody.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  const value = typeof json === 'object' && json !== null ? (json as { value?: unknown }).value : undefined;
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  if (!value.every((entry) => typeof entry === 'object' && entry !== null)) {
    return undefined;
  }
  return value as BcNotification[];
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') {
    return false;
  }
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** @description What ensurePushSubscriptions must do for one wanted resource. */
export type SubscriptionAction =
  | { kind: 'create'; resource: string }
  | { kind: 'renew'; subscription: BcSubscription }
  | { kind: 'keep'; subscription: BcSubscription };

/**
 * @description For each wanted resource: create a subscription when none for it and this notification URL exists;
 * renew (PATCH, which repeats the handshake and restarts the 3-day life) one that expires within 24 h or carries
 * another client state; keep the rest.
 */
export function planSubscriptions(
  existing: readonly BcSubscription[],
  wantedResources: readonly string[],
  notificationUrl: string,
  clientState: string,
  now: number,
): SubscriptionAction[] {
  return wantedResources.map((resource) => {
    const subscription = existing.find(
      (s) => s.notificationUrl === notificationUrl && sameResource(s.resource, resource),
    );
    if (subscription === undefined) {
      return { kind: 'create', resource };
    }
    const expiresAt = Date.parse(subscription.expirationDateTime ?? '');
    const expiresSoon = !Number.isFinite(expiresAt) || expiresAt - now < BUSINESS_CENTRAL_SUBSCRIPTION_RENEW_WITHIN_MS;
    return expiresSoon || subscription.clientState !== clientState
      ? { kind: 'renew', subscription }
      : { kind: 'keep', subscription };
  });
}

function sameResource(a: string, b: string): boolean {
  const normalise = (value: string) => value.replace(/^\/+/, '').toLowerCase();
  return normalise(a) === normalise(b);
}
