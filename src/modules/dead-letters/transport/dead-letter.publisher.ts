import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Publisher } from 'rabbitmq-client';
import { RABBIT_PUBLISHER } from 'src/common/messaging/rabbitmq.module';
import { WEBHOOK_EXCHANGE } from 'src/common/messaging/topology';
import type {
  DeadLetterPublisher,
  RepublishedMessage,
} from 'src/modules/dead-letters/application/dead-letter-publisher.port';

/** RabbitMQ behind `DeadLetterPublisher`: back to the webhook exchange, so the message takes its first route again. */
@Injectable()
export class RabbitDeadLetterPublisher implements DeadLetterPublisher {
  constructor(@Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher) {}

  async republish(message: RepublishedMessage): Promise<void> {
    await this.publisher.send(
      {
        exchange: WEBHOOK_EXCHANGE,
        routingKey: message.routingKey,
        messageId: randomUUID(),
        durable: true,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers: message.headers,
      },
      message.body,
    );
  }
}
