import { createHmac, randomUUID } from 'node:crypto';

/** Shopify's header names, exactly as it sends them (Node lower-cases them on receipt). */
export const ShopifyHeader = {
  Topic: 'X-Shopify-Topic',
  Hmac: 'X-Shopify-Hmac-Sha256',
  ShopDomain: 'X-Shopify-Shop-Domain',
  WebhookId: 'X-Shopify-Webhook-Id',
  EventId: 'X-Shopify-Event-Id',
  ApiVersion: 'X-Shopify-API-Version',
  TriggeredAt: 'X-Shopify-Triggered-At',
} as const;

/** Base64 HMAC-SHA256 of the exact body bytes: what Shopify puts in `X-Shopify-Hmac-Sha256`. */
export function signShopifyWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export interface BuildWebhookRequestInput {
  topic: string;
  /** An object is serialised with JSON.stringify; a string or Buffer is sent (and signed) byte for byte. */
  order: object | string | Buffer;
  secret: string;
  shop: string;
  webhookId?: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
}

export interface WebhookRequest {
  headers: Record<string, string>;
  body: Buffer;
  webhookId: string;
  eventId: string;
}

/**
 * A signed delivery as Shopify sends it. Shopify keeps the same body (and so the same signature) when it retries;
 * the harness re-sends this object unchanged.
 */
export function buildWebhookRequest(input: BuildWebhookRequestInput): WebhookRequest {
  const body = Buffer.isBuffer(input.order)
    ? input.order
    : Buffer.from(typeof input.order === 'string' ? input.order : JSON.stringify(input.order), 'utf8');
  const webhookId = input.webhookId ?? randomUUID();
  const eventId = input.eventId ?? randomUUID();
  return {
    headers: {
      'Content-Type': 'application/json',
      [ShopifyHeader.Topic]: input.topic,
      [ShopifyHeader.Hmac]: signShopifyWebhook(body, input.secret),
      [ShopifyHeader.ShopDomain]: input.shop,
      [ShopifyHeader.WebhookId]: webhookId,
      [ShopifyHeader.EventId]: eventId,
      [ShopifyHeader.ApiVersion]: input.apiVersion ?? '2026-10',
      [ShopifyHeader.TriggeredAt]: (input.triggeredAt ?? new Date()).toISOString(),
    },
    body,
    webhookId,
    eventId,
  };
}
