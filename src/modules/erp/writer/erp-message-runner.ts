import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { ConsumerStatus, type AsyncMessage } from 'rabbitmq-client';
import { AppError, errorMessage } from 'src/common/errors/app-error';
import { BurstYield } from 'src/common/lifecycle/burst-yield';
import { ConsumptionPause, type ConsumptionPauseOptions } from 'src/common/messaging/consumption-pause';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { DEAD_LETTER_EXCHANGE, MessageHeader, RETRY_EXCHANGE } from 'src/common/messaging/topology';
import { MetricsService } from 'src/common/observability/metrics.service';
import { REDIS_CLIENT } from 'src/common/redis/redis.module';
import { AuditStatus, AuditWriter, type AuditEntity } from 'src/modules/audit';
import {
  decideOnFailure,
  decideOnPausedFlow,
  decideOnUnexpected,
  type ConsumerDecision,
} from 'src/modules/erp/writer/consumer-outcome';
import { backoffMs } from 'src/modules/erp/writer/retry-policy';
import { DataSource } from 'typeorm';

export interface MessageContext {
  eventId: string;
  webhookId: string;
  shop: string;
  topic: string;
  resourceId: string;
  /** Counted (transient) attempts that already failed. */
  attempt: number;
  receivedAt?: string;
  /** An operator's forced re-sync (header `x-replay-mode: force`): set only then. */
  forced?: true;
}

/** @description Tuning of the runner's waits (tests shorten them; the defaults suit production). */
export interface ErpMessageRunnerOptions {
  /** Probing PostgreSQL and Redis while a handler found them unreachable. */
  pause: Partial<ConsumptionPauseOptions>;
  /**
   * A retry or dead-letter publish that fails (RabbitMQ unreachable, or the message returned: no queue bound) is
   * tried again in-process, with backoff, for this long; then the message is given back to its queue (nack,
   * requeue). Never acked: the original is the only copy.
   */
  republishBudgetMs: number;
  /** First wait before publishing again; doubled up to `republishMaxBackoffMs`. */
  republishBackoffMs: number;
  republishMaxBackoffMs: number;
}

export const DEFAULT_ERP_MESSAGE_RUNNER_OPTIONS: ErpMessageRunnerOptions = {
  pause: {},
  republishBudgetMs: 30_000,
  republishBackoffMs: 500,
  republishMaxBackoffMs: 10_000,
};

/** Optional provider of `Partial<ErpMessageRunnerOptions>`. */
export const ERP_MESSAGE_RUNNER_OPTIONS = Symbol('ERP_MESSAGE_RUNNER_OPTIONS');

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
    ...(text(headers[MessageHeader.ReplayMode]) === 'force' ? { forced: true as const } : {}),
  };
}

/**
 * Runs an entity's handler for one queue message and carries out what `decideOnFailure` says: ack, delayed retry
 * through the TTL queues (then ack), dead-letter with reason/attempts/last error (then ack), or pause while our own
 * PostgreSQL or Redis is unreachable (the message waits unacknowledged and runs again, uncounted, when they answer).
 * Entity consumers own their handlers; this is the shared machinery around them.
 */
