/**
 * @description Why ingest refused a webhook. Nothing refused is queued; the transport decides what the sender is
 * told (the HTTP handler answers 400, 401 or 404, so that Shopify does not retry a request that can never succeed).
 */
export enum IngestRejection {
  /** A header or the body is missing or not what Shopify sends (no shop, a malformed topic, not a JSON object, no id). */
  Malformed = 'malformed',
  /** The HMAC is missing or does not match any configured webhook secret. */
  Unauthenticated = 'unauthenticated',
  /** Signed for a shop this deployment does not serve. */
  UnknownShop = 'unknown-shop',
}

/** @description Where an accepted webhook was made durable: RabbitMQ, or the PostgreSQL outbox while it is down. */
export type IngestDurability = 'queue' | 'outbox';

/**
 * @description What became of one webhook delivery: `accepted` once durable, `rejected` with the reason (and a
 * human-readable detail), or `unavailable` when neither the broker nor the outbox could take it (the sender should
 * deliver it again).
 */
export type IngestOutcome =
  | { kind: 'accepted'; durability: IngestDurability; topic: string; eventId: string }
  | { kind: 'rejected'; reason: IngestRejection; detail: string; topic: string }
  | { kind: 'unavailable'; topic: string };
