import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { ReadHeldOrders } from 'src/modules/orders/application/read-held-orders.query';
import { SettleOrderHold } from 'src/modules/orders/application/settle-order-hold.use-case';
import { OrderReplayAdminModule } from 'src/modules/orders/order-replay.module';
import { OrderHoldRepository } from 'src/modules/orders/persistence/order-hold.repository';
import { OrderHoldController } from 'src/modules/orders/transport/order-hold.controller';
import { OrderHoldResolver } from 'src/modules/orders/transport/order-hold.resolver';

/** Operators' held orders (api role): list them, release one (through ReplayOrders) or cancel it. */
@Module({
  imports: [AuditModule, OrderReplayAdminModule],
  providers: [OrderHoldRepository, ReadHeldOrders, SettleOrderHold, OrderHoldResolver],
  controllers: [OrderHoldController],
})
export class OrderHoldAdminModule {}
