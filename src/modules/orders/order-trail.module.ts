import { Module } from '@nestjs/common';
import { ReadOrderTrail } from 'src/modules/orders/application/read-order-trail.query';
import { OrderSyncStateRepository } from 'src/modules/orders/persistence/order-sync-state.repository';

/** The orders module's records of one order, for the order trace (api role); needs only the global DataSource. */
@Module({ providers: [OrderSyncStateRepository, ReadOrderTrail], exports: [ReadOrderTrail] })
export class OrderTrailModule {}
