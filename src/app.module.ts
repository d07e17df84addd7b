import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { BullModule } from '@nestjs/bull';
import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { capabilitiesOf } from 'src/app-role';
import { buildGraphqlOptions } from 'src/common/graphql/graphql-options';
import { HealthController } from 'src/common/health/health.controller';
import { JobsModule } from 'src/common/jobs/jobs.module';
import { BurstChannelModule } from 'src/common/lifecycle/burst-channel';
import { LifecycleModule } from 'src/common/lifecycle/lifecycle.module';
import { QueueDepthSampler } from 'src/common/messaging/queue-depth.sampler';
import { RabbitMqModule } from 'src/common/messaging/rabbitmq.module';
import { loggerParams } from 'src/common/observability/logging';
import { MetricsHttpModule, ObservabilityModule } from 'src/common/observability/observability.module';
import { BullRedisConnections } from 'src/common/redis/bull-redis-connections';
import { RedisModule } from 'src/common/redis/redis.module';
import type { AppConfig } from 'src/config/app-config';
import { AppConfigModule } from 'src/config/config.module';
import { appDataSourceOptions } from 'src/database/data-source';
import { AccessModule } from 'src/modules/access';
import { AlertsModule } from 'src/modules/alerts';
import { AuditAdminModule } from 'src/modules/audit';
import { DeadLetterWorkerModule, DeadLettersAdminModule } from 'src/modules/dead-letters';
import { ErpChangeReadsModule, ErpPushModule } from 'src/modules/erp';
import { FlowsAdminModule } from 'src/modules/flows';
import { FulfilmentsModule } from 'src/modules/fulfilments';
import { InventoryAdminModule, InventoryEventsModule, InventoryModule } from 'src/modules/inventory';
import { MaintenanceModule } from 'src/modules/maintenance';
import { MappingAdminModule } from 'src/modules/mapping';
import {
  OrderEditConflictsModule,
  OrderGapReportModule,
  OrderHoldAdminModule,
  OrderMappingPreviewModule,
  OrderReconciliationModule,
  OrderReplayAdminModule,
  OrderReplayModule,
  OrderWriteBackModule,
  OrdersModule,
} from 'src/modules/orders';
import { PayoutsAdminModule, PayoutsModule } from 'src/modules/payouts';
import { CatalogEventsModule, ProductAdminModule, ProductSyncModule } from 'src/modules/products';
import { ShopifyIngestModule } from 'src/modules/shopify';
import { ShopsAdminModule, ShopsModule } from 'src/modules/shops';
import { TraceAdminModule } from 'src/modules/trace';

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [QueueDepthSampler] })
class HealthModule {}

/** Composes the feature modules for one APP_ROLE (immich's Api/Microservices split). */
@Module({})
export class AppModule {
  static forRole(config: AppConfig): DynamicModule {
    const can = capabilitiesOf(config.role, config.part);
    const imports: NonNullable<ModuleMetadata['imports']> = [
      AppConfigModule.forRoot(config),
      LoggerModule.forRoot(loggerParams(config.logLevel)),
      ObservabilityModule,
      LifecycleModule,
      // The app's statements are bounded (statement_timeout, pool wait); migrations ran before, without bounds.
      TypeOrmModule.forRoot({ ...appDataSourceOptions(config.database), retryAttempts: 20, retryDelay: 1_500 }),
      RabbitMqModule,
      RedisModule,
      BurstChannelModule,
      HealthModule,
      MetricsHttpModule,
      // Every role: creates the env-bootstrapped shop, re-encrypts secrets after a key change, loads the shops.
      ShopsModule,
    ];
    if (can.api || can.scheduler) {
      // Bull (Redis): the scheduler runs the jobs; the api only enqueues the reads that ERP pushes wake.
      // Bull's Redis connections are bounded like the app's own client (BullRedisConnections says which get what).
      imports.push(
        BullModule.forRootAsync({
          inject: [BullRedisConnections],
          useFactory: (connections: BullRedisConnections) => ({
            url: config.redis.url,
            createClient: connections.create,
          }),
        }),
      );
    }
    if (can.api) {
      imports.push(
        ShopifyIngestModule,
        ErpPushModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          ...buildGraphqlOptions({ production: config.production }),
        }),
        // Stored admin API keys for every admin handler's guard, and the boot check that each declares a role.
        AccessModule,
        AuditAdminModule,
        DeadLettersAdminModule,
        InventoryAdminModule,
        ShopsAdminModule,
        MappingAdminModule,
        OrderMappingPreviewModule,
        OrderGapReportModule,
        OrderReplayAdminModule,
        OrderHoldAdminModule,
        OrderEditConflictsModule,
        ProductAdminModule,
        FlowsAdminModule,
        TraceAdminModule,
        PayoutsAdminModule,
      );
    }
    if (can.worker) {
      imports.push(OrdersModule, DeadLetterWorkerModule, CatalogEventsModule, InventoryEventsModule);
    }
    if (can.scheduler) {
      imports.push(
        MaintenanceModule,
        ErpChangeReadsModule,
        InventoryModule,
        FulfilmentsModule,
        OrderReconciliationModule,
        OrderReplayModule,
        OrderWriteBackModule,
        PayoutsModule,
        ProductSyncModule,
        AlertsModule,
      );
    }
    if (can.api || can.scheduler) {
      // The schedule registrar and the boot-time check that every job has exactly one handler. Last, so that its
      // bootstrap hook (the schedules) runs after the modules' own (inventory writes its location map first).
      imports.push(JobsModule);
    }
    return { module: AppModule, imports };
  }
}
