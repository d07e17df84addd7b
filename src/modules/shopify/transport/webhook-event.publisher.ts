import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Socket } from 'node:net';
import type { Connection, Envelope, Publisher } from 'rabbitmq-client';
import { LingeringPublisher } from 'src/common/messaging/lingering-publisher';
import { RABBIT_CONNECTION, RABBIT_PUBLISHER } from 'src/common/messaging/rabbitmq.module';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';
import type { WebhookEventPublisher } from 'src/modules/shopify/application/webhook-event-publisher.port';
import type { OutboxMessage } from 'src/modules/shopify/persistence/ingest-outbox.repository';

/** RabbitMQ behind `WebhookEventPublisher`: the shared confirming publisher, with ingest's lingering bursts. */
@Injectable()
export class RabbitWebhookEventPublisher implements WebhookEventPublisher, OnApplicationShutdown {
  private readonly logger = new Logger(RabbitWebhookEventPublisher.name);
  private readonly lingering: LingeringPublisher;
  /** RabbitMQ said `connection.blocked` (a memory or disk alarm) and has not said `connection.unblocked` since. */
  private blocked = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RABBIT_CONNECTION) private readonly connection: Connection,
    @Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher,
  ) {
    this.lingering = new LingeringPublisher(publisher, config.shopify.publishLingerMs, undefined, (write) =>
      corked(connection, write),
    );
    // While the broker is blocked it reads nothing we publish: a publish would only wait out ingest's budget, so
    // ingest writes to the PostgreSQL outbox at once and the relay waits (rabbitmq-client's `ready` also turns
    // false then; this does not depend on it, and says so in the log).
    connection.on('connection.blocked', (reason: unknown) => {
      this.blocked = true;
      this.logger.warn(
        { reason: String(reason) },
        'RabbitMQ blocked publishing (memory or disk alarm): webhooks go to the PostgreSQL outbox until it unblocks',
      );
    });
    connection.on('connection.unblocked', () => {
      this.blocked = false;
      this.logger.log('RabbitMQ unblocked publishing: webhooks are published again, the outbox relayed');
    });
    // A new connection starts unblocked; a broker still in alarm blocks it again.
    connection.on('connection', () => (this.blocked = false));
  }

  get connected(): boolean {
    return this.connection.ready && !this.blocked;
  }

  publish(message: OutboxMessage): Promise<void> {
    return this.lingering.send(envelopeOf(message), message.body);
  }

  publishNow(message: OutboxMessage): Promise<void> {
    return this.publisher.send(envelopeOf(message), message.body);
  }

  /** No caller may wait for a linger timer that never fires. */
  onApplicationShutdown(): void {
    this.lingering.flush();
  }
}

/**
 * Runs `write` with the broker connection's socket corked, so that a lingered burst leaves in one `writev` instead of
 * one per message (rabbitmq-client corks and uncorks around each message it encodes; corks nest). Each syscall to
 * the broker is a loopback or network send the kernel processes in full, and a cold sale's CPU profile had these
 * writes at about a sixth of ingest's time. The socket is rabbitmq-client's own field (`_socket`, not public API):
 * without it the burst is written as before.
 */
export function corked(connection: Connection, write: () => void): void {
  const socket = (connection as unknown as { _socket?: Partial<Pick<Socket, 'cork' | 'uncork'>> })._socket;
  if (typeof socket?.cork !== 'function' || typeof socket.uncork !== 'function') {
    write();
    return;
  }
  socket.cork();
  try {
    write();
  } finally {
    socket.uncork();
  }
}

function envelopeOf(message: OutboxMessage): Envelope {
  return {
    exchange: message.exchange,
    routingKey: message.routingKey,
    messageId: message.messageId,
    durable: true,
    contentType: 'application/json',
    // With an encoding set, rabbitmq-client hands consumers the raw bytes instead of re-parsing the JSON.
    contentEncoding: 'utf-8',
    headers: message.headers,
  };
}
