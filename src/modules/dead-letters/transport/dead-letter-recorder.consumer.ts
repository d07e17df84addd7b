import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConsumerStatus, type AsyncMessage, type Connection, type Consumer } from 'rabbitmq-client';
import { RABBIT_CONSUMER_CONNECTION } from 'src/common/messaging/rabbitmq.module';
import { DEAD_LETTER_QUEUE } from 'src/common/messaging/topology';
import { RecordDeadLetter } from 'src/modules/dead-letters/application/record-dead-letter.use-case';

/** Moves dead letters from RabbitMQ into PostgreSQL (worker role); acks only once the row is committed. */
@Injectable()
export class DeadLetterRecorderConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterRecorderConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly connection: Connection,
    private readonly record: RecordDeadLetter,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer = this.connection.createConsumer(
      {
        queue: DEAD_LETTER_QUEUE,
        queueOptions: { queue: DEAD_LETTER_QUEUE, durable: true, arguments: { 'x-queue-type': 'quorum' } },
        concurrency: 4,
        qos: { prefetchCount: 8 },
        requeue: true,
      },
      async (message: AsyncMessage) => {
        try {
          await this.record.execute({
            messageId: message.messageId,
            routingKey: message.routingKey,
            headers: message.headers ?? {},
            body: Buffer.isBuffer(message.body) ? message.body : Buffer.from(JSON.stringify(message.body ?? null)),
          });
          return ConsumerStatus.ACK;
        } catch (error: unknown) {
          // PostgreSQL unavailable: keep the dead letter in RabbitMQ and try again shortly.
          this.logger.warn({ err: String(error) }, 'could not record dead letter, requeueing');
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return ConsumerStatus.REQUEUE;
        }
      },
    );
    this.consumer.on('error', (error: unknown) => this.logger.warn({ err: String(error) }, 'consumer error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.close();
  }
}
