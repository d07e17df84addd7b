import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Connection, type Publisher } from 'rabbitmq-client';
import { declareTopology } from 'src/common/messaging/topology';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

export const RABBIT_CONNECTION = Symbol('RABBIT_CONNECTION');
export const RABBIT_PUBLISHER = Symbol('RABBIT_PUBLISHER');

/**
 * One AMQP connection per process and one confirming publisher.
 * rabbitmq-client's defaults are unsafe here (reliability-notes §0.5): a publish during an outage would wait the
 * 20 s default acquireTimeout, far beyond Shopify's 5 s budget, so it is cut to 1.5 s and publishes are never
 * retried by the client (the caller falls back to the PostgreSQL outbox instead).
 */
@Global()
@Module({
  providers: [
    {
      provide: RABBIT_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Connection => {
        const logger = new Logger('RabbitMQ');
        const connection = new Connection({
          url: config.rabbitmq.url,
          connectionName: `erp-sync:${config.role}:${process.pid}`,
          acquireTimeout: 1_500,
          connectionTimeout: 3_000,
          heartbeat: 10,
          retryLow: 250,
          retryHigh: 3_000,
          noDelay: true,
        });
        connection.on('error', (error: unknown) => logger.warn(`connection error: ${String(error)}`));
        // Declared on every (re)connect: identical arguments make this a no-op after the first time. Retried until it
        // succeeds, so a transient failure cannot leave a process without its queues.
        connection.on('connection', () => {
          const declare = (attempt: number): void => {
            declareTopology(connection).then(
              () => logger.log('topology declared'),
              (error: unknown) => {
                logger.warn(`topology declaration failed (attempt ${attempt}), retrying: ${String(error)}`);
                if (connection.ready) {
                  setTimeout(() => declare(attempt + 1), Math.min(500 * attempt, 5_000)).unref();
                }
              },
            );
          };
          declare(1);
        });
        return connection;
      },
    },
    {
      provide: RABBIT_PUBLISHER,
      inject: [RABBIT_CONNECTION],
      useFactory: (connection: Connection): Publisher => connection.createPublisher({ confirm: true, maxAttempts: 1 }),
    },
  ],
  exports: [RABBIT_CONNECTION, RABBIT_PUBLISHER],
})
export class RabbitMqModule implements OnApplicationShutdown {
  constructor(
    @Inject(RABBIT_CONNECTION) private readonly connection: Connection,
    @Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}
