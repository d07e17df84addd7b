import { randomUUID } from 'node:crypto';
import type { Envelope, MessageBody, ReturnedMessage } from 'rabbitmq-client';
import { UnroutableMessageError } from 'src/common/messaging/unroutable-message.error';

/** The part of rabbitmq-client's Publisher this needs: a confirmed `send` and its `basic.return` event. */
export interface ReturningPublisher {
  send(envelope: Envelope, body: MessageBody): Promise<void>;
  on(name: 'basic.return', listener: (message: ReturnedMessage) => void): unknown;
}

/**
 * Confirmed publishes that fail when no queue takes the message. A confirmed publish to an exchange with no matching
 * binding is *confirmed* all the same (the broker accepted it, and dropped it), so a retry or dead-letter publish
 * into a missing binding would let the caller ack the original: lost, silently. Published `mandatory`, such a
 * message comes back as `basic.return` just before its confirm; rabbitmq-client 5 still resolves the confirmed
 * send and emits the return on the next turn of the event loop, so `send` waits that one turn and rejects with
 * UnroutableMessageError if its message came back.
 *
 * Returns are matched to sends by message id (one is set when the envelope has none); two sends in flight with the
 * same id both fail if either comes back, which errs on the safe side (the caller keeps its original).
 */
export class MandatoryPublisher {
  private readonly inFlight = new Map<string, { sends: number; returned?: ReturnedMessage }>();

  constructor(private readonly publisher: ReturningPublisher) {
    publisher.on('basic.return', (message: ReturnedMessage) => {
      const entry = message.messageId === undefined ? undefined : this.inFlight.get(message.messageId);
      if (entry !== undefined) {
        entry.returned = message;
      }
    });
  }

  async send(envelope: Envelope, body: MessageBody): Promise<void> {
    const messageId = envelope.messageId ?? randomUUID();
    const entry = this.inFlight.get(messageId) ?? { sends: 0 };
    entry.sends++;
    this.inFlight.set(messageId, entry);
    try {
      await this.publisher.send({ ...envelope, messageId, mandatory: true }, body);
      // The return (emitted with setImmediate when its frame was read, before the confirm) is seen by then.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const returned = entry.returned;
      if (returned !== undefined) {
        throw new UnroutableMessageError(returned.exchange, returned.routingKey, returned.replyText);
      }
    } finally {
      if (--entry.sends === 0) {
        this.inFlight.delete(messageId);
      }
    }
  }
}
