import type { OpenAPIObject } from '@nestjs/swagger';
import { SHOPIFY_WEBHOOK_PATH } from 'src/modules/shopify/transport/shopify-webhook.http-handler';

type PathItem = OpenAPIObject['paths'][string];

const header = (name: string, required: boolean, description?: string) => ({
  name,
  in: 'header' as const,
  required,
  schema: { type: 'string' },
  ...(description === undefined ? {} : { description }),
});

const errorBody = {
  'application/json': {
    schema: {
      type: 'object',
      properties: { statusCode: { type: 'number' }, message: { type: 'string' } },
    },
  },
};

/**
 * The OpenAPI entry of POST /webhooks/shopify. The route is served ahead of Express (`ShopifyWebhookHttpHandler`),
 * so Swagger cannot read it off a controller; this keeps /docs describing it.
 */
export function shopifyWebhookOpenApi(): Record<string, PathItem> {
  return {
    [SHOPIFY_WEBHOOK_PATH]: {
      post: {
        tags: ['webhooks'],
        summary: 'Receive any Shopify webhook topic; 200 once the event is durable',
        operationId: 'ShopifyWebhook_receive',
        parameters: [
          header('X-Shopify-Topic', true),
          header('X-Shopify-Hmac-Sha256', true, 'base64 HMAC-SHA256 of the raw body'),
          header('X-Shopify-Shop-Domain', true),
          header('X-Shopify-Webhook-Id', false),
          header('X-Shopify-Event-Id', false),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
        responses: {
          '200': {
            description: 'Durable (queued, or held in the outbox) or already received',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    ok: { type: 'boolean' },
                    eventId: { type: 'string' },
                    durability: { type: 'string', enum: ['queue', 'outbox'] },
                  },
                },
              },
            },
          },
          '400': { description: 'Malformed: not JSON, missing topic or id', content: errorBody },
          '401': { description: 'Missing or wrong HMAC', content: errorBody },
          '404': { description: 'Unknown shop', content: errorBody },
          '413': { description: 'Body over WEBHOOK_MAX_BODY_BYTES', content: errorBody },
          '503': {
            description: 'Neither RabbitMQ nor PostgreSQL could store it; Shopify will retry',
            content: errorBody,
          },
        },
      },
    },
  };
}
