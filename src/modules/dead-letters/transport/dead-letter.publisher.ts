import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { WEBHOOK_EXCHANGE } from 'src/common/messaging/topology';
import type {
  DeadLetterPublisher,
  RepublishedMessage,
} from 'src/modules/dead-letters/application/dead-letter-publisher.port';

/**
 * RabbitMQ behind `DeadLetterPublisher`: back to the webhook exchange, so the message takes its first route again.
 * Mandatory: a replay that reaches no queue fails (and the dead letter stays `dead`) instead of vanishing.
 */
@Injectable()
export class RabbitDeadLetterPublisher implements DeadLetterPublisher {
  constructor(private readonly publisher: MandatoryPublisher) {}

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
