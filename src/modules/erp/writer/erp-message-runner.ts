import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConsumerStatus, type AsyncMessage, type Publisher } from 'rabbitmq-client';
import { errorMessage } from 'src/common/errors/app-error';
import { RABBIT_PUBLISHER } from 'src/common/messaging/rabbitmq.module';
import { DEAD_LETTER_EXCHANGE, MessageHeader, RETRY_EXCHANGE } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { AuditStatus, AuditWriter, type AuditEntity } from 'src/modules/audit';
import { decideOnFailure } from 'src/modules/erp/writer/consumer-outcome';
import { backoffMs } from 'src/modules/erp/writer/retry-policy';

export interface MessageContext {
  eventId: string;
  webhookId: string;
  shop: string;
  topic: string;
  resourceId: string;
  /** Counted (transient) attempts that already failed. */
  attempt: number;
  receivedAt?: string;
}

/** How long a message is retried in-process while our own infrastructure (PostgreSQL) is failing. */
const INFRA_RETRY_BUDGET_MS = 90_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function text(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return '';
}

export function messageContext(message: AsyncMessage): MessageContext {
  const headers = message.headers ?? {};
  return {
    eventId: text(headers[MessageHeader.EventId]) || text(message.messageId),
    webhookId: text(headers[MessageHeader.WebhookId]) || text(message.messageId),
    shop: text(headers[MessageHeader.Shop]),
    topic: text(headers[MessageHeader.Topic]),
    resourceId: text(headers[MessageHeader.ResourceId]),
    attempt: Number(headers[MessageHeader.Attempt] ?? 0) || 0,
    receivedAt: text(headers[MessageHeader.ReceivedAt]) || undefined,
  };
}

/**
 * Runs an entity's handler for one queue message and carries out what `decideOnFailure` says: ack, delayed retry
 * through the TTL queues (then ack), dead-letter with reason/attempts/last error (then ack), or requeue.
 * Entity consumers own their handlers; this is the shared machinery around them.
 */
@Injectable()
export class ErpMessageRunner {
  private readonly logger = new Logger(ErpMessageRunner.name);

  constructor(
    @Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
  ) {}

  async run(
    message: AsyncMessage,
    entity: AuditEntity,
    handler: (context: MessageContext) => Promise<void>,
  ): Promise<ConsumerStatus> {
    const context = messageContext(message);
    const started = Date.now();
    for (let infraAttempt = 1; ; infraAttempt++) {
      try {
        await handler(context);
        return ConsumerStatus.ACK;
      } catch (error: unknown) {
        const decision = decideOnFailure(error, context.attempt);
        const base = { eventId: context.eventId, entity, topic: context.topic, shop: context.shop };
        switch (decision.action) {
          case 'requeue':
            if (Date.now() - started < INFRA_RETRY_BUDGET_MS) {
              this.logger.warn({ ...base, err: decision.reason }, 'infrastructure error, retrying in-process');
              await sleep(backoffMs(infraAttempt, 250, 5_000));
              continue;
            }
            this.logger.error({ ...base, err: decision.reason }, 'infrastructure error persists, requeueing');
            return ConsumerStatus.REQUEUE;
          case 'retry': {
            const attempt = context.attempt + (decision.countsAsAttempt ? 1 : 0);
            await this.republish(message, RETRY_EXCHANGE, {
              [MessageHeader.RetryDelay]: String(decision.delayMs),
              [MessageHeader.Attempt]: attempt,
            });
            this.metrics.messagesProcessed.inc({ entity, outcome: 'retried' });
            this.audit.record({
              ...base,
              shopifyId: context.resourceId,
              status: AuditStatus.RetryScheduled,
              reason: `${decision.reason}; retry in ${decision.delayMs} ms`,
              attempt,
              error: errorMessage(error),
            });
            return ConsumerStatus.ACK;
          }
          case 'dead-letter': {
            const attempts = context.attempt + 1;
            await this.republish(
              message,
              DEAD_LETTER_EXCHANGE,
              {
                [MessageHeader.DeadLetterReason]: decision.reason,
                [MessageHeader.DeadLetterError]: errorMessage(error).slice(0, 2_000),
                [MessageHeader.DeadLetterAttempts]: attempts,
                [MessageHeader.OriginalRoutingKey]: message.routingKey,
              },
              randomUUID(),
            );
            this.metrics.messagesProcessed.inc({ entity, outcome: 'dead_lettered' });
            this.metrics.deadLetters.inc({ entity, reason: 'permanent' });
            this.audit.record({
              ...base,
              shopifyId: context.resourceId,
              status: AuditStatus.DeadLettered,
              reason: decision.reason,
              attempt: attempts,
              error: errorMessage(error),
            });
            this.logger.warn({ ...base, reason: decision.reason, attempts }, 'message dead-lettered');
            return ConsumerStatus.ACK;
          }
        }
      }
    }
  }

  private async republish(
    message: AsyncMessage,
    exchange: string,
    extraHeaders: Record<string, string | number>,
    messageId?: string,
  ): Promise<void> {
    const {
      'x-death': _death,
      'x-first-death-exchange': _e,
      'x-first-death-queue': _q,
      'x-first-death-reason': _r,
      ...headers
    } = (message.headers ?? {}) as Record<string, unknown>;
    await this.publisher.send(
      {
        exchange,
        routingKey: message.routingKey,
        messageId: messageId ?? message.messageId,
        durable: true,
        contentType: message.contentType ?? 'application/json',
        contentEncoding: message.contentEncoding ?? 'utf-8',
        headers: { ...headers, ...extraHeaders },
      },
      message.body as Buffer,
    );
  }
}
