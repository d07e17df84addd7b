import { Process, Processor } from '@nestjs/bull';
import { JobName, QueueName } from 'src/common/jobs/job-catalogue';
import { ReconcileOrders, type ReconcileOrdersResult } from 'src/modules/orders/application/reconcile-orders.use-case';

/** Bull transport of the missed-webhook reconciliation (scheduler role). */
@Processor(QueueName.OrderReconciliation)
export class ReconcileOrdersProcessor {
  constructor(private readonly reconcile: ReconcileOrders) {}

  @Process(JobName.ReconcileOrders)
  run(): Promise<ReconcileOrdersResult[]> {
    return this.reconcile.executeForEnabledShops();
  }
}
