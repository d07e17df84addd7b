import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MetricsService } from 'src/common/observability/metrics.service';
import { IngestWebhook } from 'src/modules/shopify/application/ingest-webhook.use-case';

/** POST /webhooks/shopify: verify, make durable, answer. The HMAC is the route's guard (checked in the use case). */
@ApiTags('webhooks')
@Controller('webhooks/shopify')
export class ShopifyWebhookController {
  constructor(
    private readonly ingest: IngestWebhook,
    private readonly metrics: MetricsService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receive any Shopify webhook topic; 200 once the event is durable' })
  @ApiHeader({ name: 'X-Shopify-Topic', required: true })
  @ApiHeader({ name: 'X-Shopify-Hmac-Sha256', required: true, description: 'base64 HMAC-SHA256 of the raw body' })
  @ApiHeader({ name: 'X-Shopify-Shop-Domain', required: true })
  @ApiHeader({ name: 'X-Shopify-Webhook-Id', required: false })
  @ApiHeader({ name: 'X-Shopify-Event-Id', required: false })
  @ApiResponse({ status: 200, description: 'Durable (queued, or held in the outbox) or already received' })
  @ApiResponse({ status: 400, description: 'Malformed: not JSON, missing topic or id' })
  @ApiResponse({ status: 401, description: 'Missing or wrong HMAC' })
  @ApiResponse({ status: 404, description: 'Unknown shop' })
  @ApiResponse({ status: 413, description: 'Body over WEBHOOK_MAX_BODY_BYTES' })
  @ApiResponse({ status: 503, description: 'Neither RabbitMQ nor PostgreSQL could store it; Shopify will retry' })
  async receive(@Req() req: Request & { rawBody?: Buffer }, @Res() res: Response): Promise<void> {
    const receivedAt = Date.now();
    const result = await this.ingest.execute({
      rawBody: req.rawBody ?? Buffer.alloc(0),
      headers: req.headers,
      receivedAt,
    });
    switch (result.kind) {
      case 'accepted':
        this.metrics.webhookAckSeconds.observe({ durability: result.durability }, (Date.now() - receivedAt) / 1000);
        this.metrics.webhooksReceived.inc({ topic: result.topic, status: 200 });
        sendJson(res, 200, { ok: true, eventId: result.eventId, durability: result.durability });
        return;
      case 'rejected':
        // The topic of a rejected request is unverified input: never a metric label (unbounded cardinality).
        this.metrics.webhooksReceived.inc({ topic: 'unverified', status: result.status });
        sendJson(res, result.status, { statusCode: result.status, message: result.reason });
        return;
      case 'unavailable':
        this.metrics.webhooksReceived.inc({ topic: result.topic, status: 503 });
        sendJson(res, 503, { statusCode: 503, message: 'temporarily unable to store the event' });
        return;
    }
  }
}

/**
 * Writes a small JSON answer straight to the socket. Express's `res.json` also computes an ETag and re-parses the
 * content type on every call: work a webhook answer (never cached, never conditional) does not need on the hot path.
 */
function sendJson(res: Response, status: number, payload: object): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
