import { Module } from '@nestjs/common';
import { AuditModule } from 'src/modules/audit';
import { ListOrderEditConflicts } from 'src/modules/orders/application/list-order-edit-conflicts.query';
import { ResolveOrderEditConflict } from 'src/modules/orders/application/resolve-order-edit-conflict.use-case';
import { OrderEditConflictRepository } from 'src/modules/orders/persistence/order-edit-conflict.repository';
import { OrderEditConflictController } from 'src/modules/orders/transport/order-edit-conflict.controller';
import { OrderEditConflictResolver } from 'src/modules/orders/transport/order-edit-conflict.resolver';

/** Operators see the order edits the ERP could not take and resolve them (api role). */
@Module({
  imports: [AuditModule],
  providers: [OrderEditConflictRepository, ListOrderEditConflicts, ResolveOrderEditConflict, OrderEditConflictResolver],
  controllers: [OrderEditConflictController],
})
export class OrderEditConflictsModule {}
