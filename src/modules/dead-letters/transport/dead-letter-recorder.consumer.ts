import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConsumerStatus, type AsyncMessage, type Connection, type Consumer } from 'rabbitmq-client';
import { errorMessage } from 'src/common/errors/app-error';
import { unreachableServices } from 'src/common/errors/infrastructure-failure';
import { ConsumptionPause, type ConsumptionPauseOptions } from 'src/common/messaging/consumption-pause';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { DEAD_LETTER_PARKING_QUEUE, DEAD_LETTER_QUEUE, MessageHeader } from 'src/common/messaging/topology';
import { RecordDeadLetter } from 'src/modules/dead-letters/application/record-dead-letter.use-case';
import { DataSource } from 'typeorm';

/** @description Tuning of the recorder (tests shorten the waits; the defaults suit production). */
export interface DeadLetterRecorderOptions {
  /**
   * Deliveries of one dead letter that failed to be recorded (PostgreSQL reachable, but the row refused even
   * escaped, or a bug) before it is parked in `erp.dead-letters.parked` instead of redelivered.
   */
  deliveryLimit: number;
  /** Wait before a failed dead letter is given back to the queue; doubled per delivery up to `maxRequeueDelayMs`. */
  requeueDelayMs: number;
  maxRequeueDelayMs: number;
  /** Probing PostgreSQL while it is unreachable. */
  pause: Partial<ConsumptionPauseOptions>;
}

export const DEFAULT_DEAD_LETTER_RECORDER_OPTIONS: DeadLetterRecorderOptions = {
  deliveryLimit: 5,
  requeueDelayMs: 1_000,
  maxRequeueDelayMs: 30_000,
  pause: {},
};

/** Optional provider of `Partial<DeadLetterRecorderOptions>`. */
export const DEAD_LETTER_RECORDER_OPTIONS = Symbol('DEAD_LETTER_RECORDER_OPTIONS');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Moves dead letters from RabbitMQ into PostgreSQL (worker role); acks only once the row is committed.
 *
 * While PostgreSQL is unreachable it pauses (the dead letters wait in RabbitMQ, their delivery count untouched).
 * A dead letter that cannot be recorded otherwise is given back with backoff, and after `deliveryLimit` deliveries
 * (RabbitMQ's `x-delivery-count`) parked in `erp.dead-letters.parked` with the reason, so that one poison row never
 * loops forever or holds the queue.
 */
@Injectable()
export class DeadLetterRecorderConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterRecorderConsumer.name);
  private readonly options: DeadLetterRecorderOptions;
  private readonly pause: ConsumptionPause;
  private consumer?: Consumer;
  private stopping = false;

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly record: RecordDeadLetter,
    private readonly publisher: MandatoryPublisher,
    dataSource: DataSource,
    @Optional() @Inject(DEAD_LETTER_RECORDER_OPTIONS) options?: Partial<DeadLetterRecorderOptions>,
  ) {
    this.options = { ...DEFAULT_DEAD_LETTER_RECORDER_OPTIONS, ...options };
    this.pause = new ConsumptionPause({ postgresql: () => dataSource.query('SELECT 1') }, this.options.pause);
  }

  /** True while recording waits for PostgreSQL to answer again. */
  get paused(): boolean {
    return this.pause.paused;
  }

  onApplicationBootstrap(): void {
    this.consumer = this.connection.createConsumer(
      {
        queue: DEAD_LETTER_QUEUE,
        queueOptions: { queue: DEAD_LETTER_QUEUE, durable: true, arguments: { 'x-queue-type': 'quorum' } },
        concurrency: 4,
        qos: { prefetchCount: 8 },
        requeue: true,
      },
      (message: AsyncMessage) => this.handle(message),
    );
    this.consumer.on('error', (error: unknown) => this.logger.warn({ err: String(error) }, 'consumer error'));
  }

  async onApplicationShutdown(): Promise<void> {
    // Held dead letters go back to RabbitMQ at once: close() waits for every handler.
    this.stopping = true;
    this.pause.stop();
    await this.consumer?.close();
  }

  private async handle(message: AsyncMessage): Promise<ConsumerStatus> {
    for (;;) {
      if (!(await this.pause.untilResumed())) {
        return ConsumerStatus.REQUEUE;
      }
      try {
        await this.record.execute({
          messageId: message.messageId,
          routingKey: message.routingKey,
          headers: message.headers ?? {},
          body: Buffer.isBuffer(message.body) ? message.body : Buffer.from(JSON.stringify(message.body ?? null)),
        });
        return ConsumerStatus.ACK;
      } catch (error: unknown) {
        const services = unreachableServices(error);
        if (services !== undefined && (await this.pause.holdUntilReachable(services, errorMessage(error)))) {
          continue;
        }
        if (this.stopping) {
          return ConsumerStatus.REQUEUE;
        }
        return this.refused(message, error);
      }
    }
  }

  /** PostgreSQL answers but the dead letter cannot be recorded: redeliver with backoff, then park it. */
  private async refused(message: AsyncMessage, error: unknown): Promise<ConsumerStatus> {
    const headers = message.headers ?? {};
    const delivery = (Number(headers[MessageHeader.DeliveryCount] ?? 0) || 0) + 1;
    const context = { messageId: message.messageId, delivery, err: errorMessage(error) };
    if (delivery < this.options.deliveryLimit) {
      this.logger.warn(context, 'could not record dead letter: redelivered after a delay');
      await sleep(Math.min(this.options.requeueDelayMs * 2 ** (delivery - 1), this.options.maxRequeueDelayMs));
      return ConsumerStatus.REQUEUE;
    }
    const reason = `could not be recorded after ${delivery} deliveries: ${errorMessage(error)}`.slice(0, 2_000);
    try {
      await this.publisher.send(
        {
          exchange: '',
          routingKey: DEAD_LETTER_PARKING_QUEUE,
          messageId: message.messageId,
          durable: true,
          contentType: message.contentType,
          contentEncoding: message.contentEncoding,
          headers: { ...headers, [MessageHeader.ParkedReason]: reason },
        },
        message.body,
      );
    } catch (parkError: unknown) {
      this.logger.error({ ...context, parkErr: errorMessage(parkError) }, 'could not park dead letter: kept');
      await sleep(this.options.maxRequeueDelayMs);
      return ConsumerStatus.REQUEUE;
    }
    this.logger.error({ ...context, queue: DEAD_LETTER_PARKING_QUEUE }, 'dead letter could not be recorded: parked');
    return ConsumerStatus.ACK;
  }
}
