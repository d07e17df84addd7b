import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from 'src/common/jobs/job-catalogue';
import { AdvisoryLocks } from 'src/common/persistence/advisory-lock';
import { AuditModule } from 'src/modules/audit';
import { ReadOrderReplay } from 'src/modules/orders/application/read-order-replay.query';
import { ReplayOrders } from 'src/modules/orders/application/replay-orders.use-case';
import { RunOrderReplay } from 'src/modules/orders/application/run-order-replay.use-case';
import { StartOrderReplay } from 'src/modules/orders/application/start-order-replay.use-case';
import { OrderReplayRepository } from 'src/modules/orders/persistence/order-replay.repository';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';
import { ORDER_EVENT_PUBLISHER, RabbitOrderEventPublisher } from 'src/modules/orders/transport/order-event.publisher';
import { OrderReplayController } from 'src/modules/orders/transport/order-replay.controller';
import { OrderReplayResolver } from 'src/modules/orders/transport/order-replay.resolver';
import { ReplayOrdersProcessor } from 'src/modules/orders/transport/replay-orders.processor';
import { ShopifyAdminModule } from 'src/modules/shopify';
import { ShopsModule } from 'src/modules/shops';

/** What both halves need: reading orders from Shopify and publishing them into the order pipeline. */
const REPLAY_IMPORTS = [
  AuditModule,
  ShopifyAdminModule,
  ShopsModule,
  BullModule.registerQueue({ name: QueueName.OrderReplay }),
];
const REPLAY_PROVIDERS = [
  OrderSyncStateRepository,
  OrderReplayRepository,
  { provide: ORDER_EVENT_PUBLISHER, useClass: RabbitOrderEventPublisher },
  ReplayOrders,
  StartOrderReplay,
];

/**
 * Operators' order re-sync and replays (api role): `resyncOrder` runs at once, `startOrderReplay` queues the
 * background job the scheduler runs; `orderReplay` reads its status. Exports ReplayOrders (replay explicit ids now)
 * and StartOrderReplay (in the background) for other admin features, such as a gap report.
 */
@Module({
  imports: REPLAY_IMPORTS,
  providers: [...REPLAY_PROVIDERS, ReadOrderReplay, OrderReplayResolver],
  controllers: [OrderReplayController],
  exports: [ReplayOrders, StartOrderReplay],
})
export class OrderReplayAdminModule {}

/** The background replays' runs (scheduler role, Bull queue `order-replay`). */
@Module({
  imports: REPLAY_IMPORTS,
  providers: [...REPLAY_PROVIDERS, AdvisoryLocks, RunOrderReplay, ReplayOrdersProcessor],
  exports: [ReplayOrders, StartOrderReplay],
})
export class OrderReplayModule {}
