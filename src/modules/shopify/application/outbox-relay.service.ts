import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MessageHeader } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  WEBHOOK_EVENT_PUBLISHER,
  type WebhookEventPublisher,
} from 'src/modules/shopify/application/webhook-event-publisher.port';
import { IngestOutboxRepository, type OutboxRow } from 'src/modules/shopify/persistence/ingest-outbox.repository';

const RELAY_INTERVAL_MS = 500;
const BATCH = 500;

/**
 * Moves webhooks accepted during a broker outage from the PostgreSQL outbox to RabbitMQ once it is back.
 * Runs in every process that ingests; FOR UPDATE SKIP LOCKED lets several replicas relay without double work.
 */
@Injectable()
export class OutboxRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;

  constructor(
    @Inject(WEBHOOK_EVENT_PUBLISHER) private readonly publisher: WebhookEventPublisher,
    private readonly outbox: IngestOutboxRepository,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Relays until the outbox is empty or the broker fails; returns how many messages moved. */
  async tick(): Promise<number> {
    if (this.running || this.stopped || !this.publisher.connected) {
      return 0;
    }
    this.running = true;
    let moved = 0;
    try {
      for (;;) {
        const n = await this.outbox.relayBatch(BATCH, (rows) => this.publishAll(rows));
        moved += n;
        if (n < BATCH) {
          break;
        }
      }
    } catch (error: unknown) {
      this.logger.warn(`outbox relay paused: ${String(error)}`);
    } finally {
      this.running = false;
    }
    if (moved > 0) {
      this.logger.log({ moved }, 'outbox relayed');
      this.metrics.outboxPending.set(await this.outbox.count().catch(() => 0));
    }
    return moved;
  }

  private async publishAll(rows: OutboxRow[]): Promise<string[]> {
    const results = await Promise.allSettled(rows.map((row) => this.publisher.publishNow(row)));
    const published: string[] = [];
    results.forEach((result, i) => {
      const row = rows[i];
      if (result.status === 'fulfilled' && row !== undefined) {
        published.push(row.id);
        this.audit.record({
          eventId: String(row.headers[MessageHeader.EventId]),
          entity: 'webhook',
          topic: String(row.headers[MessageHeader.Topic]),
          shop: String(row.headers[MessageHeader.Shop]),
          shopifyId: String(row.headers[MessageHeader.ResourceId] ?? ''),
          status: AuditStatus.Relayed,
        });
      }
    });
    return published;
  }
}