@Injectable()
export class ErpMessageRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ErpMessageRunner.name);
  private readonly options: ErpMessageRunnerOptions;
  private readonly pause: ConsumptionPause;
  private stopping = false;

  constructor(
    private readonly publisher: MandatoryPublisher,
    private readonly audit: AuditWriter,
    private readonly metrics: MetricsService,
    dataSource: DataSource,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Optional() @Inject(ERP_MESSAGE_RUNNER_OPTIONS) options?: Partial<ErpMessageRunnerOptions>,
    // Optional only for specs that build the runner by hand: LifecycleModule (global) always provides it.
    @Optional() private readonly burstYield?: BurstYield,
  ) {
    this.options = { ...DEFAULT_ERP_MESSAGE_RUNNER_OPTIONS, ...options };
    this.pause = new ConsumptionPause(
      { postgresql: () => dataSource.query('SELECT 1'), redis: () => redis.ping() },
      this.options.pause,
    );
  }

  /** Held messages go back to RabbitMQ at once, so the consumers can close (they wait for their handlers). */
  beforeApplicationShutdown(): void {
    this.stopping = true;
    this.pause.stop();
  }

  /** True while consumption waits for PostgreSQL or Redis to answer again. */
  get paused(): boolean {
    return this.pause.paused;
  }

  /**
   * `paused`, when given, is asked first (with the message's context): true means an operator paused this message's
   * flow for its shop, and the message is kept for later (decideOnPausedFlow) without being handled or audited.
   */
  async run(
    message: AsyncMessage,
    entity: AuditEntity,
    handler: (context: MessageContext) => Promise<void>,
    paused?: (context: MessageContext) => Promise<boolean>,
  ): Promise<ConsumerStatus> {
    // A sale's first webhooks just came in (BurstYield): ingest gets the machine first; this message waits a moment.
    await this.burstYield?.wait();
    const context = messageContext(message);
    const unexpected = Number(message.headers?.[MessageHeader.UnexpectedAttempts] ?? 0) || 0;
    if (paused !== undefined && (await paused(context))) {
      return this.keepWhilePaused(message, context, entity);
    }
    this.observeWait(context, entity);
    for (;;) {
      // While an outage is waited out, no message starts (it would only fail and spend its delivery count).
      if (!(await this.pause.untilResumed())) {
        return ConsumerStatus.REQUEUE;
      }
      try {
        await handler(context);
        return ConsumerStatus.ACK;
      } catch (error: unknown) {
        let decision = decideOnFailure(error, { transient: context.attempt, unexpected });
        if (decision.action === 'pause') {
          if (await this.pause.holdUntilReachable(decision.services, decision.reason)) {
            continue;
          }
          if (this.stopping) {
            return ConsumerStatus.REQUEUE;
          }
          // Every service answered at once: whatever said "unreachable" was not our PostgreSQL or Redis.
          decision = decideOnUnexpected(error, unexpected);
        }
        return this.carryOut(decision, error, message, context, entity, unexpected);
      }
    }
  }

  private async keepWhilePaused(
    message: AsyncMessage,
    context: MessageContext,
    entity: AuditEntity,
  ): Promise<ConsumerStatus> {
    const decision = decideOnPausedFlow();
    const base = { eventId: context.eventId, entity, topic: context.topic, shop: context.shop };
    // The attempt counts stay as they are: the message failed nothing.
    const published = await this.republish(message, RETRY_EXCHANGE, base, {
      [MessageHeader.RetryDelay]: String(decision.delayMs),
    });
    if (!published) {
      return ConsumerStatus.REQUEUE;
    }
    this.metrics.messagesProcessed.inc({ entity, outcome: 'paused' });
    return ConsumerStatus.ACK;
  }

  /** The message's age as its processing starts (retries included: the age is the operator's, not the try's). */
  private observeWait(context: MessageContext, entity: AuditEntity): void {
    const receivedAt = context.receivedAt === undefined ? Number.NaN : Date.parse(context.receivedAt);
    if (Number.isFinite(receivedAt)) {
      this.metrics.messageWaitSeconds.observe({ entity }, Math.max(0, Date.now() - receivedAt) / 1_000);
    }
  }

  private async carryOut(
    decision: Exclude<ConsumerDecision, { action: 'pause' }>,
    error: unknown,
    message: AsyncMessage,
    context: MessageContext,
    entity: AuditEntity,
    unexpected: number,
  ): Promise<ConsumerStatus> {
    const base = { eventId: context.eventId, entity, topic: context.topic, shop: context.shop };
    switch (decision.action) {
      case 'retry': {
        const attempt = context.attempt + (decision.countsAsAttempt ? 1 : 0);
        const unexpectedAttempts = unexpected + (decision.countsAsUnexpected === true ? 1 : 0);
        const published = await this.republish(message, RETRY_EXCHANGE, base, {
          [MessageHeader.RetryDelay]: String(decision.delayMs),
          [MessageHeader.Attempt]: attempt,
          ...(unexpectedAttempts > 0 ? { [MessageHeader.UnexpectedAttempts]: unexpectedAttempts } : {}),
        });
        if (!published) {
          return ConsumerStatus.REQUEUE;
        }
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
        const isUnexpected = !(error instanceof AppError);
        const attempts = (isUnexpected ? unexpected : context.attempt) + 1;
        // The audit row is timed at the decision, before the publish: the dead-letter recorder may store the letter
        // before the confirm comes back, and the order trace lists hops by time.
        const decidedAt = new Date();
        const published = await this.republish(
          message,
          DEAD_LETTER_EXCHANGE,
          base,
          {
            [MessageHeader.DeadLetterReason]: decision.reason,
            [MessageHeader.DeadLetterError]: errorMessage(error).slice(0, 2_000),
            [MessageHeader.DeadLetterAttempts]: attempts,
            [MessageHeader.DeadLetterErrorClass]: error instanceof AppError ? error.code : 'UNEXPECTED',
            [MessageHeader.OriginalRoutingKey]: message.routingKey,
          },
          // The original id, so that a dead letter published twice (a crash before the ack) is recorded once.
          message.messageId || context.eventId || undefined,
        );
        if (!published) {
          return ConsumerStatus.REQUEUE;
        }
        this.metrics.messagesProcessed.inc({ entity, outcome: 'dead_lettered' });
        this.metrics.deadLetters.inc({ entity, reason: isUnexpected ? 'unexpected' : 'permanent' });
        this.audit.record({
          ...base,
          shopifyId: context.resourceId,
          status: AuditStatus.DeadLettered,
          reason: decision.reason,
          attempt: attempts,
          error: errorMessage(error),
          at: decidedAt,
        });
        this.logger.warn({ ...base, reason: decision.reason, attempts }, 'message dead-lettered');
        return ConsumerStatus.ACK;
      }
    }
  }

  /**
   * Publishes the message's next hop (a retry queue, the dead letters); true once a queue took it. A failure is
   * retried with backoff within `republishBudgetMs`; false after that (or when shutting down), and the caller gives
   * the message back to its queue instead of acking the only copy.
   */
  private async republish(
    message: AsyncMessage,
    exchange: string,
    base: Record<string, string>,
    extraHeaders: Record<string, string | number>,
    messageId?: string,
  ): Promise<boolean> {
    const {
      'x-death': _death,
      'x-first-death-exchange': _e,
      'x-first-death-queue': _q,
      'x-first-death-reason': _r,
      [MessageHeader.DeliveryCount]: _count,
      ...headers
    } = (message.headers ?? {}) as Record<string, unknown>;
    const deadline = Date.now() + this.options.republishBudgetMs;
    for (let attempt = 1; ; attempt++) {
      try {
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
        return true;
      } catch (error: unknown) {
        const remaining = deadline - Date.now();
        const givingUp = remaining <= 0 || this.stopping;
        this.logger.error(
          { ...base, exchange, attempt, err: errorMessage(error) },
          givingUp
            ? 'could not publish the message onward: giving it back to its queue'
            : 'could not publish the message onward: it is kept, trying again',
        );
        if (givingUp) {
          return false;
        }
        await sleep(
          Math.min(remaining, backoffMs(attempt, this.options.republishBackoffMs, this.options.republishMaxBackoffMs)),
        );
      }
    }
  }
}
