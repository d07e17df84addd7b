import { Connection, type Consumer, type ConsumerHandler, type ConsumerProps } from 'rabbitmq-client';
import type { WorkIntake } from 'src/common/lifecycle/shutdown-state';

/**
 * The work consumers' connection (RABBIT_CONSUMER_CONNECTION in a process that consumes). It knows every consumer
 * created on it and how many of their handlers run, so that a shutdown stops them all at once, whatever module owns
 * them, instead of one module's consumers waiting for their handlers while another's keep taking messages:
 *
 * - `stop`: every consumer is cancelled at the same moment (no new deliveries; prefetched messages go back), and it
 *   resolves once their handlers have settled and their channels closed;
 * - `cut`: the connection is destroyed, so RabbitMQ gives every unacknowledged message back to its queue (a handler
 *   still running can no longer ack; its ERP write is idempotent when the message runs again).
 */
export class ConsumingConnection extends Connection implements WorkIntake {
  private readonly consumers = new Set<Consumer>();
  private handling = 0;

  override createConsumer(props: ConsumerProps, handler: ConsumerHandler): Consumer {
    const consumer = super.createConsumer(props, async (message, reply) => {
      this.handling++;
      try {
        return await handler(message, reply);
      } finally {
        this.handling--;
      }
    });
    this.consumers.add(consumer);
    return consumer;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
  }

  inFlight(): number {
    return this.handling;
  }

  cut(): void {
    this.unsafeDestroy();
  }
}
