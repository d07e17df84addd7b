import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { DeadLetterTrailModule } from 'src/modules/dead-letters';
import { FulfilmentTrailModule } from 'src/modules/fulfilments';
import { OrderTrailModule } from 'src/modules/orders';
import { ShopsModule } from 'src/modules/shops';
import { TraceOrder } from 'src/modules/trace/application/trace-order.query';
import { OrderTraceController } from 'src/modules/trace/transport/order-trace.controller';
import { OrderTraceResolver } from 'src/modules/trace/transport/order-trace.resolver';

/**
 * The order trace (api role): GraphQL `orderTrace`, REST `/admin/shops/{shop}/orders/{orderId}/trace`. It owns no
 * table: each part is read through the owning module's query and joined here.
 */
@Module({
  imports: [ShopsModule, AuditModule, DeadLetterTrailModule, FulfilmentTrailModule, OrderTrailModule],
  providers: [TraceOrder, OrderTraceResolver],
  controllers: [OrderTraceController],
})
export class TraceAdminModule {}
