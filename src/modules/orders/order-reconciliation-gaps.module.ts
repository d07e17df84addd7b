import { Module } from '@nestjs/common';
import { CountReconciliationGaps } from 'src/modules/orders/application/count-reconciliation-gaps.query';
import { OrderReconciliationRepository } from 'src/modules/orders/persistence/order-reconciliation.repository';

/** What the order reconciliation fed lately, for the alerts (needs only the global DataSource; schedules nothing). */
@Module({
  providers: [OrderReconciliationRepository, CountReconciliationGaps],
  exports: [CountReconciliationGaps],
})
export class OrderReconciliationGapsModule {}
