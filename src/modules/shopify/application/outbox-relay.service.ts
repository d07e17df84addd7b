import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MessageHeader } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter } from 'src/modules/audit';
import {
  WEBHOOK_EVENT_PUBLISHER,
  type WebhookEventPublisher,
} from 'src/modules/shopify/application/webhook-event-publisher.port';
import {
  IngestOutboxRepository,
  type OutboxBatchLimits,
  type OutboxRow,
} from 'src/modules/shopify/persistence/ingest-outbox.repository';

const RELAY_INTERVAL_MS = 500;

/**
 * One relay batch: at most 100 rows and 1 MiB of bodies (a single larger body goes alone), so that the relay holds a
 * bounded amount of memory however much piled up during an outage; the claim outlives the publish timeout, so no
 * other relay takes the rows while their publishes may still be confirmed.
 */
export const OUTBOX_RELAY_BATCH: OutboxBatchLimits & { publishTimeoutMs: number } = {
  maxRows: 100,
  maxBytes: 1024 * 1024,
  publishTimeoutMs: 10_000,
  claimMs: 60_000,
};

/**
 * Moves webhooks accepted during a broker outage from the PostgreSQL outbox to RabbitMQ once it is back, a bounded
 * batch at a time: claim the batch (one short statement), publish it, delete what the broker confirmed. No transaction
 * is open while it publishes. Runs in every process that ingests; claims let several replicas relay without double work.
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
    if (this.running || this.stopped) {
      return 0;
    }
    this.running = true;
    let moved = 0;
    try {
      while (!this.stopped && this.publisher.connected) {
        const rows = await this.outbox.claimBatch(OUTBOX_RELAY_BATCH);
        if (rows.length === 0) {
          break;
        }
        const { confirmed, refused } = await this.publishBatch(rows);
        await this.outbox.deleteRelayed(confirmed.map((row) => row.id));
        await this.outbox.releaseClaims(refused.map((row) => row.id));
        confirmed.forEach((row) => this.audited(row));
        moved += confirmed.length;
        if (confirmed.length < rows.length) {
          // The broker refused or did not confirm in time: pause until the next tick.
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

  /**
   * Publishes a batch at once and waits for the confirms, at most `publishTimeoutMs`. A row still unconfirmed then
   * keeps its claim (a late confirm would otherwise be followed by a second copy at once); a refused one is handed back.
   */
  private async publishBatch(rows: OutboxRow[]): Promise<{ confirmed: OutboxRow[]; refused: OutboxRow[] }> {
    const outcome = new Map<OutboxRow, 'confirmed' | 'refused'>();
    const settled = Promise.all(
      rows.map((row) =>
        this.publisher.publishNow(row).then(
          () => void outcome.set(row, 'confirmed'),
          () => void outcome.set(row, 'refused'),
        ),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      settled,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, OUTBOX_RELAY_BATCH.publishTimeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return {
      confirmed: rows.filter((row) => outcome.get(row) === 'confirmed'),
      refused: rows.filter((row) => outcome.get(row) === 'refused'),
    };
  }

  private audited(row: OutboxRow): void {
    this.audit.record({
      eventId: String(row.headers[MessageHeader.EventId]),
      entity: 'webhook',
      topic: String(row.headers[MessageHeader.Topic]),
      shop: String(row.headers[MessageHeader.Shop]),
      shopifyId: String(row.headers[MessageHeader.ResourceId] ?? ''),
      status: AuditStatus.Relayed,
    });
  }
}
