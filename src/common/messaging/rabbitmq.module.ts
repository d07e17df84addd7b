import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Connection, type ConnectionOptions, type Publisher } from 'rabbitmq-client';
import { capabilitiesOf } from 'src/app-role';
import { LifecycleModule } from 'src/common/lifecycle/lifecycle.module';
import { ShutdownState } from 'src/common/lifecycle/shutdown-state';
import { ConsumingConnection } from 'src/common/messaging/consuming-connection';
import { MandatoryPublisher } from 'src/common/messaging/mandatory-publisher';
import { declareTopology } from 'src/common/messaging/topology';
import { APP_CONFIG, type AppConfig } from 'src/config/app-config';

/** Publishing (ingest, outbox relay; retries through MandatoryPublisher), topology, health checks and queue-depth sampling. */
export const RABBIT_CONNECTION = Symbol('RABBIT_CONNECTION');
/**
 * The work consumers' connection. In a process that consumes (APP_ROLE worker or all) it is a second TCP connection,
 * so that RabbitMQ's per-connection flow control on the publishing connection never holds up deliveries and acks,
 * and a backlog being delivered never shares a socket with ingest's publisher confirms (RabbitMQ's advice: use
 * separate connections for publishing and consuming). Elsewhere it is the same connection (nothing consumes there).
 */
export const RABBIT_CONSUMER_CONNECTION = Symbol('RABBIT_CONSUMER_CONNECTION');
export const RABBIT_PUBLISHER = Symbol('RABBIT_PUBLISHER');

/**
 * rabbitmq-client's defaults are unsafe here (docs/reliability.md, "Facts about the infrastructure"): a publish during an outage would wait the
 * 20 s default acquireTimeout, far beyond Shopify's 5 s budget, so it is cut to 1.5 s and publishes are never
 * retried by the client (the caller falls back to the PostgreSQL outbox instead).
 */
function openConnection<C extends Connection>(
  Kind: new (options: ConnectionOptions) => C,
  config: AppConfig,
  purpose: 'publish' | 'consume',
  logger: Logger,
): C {
  const connection = new Kind({
    url: config.rabbitmq.url,
    connectionName: `erp-sync:${config.part === undefined ? config.role : `${config.role}-${config.part}`}:${purpose}:${process.pid}`,
    acquireTimeout: 1_500,
    connectionTimeout: 3_000,
    heartbeat: 10,
    retryLow: 250,
    retryHigh: 3_000,
    noDelay: true,
  });
  connection.on('error', (error: unknown) => logger.warn(`${purpose} connection error: ${String(error)}`));
  return connection;
}

/** One publishing connection per process with one confirming publisher, and a consuming connection where needed. */
@Global()
@Module({
  imports: [LifecycleModule],
  providers: [
    {
      provide: RABBIT_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Connection => {
        const logger = new Logger('RabbitMQ');
        const connection = openConnection(Connection, config, 'publish', logger);
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
      provide: RABBIT_CONSUMER_CONNECTION,
      inject: [APP_CONFIG, RABBIT_CONNECTION, ShutdownState],
      useFactory: (config: AppConfig, main: Connection, shutdown: ShutdownState): Connection => {
        if (!capabilitiesOf(config.role, config.part).worker) {
          return main;
        }
        const connection = openConnection(ConsumingConnection, config, 'consume', new Logger('RabbitMQ'));
        // A shutdown cancels every consumer at once, waits for their handlers, and cuts them at the deadline.
        shutdown.registerIntake('rabbitmq consumers', connection);
        return connection;
      },
    },
    {
      provide: RABBIT_PUBLISHER,
      inject: [RABBIT_CONNECTION],
      useFactory: (connection: Connection): Publisher => connection.createPublisher({ confirm: true, maxAttempts: 1 }),
    },
    {
      // Retries, dead letters and their replays: a publish that no queue takes fails instead of being dropped.
      provide: MandatoryPublisher,
      inject: [RABBIT_PUBLISHER],
      useFactory: (publisher: Publisher): MandatoryPublisher => new MandatoryPublisher(publisher),
    },
  ],
  exports: [RABBIT_CONNECTION, RABBIT_CONSUMER_CONNECTION, RABBIT_PUBLISHER, MandatoryPublisher],
})
export class RabbitMqModule implements OnApplicationShutdown {
  constructor(
    @Inject(RABBIT_CONNECTION) private readonly connection: Connection,
    @Inject(RABBIT_CONSUMER_CONNECTION) private readonly consumerConnection: Connection,
    @Inject(RABBIT_PUBLISHER) private readonly publisher: Publisher,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    if (this.consumerConnection !== this.connection) {
      await this.consumerConnection.close();
    }
    await this.connection.close();
  }
}
